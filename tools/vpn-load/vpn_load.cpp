// nfv-vpn-load: many OpenVPN clients in one process, for loading a server (issue 6: "one
// process serves at least 1,000 concurrent clients, driven by a load tool of ours built on the
// client core").
//
// Each simulated client is the real protocol core (session::ClientSession: reset, TLS,
// key-method 2, PUSH_REQUEST/PUSH_REPLY, data channel with keepalive pings) on its own UDP
// socket, so the server sees N distinct peers. There is no TUN: the clients only keep their
// sessions alive. Handshakes are started in waves (at most --parallel in flight) so that the
// server's hand-window is not the bottleneck being measured.
//
// Usage: nfv-vpn-load --config client.ovpn --clients N [--parallel P] [--timeout S] [--hold S]
//                     [--DIRECTIVE ARGS ...]
// Prints one line when every client has connected or --timeout passed:
//   "nfv-vpn-load: connected=N failed=F pending=P seconds=T"
// then keeps the sessions alive for --hold seconds (default 0), or until SIGTERM/SIGINT, and
// exits 0 if every client connected, 1 otherwise.
#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/resource.h>

#include "nfv/platform/clock.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/signal_watcher.hpp"
#include "nfv/platform/io/socket_address.hpp"
#include "nfv/platform/io/udp_socket.hpp"
#include "nfv/platform/random.hpp"

#include "client/client_setup.hpp"
#include "config/check_config.hpp"
#include "config/config_loader.hpp"
#include "config/push_reply.hpp"
#include "proto/data_channel.hpp"
#include "proto/packet.hpp"
#include "session/client_session.hpp"
#include "session/openssl_tls_stream.hpp"

namespace {

using nfv::platform::io::SocketAddress;
namespace session = nfv::vpn::session;
namespace config = nfv::vpn::config;

struct Options {
    std::size_t clients = 0;
    std::size_t parallel = 50;
    std::uint32_t timeout_seconds = 120;
    std::uint32_t hold_seconds = 0;
    std::vector<std::string> config_args;
};

constexpr const char* kUsage =
    "Usage: nfv-vpn-load --config client.ovpn --clients N [--parallel P] [--timeout S]\n"
    "                    [--hold S] [--DIRECTIVE ARGS ...]\n";

std::optional<Options> parse_options(int argc, char** argv) {
    Options options;
    std::vector<std::string_view> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto number = [&](auto& out) {
            if (i + 1 >= args.size()) {
                return false;
            }
            out = static_cast<std::remove_reference_t<decltype(out)>>(
                std::strtoul(std::string(args[++i]).c_str(), nullptr, 10));
            return true;
        };
        bool ok = true;
        if (args[i] == "--clients") {
            ok = number(options.clients);
        } else if (args[i] == "--parallel") {
            ok = number(options.parallel);
        } else if (args[i] == "--timeout") {
            ok = number(options.timeout_seconds);
        } else if (args[i] == "--hold") {
            ok = number(options.hold_seconds);
        } else {
            options.config_args.emplace_back(args[i]);
        }
        if (!ok) {
            return std::nullopt;
        }
    }
    if (options.clients == 0 || options.parallel == 0 || options.config_args.empty()) {
        return std::nullopt;
    }
    return options;
}

struct LoadClient {
    std::unique_ptr<nfv::platform::io::UdpSocket> socket;
    std::unique_ptr<session::ClientSession> session;
    std::optional<config::PushReplyAssembler> push;
    bool connected = false;
    bool failed = false;
    std::uint32_t sent = 0;      // datagrams handed to the socket
    std::uint32_t received = 0;  // datagrams from the server
};

class Load {
public:
    Load(nfv::platform::io::EventLoop& loop, nfv::platform::Random& random,
         const config::VpnConfig& vpn, config::FileReader& reader, SocketAddress server,
         Options options)
        : loop_(loop),
          random_(random),
          vpn_(vpn),
          reader_(reader),
          server_(server),
          options_(std::move(options)),
          clients_(options_.clients) {}

    // Starts clients while fewer than --parallel are in a handshake.
    void start_more() {
        while (next_ < clients_.size() && in_handshake() < options_.parallel) {
            start(next_++);
        }
    }

    void tick() {
        const auto t = now();
        for (std::size_t i = 0; i < next_; ++i) {
            LoadClient& c = clients_[i];
            if (c.failed || !c.session) {
                continue;
            }
            if (const auto deadline = c.session->next_deadline(); deadline && *deadline <= t.mono) {
                c.session->on_timer(t);
                pump(i);
            }
        }
        start_more();
    }

    [[nodiscard]] std::size_t connected() const {
        return count([](auto& c) { return c.connected; });
    }
    [[nodiscard]] std::size_t failed() const {
        return count([](auto& c) { return c.failed; });
    }
    [[nodiscard]] bool settled() const { return connected() + failed() == clients_.size(); }
    [[nodiscard]] std::uint64_t send_dropped() const { return send_dropped_; }
    [[nodiscard]] std::uint64_t send_would_block() const {
        std::uint64_t n = 0;
        for (const auto& c : clients_) {
            n += c.socket ? c.socket->stats().send_would_block : 0U;
        }
        return n;
    }

private:
    template <typename Predicate>
    std::size_t count(Predicate predicate) const {
        std::size_t n = 0;
        for (const auto& c : clients_) {
            n += predicate(c) ? 1U : 0U;
        }
        return n;
    }

