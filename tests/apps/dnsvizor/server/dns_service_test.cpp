#include "server/dns_service.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/platform/clock.hpp"
#include "nfv/platform/io/tcp_listener.hpp"
#include "nfv/platform/testing/seeded_random.hpp"

#include "fake_resolver.hpp"
#include "server_test_util.hpp"

namespace nfv::dnsvizor::server {
namespace {

using namespace std::chrono_literals;
using platform::io::ReceivedDatagram;
using platform::io::SocketAddress;
using platform::io::UdpSocket;

// A port that was free a moment ago (port 0 means "no DNS" in dnsmasq's settings, so the
// service cannot ask the kernel for one).
std::uint16_t free_port(platform::io::EventLoop& loop) {
    auto probe = UdpSocket::bind(loop, *SocketAddress::parse("127.0.0.1", 0), {}, [](auto) {});
    return probe ? (*probe)->local_address().port() : 0;
}

struct Fixture {
    platform::SystemClock clock;
    std::unique_ptr<platform::io::EventLoop> loop;
    platform::testing::SeededRandom random{3};
    platform::MetricsRegistry metrics;
    platform::MemorySink sink;
    platform::Logger log{sink, clock, "dnsmasq"};
    test::FakeResolver resolver;
    dns::DnsSettings settings;
    std::unique_ptr<DnsService> service;
    // The fake upstream: answers every A query with 192.0.2.1, TTL 300.
    std::unique_ptr<UdpSocket> upstream;
    int upstream_queries = 0;
    // The same upstream on TCP (same port): answers "big.example." with 200 A records, which
    // its UDP side answers with TC and no records, as a real server with EDNS 1232 does.
    std::unique_ptr<platform::io::TcpListener> upstream_tcp;
    std::vector<std::unique_ptr<platform::io::TcpStream>> upstream_streams;
    std::vector<std::unique_ptr<net::dns::TcpFrameSplitter>> upstream_splitters;
    int upstream_tcp_queries = 0;
    // The client.
    std::unique_ptr<UdpSocket> client;
    std::vector<net::dns::Message> replies;

    Fixture() {
        auto created = platform::io::EventLoop::create(clock);
        EXPECT_TRUE(created);
        loop = std::move(*created);
        auto up = UdpSocket::bind(*loop, *SocketAddress::parse("127.0.0.1", 0), {},
                                  [this](std::span<const ReceivedDatagram> batch) {
                                      for (const auto& d : batch) {
                                          answer_upstream(d);
                                      }
                                  });
        EXPECT_TRUE(up);
        upstream = std::move(*up);
        resolver.upstreams = {dns::Upstream{*net::IpAddress::parse("127.0.0.1"),
                                            upstream->local_address().port(), ""}};
        auto listener = platform::io::TcpListener::listen(
            *loop, upstream->local_address(), {},
            [this](platform::io::UniqueFd fd, const SocketAddress&) {
                accept_upstream(std::move(fd));
            });
        EXPECT_TRUE(listener);
        if (listener) {
            upstream_tcp = std::move(*listener);
        }
        auto c = UdpSocket::bind(*loop, *SocketAddress::parse("127.0.0.1", 0), {},
                                 [this](std::span<const ReceivedDatagram> batch) {
                                     for (const auto& d : batch) {
                                         replies.push_back(test::parse(d.payload));
                                     }
                                 });
        EXPECT_TRUE(c);
        client = std::move(*c);
        settings.listen.listen_addresses = {*net::IpAddress::parse("127.0.0.1")};
    }

