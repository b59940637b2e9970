#include "server/query_engine.hpp"

#include <chrono>

#include <gtest/gtest.h>

#include "nfv/platform/testing/manual_clock.hpp"
#include "nfv/platform/testing/seeded_random.hpp"

#include "fake_resolver.hpp"
#include "server_test_util.hpp"

namespace nfv::dnsvizor::server {
namespace {

using namespace std::chrono_literals;
using net::dns::Rcode;
using test::question;

struct Harness {
    platform::testing::ManualClock clock;
    platform::testing::SeededRandom random{11};
    platform::MetricsRegistry metrics;
    platform::MemorySink sink;
    platform::Logger log{sink, clock, "dnsmasq"};
    test::FakeResolver resolver;
    dns::DnsSettings settings;
    std::optional<QueryEngine> engine;
    EngineOutput out;
    dns::Upstream server{*net::IpAddress::parse("10.0.0.1"), 53, ""};
    ClientAddress client{*net::IpAddress::parse("192.0.2.7"), 5353, false, 0, 0};

    Harness() {
        resolver.upstreams = {server};
        build();
    }
    void build() { engine.emplace(settings, resolver, random, metrics, log); }
    void ask(const net::dns::Message& q) {
        engine->on_client_message(test::wire(q), client, clock.now(), out);
    }
    void upstream_answers(std::vector<net::dns::ResourceRecord> answers,
                          Rcode rcode = Rcode::kNoError) {
        ASSERT_EQ(out.to_upstreams.size(), 1U);
        const auto up = test::parse(out.to_upstreams[0].wire);
        auto r = test::response(up.questions.at(0), rcode, std::move(answers), {}, up.header.id);
        engine->on_upstream_datagram(test::wire(r), server, clock.now(), out);
    }
    net::dns::Message client_reply() {
        EXPECT_EQ(out.to_clients.size(), 1U);
        if (out.to_clients.empty()) {
            return {};
        }
        EXPECT_EQ(out.to_clients[0].client, client);
        return test::parse(out.to_clients[0].wire);
    }
};

TEST(QueryEngine, LocalDataIsAnsweredWithoutForwarding) {
    Harness h;
    h.ask(test::query(question("host.local.test."), 0x77));
    EXPECT_TRUE(h.out.to_upstreams.empty());
    const auto reply = h.client_reply();
    EXPECT_EQ(reply.header.id, 0x77);
    EXPECT_TRUE(reply.header.qr);
    ASSERT_EQ(reply.answers.size(), 1U);
    EXPECT_EQ(h.engine->stats().answered_locally, 1U);
}

TEST(QueryEngine, ForwardedAnswerIsCachedAndServedFromCache) {
    Harness h;
    h.ask(test::query(question("www.example."), 1));
    EXPECT_TRUE(h.out.to_clients.empty());
    h.upstream_answers({test::a_record("www.example.", 300, {192, 0, 2, 1})});
    auto reply = h.client_reply();
    EXPECT_EQ(reply.header.id, 1);
    ASSERT_EQ(reply.answers.size(), 1U);

    h.clock.advance(10s);
    h.ask(test::query(question("WWW.example."), 2));
    EXPECT_TRUE(h.out.to_upstreams.empty());
    reply = h.client_reply();
    EXPECT_EQ(reply.header.id, 2);
    EXPECT_TRUE(reply.header.ra);
    ASSERT_EQ(reply.answers.size(), 1U);
    EXPECT_EQ(reply.answers[0].ttl, 290U);
    EXPECT_EQ(h.engine->stats().cache_hits, 1U);
    EXPECT_EQ(
        h.metrics.counter("dnsvizor_cache_hits_total", "Queries answered from the cache").value(),
        1U);
}

// The fast path (a hit the resolver confirmed in its current decision generation) answers
// without the resolver and sends the very bytes the general path sends, with and without EDNS,
// echoing the question as asked.
TEST(QueryEngine, RepeatHitsSkipTheResolverAndSendTheSameBytes) {
    Harness h;
    h.resolver.generation = 1;
    h.ask(test::query(question("www.example."), 1));
    h.upstream_answers({test::cname_record("www.example.", 300, "web.example."),
                        test::a_record("web.example.", 300, {192, 0, 2, 1})});
    ASSERT_EQ(h.client_reply().answers.size(), 2U);
    h.clock.advance(10s);
    auto edns_query = test::query(question("WWW.Example."), 7);
    edns_query.edns = net::dns::Edns{};
    edns_query.edns->udp_payload_size = 4096;
    std::uint64_t generation = 1;
    for (const auto& asked : {test::query(question("WWW.Example."), 7), edns_query}) {
        // The general path in a new generation (the resolver is asked; the hit confirms it)...
        h.resolver.generation = ++generation;
        const int calls = h.resolver.calls;
        h.ask(asked);
        EXPECT_EQ(h.resolver.calls, calls + 1);
        ASSERT_EQ(h.out.to_clients.size(), 1U);
        const auto general = h.out.to_clients[0].wire;
        // ...then the fast path.
        h.ask(asked);
        EXPECT_EQ(h.resolver.calls, calls + 1) << "answered without the resolver";
        ASSERT_EQ(h.out.to_clients.size(), 1U);
        EXPECT_EQ(h.out.to_clients[0].client, h.client);
        EXPECT_EQ(h.out.to_clients[0].wire, general) << asked.edns.has_value();
        const auto reply = h.client_reply();
        EXPECT_TRUE(reply.questions.at(0).name.identical(test::name("WWW.Example.")));
        EXPECT_EQ(reply.answers.at(0).ttl, 290U);
        EXPECT_EQ(reply.edns.has_value(), asked.edns.has_value());
        if (reply.edns) {
            EXPECT_EQ(reply.edns->udp_payload_size, net::dns::kDefaultEdnsUdpSize);
        }
    }
    EXPECT_EQ(h.engine->stats().cache_hits, 4U);
    EXPECT_EQ(
        h.metrics.counter("dnsvizor_cache_hits_total", "Queries answered from the cache").value(),
        4U);
}

// A lease or reloaded hosts file (a new decision generation) may now answer a name locally: the
// resolver is asked again before the cache answers.
TEST(QueryEngine, NewDecisionGenerationAsksTheResolverAgain) {
    Harness h;
    h.resolver.generation = 1;
    h.ask(test::query(question("www.example.")));
    h.upstream_answers({test::a_record("www.example.", 300, {192, 0, 2, 1})});
    h.ask(test::query(question("www.example.")));
    h.ask(test::query(question("www.example.")));
    EXPECT_EQ(h.resolver.calls, 2) << "the first hit confirms, the second skips the resolver";
    h.resolver.generation = 2;
    h.ask(test::query(question("www.example.")));
    EXPECT_EQ(h.resolver.calls, 3);
    h.ask(test::query(question("www.example.")));
    EXPECT_EQ(h.resolver.calls, 3);
    EXPECT_EQ(h.client_reply().answers.size(), 1U);
}

// What the fast path leaves alone: an answer too big for the client's UDP size is cut by the
// general path (TC); RD clear is forwarded; log-queries logs every hit.
TEST(QueryEngine, FastPathLeavesTruncationRdClearAndLoggingToTheGeneralPath) {
    Harness h;
    h.resolver.generation = 1;
    h.ask(test::query(question("big.example.")));
    std::vector<net::dns::ResourceRecord> many;
    for (std::uint8_t i = 0; i < 60; ++i) {
        many.push_back(test::a_record("big.example.", 300, {192, 0, 2, i}));
    }
    h.upstream_answers(many);
    h.client.over_tcp = true;
    h.ask(test::query(question("big.example.")));  // confirms
    h.ask(test::query(question("big.example.")));  // fast
    EXPECT_EQ(h.resolver.calls, 2);
    EXPECT_EQ(h.client_reply().answers.size(), 60U);
    h.client.over_tcp = false;
    h.ask(test::query(question("big.example.")));
    EXPECT_EQ(h.resolver.calls, 3) << "too big for 512 bytes: the general path";
    const auto udp = h.client_reply();
    EXPECT_TRUE(udp.header.tc);
    EXPECT_LE(h.out.to_clients.at(0).wire.size(), 512U);

    auto no_rd = test::query(question("big.example."));
    no_rd.header.rd = false;
    h.ask(no_rd);
    EXPECT_EQ(h.out.to_upstreams.size(), 1U);

    h.settings.log.log_queries = true;
    h.build();
    h.client.over_tcp = true;
    h.ask(test::query(question("big.example.")));
    h.upstream_answers(many);
    h.ask(test::query(question("big.example.")));
    h.ask(test::query(question("big.example.")));
    std::size_t cached_lines = 0;
    for (const auto& line : h.sink.lines()) {
        cached_lines += line.find("cached big.example is") != std::string::npos ? 1U : 0U;
    }
    EXPECT_EQ(cached_lines, 2U);
}

TEST(QueryEngine, LocalDataShadowsTheCache) {
    Harness h;
    h.ask(test::query(question("a.local.test.")));
    h.ask(test::query(question("a.local.test.")));
    EXPECT_EQ(h.resolver.calls, 2);
    EXPECT_EQ(h.engine->stats().cache_hits, 0U);
}

TEST(QueryEngine, MalformedAndResponsesAreDroppedAndCounted) {
    Harness h;
    std::vector<std::byte> junk(7, std::byte{1});
    h.engine->on_client_message(junk, h.client, h.clock.now(), h.out);
    EXPECT_TRUE(h.out.to_clients.empty());
    auto not_a_query = test::response(question("a.example."), Rcode::kNoError);
    h.ask(not_a_query);
    EXPECT_TRUE(h.out.to_clients.empty());
    EXPECT_EQ(h.engine->stats().malformed, 2U);
    EXPECT_EQ(h.resolver.calls, 0);
}

TEST(QueryEngine, OtherOpcodesGetNotImpAndTwoQuestionsFormErr) {
    Harness h;
    auto notify = test::query(question("a.example."));
    notify.header.opcode = net::dns::Opcode::kNotify;
    h.ask(notify);
    EXPECT_EQ(h.client_reply().rcode(), static_cast<std::uint16_t>(Rcode::kNotImp));
    auto two = test::query(question("a.example."));
    two.questions.push_back(question("b.example."));
    h.ask(two);
    EXPECT_EQ(h.client_reply().rcode(), static_cast<std::uint16_t>(Rcode::kFormErr));
    auto zero = test::query(question("a.example."));
    zero.questions.clear();
    h.ask(zero);
    EXPECT_EQ(h.client_reply().rcode(), static_cast<std::uint16_t>(Rcode::kFormErr));
}

TEST(QueryEngine, UnknownEdnsVersionGetsBadvers) {
    Harness h;
    auto q = test::query(question("a.example."));
    q.edns = net::dns::Edns{};
    q.edns->version = 1;
    h.ask(q);
    const auto reply = h.client_reply();
    EXPECT_EQ(reply.rcode(), static_cast<std::uint16_t>(Rcode::kBadVers));
    EXPECT_TRUE(reply.edns);
}

TEST(QueryEngine, LargeUdpAnswerIsTruncatedWithTcAndWholeOverTcp) {
    Harness h;
    h.resolver.local_records = 60;  // 60 * 16+ bytes > 512
    h.ask(test::query(question("big.local.test.")));
    const auto udp = h.client_reply();
    EXPECT_TRUE(udp.header.tc);
    EXPECT_LE(h.out.to_clients[0].wire.size(), 512U);
    EXPECT_LT(udp.answers.size(), 60U);
    EXPECT_FALSE(udp.answers.empty());  // whole records that fit, as dnsmasq sends them

    h.client.over_tcp = true;
    h.ask(test::query(question("big.local.test.")));
    const auto tcp = h.client_reply();
    EXPECT_FALSE(tcp.header.tc);
    EXPECT_EQ(tcp.answers.size(), 60U);
}

TEST(QueryEngine, RdClearAndDoBitQueriesBypassTheCache) {
    Harness h;
    h.ask(test::query(question("www.example."), 1));
    h.upstream_answers({test::a_record("www.example.", 300, {198, 51, 100, 1})});
    ASSERT_EQ(h.client_reply().answers.size(), 1U);

    auto no_rd = test::query(question("www.example."), 2);
    no_rd.header.rd = false;
    h.ask(no_rd);
    EXPECT_EQ(h.out.to_upstreams.size(), 1U) << "RD=0 is forwarded (no cache snooping)";
    EXPECT_TRUE(h.out.to_clients.empty());

    h.out.clear();
    auto with_do = test::query(question("www.example."), 3);
    with_do.edns = net::dns::Edns{};
    with_do.edns->dnssec_ok = true;
    h.ask(with_do);
    EXPECT_EQ(h.out.to_upstreams.size(), 1U) << "DO=1 is forwarded";
    EXPECT_EQ(h.engine->stats().cache_hits, 0U);

    h.out.clear();
    h.ask(test::query(question("www.example."), 4));
    EXPECT_TRUE(h.out.to_upstreams.empty());
    EXPECT_EQ(h.engine->stats().cache_hits, 1U);
}

TEST(QueryEngine, StopDnsRebindEmptiesPrivateAnswersAndDoesNotCacheThem) {
    Harness h;
    h.settings.upstream.stop_dns_rebind = true;
    h.build();
    h.ask(test::query(question("evil.example."), 1));
    h.upstream_answers({test::a_record("evil.example.", 300, {192, 168, 1, 1})});
    const auto reply = h.client_reply();
    EXPECT_EQ(reply.rcode(), static_cast<std::uint16_t>(Rcode::kNoError));
    EXPECT_TRUE(reply.answers.empty());

    h.out.clear();
    h.ask(test::query(question("evil.example."), 2));
    EXPECT_EQ(h.out.to_upstreams.size(), 1U) << "a doctored answer is not cached";
}

TEST(QueryEngine, TruncatedReplyWithPrivateAddressesKeepsTcUnderStopDnsRebind) {
    Harness h;
    h.settings.upstream.stop_dns_rebind = true;
    h.build();
    h.ask(test::query(question("evil.example."), 1));
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    const auto up = test::parse(h.out.to_upstreams[0].wire);
    auto r =
        test::response(up.questions.at(0), Rcode::kNoError,
                       {test::a_record("evil.example.", 300, {192, 168, 1, 1})}, {}, up.header.id);
    r.header.tc = true;
    h.engine->on_upstream_datagram(test::wire(r), h.server, h.clock.now(), h.out);
    const auto reply = h.client_reply();
    EXPECT_TRUE(reply.header.tc);  // passed on as dnsmasq does, not doctored (TC cleared)
    EXPECT_TRUE(reply.answers.empty());
}

TEST(QueryEngine, UpstreamTruncatedReplyReachesTheClientWithoutRecords) {
    Harness h;
    h.ask(test::query(question("big.example."), 1));
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    const auto up = test::parse(h.out.to_upstreams[0].wire);
    auto r =
        test::response(up.questions.at(0), Rcode::kNoError,
                       {test::a_record("big.example.", 300, {198, 51, 100, 1})}, {}, up.header.id);
    r.header.tc = true;
    h.engine->on_upstream_datagram(test::wire(r), h.server, h.clock.now(), h.out);
    const auto reply = h.client_reply();
    EXPECT_TRUE(reply.header.tc);
    EXPECT_TRUE(reply.answers.empty());
}

TEST(QueryEngine, EdnsClientGetsOurPacketSize) {
    Harness h;
    auto q = test::query(question("x.local.test."));
    q.edns = net::dns::Edns{};
    q.edns->udp_payload_size = 4096;
    h.ask(q);
    const auto reply = h.client_reply();
    ASSERT_TRUE(reply.edns);
    EXPECT_EQ(reply.edns->udp_payload_size, 1232);
}

TEST(QueryEngine, UpstreamRefusedIsCountedPerServer) {
    Harness h;
    h.ask(test::query(question("a.example."), 3));
    h.upstream_answers({}, Rcode::kRefused);
    EXPECT_EQ(h.client_reply().rcode(), static_cast<std::uint16_t>(Rcode::kRefused));
    EXPECT_EQ(
        h.metrics
            .counter("dnsvizor_upstream_errors_total",
                     "REFUSED or SERVFAIL replies per upstream server", {{"server", "10.0.0.1#53"}})
            .value(),
        1U);
}

TEST(QueryEngine, TimeoutRetriesThroughNextDeadline) {
    Harness h;
    h.ask(test::query(question("a.example.")));
    const auto deadline = h.engine->next_deadline();
    ASSERT_TRUE(deadline);
    h.clock.advance(*deadline - h.clock.now());
    h.engine->on_timeout(h.clock.now(), h.out);
    EXPECT_EQ(h.out.to_upstreams.size(), 1U);  // the only server, again
}

TEST(QueryEngine, LogQueriesWritesDnsmasqStyleLines) {
    Harness h;
    h.settings.log.log_queries = true;
    h.build();
    h.ask(test::query(question("www.example.")));
    h.upstream_answers({test::a_record("www.example.", 300, {192, 0, 2, 1})});
    h.ask(test::query(question("www.example.")));
    h.ask(test::query(question("h.local.test.")));
    std::string all;
    for (const auto& line : h.sink.lines()) {
        all += line + "\n";
    }
    EXPECT_NE(all.find("query[A] www.example from 192.0.2.7"), std::string::npos) << all;
    EXPECT_NE(all.find("forwarded www.example to 10.0.0.1"), std::string::npos) << all;
    EXPECT_NE(all.find("reply www.example is 192.0.2.1"), std::string::npos) << all;
    EXPECT_NE(all.find("cached www.example is 192.0.2.1"), std::string::npos) << all;
    EXPECT_NE(all.find("config h.local.test is 10.53.0.1"), std::string::npos) << all;
}

TEST(QueryEngine, StatisticsLinesNameServersAndCounts) {
    Harness h;
    h.ask(test::query(question("www.example.")));
    h.upstream_answers({test::a_record("www.example.", 300, {192, 0, 2, 1})});
    const auto lines = h.engine->statistics_lines(platform::WallTime{1700000000});
    std::string all;
    for (const auto& line : lines) {
        all += line + "\n";
    }
    EXPECT_NE(all.find("queries forwarded 1, queries answered locally 0"), std::string::npos)
        << all;
    EXPECT_NE(all.find("server 10.0.0.1#53: queries sent 1, retried 0, failed 0"),
              std::string::npos)
        << all;
}

}  // namespace
}  // namespace nfv::dnsvizor::server
