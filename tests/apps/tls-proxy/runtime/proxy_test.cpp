// The relay runtime on loopback, in one event loop: an OpenSSL client over a TcpStream (memory
// BIOs), the Proxy, and plain TCP backends made with TcpListener.
#include "runtime/proxy.hpp"

#include <algorithm>
#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <variant>

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "nfv/platform/clock.hpp"
#include "nfv/platform/io/tcp_listener.hpp"
#include "nfv/platform/log.hpp"

#include "config.hpp"
#include "test_certs.hpp"

namespace nfv::tls_proxy {
namespace {

using platform::io::SocketAddress;
using platform::io::TcpCallbacks;
using platform::io::TcpListener;
using platform::io::TcpStream;
using platform::io::UniqueFd;

std::span<const std::byte> bytes(const std::string& s) {
    return std::as_bytes(std::span(s));
}

// A backend: accepts connections and records what each one receives.
struct Backend {
    struct Peer {
        std::unique_ptr<TcpStream> stream;
        std::string data;
        bool eof = false;
    };
    std::unique_ptr<TcpListener> listener;
    std::vector<std::unique_ptr<Peer>> peers;
    bool echo = false;

    Backend(platform::io::EventLoop& loop, bool echo_back) : echo(echo_back) {
        auto l = TcpListener::listen(loop, *SocketAddress::parse("127.0.0.1", 0), {},
                                     [this, &loop](UniqueFd fd, const SocketAddress&) {
                                         auto peer = std::make_unique<Peer>();
                                         Peer* p = peer.get();
                                         TcpCallbacks cb;
                                         cb.on_data = [this, p](std::span<const std::byte> d) {
                                             p->data.append(reinterpret_cast<const char*>(d.data()),
                                                            d.size());
                                             if (echo) {
                                                 (void)p->stream->write(d);
                                             }
                                         };
                                         cb.on_peer_closed = [p] { p->eof = true; };
                                         p->stream = TcpStream::adopt(loop, std::move(fd), cb);
                                         peers.push_back(std::move(peer));
                                     });
        EXPECT_TRUE(l);
        listener = std::move(*l);
    }
    [[nodiscard]] std::string address() const { return listener->local_address().to_string(); }
};

// A TLS client: OpenSSL over memory BIOs, carried by a TcpStream in the same loop.
struct TlsClient {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL* ssl = SSL_new(ctx);
    BIO* in = BIO_new(BIO_s_mem());
    BIO* out = BIO_new(BIO_s_mem());
    std::unique_ptr<TcpStream> stream;
    std::string received;
    bool tcp_eof = false;
    bool close_notify = false;
    bool error = false;

    TlsClient(platform::io::EventLoop& loop, const SocketAddress& proxy, const std::string& sni) {
        BIO_set_mem_eof_return(in, -1);
        BIO_set_mem_eof_return(out, -1);
        SSL_set_bio(ssl, in, out);
        SSL_set_connect_state(ssl);
        SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                 const_cast<char*>(sni.c_str()));
        TcpCallbacks cb;
        cb.on_connected = [this] { pump(); };
        cb.on_data = [this](std::span<const std::byte> d) {
            BIO_write(in, d.data(), static_cast<int>(d.size()));
            pump();
        };
        cb.on_peer_closed = [this] { tcp_eof = true; };
        cb.on_error = [this](const platform::io::IoError&) { error = true; };
        auto s = TcpStream::connect(loop, proxy, cb);
        EXPECT_TRUE(s);
        stream = std::move(*s);
    }
    ~TlsClient() {
        stream.reset();
        SSL_free(ssl);
        SSL_CTX_free(ctx);
        ERR_clear_error();
    }
    TlsClient(const TlsClient&) = delete;
    TlsClient& operator=(const TlsClient&) = delete;

