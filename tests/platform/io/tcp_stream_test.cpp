#include "nfv/platform/io/tcp_stream.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <sys/socket.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include "nfv/platform/io/tcp_listener.hpp"

#include "loop_test_util.hpp"

namespace nfv::platform::io {
namespace {

using test::bytes_of;
using test::LoopFixture;
using test::text_of;

// One side of a connection, recording what it saw.
struct Peer {
    std::unique_ptr<TcpStream> stream;
    std::string data;
    std::size_t bytes = 0;
    bool connected = false;
    bool peer_closed = false;
    std::optional<IoError> error;
    int drained = 0;
    bool keep_data = true;
    std::function<void(std::span<const std::byte>)> on_chunk;

    TcpCallbacks callbacks() {
        TcpCallbacks cb;
        cb.on_connected = [this] { connected = true; };
        cb.on_data = [this](std::span<const std::byte> chunk) {
            if (on_chunk) {
                on_chunk(chunk);
            }
            bytes += chunk.size();
            if (keep_data) {
                data += text_of(chunk);
            }
        };
        cb.on_peer_closed = [this] { peer_closed = true; };
        cb.on_error = [this](const IoError& e) { error = e; };
        cb.on_drained = [this] { ++drained; };
        return cb;
    }
};

// How the streams do I/O: on readiness with read() and send(), or with completions (receives
// through the loop's buffer ring, sends submitted with the next wait). The ring in the tests is
// tiny (4 buffers of 4 KiB), so a few KiB in flight exhaust it and every large transfer recycles
// each buffer many times.
enum class Receive { kReadiness, kCompletion };

EventLoopOptions options_for(Receive mode) {
    EventLoopOptions options;
    if (mode == Receive::kCompletion) {
        options.receive_buffers = 4;
        options.receive_buffer_size = 4096;
        options.completion_send = true;
    }
    return options;
}

std::string name_of(const ::testing::TestParamInfo<Receive>& info) {
    return info.param == Receive::kCompletion ? "CompletionIo" : "ReadinessIo";
}

class TcpStreamTest : public ::testing::TestWithParam<Receive> {
protected:
    void SetUp() override {
        if (GetParam() == Receive::kCompletion) {
            LoopFixture probe(options_for(Receive::kCompletion));
            if (!probe.loop->completion_receive()) {
                GTEST_SKIP() << "the kernel has no incrementally consumed buffer rings (6.12+): "
                                "completion receives are unavailable, streams read on readiness";
            }
        }
    }
};

struct Connection {
    LoopFixture f;
    std::unique_ptr<TcpListener> listener;
    Peer client;
    Peer server;

