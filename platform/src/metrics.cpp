#include "nfv/platform/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace nfv::platform {

namespace {

bool is_name_start(char c, bool allow_colon) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           (allow_colon && c == ':');
}

bool is_name_char(char c, bool allow_colon) {
    return is_name_start(c, allow_colon) || (c >= '0' && c <= '9');
}

[[noreturn]] void registration_bug(std::string_view what, std::string_view name) {
    std::fprintf(stderr, "nfv metrics: %.*s: \"%.*s\"\n", static_cast<int>(what.size()),
                 what.data(), static_cast<int>(name.size()), name.data());
    std::abort();
}

// The sample names a family puts on the wire; two families must not share any.
std::vector<std::string> sample_names(std::string_view name, MetricType type) {
    std::vector<std::string> names;
    if (type == MetricType::kHistogram) {
        for (const std::string_view suffix : {"_bucket", "_sum", "_count"}) {
            names.push_back(std::string(name) + std::string(suffix));
        }
    } else {
        names.emplace_back(name);
    }
    return names;
}

void check_labels(std::string_view metric, MetricType type, MetricLabels& labels) {
    for (const auto& [label, value] : labels) {
        if (!is_valid_label_name(label)) {
            registration_bug("invalid label name on " + std::string(metric), label);
        }
        if (type == MetricType::kHistogram && label == "le") {
            registration_bug("histogram may not use label \"le\"", metric);
        }
    }
    std::sort(labels.begin(), labels.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    const auto dup =
        std::adjacent_find(labels.begin(), labels.end(),
                           [](const auto& a, const auto& b) { return a.first == b.first; });
    if (dup != labels.end()) {
        registration_bug("duplicate label name on " + std::string(metric), dup->first);
    }
}

void check_bounds(std::string_view metric, const std::vector<double>& bounds) {
    if (bounds.empty()) {
        registration_bug("histogram needs at least one bucket bound", metric);
    }
    for (std::size_t i = 0; i < bounds.size(); ++i) {
        if (!std::isfinite(bounds[i]) || (i > 0 && !(bounds[i - 1] < bounds[i]))) {
            registration_bug("histogram bounds must be finite and strictly increasing", metric);
        }
    }
}

}  // namespace

void Histogram::observe(double value) {
    // First bound >= value: the "le" bucket the value belongs to. NaN compares false against
    // every bound, so the predicate form below sends it to the overflow bucket.
    const auto it = std::partition_point(bounds_.begin(), bounds_.end(),
                                         [value](double bound) { return !(bound >= value); });
    ++buckets_[static_cast<std::size_t>(it - bounds_.begin())];
    ++count_;
    sum_ += value;
}

std::uint64_t Histogram::cumulative_count(std::size_t i) const {
    std::uint64_t total = 0;
    for (std::size_t j = 0; j <= i && j < buckets_.size(); ++j) {
        total += buckets_[j];
    }
    return total;
}

std::string_view metric_type_name(MetricType type) {
    switch (type) {
        case MetricType::kCounter:
            return "counter";
        case MetricType::kGauge:
            return "gauge";
        case MetricType::kHistogram:
            return "histogram";
    }
    return "untyped";
}

bool is_valid_metric_name(std::string_view name) {
    if (name.empty() || !is_name_start(name.front(), true)) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) { return is_name_char(c, true); });
}

bool is_valid_label_name(std::string_view name) {
    if (name.empty() || !is_name_start(name.front(), false) || name.starts_with("__")) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) { return is_name_char(c, false); });
}

std::vector<double> default_latency_buckets() {
    return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0};
}

MetricFamily::Series& MetricsRegistry::find_or_add(std::string_view name, std::string_view help,
                                                   MetricType type,
                                                   const std::vector<double>* bounds,
                                                   MetricLabels labels) {
    if (!is_valid_metric_name(name)) {
        registration_bug("invalid metric name", name);
    }
    check_labels(name, type, labels);
    if (bounds != nullptr) {
        check_bounds(name, *bounds);
    }

    auto family = std::find_if(families_.begin(), families_.end(),
                               [name](const MetricFamily& f) { return f.name == name; });
    if (family == families_.end()) {
        const auto mine = sample_names(name, type);
        for (const MetricFamily& other : families_) {
            for (const std::string& theirs : sample_names(other.name, other.type)) {
                if (std::find(mine.begin(), mine.end(), theirs) != mine.end()) {
                    registration_bug("sample name clashes with metric " + other.name, theirs);
                }
            }
        }
        MetricFamily created;
        created.name = std::string(name);
        created.help = std::string(help);
        created.type = type;
        if (bounds != nullptr) {
            created.bounds = *bounds;
        }
        families_.push_back(std::move(created));
        family = families_.end() - 1;
    } else {
        if (family->type != type) {
            registration_bug("metric re-registered with another type", name);
        }
        if (family->help != help) {
            registration_bug("metric re-registered with another help text", name);
        }
        if (bounds != nullptr && family->bounds != *bounds) {
            registration_bug("histogram re-registered with other bounds", name);
        }
    }

    for (MetricFamily::Series& series : family->series) {
        if (series.labels == labels) {
            return series;
        }
    }
    MetricFamily::Series& series = family->series.emplace_back();
    series.labels = std::move(labels);
    switch (type) {
        case MetricType::kCounter:
            series.metric = std::make_unique<Counter>();
            break;
        case MetricType::kGauge:
            series.metric = std::make_unique<Gauge>();
            break;
        case MetricType::kHistogram:
            series.metric = std::make_unique<Histogram>(family->bounds);
            break;
    }
    return series;
}

Counter& MetricsRegistry::counter(std::string_view name, std::string_view help,
                                  MetricLabels labels) {
    auto& series = find_or_add(name, help, MetricType::kCounter, nullptr, std::move(labels));
    return *std::get<std::unique_ptr<Counter>>(series.metric);
}

Gauge& MetricsRegistry::gauge(std::string_view name, std::string_view help, MetricLabels labels) {
    auto& series = find_or_add(name, help, MetricType::kGauge, nullptr, std::move(labels));
    return *std::get<std::unique_ptr<Gauge>>(series.metric);
}

Histogram& MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                      std::vector<double> bounds, MetricLabels labels) {
    auto& series = find_or_add(name, help, MetricType::kHistogram, &bounds, std::move(labels));
    return *std::get<std::unique_ptr<Histogram>>(series.metric);
}

}  // namespace nfv::platform
