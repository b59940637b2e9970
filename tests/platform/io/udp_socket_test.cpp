#include "nfv/platform/io/udp_socket.hpp"

#include <string>
#include <vector>

#include <sys/socket.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include "loop_test_util.hpp"

namespace nfv::platform::io {
namespace {

using test::bytes_of;
using test::LoopFixture;
using test::text_of;

SocketAddress loopback4(std::uint16_t port = 0) {
    return *SocketAddress::parse("127.0.0.1", port);
}

struct Received {
    std::vector<std::string> payloads;
    std::vector<SocketAddress> peers;
    int batches = 0;
    UdpReceiveHandler handler() {
        return [this](std::span<const ReceivedDatagram> batch) {
            ++batches;
            for (const auto& d : batch) {
                payloads.push_back(text_of(d.payload));
                peers.push_back(d.peer);
            }
        };
    }
};

TEST(UdpSocket, BindsIpv4WithKernelChosenPort) {
    LoopFixture f;
    Received rx;
    auto socket = UdpSocket::bind(*f.loop, loopback4(), {}, rx.handler());
    ASSERT_TRUE(socket) << socket.error().message();
    EXPECT_EQ((*socket)->local_address().family(), AF_INET);
    EXPECT_NE((*socket)->local_address().port(), 0);
}

TEST(UdpSocket, BindConflictReportsErrnoAndCall) {
    LoopFixture f;
    Received rx;
    UdpOptions exclusive;
    exclusive.reuse_address = false;
    auto first = UdpSocket::bind(*f.loop, loopback4(), exclusive, rx.handler());
    ASSERT_TRUE(first);
    auto second = UdpSocket::bind(*f.loop, (*first)->local_address(), exclusive, rx.handler());
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().error_number, EADDRINUSE);
    EXPECT_STREQ(second.error().operation, "bind");
}

TEST(UdpSocket, RoundTripOverIpv4AndIpv6) {
    for (const char* ip : {"127.0.0.1", "::1"}) {
        SCOPED_TRACE(ip);
        LoopFixture f;
        Received a_rx;
        Received b_rx;
        UdpOptions options;
        options.receive_buffer_bytes = 1 << 20;
        options.send_buffer_bytes = 1 << 20;
        auto a = UdpSocket::bind(*f.loop, *SocketAddress::parse(ip, 0), options, a_rx.handler());
        auto b = UdpSocket::bind(*f.loop, *SocketAddress::parse(ip, 0), options, b_rx.handler());
        ASSERT_TRUE(a) << a.error().message();
        ASSERT_TRUE(b) << b.error().message();
        auto sent = (*a)->send_to((*b)->local_address(), bytes_of("ping"));
        ASSERT_TRUE(sent);
        EXPECT_EQ(*sent, SendStatus::kQueued);
        ASSERT_TRUE(f.run_until([&] { return b_rx.payloads.size() == 1; }));
        EXPECT_EQ(b_rx.payloads[0], "ping");
        EXPECT_EQ(b_rx.peers[0], (*a)->local_address());
        // Reply to the address the datagram came from.
        ASSERT_TRUE((*b)->send_to(b_rx.peers[0], bytes_of("pong")));
        ASSERT_TRUE(f.run_until([&] { return a_rx.payloads.size() == 1; }));
        EXPECT_EQ(a_rx.payloads[0], "pong");
    }
}

TEST(UdpSocket, WorksOnTheOneShotPollFallback) {
    LoopFixture f(EventLoopOptions{.multishot_poll = false});
    Received rx;
    Received ignore;
    auto receiver = UdpSocket::bind(*f.loop, loopback4(), {}, rx.handler());
    auto sender = UdpSocket::bind(*f.loop, loopback4(), {}, ignore.handler());
    ASSERT_TRUE(receiver);
    ASSERT_TRUE(sender);
    for (int round = 0; round < 5; ++round) {
        ASSERT_TRUE((*sender)->send_to((*receiver)->local_address(),
                                       bytes_of("r" + std::to_string(round))));
        ASSERT_TRUE(f.run_until([&] { return rx.payloads.size() == std::size_t(round) + 1; }));
    }
    EXPECT_EQ(rx.payloads.back(), "r4");
}

// multishot_receive = false (PollMode::kRearmed): the socket keeps receiving round after round,
// and a burst that arrived before the loop looked costs one completion, not one per datagram.
TEST(UdpSocket, RearmedReceiveWatchKeepsReceiving) {
    LoopFixture f;
    Received rx;
    Received ignore;
    UdpOptions rearmed;
    rearmed.multishot_receive = false;
    auto receiver = UdpSocket::bind(*f.loop, loopback4(), rearmed, rx.handler());
    auto sender = UdpSocket::bind(*f.loop, loopback4(), {}, ignore.handler());
    ASSERT_TRUE(receiver);
    ASSERT_TRUE(sender);
    ASSERT_TRUE(f.loop->run_once(std::chrono::nanoseconds(0)));  // submit the receive poll
    for (int round = 0; round < 5; ++round) {
        const auto before = f.loop->stats().completions + f.loop->stats().coalesced;
        for (int i = 0; i < 3; ++i) {
            ASSERT_TRUE((*sender)->send_to((*receiver)->local_address(),
                                           bytes_of("r" + std::to_string(round))));
        }
        ASSERT_TRUE(f.run_until([&] { return rx.payloads.size() == std::size_t(round) * 3 + 3; }));
        // The sender's flush and the receiver's one wake-up; a multishot poll would add two.
        EXPECT_LE(f.loop->stats().completions + f.loop->stats().coalesced - before, 2U);
    }
    EXPECT_EQ(rx.payloads.back(), "r4");
}

TEST(UdpSocket, DeliversManyDatagramsInOneBatch) {
    LoopFixture f;
    Received rx;
    auto socket = UdpSocket::bind(*f.loop, loopback4(), {}, rx.handler());
    ASSERT_TRUE(socket);
    // A plain blocking socket queues 20 datagrams before the loop looks.
    const int raw = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(raw, 0);
    const SocketAddress to = (*socket)->local_address();
    for (int i = 0; i < 20; ++i) {
        const std::string text = "datagram " + std::to_string(i);
        ASSERT_EQ(::sendto(raw, text.data(), text.size(), 0, to.data(), to.length()),
                  static_cast<ssize_t>(text.size()));
    }
    ::close(raw);
    ASSERT_TRUE(f.run_until([&] { return rx.payloads.size() == 20; }));
    EXPECT_EQ(rx.batches, 1);
    EXPECT_EQ((*socket)->stats().receive_calls, 1U);
    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(rx.payloads[static_cast<std::size_t>(i)], "datagram " + std::to_string(i));
    }
}

