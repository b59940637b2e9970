// Exposition of a MetricsRegistry:
// - Prometheus text exposition format 0.0.4
//   (https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format):
//   "# HELP" and "# TYPE" lines per family, one sample per line, label values with '\\', '"' and
//   newline escaped, HELP text with '\\' and newline escaped, histograms as cumulative
//   <name>_bucket{...,le="<bound>"} series ending in le="+Inf", then <name>_sum and <name>_count.
// - JSON for the status endpoint, shaped as
//     { "<name>": { "type": "counter"|"gauge"|"histogram", "help": "...",
//                   "series": [ { "labels": {"k": "v"}, "value": 3 } ] } }
//   with histogram series carrying "count", "sum" and cumulative "buckets":
//   [ {"le": 0.1, "count": 1}, ... ] (finite bounds only; "count" is the +Inf bucket).
// Like the registry, call these on the registry's own thread.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "nfv/platform/metrics.hpp"

namespace nfv::platform {

/// The HTTP Content-Type of to_prometheus_text() output.
inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

/// Renders every family in registration order, each series in registration order.
[[nodiscard]] std::string to_prometheus_text(const MetricsRegistry& registry);

/// Renders the registry as the JSON object described above.
[[nodiscard]] nlohmann::json to_json(const MetricsRegistry& registry);

/// Appends `value` as a Prometheus sample value: shortest round-trip decimal, or "+Inf", "-Inf",
/// "NaN".
void append_prometheus_double(std::string& out, double value);

/// Appends `value` escaped for use inside a double-quoted Prometheus label value.
void append_prometheus_label_value(std::string& out, std::string_view value);

}  // namespace nfv::platform