    explicit Connection(const char* ip = "127.0.0.1", Receive mode = Receive::kReadiness)
        : f(options_for(mode)) {
        auto l = TcpListener::listen(
            *f.loop, *SocketAddress::parse(ip, 0), {}, [this](UniqueFd fd, const SocketAddress&) {
                server.stream = TcpStream::adopt(*f.loop, std::move(fd), server.callbacks());
            });
        if (!l) {
            ADD_FAILURE() << l.error().message();
            return;
        }
        listener = std::move(*l);
        auto c = TcpStream::connect(*f.loop, listener->local_address(), client.callbacks());
        if (!c) {
            ADD_FAILURE() << c.error().message();
            return;
        }
        client.stream = std::move(*c);
    }
    bool established() {
        return f.run_until([&] { return client.connected && server.stream != nullptr; });
    }
};

TEST_P(TcpStreamTest, ConnectAcceptAndExchangeOverIpv4AndIpv6) {
    for (const char* ip : {"127.0.0.1", "::1"}) {
        SCOPED_TRACE(ip);
        Connection c(ip, GetParam());
        ASSERT_TRUE(c.established());
        EXPECT_TRUE(c.client.stream->connected());
        ASSERT_TRUE(c.client.stream->write(bytes_of("hello")));
        ASSERT_TRUE(c.f.run_until([&] { return c.server.data == "hello"; }));
        ASSERT_TRUE(c.server.stream->write(bytes_of("world")));
        ASSERT_TRUE(c.f.run_until([&] { return c.client.data == "world"; }));
        EXPECT_EQ(c.listener->stats().accepted, 1U);
    }
}

TEST_P(TcpStreamTest, HalfCloseLetsThePeerKeepWriting) {
    Connection c("127.0.0.1", GetParam());
    ASSERT_TRUE(c.established());
    ASSERT_TRUE(c.client.stream->write(bytes_of("request")));
    ASSERT_TRUE(c.client.stream->shutdown_write());
    EXPECT_FALSE(c.client.stream->write(bytes_of("late")));  // EPIPE after shutdown_write
    ASSERT_TRUE(c.f.run_until([&] { return c.server.peer_closed; }));
    EXPECT_EQ(c.server.data, "request");
    // The server's direction is still open.
    ASSERT_TRUE(c.server.stream->write(bytes_of("response")));
    ASSERT_TRUE(c.server.stream->shutdown_write());
    ASSERT_TRUE(c.f.run_until([&] { return c.client.peer_closed; }));
    EXPECT_EQ(c.client.data, "response");
    EXPECT_FALSE(c.client.error.has_value());
    EXPECT_FALSE(c.server.error.has_value());
}

TEST_P(TcpStreamTest, ShortReadsStillSeeLaterDataAndTheFin) {
    // A short read skips the read() that would return EAGAIN; what arrives afterwards (more
    // bytes, then the FIN alone, or bytes and the FIN together) must still be reported.
    Connection c("127.0.0.1", GetParam());
    ASSERT_TRUE(c.established());
    ASSERT_TRUE(c.client.stream->write(bytes_of("one")));
    ASSERT_TRUE(c.f.run_until([&] { return c.server.data == "one"; }));
    ASSERT_TRUE(c.client.stream->write(bytes_of("two")));
    ASSERT_TRUE(c.f.run_until([&] { return c.server.data == "onetwo"; }));
    ASSERT_TRUE(c.client.stream->shutdown_write());
    ASSERT_TRUE(c.f.run_until([&] { return c.server.peer_closed; }));
    ASSERT_TRUE(c.server.stream->write(bytes_of("three")));
    ASSERT_TRUE(c.server.stream->shutdown_write());
    ASSERT_TRUE(c.f.run_until([&] { return c.client.peer_closed; }));
    EXPECT_EQ(c.client.data, "three");
    EXPECT_FALSE(c.server.error.has_value());
}

TEST_P(TcpStreamTest, LargeWriteIsDeliveredCompletelyAcrossPartialWrites) {
    Connection c("127.0.0.1", GetParam());
    ASSERT_TRUE(c.established());
    constexpr std::size_t kSize = 8 * 1024 * 1024;
    const auto expected = [](std::size_t i) { return static_cast<std::byte>((i * 131U) >> 3U); };
    std::size_t mismatches = 0;
    c.server.keep_data = false;
    c.server.on_chunk = [&](std::span<const std::byte> chunk) {
        for (std::size_t i = 0; i < chunk.size(); ++i) {
            mismatches += chunk[i] != expected(c.server.bytes + i) ? 1U : 0U;
        }
    };
    // 8 MiB is more than the kernel's send buffer takes at once, so writes are partial.
    std::vector<std::byte> payload(kSize);
    for (std::size_t i = 0; i < kSize; ++i) {
        payload[i] = expected(i);
    }
    ASSERT_TRUE(c.client.stream->write(payload));
    EXPECT_GT(c.client.stream->pending_write_bytes(), 0U);  // the kernel did not take it all
    ASSERT_TRUE(c.client.stream->shutdown_write());
    ASSERT_TRUE(c.f.run_until([&] { return c.server.peer_closed; }, std::chrono::seconds(30)));
    EXPECT_EQ(c.server.bytes, kSize);
    EXPECT_EQ(mismatches, 0U);
    EXPECT_EQ(c.client.stream->pending_write_bytes(), 0U);
    EXPECT_GE(c.client.drained, 1);
    EXPECT_FALSE(c.client.error.has_value());
}

TEST_P(TcpStreamTest, ConnectRefusedIsReportedThroughOnError) {
    LoopFixture f(options_for(GetParam()));
    // Find a loopback port with nothing listening: bind (no listen) and keep it bound.
    const int holder = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(holder, 0);
    const SocketAddress any = *SocketAddress::parse("127.0.0.1", 0);
    ASSERT_EQ(::bind(holder, any.data(), any.length()), 0);
    SocketAddress target;
    socklen_t length = SocketAddress::capacity();
    ASSERT_EQ(::getsockname(holder, target.data(), &length), 0);
    target.set_length(length);

    Peer client;
    auto stream = TcpStream::connect(*f.loop, target, client.callbacks());
    ASSERT_TRUE(stream) << stream.error().message();
    client.stream = std::move(*stream);
    ASSERT_TRUE(f.run_until([&] { return client.error.has_value(); }));
    EXPECT_EQ(client.error->error_number, ECONNREFUSED);
    EXPECT_STREQ(client.error->operation, "connect");
    EXPECT_FALSE(client.connected);
    EXPECT_FALSE(client.stream->write(bytes_of("x")));
    ::close(holder);
}

TEST_P(TcpStreamTest, PeerResetIsAnError) {
    Connection c("127.0.0.1", GetParam());
    ASSERT_TRUE(c.established());
    // SO_LINGER 0 makes close() send RST instead of FIN.
    const linger hard{1, 0};
    ASSERT_EQ(::setsockopt(c.server.stream->fd(), SOL_SOCKET, SO_LINGER, &hard, sizeof(hard)), 0);
    c.server.stream.reset();
    ASSERT_TRUE(c.f.run_until([&] { return c.client.error.has_value(); }));
    EXPECT_EQ(c.client.error->error_number, ECONNRESET);
}

TEST_P(TcpStreamTest, ManyStreamsShareTheReceivePath) {
    // 16 connections each sending 10 KiB at once: with completion receives that is far more than
    // the 16 KiB ring holds, so receives end with the ring exhausted and are re-armed; every byte
    // must still arrive, in order, on its own stream.
    LoopFixture f(options_for(GetParam()));
    constexpr std::size_t kStreams = 16;
    constexpr std::size_t kBytes = 10 * 1024;
    std::vector<Peer> servers(kStreams);
    std::size_t accepted = 0;
    auto listener = TcpListener::listen(
        *f.loop, *SocketAddress::parse("127.0.0.1", 0), {}, [&](UniqueFd fd, const SocketAddress&) {
            Peer& server = servers[accepted++];
            server.stream = TcpStream::adopt(*f.loop, std::move(fd), server.callbacks());
        });
    ASSERT_TRUE(listener);
    std::vector<Peer> clients(kStreams);
    for (auto& client : clients) {
        auto s = TcpStream::connect(*f.loop, (*listener)->local_address(), client.callbacks());
        ASSERT_TRUE(s);
        client.stream = std::move(*s);
    }
    ASSERT_TRUE(f.run_until([&] { return accepted == kStreams; }));
    // Each client's bytes carry its index, so a chunk delivered to the wrong stream shows.
    for (std::size_t i = 0; i < kStreams; ++i) {
        std::string text(kBytes, static_cast<char>('a' + i));
        ASSERT_TRUE(f.run_until([&] { return clients[i].connected; }));
        ASSERT_TRUE(clients[i].stream->write(bytes_of(text)));
        ASSERT_TRUE(clients[i].stream->shutdown_write());
    }
    ASSERT_TRUE(f.run_until([&] {
        return std::all_of(servers.begin(), servers.end(),
                           [](const Peer& p) { return p.peer_closed; });
    }));
    // The accept order need not be the connect order: match by content.
    std::vector<bool> seen(kStreams, false);
    for (const Peer& server : servers) {
        ASSERT_EQ(server.data.size(), kBytes);
        const auto index = static_cast<std::size_t>(server.data.front() - 'a');
        ASSERT_LT(index, kStreams);
        EXPECT_EQ(server.data, std::string(kBytes, server.data.front()));
        EXPECT_FALSE(seen[index]);
        seen[index] = true;
        EXPECT_FALSE(server.error.has_value());
    }
    if (GetParam() == Receive::kCompletion) {
        EXPECT_GT(f.loop->stats().receive_restarts, 0U);  // the ring did run out
    }
}

TEST_P(TcpStreamTest, ClosedStreamGetsNoCallbacksAndOthersKeepReceiving) {
    // A stream closed while bytes for it are on the way: no callback reaches it, and with
    // completion receives its late bytes go back to the ring (the other stream keeps receiving
    // through many reuses of those 4 buffers).
    Connection a("127.0.0.1", GetParam());
    ASSERT_TRUE(a.established());
    a.server.on_chunk = [&](std::span<const std::byte>) { ADD_FAILURE() << "closed stream"; };
    a.server.stream->close();
    ASSERT_TRUE(a.client.stream->write(bytes_of(std::string(3000, 'x'))));
    // A second connection on the same loop.
    Peer second_client;
    Peer second;
    auto l = TcpListener::listen(*a.f.loop, *SocketAddress::parse("127.0.0.1", 0), {},
                                 [&](UniqueFd fd, const SocketAddress&) {
                                     second.stream = TcpStream::adopt(*a.f.loop, std::move(fd),
                                                                      second.callbacks());
                                 });
    ASSERT_TRUE(l);
    auto c = TcpStream::connect(*a.f.loop, (*l)->local_address(), second_client.callbacks());
    ASSERT_TRUE(c);
    second_client.stream = std::move(*c);
    ASSERT_TRUE(a.f.run_until([&] { return second_client.connected && second.stream; }));
    second.keep_data = false;
    std::size_t expected = 0;
    for (int round = 0; round < 20; ++round) {
        ASSERT_TRUE(second_client.stream->write(bytes_of(std::string(5000, 'y'))));
        expected += 5000;
        ASSERT_TRUE(a.f.run_until([&] { return second.bytes == expected; }));
    }
    EXPECT_EQ(a.server.bytes, 0U);
    EXPECT_FALSE(second.error.has_value());
}

TEST_P(TcpStreamTest, StreamDestroyedWithUnsentBytesLetsTheLoopGoOn) {
    // The peer does not read, so most of 8 MiB stays queued (with completion sends: a send the
    // kernel holds, waiting for room). Destroying the stream then must neither crash nor leak:
    // the loop keeps the send's buffer until the cancelled send completes, and frees it.
    Connection c("127.0.0.1", GetParam());
    ASSERT_TRUE(c.established());
    std::vector<std::byte> payload(8 * 1024 * 1024, std::byte{0x5A});
    ASSERT_TRUE(c.client.stream->write(payload));
    ASSERT_GT(c.client.stream->pending_write_bytes(), 0U);
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(c.f.loop->run_once(std::chrono::milliseconds(1)));  // the send goes out
    }
    c.client.stream.reset();
    if (GetParam() == Receive::kCompletion) {
        EXPECT_EQ(c.f.loop->stats().orphans_kept, 1U);
        ASSERT_TRUE(c.f.run_until([&] { return c.f.loop->stats().orphans_released == 1; }));
    }
    // The server sees (some of) the bytes the kernel had taken, then the end of the stream.
    c.server.keep_data = false;
    ASSERT_TRUE(c.f.run_until([&] { return c.server.peer_closed || c.server.error; }));
    EXPECT_LE(c.server.bytes, payload.size());
}

TEST_P(TcpStreamTest, ClosedStreamsQueuedSendNeverReachesTheNextOwnerOfItsFdNumber) {
    // A small write (with completion sends: a send queued for the next submission), then close(),
    // then a new socket at once: the lowest free fd number, i.e. the closed stream's if close()
    // freed it. The queued send must not go out on that new socket.
    Connection c("127.0.0.1", GetParam());
    ASSERT_TRUE(c.established());
    Peer other;
    auto l = TcpListener::listen(*c.f.loop, *SocketAddress::parse("127.0.0.1", 0), {},
                                 [&](UniqueFd fd, const SocketAddress&) {
                                     other.stream = TcpStream::adopt(*c.f.loop, std::move(fd),
                                                                     other.callbacks());
                                 });
    ASSERT_TRUE(l);
    ASSERT_TRUE(c.client.stream->write(bytes_of("secret of the closed stream")));
    c.client.stream->close();
    const int fresh = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fresh, 0);
    const SocketAddress target = (*l)->local_address();
    ASSERT_EQ(::connect(fresh, target.data(), target.length()), 0);  // loopback: completes
    ASSERT_TRUE(c.f.run_until([&] { return other.stream != nullptr; }));
    ASSERT_TRUE(c.f.loop->run_once(std::chrono::milliseconds(1)));  // queued work goes out
    ASSERT_EQ(::send(fresh, "marker", 6, MSG_NOSIGNAL), 6);
    ASSERT_TRUE(c.f.run_until([&] { return other.data.size() >= 6; }));
    EXPECT_EQ(other.data, "marker");
    ::close(fresh);
}