    static net::dns::Message upstream_answer(const net::dns::Message& q, bool over_tcp) {
        const auto owner = q.questions[0].name.to_text();
        if (owner != "big.example.") {
            return test::response(q.questions[0], net::dns::Rcode::kNoError,
                                  {test::a_record(owner, 300, {192, 0, 2, 1})}, {}, q.header.id);
        }
        auto r = test::response(q.questions[0], net::dns::Rcode::kNoError, {}, {}, q.header.id);
        if (!over_tcp) {
            r.header.tc = true;
            return r;
        }
        for (int i = 0; i < 200; ++i) {
            r.answers.push_back(
                test::a_record(owner, 300, {10, 1, 0, static_cast<std::uint8_t>(i)}));
        }
        return r;
    }

    void answer_upstream(const ReceivedDatagram& d) {
        ++upstream_queries;
        auto q = test::parse(d.payload);
        if (q.questions.empty()) {
            return;
        }
        (void)upstream->send_to(d.peer, test::wire(upstream_answer(q, false)));
    }

    void accept_upstream(platform::io::UniqueFd fd) {
        const std::size_t index = upstream_streams.size();
        upstream_splitters.push_back(std::make_unique<net::dns::TcpFrameSplitter>());
        platform::io::TcpCallbacks callbacks;
        callbacks.on_data = [this, index](std::span<const std::byte> data) {
            auto& splitter = *upstream_splitters[index];
            (void)splitter.feed(data);
            while (auto message = splitter.next()) {
                ++upstream_tcp_queries;
                auto q = test::parse(*message);
                if (q.questions.empty()) {
                    return;
                }
                auto framed = net::dns::frame_tcp(test::wire(upstream_answer(q, true)));
                ASSERT_TRUE(framed);
                (void)upstream_streams[index]->write(*framed);
            }
        };
        upstream_streams.push_back(
            platform::io::TcpStream::adopt(*loop, std::move(fd), std::move(callbacks)));
    }

    bool start() {
        for (int attempt = 0; attempt < 5; ++attempt) {
            settings.listen.port = free_port(*loop);
            const std::vector<InterfaceAddress> none;
            auto started = DnsService::start(*loop, settings, resolver, random, metrics, log, none);
            if (started) {
                service = std::move(*started);
                return true;
            }
        }
        return false;
    }

    SocketAddress server_address() const { return service->udp_addresses().at(0); }

    bool run_until(const std::function<bool()>& done, platform::Duration limit = 5s) {
        const auto end = clock.now() + limit;
        while (!done() && clock.now() < end) {
            if (!loop->run_once(20ms)) {
                return false;
            }
        }
        return done();
    }

    void ask(const net::dns::Message& q) {
        ASSERT_TRUE(client->send_to(server_address(), test::wire(q)));
    }
};

TEST(DnsService, AnswersLocalDataOverUdp) {
    Fixture f;
    ASSERT_TRUE(f.start());
    f.ask(test::query(test::question("host.local.test."), 0x51));
    ASSERT_TRUE(f.run_until([&] { return !f.replies.empty(); }));
    EXPECT_EQ(f.replies[0].header.id, 0x51);
    ASSERT_EQ(f.replies[0].answers.size(), 1U);
    EXPECT_EQ(f.upstream_queries, 0);
}

TEST(DnsService, ForwardsToUpstreamAndAnswersTheRepeatFromCache) {
    Fixture f;
    ASSERT_TRUE(f.start());
    f.ask(test::query(test::question("www.example."), 1));
    ASSERT_TRUE(f.run_until([&] { return f.replies.size() == 1; }));
    f.ask(test::query(test::question("www.example."), 2));
    ASSERT_TRUE(f.run_until([&] { return f.replies.size() == 2; }));
    EXPECT_EQ(f.upstream_queries, 1);
    EXPECT_EQ(f.replies[1].header.id, 2);
    ASSERT_EQ(f.replies[1].answers.size(), 1U);
    EXPECT_EQ(f.service->engine().stats().cache_hits, 1U);
}

TEST(DnsService, MalformedDatagramIsDroppedAndServingContinues) {
    Fixture f;
    ASSERT_TRUE(f.start());
    const std::vector<std::byte> junk(3, std::byte{0x42});
    ASSERT_TRUE(f.client->send_to(f.server_address(), junk));
    f.ask(test::query(test::question("host.local.test."), 9));
    ASSERT_TRUE(f.run_until([&] { return !f.replies.empty(); }));
    EXPECT_EQ(f.replies[0].header.id, 9);
    EXPECT_EQ(f.service->engine().stats().malformed, 1U);
}

// A TCP client that collects the answers it gets.
struct TcpClient {
    std::unique_ptr<platform::io::TcpStream> stream;
    net::dns::TcpFrameSplitter splitter;
    std::vector<net::dns::Message> answers;
    bool closed = false;

