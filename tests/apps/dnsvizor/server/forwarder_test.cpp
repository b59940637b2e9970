#include "server/forwarder.hpp"

#include <chrono>
#include <set>

#include <gtest/gtest.h>

#include "nfv/platform/testing/manual_clock.hpp"
#include "nfv/platform/testing/seeded_random.hpp"

#include "server_test_util.hpp"

namespace nfv::dnsvizor::server {
namespace {

using namespace std::chrono_literals;
using net::dns::Rcode;
using test::a_record;
using test::question;

dns::Upstream upstream(const char* ip, std::uint16_t port = 53) {
    return dns::Upstream{*net::IpAddress::parse(ip), port, ""};
}

ClientAddress client(std::uint16_t port = 40000) {
    return ClientAddress{*net::IpAddress::parse("192.0.2.100"), port, false, 0, 0};
}

struct Harness {
    platform::testing::ManualClock clock;
    platform::testing::SeededRandom random{7};
    ForwarderConfig config;
    std::optional<Forwarder> forwarder;
    ForwarderOutput out;
    std::vector<dns::Upstream> servers{upstream("10.0.0.1"), upstream("10.0.0.2"),
                                       upstream("10.0.0.3")};

    explicit Harness(ForwardMode mode = ForwardMode::kStrictOrder) {
        config.mode = mode;
        forwarder.emplace(config, random);
    }
    void rebuild() { forwarder.emplace(config, random); }