TEST_P(TcpStreamTest, ClosedStreamsQueuedReceiveNeverTakesTheNextOwnersBytes) {
    // The same for reading: adopt() queues a receive (with completion receives), close() at once,
    // and a new socket pair takes the lowest free fd number. Its bytes must stay its own.
    LoopFixture f(options_for(GetParam()));
    int first[2] = {-1, -1};
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, first), 0);
    Peer closed;
    closed.stream = TcpStream::adopt(*f.loop, UniqueFd(first[0]), closed.callbacks());
    closed.stream->close();
    int second[2] = {-1, -1};
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, second), 0);
    ASSERT_EQ(::send(second[1], "mine", 4, MSG_NOSIGNAL), 4);
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(f.loop->run_once(std::chrono::milliseconds(1)));  // queued work goes out
    }
    char buffer[16] = {};
    EXPECT_EQ(::recv(second[0], buffer, sizeof buffer, MSG_DONTWAIT), 4);
    EXPECT_EQ(std::string(buffer, 4), "mine");
    EXPECT_EQ(closed.bytes, 0U);
    for (const int fd : {first[1], second[0], second[1]}) {
        ::close(fd);
    }
}

TEST_P(TcpStreamTest, PausedReadingHoldsDataBackUntilResumed) {
    // The server pauses after its first chunk: at most what was already received comes through
    // (with completion receives: the 16 KiB ring's worth), the rest waits in the kernel, and all
    // of it, then the end of stream, arrives after resume_reading().
    Connection c("127.0.0.1", GetParam());
    ASSERT_TRUE(c.established());
    c.server.keep_data = false;
    c.server.on_chunk = [&](std::span<const std::byte>) { c.server.stream->pause_reading(); };
    constexpr std::size_t kTotal = 2 * 1024 * 1024;
    ASSERT_TRUE(c.client.stream->write(std::vector<std::byte>(kTotal, std::byte{1})));
    ASSERT_TRUE(c.client.stream->shutdown_write());
    ASSERT_TRUE(c.f.run_until([&] { return c.server.bytes > 0; }));
    for (int i = 0; i < 20; ++i) {
        ASSERT_TRUE(c.f.loop->run_once(std::chrono::milliseconds(5)));
    }
    EXPECT_TRUE(c.server.stream->reading_paused());
    EXPECT_LE(c.server.bytes, 128U * 1024U);
    EXPECT_FALSE(c.server.peer_closed);
    c.server.on_chunk = nullptr;
    c.server.stream->resume_reading();
    ASSERT_TRUE(c.f.run_until([&] { return c.server.peer_closed; }));
    EXPECT_EQ(c.server.bytes, kTotal);
}