    bool established() const { return SSL_is_init_finished(ssl) == 1; }
    void pump() {
        if (!established()) {
            (void)SSL_do_handshake(ssl);
        }
        if (established()) {
            char buffer[16384];
            while (true) {
                const int n = SSL_read(ssl, buffer, sizeof buffer);
                if (n > 0) {
                    received.append(buffer, static_cast<std::size_t>(n));
                    continue;
                }
                if (SSL_get_error(ssl, n) == SSL_ERROR_ZERO_RETURN) {
                    close_notify = true;
                }
                break;
            }
        }
        flush();
    }
    void flush() {
        char* data = nullptr;
        const long n = BIO_get_mem_data(out, &data);
        if (n > 0 && stream) {
            (void)stream->write(std::as_bytes(std::span(data, static_cast<std::size_t>(n))));
            (void)BIO_reset(out);
        }
    }
    void send(const std::string& text) {
        ASSERT_EQ(SSL_write(ssl, text.data(), static_cast<int>(text.size())),
                  static_cast<int>(text.size()));
        flush();
    }
    void send_close_notify() {
        (void)SSL_shutdown(ssl);
        flush();
    }
};

struct Fixture {
    platform::SystemClock clock;
    platform::MemorySink sink;
    platform::Logger logger{sink, clock, "test", platform::LogLevel::kDebug};
    platform::MetricsRegistry metrics;
    std::unique_ptr<platform::io::EventLoop> loop;
    test::TempDir dir;
    std::unique_ptr<Proxy> proxy;
    std::uint16_t port_ = 0;

    Fixture() {
        // The loop as nfv-tls-proxy's workers run it.
        auto l = platform::io::EventLoop::create(clock, worker_loop_options());
        EXPECT_TRUE(l);
        loop = std::move(*l);
        const auto cert = test::make_certificate(test::KeyType::kEcdsaP256, {"a.test", "b.test"});
        dir.write("a.pem", cert.certificate);
        dir.write("a.key", cert.key);
    }
    ~Fixture() { proxy.reset(); }
    Fixture(const Fixture&) = delete;
    Fixture& operator=(const Fixture&) = delete;

    std::shared_ptr<Snapshot> snapshot(const std::string& backends_a,
                                       const std::string& extra = "") {
        return snapshot_with_routes(
            R"({"name": "a", "sni": ["a.test"], "backends": [)" + backends_a + "]}", extra);
    }
    std::shared_ptr<Snapshot> snapshot_with_routes(const std::string& routes,
                                                   const std::string& extra = "") {
        if (port_ == 0) {
            // The config needs a real port: take a free one from the kernel.
            Backend probe(*loop, false);
            port_ = probe.listener->local_address().port();
        }
        const std::string text = R"({"listeners": [{"address": "127.0.0.1:)" +
                                 std::to_string(port_) + R"("}],
          "certificates": [{"names": ["a.test", "b.test"], "chain": "a.pem", "key": "a.key"}],
          "routes": [)" + routes +
                                 "]" + extra + "}";
        auto config = parse_config(text, "test.json", dir.path());
        EXPECT_TRUE(config) << (config ? "" : config.error().message);
        auto built = Snapshot::build(std::move(*config), std::time(nullptr), metrics);
        EXPECT_TRUE(built) << (built ? "" : built.error().message);
        return std::move(*built);
    }
    void start(std::shared_ptr<Snapshot> s) {
        auto p = Proxy::start(*loop, logger, metrics, std::move(s));
        ASSERT_TRUE(p) << p.error();
        proxy = std::move(*p);
    }
    SocketAddress address() const { return proxy->tls_addresses().front(); }
    bool run_until(const std::function<bool()>& done, int limit_ms = 5000) {
        return run_until(
            done, [] { return false; }, limit_ms);
    }
    // As above, but also gives up (returning done()) once `give_up()` holds.
    bool run_until(const std::function<bool()>& done, const std::function<bool()>& give_up,
                   int limit_ms) {
        const auto end = clock.now() + std::chrono::milliseconds(limit_ms);
        while (!done() && !give_up() && clock.now() < end) {
            auto r = loop->run_once(std::chrono::milliseconds(20));
            if (!r) {
                return false;
            }
        }
        return done();
    }
    // Reads a counter without registering it (registering needs the exact help text). A series
    // that was never created reads as 0.
    std::uint64_t counter(const std::string& name, const platform::MetricLabels& labels = {}) {
        for (const auto& family : metrics.families()) {
            if (family.name != name) {
                continue;
            }
            for (const auto& series : family.series) {
                if (series.labels == labels) {
                    return std::get<std::unique_ptr<platform::Counter>>(series.metric)->value();
                }
            }
        }
        return 0;
    }
    std::uint64_t route_counter(const std::string& name, const std::string& route) {
        return counter(name, {{"route", route}});
    }
    // Runs until route "a"'s counter `name` has stopped moving (100 quiet iterations, at most
    // 10 s) or has reached `total`; returns its last value.
    std::uint64_t run_until_route_counter_settles(const std::string& name, std::uint64_t total) {
        std::uint64_t value = 0;
        int quiet = 0;
        (void)run_until(
            [&] {
                const std::uint64_t now = route_counter(name, "a");
                quiet = now == value ? quiet + 1 : 0;
                value = now;
                return value == total;
            },
            [&] { return quiet >= 100; }, 10000);
        return value;
    }
};