    [[nodiscard]] std::size_t in_handshake() const {
        std::size_t n = 0;
        for (std::size_t i = 0; i < next_; ++i) {
            n += (!clients_[i].connected && !clients_[i].failed) ? 1U : 0U;
        }
        return n;
    }

    session::Now now() {
        return {loop_.now(), static_cast<std::uint32_t>(loop_.clock().wall_now().unix_seconds)};
    }

    void start(std::size_t index) {
        LoadClient& c = clients_[index];
        nfv::platform::io::UdpOptions udp;
        // No SO_REUSEADDR: with it Linux may give two port-0 sockets the same port, and one
        // client would receive the other's packets.
        udp.reuse_address = false;
        udp.receive_batch = 4;
        udp.max_datagram_size = 2048;
        udp.send_queue_datagrams = 16;
        udp.send_queue_bytes = 32 * 1024;
        const auto local = server_.family() == AF_INET6 ? *SocketAddress::parse("::", 0)
                                                        : *SocketAddress::parse("0.0.0.0", 0);
        auto bound = nfv::platform::io::UdpSocket::bind(
            loop_, local, udp, [this, index](auto batch) { on_datagrams(index, batch); });
        if (!bound) {
            std::fprintf(stderr, "nfv-vpn-load: client %zu: %s\n", index,
                         bound.error().message().c_str());
            c.failed = true;
            return;
        }
        c.socket = std::move(*bound);
        // Fresh materials per client: the control-channel wrap carries per-session state.
        auto materials = nfv::vpn::client::prepare_client(vpn_, reader_, "load");
        if (!materials) {
            std::fprintf(stderr, "nfv-vpn-load: %s\n", materials.error().c_str());
            c.failed = true;
            return;
        }
        session::ClientSessionConfig sc;
        sc.wrap = std::move(materials->wrap);
        random_.fill(sc.local_session_id);
        sc.options_string = materials->options_string;
        sc.peer_info = materials->peer_info;
        sc.credentials = materials->credentials;
        sc.make_tls = session::openssl_tls_factory(materials->tls);
        sc.handshake_window = std::chrono::seconds(vpn_.hand_window);
        c.session = std::make_unique<session::ClientSession>(std::move(sc), random_, now());
        c.push.emplace(config::PullPolicy{vpn_.client.pull_filters, vpn_.client.route_nopull});
        pump(index);
    }

    void on_datagrams(std::size_t index,
                      std::span<const nfv::platform::io::ReceivedDatagram> batch) {
        LoadClient& c = clients_[index];
        if (!c.session || c.failed) {
            return;
        }
        const auto t = now();
        for (const auto& datagram : batch) {
            ++c.received;
            if (datagram.payload.empty()) {
                continue;
            }
            const auto opcode = static_cast<std::uint8_t>(datagram.payload[0]) >> 3U;
            if (opcode == 6 || opcode == 9) {  // P_DATA_V1 / P_DATA_V2: the server's pings
                buffer_.assign(datagram.payload.begin(), datagram.payload.end());
                (void)c.session->decrypt(buffer_, t);
            } else {
                c.session->on_control_packet(datagram.payload, t);
            }
        }
        pump(index);
    }

    void pump(std::size_t index) {
        LoadClient& c = clients_[index];
        const auto t = now();
        send_all(c, t);
        while (auto event = c.session->poll_event()) {
            using Kind = session::SessionEvent::Kind;
            if (event->kind == Kind::kPushReply) {
                auto merged = c.push->add(event->text);
                if (merged && *merged) {
                    activate(c, **merged, t);
                }
            } else if (event->kind == Kind::kAuthFailed || event->kind == Kind::kFailed ||
                       event->kind == Kind::kHalt || event->kind == Kind::kRestart) {
                if (!c.failed) {
                    std::fprintf(
                        stderr,
                        "nfv-vpn-load: client %zu (port %u): %s (state %d, sent %u, "
                        "received %u, control dropped %llu)\n",
                        index, c.socket->local_address().port(), event->text.c_str(),
                        static_cast<int>(c.session->state()), c.sent, c.received,
                        static_cast<unsigned long long>(c.session->stats().control_dropped));
                }
                c.failed = true;
                c.connected = false;
                return;
            }
        }
        send_all(c, t);
    }

    void send_all(LoadClient& c, session::Now t) {
        while (auto wire = c.session->poll_transmit(t)) {
            ++c.sent;
            const auto sent = c.socket->send_to(server_, *wire);
            if (!sent || *sent != nfv::platform::io::SendStatus::kQueued) {
                ++send_dropped_;  // the session retransmits what needs it
            }
        }
    }