    bool ask(const net::dns::Message& query, ClientAddress from = client()) {
        out.clear();
        return forwarder->forward(query, from, servers, clock.now(), out);
    }
    // Parses the idx-th upstream datagram of the last step.
    net::dns::Message sent(std::size_t idx = 0) {
        EXPECT_GT(out.to_upstreams.size(), idx);
        return test::parse(out.to_upstreams.at(idx).wire);
    }
    // An upstream answers `upstream_query` with `rcode` from `from`.
    void reply(const net::dns::Message& upstream_query, const dns::Upstream& from, Rcode rcode,
               std::vector<net::dns::ResourceRecord> answers = {}) {
        auto r = test::response(upstream_query.questions.at(0), rcode, std::move(answers), {},
                                upstream_query.header.id);
        out.clear();
        forwarder->on_upstream_datagram(test::wire(r), from, clock.now(), out);
    }
    void tick(platform::Duration step) {
        clock.advance(step);
        out.clear();
        forwarder->on_timeout(clock.now(), out);
    }
};

TEST(Forwarder, SendsFreshIdAndRestoresClientId) {
    Harness h;
    const auto q = test::query(question("www.example.com."), 0x4242);
    ASSERT_TRUE(h.ask(q));
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    EXPECT_EQ(h.out.to_upstreams[0].upstream, h.servers[0]);
    const auto up = h.sent();
    EXPECT_EQ(up.questions, q.questions);
    EXPECT_TRUE(up.header.rd);
    EXPECT_FALSE(up.edns);  // the client sent no EDNS: neither do we (dnsmasq 2.90)
    h.reply(up, h.servers[0], Rcode::kNoError, {a_record("www.example.com.", 60, {192, 0, 2, 1})});
    ASSERT_EQ(h.out.answers.size(), 1U);
    const auto& answer = h.out.answers[0];
    EXPECT_EQ(answer.reply.header.id, 0x4242);
    EXPECT_EQ(answer.client, client());
    EXPECT_TRUE(answer.from_upstream);
    EXPECT_EQ(answer.reply.answers.size(), 1U);
    EXPECT_FALSE(answer.reply.edns);  // the client sent no EDNS
    EXPECT_EQ(answer.size_limit, 512U);
    EXPECT_EQ(h.forwarder->pending(), 0U);
}

TEST(Forwarder, QueryFromATcpClientIsForwardedOverTcpAndItsReplyAnswersWhole) {
    Harness h;
    ClientAddress tcp_client = client();
    tcp_client.over_tcp = true;
    tcp_client.connection = 7;
    ASSERT_TRUE(h.ask(test::query(question("big.example."), 0x77), tcp_client));
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    EXPECT_TRUE(h.out.to_upstreams[0].over_tcp);
    EXPECT_EQ(h.forwarder->stats().tcp_queries, 1U);
    // A reply larger than any UDP size: the TCP client gets all of it.
    std::vector<net::dns::ResourceRecord> many;
    for (int i = 0; i < 200; ++i) {
        many.push_back(a_record(
            "big.example.", 60,
            {10, 0, static_cast<std::uint8_t>(i / 256), static_cast<std::uint8_t>(i % 256)}));
    }
    h.reply(h.sent(), h.servers[0], Rcode::kNoError, many);
    ASSERT_EQ(h.out.answers.size(), 1U);
    EXPECT_EQ(h.out.answers[0].client, tcp_client);
    EXPECT_EQ(h.out.answers[0].reply.header.id, 0x77);
    EXPECT_EQ(h.out.answers[0].reply.answers.size(), 200U);
    EXPECT_EQ(h.out.answers[0].size_limit, net::dns::kMaxMessageSize);
}

TEST(Forwarder, TcpQueryRetriesAndServerMovesStayOnTcpWhileUdpQueriesStayOnUdp) {
    Harness h;
    ClientAddress tcp_client = client();
    tcp_client.over_tcp = true;
    tcp_client.connection = 3;
    ASSERT_TRUE(h.ask(test::query(question("t.example."), 1), tcp_client));
    const auto first = h.sent();
    h.reply(first, h.servers[0], Rcode::kRefused);
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    EXPECT_TRUE(h.out.to_upstreams[0].over_tcp);
    EXPECT_EQ(h.out.to_upstreams[0].upstream, h.servers[1]);
    h.tick(h.config.retry_interval);
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    EXPECT_TRUE(h.out.to_upstreams[0].over_tcp);
    ASSERT_TRUE(h.ask(test::query(question("u.example."), 2), client(40001)));
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    EXPECT_FALSE(h.out.to_upstreams[0].over_tcp);
    EXPECT_EQ(h.forwarder->stats().tcp_queries, 3U);
}

TEST(Forwarder, ClientsEdnsSizeIsPassedUpstreamCappedAtEdnsPacketMax) {
    Harness h;
    const auto with_size = [](std::uint16_t size, bool dnssec_ok) {
        auto q = test::query(question("s.example."), size);
        net::dns::Edns edns;
        edns.udp_payload_size = size;
        edns.dnssec_ok = dnssec_ok;
        q.edns = edns;
        return q;
    };
    ASSERT_TRUE(h.ask(with_size(512, false), client(1)));
    ASSERT_TRUE(h.sent().edns);
    EXPECT_EQ(h.sent().edns->udp_payload_size, 512);
    ASSERT_TRUE(h.ask(with_size(100, true), client(2)));  // RFC 6891 §6.2.5: counts as 512
    EXPECT_EQ(h.sent().edns->udp_payload_size, 512);
    EXPECT_TRUE(h.sent().edns->dnssec_ok);
    ASSERT_TRUE(h.ask(with_size(4096, false), client(3)));
    EXPECT_EQ(h.sent().edns->udp_payload_size, 1232);  // edns-packet-max
    ASSERT_TRUE(h.ask(with_size(1000, false), client(4)));
    EXPECT_EQ(h.sent().edns->udp_payload_size, 1000);
}

TEST(Forwarder, TruncatedUpstreamReplyForAUdpClientIsPassedOnWithTc) {
    Harness h;
    ASSERT_TRUE(h.ask(test::query(question("many.example."), 9)));
    const auto up = h.sent();
    auto r = test::response(up.questions.at(0), Rcode::kNoError, {}, {}, up.header.id);
    r.header.tc = true;
    h.out.clear();
    h.forwarder->on_upstream_datagram(test::wire(r), h.servers[0], h.clock.now(), h.out);
    ASSERT_EQ(h.out.answers.size(), 1U);
    EXPECT_TRUE(h.out.answers[0].reply.header.tc);
    EXPECT_TRUE(h.out.to_upstreams.empty());  // no TCP retry for a UDP client (dnsmasq 2.90)
}

TEST(Forwarder, UpstreamIdsAreRandomAndDistinct) {
    Harness h;
    std::set<std::uint16_t> ids;
    for (std::uint16_t i = 0; i < 100; ++i) {
        ASSERT_TRUE(h.ask(test::query(question("a.example."), i),
                          client(static_cast<std::uint16_t>(1000 + i))));
        ids.insert(h.sent().header.id);
    }
    EXPECT_EQ(ids.size(), 100U);
}

TEST(Forwarder, ReplyWithWrongSourceQuestionOrIdIsDropped) {
    Harness h;
    ASSERT_TRUE(h.ask(test::query(question("a.example."))));
    const auto up = h.sent();
    h.reply(up, upstream("10.0.0.9"), Rcode::kNoError);  // not a server we asked
    EXPECT_TRUE(h.out.answers.empty());
    h.reply(up, upstream("10.0.0.2"), Rcode::kNoError);  // a server, but not asked yet
    EXPECT_TRUE(h.out.answers.empty());
    h.reply(up, upstream("10.0.0.1", 5353), Rcode::kNoError);  // wrong port
    EXPECT_TRUE(h.out.answers.empty());
    auto wrong_question = up;
    wrong_question.questions[0] = question("b.example.");
    h.reply(wrong_question, h.servers[0], Rcode::kNoError);
    EXPECT_TRUE(h.out.answers.empty());
    auto wrong_id = up;
    wrong_id.header.id = static_cast<std::uint16_t>(up.header.id + 1);
    h.reply(wrong_id, h.servers[0], Rcode::kNoError);
    EXPECT_TRUE(h.out.answers.empty());
    EXPECT_EQ(h.forwarder->stats().mismatched, 5U);
    h.reply(up, h.servers[0], Rcode::kNoError);  // the real one still gets through
    EXPECT_EQ(h.out.answers.size(), 1U);
}

TEST(Forwarder, MalformedUpstreamDatagramIsCounted) {
    Harness h;
    ASSERT_TRUE(h.ask(test::query(question("a.example."))));
    std::vector<std::byte> junk(5, std::byte{0xff});
    h.out.clear();
    h.forwarder->on_upstream_datagram(junk, h.servers[0], h.clock.now(), h.out);
    EXPECT_EQ(h.forwarder->stats().malformed, 1U);
    EXPECT_EQ(h.forwarder->pending(), 1U);
}

TEST(Forwarder, RefusedMovesToNextServerAndAllFailedPassesTheLastReplyOn) {
    Harness h;
    ASSERT_TRUE(h.ask(test::query(question("a.example."), 77)));
    const auto up = h.sent();
    h.reply(up, h.servers[0], Rcode::kRefused);
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    EXPECT_EQ(h.out.to_upstreams[0].upstream, h.servers[1]);
    h.reply(up, h.servers[1], Rcode::kServFail);
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    EXPECT_EQ(h.out.to_upstreams[0].upstream, h.servers[2]);
    h.reply(up, h.servers[2], Rcode::kRefused);
    ASSERT_EQ(h.out.answers.size(), 1U);
    EXPECT_EQ(h.out.answers[0].upstream, h.servers[2]);
    EXPECT_EQ(h.out.answers[0].reply.rcode(), static_cast<std::uint16_t>(Rcode::kRefused));
    EXPECT_EQ(h.out.answers[0].reply.header.id, 77);
    EXPECT_EQ(h.forwarder->stats().all_failed, 1U);
    EXPECT_EQ(h.forwarder->upstream_stats().at("10.0.0.1#53").failed, 1U);
}

TEST(Forwarder, TimeoutRetriesNextServerThenDropsAfterGiveUp) {
    Harness h;
    ASSERT_TRUE(h.ask(test::query(question("a.example."))));
    ASSERT_EQ(h.forwarder->next_deadline(), h.clock.now() + 1s);
    h.tick(1s);
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    EXPECT_EQ(h.out.to_upstreams[0].upstream, h.servers[1]);
    h.tick(1s);
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    EXPECT_EQ(h.out.to_upstreams[0].upstream, h.servers[2]);
    h.tick(1s);
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    EXPECT_EQ(h.out.to_upstreams[0].upstream, h.servers[0]);
    for (int i = 0; i < 20 && h.forwarder->pending() > 0; ++i) {
        h.tick(1s);
        EXPECT_TRUE(h.out.answers.empty());
    }
    EXPECT_EQ(h.forwarder->pending(), 0U);
    EXPECT_EQ(h.forwarder->stats().timeouts, 1U);
    EXPECT_FALSE(h.forwarder->next_deadline());
}

TEST(Forwarder, LateReplyFromEarlierServerStillAnswers) {
    Harness h;
    ASSERT_TRUE(h.ask(test::query(question("a.example."))));
    const auto up = h.sent();
    h.tick(1s);  // retried on server 2
    h.reply(up, h.servers[0], Rcode::kNoError);
    EXPECT_EQ(h.out.answers.size(), 1U);
}

TEST(Forwarder, StrictOrderAlwaysStartsWithTheFirstServer) {
    Harness h(ForwardMode::kStrictOrder);
    ASSERT_TRUE(h.ask(test::query(question("a.example."), 1)));
    const auto up = h.sent();
    h.reply(up, h.servers[0], Rcode::kRefused);
    h.reply(up, h.servers[1], Rcode::kNoError);
    ASSERT_TRUE(h.ask(test::query(question("b.example."), 2)));
    EXPECT_EQ(h.out.to_upstreams.at(0).upstream, h.servers[0]);
}

TEST(Forwarder, AllServersSendsToEveryServerAndFirstReplyWins) {
    Harness h(ForwardMode::kAllServers);
    ASSERT_TRUE(h.ask(test::query(question("a.example."))));
    ASSERT_EQ(h.out.to_upstreams.size(), 3U);
    const auto up = h.sent();
    h.reply(up, h.servers[2], Rcode::kNoError);
    EXPECT_EQ(h.out.answers.size(), 1U);
    h.reply(up, h.servers[0], Rcode::kNoError);
    EXPECT_TRUE(h.out.answers.empty());
}

TEST(Forwarder, AllServersWaitsForEveryFailureBeforeServfail) {
    Harness h(ForwardMode::kAllServers);
    ASSERT_TRUE(h.ask(test::query(question("a.example."))));
    const auto up = h.sent();
    h.reply(up, h.servers[0], Rcode::kRefused);
    h.reply(up, h.servers[1], Rcode::kRefused);
    EXPECT_TRUE(h.out.answers.empty());
    h.reply(up, h.servers[2], Rcode::kNoError);
    ASSERT_EQ(h.out.answers.size(), 1U);
    EXPECT_TRUE(h.out.answers[0].from_upstream);
}

TEST(Forwarder, LastGoodServerIsPreferredAndAllAreReprobed) {
    Harness h(ForwardMode::kLastGood);
    ASSERT_TRUE(h.ask(test::query(question("a.example."), 1)));
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    EXPECT_EQ(h.out.to_upstreams[0].upstream, h.servers[0]);
    auto up = h.sent();
    h.reply(up, h.servers[0], Rcode::kRefused);
    h.reply(up, h.servers[1], Rcode::kNoError);  // server 2 becomes the last good one
    for (std::uint16_t i = 2; i < 50; ++i) {
        ASSERT_TRUE(h.ask(test::query(question("a.example."), i)));
        ASSERT_EQ(h.out.to_upstreams.size(), 1U);
        EXPECT_EQ(h.out.to_upstreams[0].upstream, h.servers[1]);
        h.reply(h.sent(), h.servers[1], Rcode::kNoError);
    }
    ASSERT_TRUE(h.ask(test::query(question("a.example."), 50)));  // 50th query: probe all
    EXPECT_EQ(h.out.to_upstreams.size(), 3U);
    h.reply(h.sent(), h.servers[2], Rcode::kNoError);
    ASSERT_TRUE(h.ask(test::query(question("a.example."), 51)));
    ASSERT_EQ(h.out.to_upstreams.size(), 1U);
    EXPECT_EQ(h.out.to_upstreams[0].upstream, h.servers[2]);
    h.reply(h.sent(), h.servers[2], Rcode::kNoError);
    h.clock.advance(21s);  // time-based probe
    ASSERT_TRUE(h.ask(test::query(question("a.example."), 52)));
    EXPECT_EQ(h.out.to_upstreams.size(), 3U);
}

TEST(Forwarder, DropsQueriesBeyondForwardMax) {
    Harness h;
    h.config.max_pending = 2;
    h.rebuild();
    EXPECT_TRUE(h.ask(test::query(question("a.example."), 1)));
    EXPECT_TRUE(h.ask(test::query(question("a.example."), 2)));
    EXPECT_FALSE(h.ask(test::query(question("a.example."), 3)));
    EXPECT_TRUE(h.out.to_upstreams.empty());
    EXPECT_EQ(h.forwarder->stats().dropped_limit, 1U);
}

TEST(Forwarder, ClientRetryIsResentToServersThatHaveNotFailed) {
    Harness h;
    const auto q = test::query(question("a.example."), 9);
    ASSERT_TRUE(h.ask(q));
    const auto first_id = h.sent().header.id;
    ASSERT_TRUE(h.ask(q));
    ASSERT_EQ(h.out.to_upstreams.size(), 3U);
    EXPECT_EQ(h.sent().header.id, first_id);
    EXPECT_EQ(h.forwarder->pending(), 1U);
}

TEST(Forwarder, ClientEdnsSizeIsCappedAndTcpIsUnlimited) {
    Harness h;
    auto q = test::query(question("a.example."), 5);
    q.edns = net::dns::Edns{};
    q.edns->udp_payload_size = 4096;
    q.edns->dnssec_ok = true;
    ASSERT_TRUE(h.ask(q));
    const auto up = h.sent();
    EXPECT_TRUE(up.edns->dnssec_ok);
    h.reply(up, h.servers[0], Rcode::kNoError);
    ASSERT_EQ(h.out.answers.size(), 1U);
    EXPECT_EQ(h.out.answers[0].size_limit, 1232U);
    ASSERT_TRUE(h.out.answers[0].reply.edns);
    EXPECT_EQ(h.out.answers[0].reply.edns->udp_payload_size, 1232);

    auto tcp_client = client();
    tcp_client.over_tcp = true;
    tcp_client.connection = 3;
    ASSERT_TRUE(h.ask(test::query(question("b.example."), 6), tcp_client));
    h.reply(h.sent(), h.servers[0], Rcode::kNoError);
    ASSERT_EQ(h.out.answers.size(), 1U);
    EXPECT_EQ(h.out.answers[0].size_limit, net::dns::kMaxMessageSize);
    EXPECT_EQ(h.out.answers[0].client.connection, 3U);
}

}  // namespace
}  // namespace nfv::dnsvizor::server