std::string quoted(const Backend& b) {
    return "\"" + b.address() + "\"";
}

TEST(Proxy, RelaysBothWaysAndPassesHalfCloseAcross) {
    Fixture f;
    Backend backend(*f.loop, false);
    f.start(f.snapshot(quoted(backend)));
    TlsClient client(*f.loop, f.address(), "a.test");
    ASSERT_TRUE(f.run_until([&] { return client.established(); }));
    client.send("request bytes");
    ASSERT_TRUE(f.run_until(
        [&] { return !backend.peers.empty() && backend.peers[0]->data == "request bytes"; }));
    // Client close_notify -> backend sees EOF (SHUT_WR), but its direction stays open.
    client.send_close_notify();
    ASSERT_TRUE(f.run_until([&] { return backend.peers[0]->eof; }));
    ASSERT_TRUE(backend.peers[0]->stream->write(bytes("late response")));
    ASSERT_TRUE(backend.peers[0]->stream->shutdown_write());
    // Backend EOF -> close_notify and FIN to the client, after the data.
    ASSERT_TRUE(f.run_until([&] { return client.close_notify && client.tcp_eof; }));
    EXPECT_EQ(client.received, "late response");
    ASSERT_TRUE(f.run_until([&] { return f.proxy->connection_count() == 0; }));
    EXPECT_EQ(f.route_counter("tls_proxy_route_client_bytes_total", "a"), 13U);
    EXPECT_EQ(f.route_counter("tls_proxy_route_backend_bytes_total", "a"), 13U);
    EXPECT_EQ(f.route_counter("tls_proxy_route_connections_total", "a"), 1U);
}

// The backend sends 48 MiB to a client that reads nothing, through a proxy configured with
// `limits`; returns how much the proxy read from the backend by the time that stopped moving.
// Then the client reads, and every byte must arrive, in order.
std::uint64_t relayed_to_a_client_that_reads_nothing(const std::string& limits) {
    Fixture f;
    Backend backend(*f.loop, false);
    f.start(f.snapshot(quoted(backend), limits));
    TlsClient client(*f.loop, f.address(), "a.test");
    EXPECT_TRUE(f.run_until([&] { return client.established(); }));
    client.send("GET /big");
    EXPECT_TRUE(f.run_until([&] { return !backend.peers.empty(); }));
    if (backend.peers.empty()) {
        return 0;
    }
    client.stream->pause_reading();
    constexpr std::size_t kTotal = 48 * 1024 * 1024;
    std::string payload(kTotal, '\0');
    for (std::size_t i = 0; i < kTotal; ++i) {
        payload[i] = static_cast<char>('a' + (i * 7 / 4096) % 26);
    }
    EXPECT_TRUE(backend.peers[0]->stream->write(bytes(payload)));
    const std::uint64_t relayed =
        f.run_until_route_counter_settles("tls_proxy_route_backend_bytes_total", kTotal);
    client.stream->resume_reading();
    EXPECT_TRUE(f.run_until([&] { return client.received.size() == kTotal; }, 60000));
    EXPECT_TRUE(client.received == payload);
    return relayed;
}

TEST(Proxy, SlowClientPausesTheBackendInsteadOfBufferingItsData) {
    // The proxy may hold only a bounded amount (its 256 KiB queue by default, besides what the
    // kernel's socket buffers take), so it must stop reading from the backend: all of it
    // relayed would mean it is buffered somewhere.
    EXPECT_LT(relayed_to_a_client_that_reads_nothing(""), 32U * 1024 * 1024);
}

TEST(Proxy, BufferBytesSetsHowMuchTheProxyQueuesBeforePausing) {
    // With limits.buffer_bytes above the whole transfer, nothing pauses the backend.
    EXPECT_EQ(relayed_to_a_client_that_reads_nothing(R"(, "limits": {"buffer_bytes": 67108864})"),
              48U * 1024 * 1024);
}