    void activate(LoadClient& c, const config::PushedOptions& pushed, session::Now t) {
        const auto cipher = nfv::vpn::proto::parse_data_cipher(
            pushed.cipher ? *pushed.cipher : vpn_.data_ciphers_fallback);
        if (!cipher) {
            c.failed = true;
            return;
        }
        nfv::vpn::proto::DataChannelConfig data;
        data.cipher = *cipher;
        if (auto digest = nfv::vpn::proto::parse_data_digest(vpn_.auth)) {
            data.digest = *digest;
        }
        const bool ekm = (pushed.protocol_flags && pushed.protocol_flags->tls_ekm) ||
                         pushed.key_derivation_tls_ekm;
        const bool dyn = pushed.protocol_flags && pushed.protocol_flags->dyn_tls_crypt;
        if (!c.session->activate_data_channel(data, ekm, pushed.peer_id, dyn)) {
            c.failed = true;
            return;
        }
        c.session->set_keepalive(std::chrono::seconds(pushed.ping.value_or(10)),
                                 std::chrono::seconds(pushed.ping_restart.value_or(120)), t);
        c.connected = true;
    }

    nfv::platform::io::EventLoop& loop_;
    nfv::platform::Random& random_;
    const config::VpnConfig& vpn_;
    config::FileReader& reader_;
    SocketAddress server_;
    Options options_;
    std::vector<LoadClient> clients_;
    std::size_t next_ = 0;
    std::vector<std::byte> buffer_;
    std::uint64_t send_dropped_ = 0;
};

void raise_file_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        (void)::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

}  // namespace

int main(int argc, char** argv) {
    auto options = parse_options(argc, argv);
    if (!options) {
        std::fputs(kUsage, stderr);
        return 2;
    }
    raise_file_limit();
    config::DiskFileReader reader;
    const auto checked = config::check_command_line(options->config_args, reader);
    if (!checked.config || !checked.diagnostics.ok()) {
        for (const auto& error : checked.diagnostics.errors) {
            std::fprintf(stderr, "nfv-vpn-load: error: %s\n", error.to_string().c_str());
        }
        return 2;
    }
    const config::VpnConfig& vpn = *checked.config;
    if (vpn.client.remotes.empty()) {
        std::fputs("nfv-vpn-load: error: the config has no remote\n", stderr);
        return 2;
    }
    const auto& remote = vpn.client.remotes.front();
    const auto server = SocketAddress::parse(remote.host, remote.port.value_or(vpn.port));
    if (!server) {
        std::fprintf(stderr, "nfv-vpn-load: error: remote %s: give an IP address\n",
                     remote.host.c_str());
        return 2;
    }
    auto materials = nfv::vpn::client::prepare_client(vpn, reader, "load");
    if (!materials) {
        std::fprintf(stderr, "nfv-vpn-load: error: %s\n", materials.error().c_str());
        return 2;
    }
    nfv::platform::SystemClock clock;
    nfv::platform::OsRandom random;
    auto loop = nfv::platform::io::EventLoop::create(clock);
    if (!loop) {
        std::fprintf(stderr, "nfv-vpn-load: error: io_uring: %s\n", loop.error().message().c_str());
        return 2;
    }
    Load load(**loop, random, vpn, reader, *server, *options);
    const auto started = (*loop)->now();
    bool reported = false;
    std::optional<nfv::platform::Instant> hold_until;
    auto report = [&] {
        const auto seconds = std::chrono::duration<double>((*loop)->now() - started).count();
        std::printf(
            "nfv-vpn-load: connected=%zu failed=%zu pending=%zu seconds=%.1f send_dropped=%llu "
            "send_would_block=%llu\n",
            load.connected(), load.failed(), options->clients - load.connected() - load.failed(),
            seconds, static_cast<unsigned long long>(load.send_dropped()),
            static_cast<unsigned long long>(load.send_would_block()));
        std::fflush(stdout);
        reported = true;
        hold_until = (*loop)->now() + std::chrono::seconds(options->hold_seconds);
    };
    std::function<void()> tick = [&] {
        load.tick();
        const bool timed_out =
            (*loop)->now() - started >= std::chrono::seconds(options->timeout_seconds);
        if (!reported && (load.settled() || timed_out)) {
            report();
        }
        if (reported && hold_until && (*loop)->now() >= *hold_until) {
            (*loop)->stop();
            return;
        }
        (*loop)->add_timer_after(std::chrono::milliseconds(100), tick);
    };
    static constexpr std::array<int, 2> kStop = {SIGTERM, SIGINT};
    auto signals =
        nfv::platform::io::SignalWatcher::create(**loop, kStop, [&](int) { (*loop)->stop(); });
    if (!signals) {
        return 2;
    }
    load.start_more();
    (*loop)->add_timer_after(std::chrono::milliseconds(100), tick);
    if (auto ran = (*loop)->run(); !ran) {
        std::fprintf(stderr, "nfv-vpn-load: error: event loop: %s\n",
                     ran.error().message().c_str());
        return 2;
    }
    if (!reported) {
        report();
    }
    return load.connected() == options->clients ? 0 : 1;
}
