#include "nfv/platform/metrics.hpp"

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "nfv/platform/metrics_format.hpp"

namespace nfv::platform {
namespace {

// The small registry of a DNS forwarder, used by the exposition tests.
void fill_dns_registry(MetricsRegistry& registry) {
    registry.counter("dns_queries_total", "DNS queries received.", {{"type", "A"}}).add(3);
    registry.counter("dns_queries_total", "DNS queries received.", {{"type", "AAAA"}}).inc();
    registry.gauge("dns_cache_entries", "Entries in the cache.").set(42);
    Histogram& latency =
        registry.histogram("dns_upstream_latency_seconds", "Upstream latency.", {0.25, 0.5, 1});
    for (const double v : {0.125, 0.25, 0.5, 4.0}) {
        latency.observe(v);
    }
}

TEST(MetricsPrometheus, ExactTextForSmallRegistry) {
    MetricsRegistry registry;
    fill_dns_registry(registry);
    EXPECT_EQ(to_prometheus_text(registry),
              "# HELP dns_queries_total DNS queries received.\n"
              "# TYPE dns_queries_total counter\n"
              "dns_queries_total{type=\"A\"} 3\n"
              "dns_queries_total{type=\"AAAA\"} 1\n"
              "# HELP dns_cache_entries Entries in the cache.\n"
              "# TYPE dns_cache_entries gauge\n"
              "dns_cache_entries 42\n"
              "# HELP dns_upstream_latency_seconds Upstream latency.\n"
              "# TYPE dns_upstream_latency_seconds histogram\n"
              "dns_upstream_latency_seconds_bucket{le=\"0.25\"} 2\n"
              "dns_upstream_latency_seconds_bucket{le=\"0.5\"} 3\n"
              "dns_upstream_latency_seconds_bucket{le=\"1\"} 3\n"
              "dns_upstream_latency_seconds_bucket{le=\"+Inf\"} 4\n"
              "dns_upstream_latency_seconds_sum 4.875\n"
              "dns_upstream_latency_seconds_count 4\n");
}

TEST(MetricsPrometheus, EmptyRegistryRendersNothing) {
    const MetricsRegistry registry;
    EXPECT_EQ(to_prometheus_text(registry), "");
    EXPECT_EQ(to_json(registry), nlohmann::json::object());
}

TEST(MetricsPrometheus, EscapesLabelValuesAndHelp) {
    MetricsRegistry registry;
    registry
        .counter("peer_errors_total", "Errors per peer.\nPath C:\\x \"quoted\"",
                 {{"peer", "a\"b\\c\nd"}})
        .inc();
    EXPECT_EQ(to_prometheus_text(registry),
              "# HELP peer_errors_total Errors per peer.\\nPath C:\\\\x \"quoted\"\n"
              "# TYPE peer_errors_total counter\n"
              "peer_errors_total{peer=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(MetricsPrometheus, LabelsSortedAndLeLastOnBuckets) {
    MetricsRegistry registry;
    Histogram& h = registry.histogram("h", "", {1}, {{"z", "1"}, {"b", "2"}});
    h.observe(0.5);
    EXPECT_EQ(to_prometheus_text(registry),
              "# TYPE h histogram\n"
              "h_bucket{b=\"2\",z=\"1\",le=\"1\"} 1\n"
              "h_bucket{b=\"2\",z=\"1\",le=\"+Inf\"} 1\n"
              "h_sum{b=\"2\",z=\"1\"} 0.5\n"
              "h_count{b=\"2\",z=\"1\"} 1\n");
}

TEST(MetricsPrometheus, SpecialGaugeValues) {
    const auto text = [](double v) {
        std::string out;
        append_prometheus_double(out, v);
        return out;
    };
    EXPECT_EQ(text(-1.5), "-1.5");
    EXPECT_EQ(text(0.0), "0");
    EXPECT_EQ(text(1e-05), "1e-05");
    EXPECT_EQ(text(std::numeric_limits<double>::infinity()), "+Inf");
    EXPECT_EQ(text(-std::numeric_limits<double>::infinity()), "-Inf");
    EXPECT_EQ(text(std::numeric_limits<double>::quiet_NaN()), "NaN");
    EXPECT_EQ(text(9007199254740992.0), "9007199254740992");
}

TEST(MetricsJson, Shape) {
    MetricsRegistry registry;
    fill_dns_registry(registry);
    const nlohmann::json expected = nlohmann::json::parse(R"({
      "dns_queries_total": {
        "type": "counter", "help": "DNS queries received.",
        "series": [ {"labels": {"type": "A"}, "value": 3},
                    {"labels": {"type": "AAAA"}, "value": 1} ] },
      "dns_cache_entries": {
        "type": "gauge", "help": "Entries in the cache.",
        "series": [ {"labels": {}, "value": 42.0} ] },
      "dns_upstream_latency_seconds": {
        "type": "histogram", "help": "Upstream latency.",
        "series": [ {"labels": {}, "count": 4, "sum": 4.875,
                     "buckets": [ {"le": 0.25, "count": 2}, {"le": 0.5, "count": 3},
                                  {"le": 1.0, "count": 3} ] } ] }
    })");
    const nlohmann::json actual = to_json(registry);
    EXPECT_EQ(actual, expected) << actual.dump(2);
    EXPECT_TRUE(actual["dns_queries_total"]["series"][0]["value"].is_number_unsigned());
}

TEST(Histogram, BucketPlacementAtBoundaries) {
    Histogram h({1, 2, 5});
    const double inf = std::numeric_limits<double>::infinity();
    for (const double v : {1.0, -3.0, -inf}) {
        h.observe(v);  // <= 1: first bucket (upper bounds are inclusive)
    }
    h.observe(std::nextafter(1.0, 2.0));  // just above a bound: next bucket
    h.observe(2.0);
    h.observe(5.0);
    for (const double v :
         {std::nextafter(5.0, 6.0), inf, std::numeric_limits<double>::quiet_NaN()}) {
        h.observe(v);  // overflow (+Inf) bucket
    }
    EXPECT_EQ(std::vector<std::uint64_t>(h.bucket_counts().begin(), h.bucket_counts().end()),
              (std::vector<std::uint64_t>{3, 2, 1, 3}));
    EXPECT_EQ(h.cumulative_count(0), 3U);
    EXPECT_EQ(h.cumulative_count(1), 5U);
    EXPECT_EQ(h.cumulative_count(2), 6U);
    EXPECT_EQ(h.cumulative_count(3), 9U);
    EXPECT_EQ(h.count(), 9U);
    EXPECT_TRUE(std::isnan(h.sum()));
}

TEST(Histogram, SumAndCount) {
    Histogram h({10});
    h.observe(1.5);
    h.observe(2.5);
    EXPECT_EQ(h.count(), 2U);
    EXPECT_DOUBLE_EQ(h.sum(), 4.0);
}

TEST(Gauge, SetAddIncDec) {
    MetricsRegistry registry;
    Gauge& g = registry.gauge("sessions", "Active sessions.");
    g.set(10);
    g.add(-2.5);
    g.inc();
    g.dec();
    g.dec();
    EXPECT_DOUBLE_EQ(g.value(), 6.5);
    EXPECT_EQ(to_prometheus_text(registry),
              "# HELP sessions Active sessions.\n# TYPE sessions gauge\nsessions 6.5\n");
}

TEST(MetricsRegistry, SameSeriesReturnsSameObject) {
    MetricsRegistry registry;
    Counter& a = registry.counter("x_total", "X.", {{"a", "1"}, {"b", "2"}});
    Counter& b = registry.counter("x_total", "X.", {{"b", "2"}, {"a", "1"}});
    Counter& c = registry.counter("x_total", "X.", {{"a", "1"}, {"b", "3"}});
    EXPECT_EQ(&a, &b);
    EXPECT_NE(&a, &c);
    ASSERT_EQ(registry.families().size(), 1U);
    EXPECT_EQ(registry.families()[0].series.size(), 2U);
}

TEST(MetricsRegistry, ReferencesStayValidAsRegistryGrows) {
    MetricsRegistry registry;
    Counter& first = registry.counter("first_total", "First.");
    Histogram& hist = registry.histogram("first_seconds", "H.", {1});
    for (int i = 0; i < 500; ++i) {
        (void)registry.counter("c" + std::to_string(i) + "_total", "C.");
        (void)registry.gauge("g", "G.", {{"i", std::to_string(i)}});
    }
    first.add(7);
    hist.observe(3);
    EXPECT_EQ(registry.families().front().name, "first_total");
    EXPECT_EQ(std::get<std::unique_ptr<Counter>>(registry.families()[0].series[0].metric)->value(),
              7U);
    EXPECT_EQ(to_json(registry)["first_seconds"]["series"][0]["count"], 1);
}

TEST(MetricsRegistry, CounterAddsAndMovedRegistryKeepsReferences) {
    MetricsRegistry registry;
    Counter& c = registry.counter("packets_total", "Packets.");
    c.inc();
    c.add(41);
    MetricsRegistry moved = std::move(registry);
    c.inc();
    EXPECT_EQ(to_prometheus_text(moved),
              "# HELP packets_total Packets.\n# TYPE packets_total counter\npackets_total 43\n");
}

TEST(MetricNames, PrometheusRules) {
    EXPECT_TRUE(is_valid_metric_name("dns_queries_total"));
    EXPECT_TRUE(is_valid_metric_name(":recording:rule_1"));
    EXPECT_TRUE(is_valid_metric_name("_x"));
    EXPECT_FALSE(is_valid_metric_name(""));
    EXPECT_FALSE(is_valid_metric_name("1abc"));
    EXPECT_FALSE(is_valid_metric_name("a-b"));
    EXPECT_FALSE(is_valid_metric_name("a b"));
    EXPECT_FALSE(is_valid_metric_name("caf\xc3\xa9"));

    EXPECT_TRUE(is_valid_label_name("type"));
    EXPECT_TRUE(is_valid_label_name("_t1"));
    EXPECT_FALSE(is_valid_label_name(""));
    EXPECT_FALSE(is_valid_label_name("__name__"));
    EXPECT_FALSE(is_valid_label_name("a:b"));
    EXPECT_FALSE(is_valid_label_name("1a"));
}

TEST(MetricsRegistry, DefaultLatencyBucketsAreAccepted) {
    MetricsRegistry registry;
    Histogram& h = registry.histogram("latency_seconds", "L.", default_latency_buckets());
    EXPECT_EQ(h.bounds().size(), default_latency_buckets().size());
    EXPECT_EQ(h.bucket_counts().size(), h.bounds().size() + 1);
}

class MetricsRegistryDeathTest : public ::testing::Test {
protected:
    void SetUp() override { GTEST_FLAG_SET(death_test_style, "threadsafe"); }
    MetricsRegistry registry;
};

TEST_F(MetricsRegistryDeathTest, RejectsInvalidNames) {
    EXPECT_DEATH((void)registry.counter("1abc", "x"), "invalid metric name");
    EXPECT_DEATH((void)registry.gauge("a-b", "x"), "invalid metric name");
    EXPECT_DEATH((void)registry.counter("ok_total", "x", {{"__reserved", "v"}}),
                 "invalid label name");
    EXPECT_DEATH((void)registry.counter("ok_total", "x", {{"a", "1"}, {"a", "2"}}),
                 "duplicate label name");
    EXPECT_DEATH((void)registry.histogram("h", "x", {1}, {{"le", "1"}}), "le");
}

TEST_F(MetricsRegistryDeathTest, RejectsConflictingRegistration) {
    (void)registry.counter("x_total", "X.");
    EXPECT_DEATH((void)registry.gauge("x_total", "X."), "another type");
    EXPECT_DEATH((void)registry.counter("x_total", "Other."), "another help");
    (void)registry.histogram("h", "H.", {1, 2});
    EXPECT_DEATH((void)registry.histogram("h", "H.", {1, 3}), "other bounds");
    EXPECT_DEATH((void)registry.counter("h_count", "C."), "clashes");
}

TEST_F(MetricsRegistryDeathTest, RejectsBadBounds) {
    EXPECT_DEATH((void)registry.histogram("h1", "x", {}), "at least one");
    EXPECT_DEATH((void)registry.histogram("h2", "x", {1, 1}), "strictly increasing");
    EXPECT_DEATH((void)registry.histogram("h3", "x", {2, 1}), "strictly increasing");
    EXPECT_DEATH((void)registry.histogram("h4", "x", {1, std::numeric_limits<double>::infinity()}),
                 "finite");
}

}  // namespace
}  // namespace nfv::platform