TEST(Proxy, SlowBackendPausesTheClientInsteadOfBufferingItsUpload) {
    // The other direction: the client uploads 48 MiB to a backend that reads nothing.
    Fixture f;
    Backend backend(*f.loop, false);
    f.start(f.snapshot(quoted(backend)));
    TlsClient client(*f.loop, f.address(), "a.test");
    ASSERT_TRUE(f.run_until([&] { return client.established(); }));
    client.send("upload:");
    ASSERT_TRUE(f.run_until([&] { return !backend.peers.empty(); }));
    backend.peers[0]->stream->pause_reading();
    constexpr std::size_t kTotal = 48 * 1024 * 1024;
    std::string payload(kTotal, '\0');
    for (std::size_t i = 0; i < kTotal; ++i) {
        payload[i] = static_cast<char>('A' + (i * 5 / 4096) % 26);
    }
    client.send(payload);
    const std::uint64_t relayed =
        f.run_until_route_counter_settles("tls_proxy_route_client_bytes_total", kTotal + 7);
    EXPECT_LT(relayed, kTotal - 16 * 1024 * 1024);
    EXPECT_GT(client.stream->pending_write_bytes(), 0U);  // held back at the source
    backend.peers[0]->stream->resume_reading();
    ASSERT_TRUE(f.run_until([&] { return backend.peers[0]->data.size() == kTotal + 7; }, 60000));
    EXPECT_TRUE(backend.peers[0]->data == "upload:" + payload);
}

TEST(Proxy, FailsOverToTheNextBackend) {
    Fixture f;
    Backend live(*f.loop, true);
    // A port with nothing listening: bind a listener, note its port, close it.
    std::string dead;
    {
        Backend gone(*f.loop, false);
        dead = quoted(gone);
    }
    f.start(f.snapshot(dead + ", " + quoted(live)));
    TlsClient client(*f.loop, f.address(), "a.test");
    ASSERT_TRUE(f.run_until([&] { return client.established(); }));
    client.send("ping");
    ASSERT_TRUE(f.run_until([&] { return client.received == "ping"; }));
    EXPECT_EQ(f.route_counter("tls_proxy_route_backend_failures_total", "a"), 1U);
}

TEST(Proxy, HealthChecksKeepConnectionsAwayFromADeadBackend) {
    Fixture f;
    Backend live(*f.loop, true);
    std::string dead;
    {
        Backend gone(*f.loop, false);
        dead = quoted(gone);
    }
    f.start(f.snapshot(dead + ", " + quoted(live)));
    // Without health checks, round-robin sends every other connection to the dead one first.
    for (int i = 0; i < 2; ++i) {
        TlsClient client(*f.loop, f.address(), "a.test");
        ASSERT_TRUE(f.run_until([&] { return client.established(); }));
        client.send("x");
        ASSERT_TRUE(f.run_until([&] { return client.received == "x"; }));
    }
    EXPECT_EQ(f.route_counter("tls_proxy_route_backend_failures_total", "a"), 1U);

    // With them (fall 1), the probe marks it down and no connection tries it any more.
    Fixture g;
    Backend live2(*g.loop, true);
    std::string dead2;
    {
        Backend gone(*g.loop, false);
        dead2 = quoted(gone);
    }
    const std::string route = R"({"name": "a", "sni": ["a.test"], "backends": [)" + dead2 + ", " +
                              quoted(live2) +
                              R"(], "health_check": {"interval": 0.05, "timeout": 1, "fall": 1}})";
    g.start(g.snapshot_with_routes(route));
    ASSERT_TRUE(g.run_until([&] {
        return std::any_of(g.sink.entries().begin(), g.sink.entries().end(), [](const auto& e) {
            return e.line.find("backend down") != std::string::npos;
        });
    }));
    for (int i = 0; i < 4; ++i) {
        TlsClient client(*g.loop, g.address(), "a.test");
        ASSERT_TRUE(g.run_until([&] { return client.established(); }));
        client.send("y");
        ASSERT_TRUE(g.run_until([&] { return client.received == "y"; }));
    }
    EXPECT_EQ(g.route_counter("tls_proxy_route_backend_failures_total", "a"), 0U);
    // (Probes connect to the live backend too, without sending anything.)
    EXPECT_EQ(std::count_if(live2.peers.begin(), live2.peers.end(),
                            [](const auto& p) { return p->data == "y"; }),
              4);
}

TEST(Proxy, NoBackendMeansCleanClose) {
    Fixture f;
    std::string dead;
    {
        Backend gone(*f.loop, false);
        dead = quoted(gone);
    }
    f.start(f.snapshot(dead));
    TlsClient client(*f.loop, f.address(), "a.test");
    ASSERT_TRUE(f.run_until([&] { return client.close_notify && client.tcp_eof; }));
    EXPECT_TRUE(client.established());
    EXPECT_EQ(client.received, "");  // not an http route: no 502 page
    EXPECT_EQ(f.route_counter("tls_proxy_route_unavailable_total", "a"), 1U);
    ASSERT_TRUE(f.run_until([&] { return f.proxy->connection_count() == 0; }));
}

