#include "nfv/platform/metrics_format.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace nfv::platform {

namespace {

void append_u64(std::string& out, std::uint64_t value) {
    std::array<char, 24> buf{};
    const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    out.append(buf.data(), res.ptr);
}

void append_help(std::string& out, std::string_view help) {
    for (const char c : help) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
}

// Appends {k="v",...} with an optional trailing le label; nothing when both are empty.
void append_labels(std::string& out, const MetricLabels& labels, const std::string* le) {
    if (labels.empty() && le == nullptr) {
        return;
    }
    out += '{';
    bool first = true;
    for (const auto& [name, value] : labels) {
        if (!first) {
            out += ',';
        }
        first = false;
        out += name;
        out += "=\"";
        append_prometheus_label_value(out, value);
        out += '"';
    }
    if (le != nullptr) {
        if (!first) {
            out += ',';
        }
        out += "le=\"";
        out += *le;
        out += '"';
    }
    out += '}';
}

void append_sample_name(std::string& out, std::string_view name, std::string_view suffix) {
    out += name;
    out += suffix;
}

void append_histogram(std::string& out, const MetricFamily& family,
                      const MetricFamily::Series& series, const Histogram& histogram) {
    std::string le;
    const auto bounds = histogram.bounds();
    std::uint64_t cumulative = 0;
    const auto counts = histogram.bucket_counts();
    for (std::size_t i = 0; i <= bounds.size(); ++i) {
        cumulative += counts[i];
        le.clear();
        if (i < bounds.size()) {
            append_prometheus_double(le, bounds[i]);
        } else {
            le = "+Inf";
        }
        append_sample_name(out, family.name, "_bucket");
        append_labels(out, series.labels, &le);
        out += ' ';
        append_u64(out, cumulative);
        out += '\n';
    }
    append_sample_name(out, family.name, "_sum");
    append_labels(out, series.labels, nullptr);
    out += ' ';
    append_prometheus_double(out, histogram.sum());
    out += '\n';
    append_sample_name(out, family.name, "_count");
    append_labels(out, series.labels, nullptr);
    out += ' ';
    append_u64(out, histogram.count());
    out += '\n';
}

nlohmann::json labels_json(const MetricLabels& labels) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& [name, value] : labels) {
        object[name] = value;
    }
    return object;
}

}  // namespace

void append_prometheus_double(std::string& out, double value) {
    if (std::isnan(value)) {
        out += "NaN";
    } else if (std::isinf(value)) {
        out += value > 0 ? "+Inf" : "-Inf";
    } else {
        std::array<char, 32> buf{};
        const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), value);
        out.append(buf.data(), res.ptr);
    }
}

void append_prometheus_label_value(std::string& out, std::string_view value) {
    for (const char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '"') {
            out += "\\\"";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
}

std::string to_prometheus_text(const MetricsRegistry& registry) {
    std::string out;
    for (const MetricFamily& family : registry.families()) {
        if (!family.help.empty()) {
            out += "# HELP ";
            out += family.name;
            out += ' ';
            append_help(out, family.help);
            out += '\n';
        }
        out += "# TYPE ";
        out += family.name;
        out += ' ';
        out += metric_type_name(family.type);
        out += '\n';
        for (const MetricFamily::Series& series : family.series) {
            if (const auto* counter = std::get_if<std::unique_ptr<Counter>>(&series.metric)) {
                out += family.name;
                append_labels(out, series.labels, nullptr);
                out += ' ';
                append_u64(out, (*counter)->value());
                out += '\n';
            } else if (const auto* gauge = std::get_if<std::unique_ptr<Gauge>>(&series.metric)) {
                out += family.name;
                append_labels(out, series.labels, nullptr);
                out += ' ';
                append_prometheus_double(out, (*gauge)->value());
                out += '\n';
            } else if (const auto* histogram =
                           std::get_if<std::unique_ptr<Histogram>>(&series.metric)) {
                append_histogram(out, family, series, **histogram);
            }
        }
    }
    return out;
}

nlohmann::json to_json(const MetricsRegistry& registry) {
    nlohmann::json root = nlohmann::json::object();
    for (const MetricFamily& family : registry.families()) {
        nlohmann::json series_list = nlohmann::json::array();
        for (const MetricFamily::Series& series : family.series) {
            nlohmann::json entry = {{"labels", labels_json(series.labels)}};
            if (const auto* counter = std::get_if<std::unique_ptr<Counter>>(&series.metric)) {
                entry["value"] = (*counter)->value();
            } else if (const auto* gauge = std::get_if<std::unique_ptr<Gauge>>(&series.metric)) {
                entry["value"] = (*gauge)->value();
            } else if (const auto* histogram =
                           std::get_if<std::unique_ptr<Histogram>>(&series.metric)) {
                const Histogram& h = **histogram;
                entry["count"] = h.count();
                entry["sum"] = h.sum();
                nlohmann::json buckets = nlohmann::json::array();
                for (std::size_t i = 0; i < h.bounds().size(); ++i) {
                    buckets.push_back({{"le", h.bounds()[i]}, {"count", h.cumulative_count(i)}});
                }
                entry["buckets"] = std::move(buckets);
            }
            series_list.push_back(std::move(entry));
        }
        root[family.name] = {{"type", metric_type_name(family.type)},
                             {"help", family.help},
                             {"series", std::move(series_list)}};
    }
    return root;
}

}  // namespace nfv::platform
