#include "nfv/platform/io/tcp_stream.hpp"

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

struct Connection {
    LoopFixture f;
    std::unique_ptr<TcpListener> listener;
    Peer client;
    Peer server;

    explicit Connection(const char* ip = "127.0.0.1") {
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

TEST(TcpStream, ConnectAcceptAndExchangeOverIpv4AndIpv6) {
    for (const char* ip : {"127.0.0.1", "::1"}) {
        SCOPED_TRACE(ip);
        Connection c(ip);
        ASSERT_TRUE(c.established());
        EXPECT_TRUE(c.client.stream->connected());
        ASSERT_TRUE(c.client.stream->write(bytes_of("hello")));
        ASSERT_TRUE(c.f.run_until([&] { return c.server.data == "hello"; }));
        ASSERT_TRUE(c.server.stream->write(bytes_of("world")));
        ASSERT_TRUE(c.f.run_until([&] { return c.client.data == "world"; }));
        EXPECT_EQ(c.listener->stats().accepted, 1U);
    }
}

TEST(TcpStream, HalfCloseLetsThePeerKeepWriting) {
    Connection c;
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

TEST(TcpStream, ShortReadsStillSeeLaterDataAndTheFin) {
    // A short read skips the read() that would return EAGAIN; what arrives afterwards (more
    // bytes, then the FIN alone, or bytes and the FIN together) must still be reported.
    Connection c;
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

TEST(TcpStream, LargeWriteIsDeliveredCompletelyAcrossPartialWrites) {
    Connection c;
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

TEST(TcpStream, ConnectRefusedIsReportedThroughOnError) {
    LoopFixture f;
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

TEST(TcpStream, PeerResetIsAnError) {
    Connection c;
    ASSERT_TRUE(c.established());
    // SO_LINGER 0 makes close() send RST instead of FIN.
    const linger hard{1, 0};
    ASSERT_EQ(::setsockopt(c.server.stream->fd(), SOL_SOCKET, SO_LINGER, &hard, sizeof(hard)), 0);
    c.server.stream.reset();
    ASSERT_TRUE(c.f.run_until([&] { return c.client.error.has_value(); }));
    EXPECT_EQ(c.client.error->error_number, ECONNRESET);
}

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