// UDP GSO on send and GRO on receive must be invisible to both handlers: the same datagrams, in
// order, with the same contents, whichever of the two ends uses the offload.
TEST(UdpSocket, SegmentationAndReceiveOffloadKeepEveryDatagram) {
    for (const bool gso : {false, true}) {
        for (const bool gro : {false, true}) {
            LoopFixture f;
            Received rx;
            UdpOptions receiving;
            receiving.receive_offload = gro;
            receiving.max_datagram_size = 65535;
            receiving.receive_batch = 8;
            auto receiver = UdpSocket::bind(*f.loop, loopback4(), receiving, rx.handler());
            ASSERT_TRUE(receiver) << receiver.error().message();
            Received unused;
            UdpOptions sending;
            sending.segmentation_offload = gso;
            auto sender = UdpSocket::bind(*f.loop, loopback4(), sending, unused.handler());
            ASSERT_TRUE(sender);
            std::vector<std::string> sent;
            for (int i = 0; i < 60; ++i) {
                // Runs of equal size broken by a short datagram every 25 (60 datagrams stay well
                // within the default receive buffer, so none is dropped).
                const std::size_t size = i % 25 == 24 ? 300 : 1200;
                std::string payload(size, static_cast<char>('a' + i % 26));
                payload.replace(0, std::to_string(i).size(), std::to_string(i));
                sent.push_back(payload);
                ASSERT_EQ(*(*sender)->send_to((*receiver)->local_address(), bytes_of(payload)),
                          SendStatus::kQueued);
            }
            EXPECT_EQ((*sender)->flush(), 0U);
            ASSERT_TRUE(f.run_until([&] { return rx.payloads.size() >= sent.size(); }))
                << "gso " << gso << " gro " << gro << ": " << rx.payloads.size() << " received";
            EXPECT_EQ(rx.payloads, sent) << "gso " << gso << " gro " << gro;
            EXPECT_EQ((*sender)->stats().sent, sent.size());
            if (gso) {
                EXPECT_GE((*sender)->stats().gso_messages, 3U) << "loopback supports UDP GSO";
                EXPECT_LT((*sender)->stats().gso_messages, 10U);
            } else {
                EXPECT_EQ((*sender)->stats().gso_messages, 0U);
            }
            if (gso && gro) {
                EXPECT_GE((*receiver)->stats().gro_buffers, 1U);
            }
        }
    }
}

