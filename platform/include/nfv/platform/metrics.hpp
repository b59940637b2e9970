// Metrics registry: counters, gauges and histograms with Prometheus data-model semantics
// (https://prometheus.io/docs/concepts/data_model/ and metric_types/). Exposition lives in
// metrics_format.hpp (Prometheus text format 0.0.4 and JSON).
//
// Contract:
// - Create metrics at start-up; the registry returns references that stay valid for the
//   registry's lifetime (each metric is heap-allocated once and never moves).
// - On the hot path an update is a plain add on the referenced object: no lookup, no allocation,
//   no atomic, no virtual call.
// - Single-threaded by design: one registry per event loop (one thread). Updates and exposition
//   must happen on that thread; a process with several loops exposes several registries.
// - Invalid names are caller bugs (names are literals in our code): registration prints the
//   offending name to stderr and aborts. Metric names must match [a-zA-Z_:][a-zA-Z0-9_:]*; label
//   names [a-zA-Z_][a-zA-Z0-9_]* and must not start with "__"; histograms may not use the label
//   "le". Label values are free text (escaped on output).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace nfv::platform {

/// A label set, e.g. {{"type", "A"}, {"rcode", "NXDOMAIN"}}. The registry stores it sorted by
/// label name, so {{"a","1"},{"b","2"}} and {{"b","2"},{"a","1"}} name the same series.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

/// A monotonically increasing count (Prometheus "counter"). Wraps at 2^64, which no real
/// counter reaches.
class Counter {
public:
    void inc() { ++value_; }
    void add(std::uint64_t n) { value_ += n; }
    [[nodiscard]] std::uint64_t value() const { return value_; }

private:
    std::uint64_t value_ = 0;
};

/// A value that goes up and down (Prometheus "gauge"). Stored as a double, so integers are exact
/// up to 2^53.
class Gauge {
public:
    void set(double value) { value_ = value; }
    void add(double delta) { value_ += delta; }
    void inc() { value_ += 1.0; }
    void dec() { value_ -= 1.0; }
    [[nodiscard]] double value() const { return value_; }

private:
    double value_ = 0.0;
};

/// Observations counted into fixed buckets (Prometheus "histogram"). Bucket i counts
/// observations v with bounds[i-1] < v <= bounds[i]; a final implicit bucket holds v > the last
/// bound (and NaN). Bounds are fixed at creation.
class Histogram {
public:
    /// Precondition (checked by the registry): `bounds` finite and strictly increasing.
    explicit Histogram(std::vector<double> bounds)
        : bounds_(std::move(bounds)), buckets_(bounds_.size() + 1, 0) {}

    /// Counts `value` into its bucket: a binary search over the bounds, no allocation.
    void observe(double value);

    [[nodiscard]] std::span<const double> bounds() const { return bounds_; }
    /// Per-bucket (non-cumulative) counts; size() == bounds().size() + 1, the last is the
    /// overflow (+Inf) bucket.
    [[nodiscard]] std::span<const std::uint64_t> bucket_counts() const { return buckets_; }
    /// Cumulative count of observations <= bounds()[i] (i == bounds().size() means +Inf).
    [[nodiscard]] std::uint64_t cumulative_count(std::size_t i) const;
    [[nodiscard]] std::uint64_t count() const { return count_; }
    [[nodiscard]] double sum() const { return sum_; }

private:
    std::vector<double> bounds_;
    std::vector<std::uint64_t> buckets_;
    std::uint64_t count_ = 0;
    double sum_ = 0.0;
};

enum class MetricType : std::uint8_t { kCounter, kGauge, kHistogram };

/// "counter", "gauge" or "histogram" (the Prometheus TYPE keyword).
[[nodiscard]] std::string_view metric_type_name(MetricType type);

/// True if `name` is a valid Prometheus metric name.
[[nodiscard]] bool is_valid_metric_name(std::string_view name);
/// True if `name` is a valid, non-reserved Prometheus label name.
[[nodiscard]] bool is_valid_label_name(std::string_view name);

/// Bucket bounds for latencies in seconds: 0.0005 .. 10 s, roughly doubling.
[[nodiscard]] std::vector<double> default_latency_buckets();

/// All series sharing one name, help text and type.
struct MetricFamily {
    struct Series {
        MetricLabels labels;  // sorted by label name
        std::variant<std::unique_ptr<Counter>, std::unique_ptr<Gauge>, std::unique_ptr<Histogram>>
            metric;
    };

    std::string name;
    std::string help;
    MetricType type = MetricType::kCounter;
    std::vector<double> bounds;  // histograms only: the bounds every series of the family uses
    std::vector<Series> series;  // in registration order
};

/// Owns metrics and hands out stable references. Registering a series that already exists (same
/// name, type, help, labels and, for histograms, bounds) returns the existing object. A clash on
/// type, help text or bounds aborts (caller bug).
class MetricsRegistry {
public:
    MetricsRegistry() = default;
    MetricsRegistry(const MetricsRegistry&) = delete;
    MetricsRegistry& operator=(const MetricsRegistry&) = delete;
    MetricsRegistry(MetricsRegistry&&) = default;
    MetricsRegistry& operator=(MetricsRegistry&&) = default;
    ~MetricsRegistry() = default;

    [[nodiscard]] Counter& counter(std::string_view name, std::string_view help,
                                   MetricLabels labels = {});
    [[nodiscard]] Gauge& gauge(std::string_view name, std::string_view help,
                               MetricLabels labels = {});
    /// Precondition: `bounds` non-empty, finite and strictly increasing (aborts otherwise).
    [[nodiscard]] Histogram& histogram(std::string_view name, std::string_view help,
                                       std::vector<double> bounds, MetricLabels labels = {});

    /// Families in registration order, for exposition.
    [[nodiscard]] const std::vector<MetricFamily>& families() const { return families_; }

private:
    // Finds or creates the family and the series; returns the series, whose metric is empty
    // when it was just created.
    MetricFamily::Series& find_or_add(std::string_view name, std::string_view help, MetricType type,
                                      const std::vector<double>* bounds, MetricLabels labels);

    std::vector<MetricFamily> families_;
};

}  // namespace nfv::platform