TEST(Proxy, ConnectionsBeyondTheLimitAreClosedAtAccept) {
    Fixture f;
    Backend backend(*f.loop, true);
    f.start(f.snapshot(quoted(backend), R"(, "limits": {"max_connections": 1})"));
    TlsClient first(*f.loop, f.address(), "a.test");
    ASSERT_TRUE(f.run_until([&] { return first.established(); }));
    TlsClient second(*f.loop, f.address(), "a.test");
    ASSERT_TRUE(f.run_until([&] { return second.tcp_eof || second.error; }));
    EXPECT_FALSE(second.established());
    EXPECT_EQ(f.counter("tls_proxy_rejected_total"), 1U);
    first.send("still served");
    ASSERT_TRUE(f.run_until([&] { return first.received == "still served"; }));
}

TEST(Proxy, SilentClientIsClosedAfterTheHandshakeTimeout) {
    Fixture f;
    Backend backend(*f.loop, true);
    f.start(f.snapshot(quoted(backend), R"(, "timeouts": {"handshake": 0.2})"));
    bool eof = false;
    TcpCallbacks cb;
    cb.on_peer_closed = [&] { eof = true; };
    cb.on_error = [&](const platform::io::IoError&) { eof = true; };
    auto raw = TcpStream::connect(*f.loop, f.address(), cb);
    ASSERT_TRUE(raw);
    const auto start = f.clock.now();
    ASSERT_TRUE(f.run_until([&] { return eof; }, 3000));
    EXPECT_GE(f.clock.now() - start, std::chrono::milliseconds(150));
    EXPECT_EQ(f.counter("tls_proxy_handshake_failures_total", {{"reason", "timeout"}}), 1U);
}

TEST(Proxy, IdleConnectionIsClosed) {
    Fixture f;
    Backend backend(*f.loop, true);
    f.start(f.snapshot(quoted(backend), R"(, "timeouts": {"idle": 0.3})"));
    TlsClient client(*f.loop, f.address(), "a.test");
    ASSERT_TRUE(f.run_until([&] { return client.established(); }));
    client.send("x");
    ASSERT_TRUE(f.run_until([&] { return client.received == "x"; }));
    ASSERT_TRUE(f.run_until([&] { return client.tcp_eof; }, 3000));
    ASSERT_TRUE(f.run_until([&] { return f.proxy->connection_count() == 0; }));
}

TEST(Proxy, ReloadRoutesNewConnectionsAndKeepsEstablishedOnes) {
    Fixture f;
    Backend old_backend(*f.loop, true);
    Backend new_backend(*f.loop, true);
    f.start(f.snapshot(quoted(old_backend)));
    TlsClient before(*f.loop, f.address(), "a.test");
    ASSERT_TRUE(f.run_until([&] { return before.established(); }));
    before.send("one");
    ASSERT_TRUE(f.run_until([&] { return before.received == "one"; }));

    f.proxy->reload(f.snapshot(quoted(new_backend)));
    TlsClient after(*f.loop, f.address(), "a.test");
    ASSERT_TRUE(f.run_until([&] { return after.established(); }));
    after.send("two");
    ASSERT_TRUE(f.run_until([&] { return after.received == "two"; }));
    before.send("three");
    ASSERT_TRUE(f.run_until([&] { return before.received == "onethree"; }));
    ASSERT_EQ(old_backend.peers.size(), 1U);
    ASSERT_EQ(new_backend.peers.size(), 1U);
    EXPECT_EQ(old_backend.peers[0]->data, "onethree");
    EXPECT_EQ(new_backend.peers[0]->data, "two");
}

TEST(Proxy, StopClosesConnectionsWithCloseNotify) {
    Fixture f;
    Backend backend(*f.loop, true);
    f.start(f.snapshot(quoted(backend)));
    TlsClient client(*f.loop, f.address(), "a.test");
    ASSERT_TRUE(f.run_until([&] { return client.established(); }));
    client.send("x");
    ASSERT_TRUE(f.run_until([&] { return client.received == "x"; }));
    bool stopped = false;
    f.proxy->stop([&] { stopped = true; });
    ASSERT_TRUE(f.run_until([&] { return stopped && client.close_notify; }));
    EXPECT_TRUE(f.proxy->tls_addresses().empty());
}

}  // namespace
}  // namespace nfv::tls_proxy