    TcpClient(platform::io::EventLoop& loop, const SocketAddress& server) {
        platform::io::TcpCallbacks callbacks;
        callbacks.on_data = [this](std::span<const std::byte> data) {
            (void)splitter.feed(data);
            while (auto message = splitter.next()) {
                answers.push_back(test::parse(*message));
            }
        };
        callbacks.on_peer_closed = [this] { closed = true; };
        callbacks.on_error = [this](const platform::io::IoError&) { closed = true; };
        auto connected = platform::io::TcpStream::connect(loop, server, std::move(callbacks));
        EXPECT_TRUE(connected);
        stream = std::move(*connected);
    }
};

TEST(DnsService, AnswersPipelinedQueriesOnOneTcpConnection) {
    Fixture f;
    ASSERT_TRUE(f.start());
    TcpClient tcp(*f.loop, f.service->tcp_addresses().at(0));
    std::vector<std::byte> both;
    for (const std::uint16_t id : std::vector<std::uint16_t>{11, 12, 13}) {
        const auto name = id == 12 ? "fwd.example." : "x.local.test.";
        auto framed = net::dns::frame_tcp(test::wire(test::query(test::question(name), id)));
        ASSERT_TRUE(framed);
        both.insert(both.end(), framed->begin(), framed->end());
    }
    ASSERT_TRUE(tcp.stream->write(both));
    ASSERT_TRUE(f.run_until([&] { return tcp.answers.size() == 3; }));
    std::vector<std::uint16_t> ids;
    for (const auto& a : tcp.answers) {
        ids.push_back(a.header.id);
    }
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::uint16_t>{11, 12, 13}));
    EXPECT_EQ(f.service->tcp_connections(), 1U);
}

TEST(DnsService, TcpQueryIsForwardedOverTcpAndTheClientGetsTheWholeAnswer) {
    Fixture f;
    ASSERT_TRUE(f.start());
    // Over UDP the upstream truncates: the UDP client gets TC and no records (as from dnsmasq).
    f.ask(test::query(test::question("big.example."), 21));
    ASSERT_TRUE(f.run_until([&] { return f.replies.size() == 1; }));
    EXPECT_TRUE(f.replies[0].header.tc);
    EXPECT_TRUE(f.replies[0].answers.empty());
    EXPECT_EQ(f.upstream_tcp_queries, 0);
    // Over TCP the query goes to the upstream over TCP and all 200 records come back.
    TcpClient tcp(*f.loop, f.service->tcp_addresses().at(0));
    auto framed = net::dns::frame_tcp(test::wire(test::query(test::question("big.example."), 22)));
    ASSERT_TRUE(framed);
    ASSERT_TRUE(tcp.stream->write(*framed));
    ASSERT_TRUE(f.run_until([&] { return tcp.answers.size() == 1; }));
    EXPECT_EQ(tcp.answers[0].header.id, 22);
    EXPECT_FALSE(tcp.answers[0].header.tc);
    EXPECT_EQ(tcp.answers[0].answers.size(), 200U);
    EXPECT_EQ(f.upstream_tcp_queries, 1);
    EXPECT_EQ(f.upstream_queries, 1);  // the UDP asking only
    // One connection per upstream query, closed once its reply is in.
    ASSERT_TRUE(f.run_until([&] { return f.service->upstream_tcp_connections() == 0; }));
    EXPECT_EQ(f.service->stats().upstream_tcp_errors, 0U);
}