// A dual-stack socket (AF_INET6 without IPV6_V6ONLY, as openvpn's udp6 server) serves IPv4
// peers as plain AF_INET addresses both ways.
TEST(UdpSocket, DualStackSocketShowsIpv4PeersAsIpv4) {
    LoopFixture f;
    Received rx;
    UdpOptions dual;
    dual.ipv6_only = false;
    auto socket = UdpSocket::bind(*f.loop, *SocketAddress::parse("::", 0), dual, rx.handler());
    if (!socket && socket.error().error_number == EAFNOSUPPORT) {
        GTEST_SKIP() << "no IPv6 on this host";
    }
    ASSERT_TRUE(socket) << socket.error().message();
    const int raw = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(raw, 0);
    const auto to = loopback4((*socket)->local_address().port());
    ASSERT_EQ(::sendto(raw, "ping", 4, 0, to.data(), to.length()), 4);
    ASSERT_TRUE(f.run_until([&] { return rx.payloads.size() == 1; }));
    EXPECT_EQ(rx.peers[0].family(), AF_INET);
    EXPECT_EQ(rx.peers[0].to_string().rfind("127.0.0.1:", 0), 0U) << rx.peers[0].to_string();
    ASSERT_EQ(*(*socket)->send_to(rx.peers[0], bytes_of("pong")), SendStatus::kQueued);
    EXPECT_EQ((*socket)->flush(), 0U);
    char reply[8] = {};
    EXPECT_EQ(::recv(raw, reply, sizeof(reply), 0), 4);
    EXPECT_EQ(std::string(reply, 4), "pong");
    ::close(raw);

    UdpOptions v6only;
    auto strict = UdpSocket::bind(*f.loop, *SocketAddress::parse("::", 0), v6only, rx.handler());
    ASSERT_TRUE(strict);
    auto refused = (*strict)->send_to(rx.peers[0], bytes_of("x"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().error_number, EAFNOSUPPORT);
}

TEST(UdpSocket, ReceiveOffloadNeedsFullSizeSlots) {
    LoopFixture f;
    Received rx;
    UdpOptions options;
    options.receive_offload = true;
    options.max_datagram_size = 2048;
    auto socket = UdpSocket::bind(*f.loop, loopback4(), options, rx.handler());
    ASSERT_FALSE(socket);
    EXPECT_EQ(socket.error().error_number, EINVAL);
}

TEST(UdpSocket, OversizedDatagramIsDroppedAndCounted) {
    LoopFixture f;
    Received rx;
    UdpOptions small;
    small.max_datagram_size = 64;
    auto receiver = UdpSocket::bind(*f.loop, loopback4(), small, rx.handler());
    Received ignore;
    auto sender = UdpSocket::bind(*f.loop, loopback4(), {}, ignore.handler());
    ASSERT_TRUE(receiver);
    ASSERT_TRUE(sender);
    ASSERT_TRUE((*sender)->send_to((*receiver)->local_address(), bytes_of(std::string(100, 'x'))));
    ASSERT_TRUE((*sender)->send_to((*receiver)->local_address(), bytes_of("fits")));
    ASSERT_TRUE(f.run_until([&] { return !rx.payloads.empty(); }));
    EXPECT_EQ(rx.payloads, (std::vector<std::string>{"fits"}));
    EXPECT_EQ((*receiver)->stats().truncated, 1U);
}

TEST(UdpSocket, FullSendQueueRefusesThenReportsWritable) {
    LoopFixture f;
    Received rx;
    Received ignore;
    UdpOptions tiny;
    tiny.send_queue_datagrams = 4;
    auto sender = UdpSocket::bind(*f.loop, loopback4(), tiny, ignore.handler());
    auto receiver = UdpSocket::bind(*f.loop, loopback4(), {}, rx.handler());
    ASSERT_TRUE(sender);
    ASSERT_TRUE(receiver);
    int writable = 0;
    (*sender)->set_on_writable([&] { ++writable; });
    const SocketAddress to = (*receiver)->local_address();
    for (int i = 0; i < 4; ++i) {
        auto status = (*sender)->send_to(to, bytes_of("q" + std::to_string(i)));
        ASSERT_TRUE(status);
        EXPECT_EQ(*status, SendStatus::kQueued);
    }
    auto refused = (*sender)->send_to(to, bytes_of("q4"));
    ASSERT_TRUE(refused);
    EXPECT_EQ(*refused, SendStatus::kQueueFull);
    EXPECT_EQ((*sender)->queued(), 4U);
    ASSERT_TRUE(f.run_until([&] { return rx.payloads.size() == 4 && writable == 1; }));
    EXPECT_EQ((*sender)->queued(), 0U);
    EXPECT_EQ(rx.payloads, (std::vector<std::string>{"q0", "q1", "q2", "q3"}));
    EXPECT_EQ((*sender)->stats().send_calls, 1U);  // one sendmmsg for the whole queue
}

TEST(UdpSocket, RejectsOversizedPayloadAndWrongFamily) {
    LoopFixture f;
    Received ignore;
    UdpOptions tiny;
    tiny.send_queue_bytes = 16;
    auto sender = UdpSocket::bind(*f.loop, loopback4(), tiny, ignore.handler());
    ASSERT_TRUE(sender);
    auto too_big = (*sender)->send_to(loopback4(9), bytes_of(std::string(17, 'x')));
    ASSERT_FALSE(too_big);
    EXPECT_EQ(too_big.error().error_number, EMSGSIZE);
    auto wrong = (*sender)->send_to(*SocketAddress::parse("::1", 9), bytes_of("x"));
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().error_number, EAFNOSUPPORT);
}

TEST(UdpSocket, HandlerMayDestroySocket) {
    LoopFixture f;
    std::unique_ptr<UdpSocket> receiver;
    int calls = 0;
    auto bound = UdpSocket::bind(*f.loop, loopback4(), {}, [&](auto) {
        ++calls;
        receiver.reset();
    });
    ASSERT_TRUE(bound);
    receiver = std::move(*bound);
    Received ignore;
    auto sender = UdpSocket::bind(*f.loop, loopback4(), {}, ignore.handler());
    ASSERT_TRUE(sender);
    ASSERT_TRUE((*sender)->send_to(receiver->local_address(), bytes_of("bye")));
    ASSERT_TRUE(f.run_until([&] { return receiver == nullptr; }));
    EXPECT_EQ(calls, 1);
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(f.loop->run_once(std::chrono::milliseconds(5)));
    }
}

}  // namespace
}  // namespace nfv::platform::io