INSTANTIATE_TEST_SUITE_P(Modes, TcpStreamTest,
                         ::testing::Values(Receive::kReadiness, Receive::kCompletion), name_of);

TEST(TcpListener, AcceptsManyClients) {
    LoopFixture f;
    std::vector<std::unique_ptr<TcpStream>> accepted;
    auto listener = TcpListener::listen(
        *f.loop, *SocketAddress::parse("127.0.0.1", 0), {},
        [&](UniqueFd fd, const SocketAddress& peer) {
            EXPECT_EQ(peer.family(), AF_INET);
            accepted.push_back(TcpStream::adopt(*f.loop, std::move(fd), TcpCallbacks{}));
        });
    ASSERT_TRUE(listener);
    std::vector<Peer> clients(8);
    for (auto& client : clients) {
        auto s = TcpStream::connect(*f.loop, (*listener)->local_address(), client.callbacks());
        ASSERT_TRUE(s);
        client.stream = std::move(*s);
    }
    ASSERT_TRUE(f.run_until([&] { return accepted.size() == 8; }));
    EXPECT_EQ((*listener)->stats().accepted, 8U);
    EXPECT_EQ((*listener)->stats().accept_errors, 0U);
}

TEST(TcpListener, ListenOnBusyPortFails) {
    LoopFixture f;
    auto first = TcpListener::listen(*f.loop, *SocketAddress::parse("127.0.0.1", 0), {},
                                     [](UniqueFd, const SocketAddress&) {});
    ASSERT_TRUE(first);
    auto second = TcpListener::listen(*f.loop, (*first)->local_address(), {},
                                      [](UniqueFd, const SocketAddress&) {});
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().error_number, EADDRINUSE);
    EXPECT_STREQ(second.error().operation, "bind");
}

}  // namespace
}  // namespace nfv::platform::io