TEST(DnsService, UpstreamTcpConnectFailureIsCountedAndTheQueryTimesOutQuietly) {
    Fixture f;
    f.upstream_tcp.reset();  // nothing listens on the upstream's TCP port any more
    ASSERT_TRUE(f.start());
    TcpClient tcp(*f.loop, f.service->tcp_addresses().at(0));
    auto framed = net::dns::frame_tcp(test::wire(test::query(test::question("gone.example."), 3)));
    ASSERT_TRUE(framed);
    ASSERT_TRUE(tcp.stream->write(*framed));
    ASSERT_TRUE(f.run_until([&] { return f.service->stats().upstream_tcp_errors >= 1; }));
    EXPECT_TRUE(tcp.answers.empty());
    EXPECT_EQ(f.upstream_queries, 0);  // never fell back to UDP
}

TEST(DnsService, TcpConnectionsBeyondTheLimitAreClosed) {
    Fixture f;
    f.settings.listen.max_tcp_connections = 1;
    ASSERT_TRUE(f.start());
    TcpClient first(*f.loop, f.service->tcp_addresses().at(0));
    ASSERT_TRUE(f.run_until([&] { return f.service->tcp_connections() == 1; }));
    TcpClient second(*f.loop, f.service->tcp_addresses().at(0));
    ASSERT_TRUE(f.run_until([&] { return second.closed; }));
    EXPECT_FALSE(first.closed);
    EXPECT_EQ(f.service->stats().tcp_refused, 1U);
}

TEST(DnsService, PeerCloseAfterQueryStillGetsTheAnswer) {
    Fixture f;
    ASSERT_TRUE(f.start());
    TcpClient tcp(*f.loop, f.service->tcp_addresses().at(0));
    auto framed = net::dns::frame_tcp(test::wire(test::query(test::question("late.example."), 5)));
    ASSERT_TRUE(framed);
    ASSERT_TRUE(tcp.stream->write(*framed));
    ASSERT_TRUE(tcp.stream->shutdown_write());
    ASSERT_TRUE(f.run_until([&] { return tcp.answers.size() == 1 && tcp.closed; }));
    EXPECT_EQ(tcp.answers[0].header.id, 5);
    ASSERT_TRUE(f.run_until([&] { return f.service->tcp_connections() == 0; }));
}

TEST(DnsService, StatisticsAreLoggedOnRequest) {
    Fixture f;
    ASSERT_TRUE(f.start());
    f.service->log_statistics();
    bool found = false;
    for (const auto& line : f.sink.lines()) {
        found = found || line.find("queries forwarded 0") != std::string::npos;
    }
    EXPECT_TRUE(found);
}

TEST(DnsService, PortZeroStartsWithoutListeners) {
    Fixture f;
    f.settings.listen.port = 0;
    const std::vector<InterfaceAddress> none;
    auto started =
        DnsService::start(*f.loop, f.settings, f.resolver, f.random, f.metrics, f.log, none);
    ASSERT_TRUE(started);
    EXPECT_TRUE((*started)->udp_addresses().empty());
    EXPECT_TRUE((*started)->tcp_addresses().empty());
}

TEST(DnsService, BindFailureIsReportedWithTheAddress) {
    Fixture f;
    f.settings.listen.listen_addresses = {*net::IpAddress::parse("192.0.2.254")};  // not ours
    f.settings.listen.port = 53535;
    const std::vector<InterfaceAddress> none;
    auto started =
        DnsService::start(*f.loop, f.settings, f.resolver, f.random, f.metrics, f.log, none);
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().find("192.0.2.254#53535"), std::string::npos) << started.error();
}

}  // namespace
}  // namespace nfv::dnsvizor::server
