// Interop probe (test tool, not a product): one ServerSession on a loopback UDP port, serving
// one real openvpn 2.6 client (run with --dev null) through the stateless reset cookie. It
// prints the session's events and exits 0 once the data channel carried keepalives both ways
// and `--renegotiations` key renegotiations completed; 1 on a closed session or the time limit.
// Used by tests/interop/vpn_server_session_vs_openvpn.sh. Plain POSIX sockets and poll(): the
// server runtime proper (apps/vpn/src/server/) does not exist yet.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <poll.h>
#include <unistd.h>

#include "nfv/platform/random.hpp"

#include "proto/static_key.hpp"
#include "proto/tls_auth.hpp"
#include "proto/tls_crypt.hpp"
#include "proto/tls_crypt_v2.hpp"
#include "session/openssl_tls_stream.hpp"
#include "session/reset_cookie.hpp"
#include "session/server_session.hpp"

namespace {

namespace session = nfv::vpn::session;
namespace proto = nfv::vpn::proto;

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

session::Now now() {
    const auto mono = std::chrono::steady_clock::now().time_since_epoch();
    return {nfv::platform::Instant{std::chrono::duration_cast<nfv::platform::Duration>(mono)},
            static_cast<std::uint32_t>(std::time(nullptr))};
}

const char* kind_name(session::ServerEvent::Kind kind) {
    switch (kind) {
        case session::ServerEvent::Kind::kAuthenticated:
            return "authenticated";
        case session::ServerEvent::Kind::kPushRequest:
            return "push-request";
        case session::ServerEvent::Kind::kDataChannelReady:
            return "data-channel-ready";
        case session::ServerEvent::Kind::kRenegotiated:
            return "renegotiated";
        case session::ServerEvent::Kind::kClosed:
            return "closed";
    }
    return "?";
}

}  // namespace

int main(int argc, char** argv) {
    std::map<std::string, std::string> opt;
    for (int i = 1; i + 1 < argc; i += 2) {
        opt[argv[i]] = argv[i + 1];  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    }
    // --wrap tls-crypt|tls-auth|tls-crypt-v2 with --wrap-key FILE (the static key, or the
    // tls-crypt-v2 server key).
    for (const char* required : {"--port", "--ca", "--cert", "--key", "--wrap", "--wrap-key"}) {
        if (!opt.contains(required)) {
            std::fprintf(
                stderr,
                "usage: %s --port P --ca F --cert F --key F --wrap MODE --wrap-key F "
                "[--seconds N] [--renegotiations R] [--reneg-sec S] [--data-ciphers A:B]\n",
                argv[0]);
            return 2;
        }
    }
    const std::string mode = opt["--wrap"];
    const int limit = opt.contains("--seconds") ? std::stoi(opt["--seconds"]) : 60;
    const int wanted_renegotiations =
        opt.contains("--renegotiations") ? std::stoi(opt["--renegotiations"]) : 0;

    nfv::platform::OsRandom random;
    auto cookie = session::ResetCookie::create(random);
    session::ListenerAuth listener;
    std::optional<proto::StaticKey> key;
    if (mode == "tls-crypt-v2") {
        auto server_key = proto::TlsCryptV2ServerKey::parse(read_file(opt["--wrap-key"]));
        if (!server_key) {
            std::fprintf(stderr, "probe: bad tls-crypt-v2 server key\n");
            return 2;
        }
        listener = *server_key;
    } else {
        key = proto::StaticKey::parse(read_file(opt["--wrap-key"])).value();
        if (mode == "tls-auth") {
            listener = proto::TlsAuth::create(*key, proto::KeyDirection::kNormal).value();
        } else {
            listener = proto::TlsCrypt::create(*key, /*is_server=*/true).value();
        }
    }
    // The session's own wrap: the same keys with a replay window, or tls-crypt with this
    // client's Kc.
    const auto session_wrap =
        [&](const std::optional<proto::UnwrappedClientKey>& client_key) -> proto::ControlWrap {
        if (mode == "tls-crypt-v2") {
            return {proto::TlsCrypt::create(proto::StaticKey(client_key->key), true).value(), {}};
        }
        if (mode == "tls-auth") {
            return {proto::TlsAuth::create(*key, proto::KeyDirection::kNormal).value(), {}};
        }
        return {proto::TlsCrypt::create(*key, /*is_server=*/true).value(), {}};
    };

    proto::TlsEngineConfig tls;
    tls.is_server = true;
    tls.ca_pem = read_file(opt["--ca"]);
    tls.cert_pem = read_file(opt["--cert"]);
    tls.key_pem = read_file(opt["--key"]);
    tls.remote_cert_tls = proto::RemoteCertTls::kClient;

    const int fd = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = htons(static_cast<std::uint16_t>(std::stoi(opt["--port"])));
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) {
        std::perror("probe: bind");
        return 2;
    }
    std::printf("probe: listening on 127.0.0.1:%s\n", opt["--port"].c_str());
    std::fflush(stdout);

    std::unique_ptr<session::ServerSession> server;
    sockaddr_in peer{};
    const auto start = now().mono;
    int renegotiations = 0;
    bool ready = false;
    std::vector<std::byte> buffer(65536);
    const auto send = [&](const std::vector<std::byte>& datagram, const sockaddr_in& to) {
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
        (void)::sendto(fd, datagram.data(), datagram.size(), 0,
                       reinterpret_cast<const sockaddr*>(&to), sizeof(to));
    };
    while (now().mono - start < std::chrono::seconds(limit)) {
        int timeout_ms = 100;
        if (server) {
            if (const auto deadline = server->next_deadline()) {
                const auto left =
                    std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - now().mono);
                timeout_ms = static_cast<int>(std::clamp<std::int64_t>(left.count(), 0, 100));
            }
        }
        pollfd pfd{fd, POLLIN, 0};
        if (::poll(&pfd, 1, timeout_ms) > 0) {
            sockaddr_in from{};
            socklen_t from_size = sizeof(from);
            const auto got =
                ::recvfrom(fd, buffer.data(), buffer.size(), 0,
                           // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast)
                           reinterpret_cast<sockaddr*>(&from), &from_size);
            if (got > 0) {
                std::span<std::byte> datagram(buffer.data(), static_cast<std::size_t>(got));
                const auto address = std::as_bytes(std::span(&from, 1));
                const bool known = server && from.sin_port == peer.sin_port &&
                                   from.sin_addr.s_addr == peer.sin_addr.s_addr;
                if (!known && !server) {
                    const auto first =
                        session::handle_first_packet(datagram, address, listener, *cookie, now());
                    if (first.verdict == session::FirstPacketVerdict::kReply) {
                        std::printf("probe: stateless reset reply (%zu bytes)\n",
                                    first.reply.size());
                        send(first.reply, from);
                    } else if (first.verdict == session::FirstPacketVerdict::kAccept ||
                               first.verdict == session::FirstPacketVerdict::kStartSession) {
                        const bool echoed = first.verdict == session::FirstPacketVerdict::kAccept;
                        std::printf("probe: %s\n", echoed ? "cookie echoed, session created"
                                                          : "tls-crypt-v2 reset without cookie, "
                                                            "session created");
                        session::ServerSessionConfig config;
                        config.wrap = session_wrap(first.client_key);
                        config.tls_crypt_v2 = mode == "tls-crypt-v2";
                        if (first.client_key) {
                            std::printf("probe: tls-crypt-v2 client key, %zu bytes of metadata\n",
                                        first.client_key->metadata.size());
                        }
                        if (echoed) {
                            config.local_session_id = first.server_session_id;
                        } else {
                            random.fill(config.local_session_id);
                        }
                        config.options_string =
                            "V4,dev-type tun,link-mtu 1550,tun-mtu 1500,proto UDPv4,cipher "
                            "AES-256-GCM,auth [null-digest],keysize 256,key-method 2,tls-server";
                        config.make_tls = session::openssl_tls_factory(tls);
                        config.push.options = {"topology subnet", "route-gateway 10.8.0.1",
                                               "ping 2", "ping-restart 20"};
                        config.push.ifconfig = {nfv::net::Ipv4Address({10, 8, 0, 2}),
                                                nfv::net::Ipv4Address({255, 255, 255, 0})};
                        config.ping = std::chrono::seconds(2);
                        config.ping_restart = std::chrono::seconds(20);
                        if (opt.contains("--data-ciphers")) {
                            // --data-ciphers A:B:C (supported names only).
                            config.data_ciphers.clear();
                            std::stringstream list(opt["--data-ciphers"]);
                            for (std::string name; std::getline(list, name, ':');) {
                                config.data_ciphers.push_back(
                                    proto::parse_data_cipher(name).value());
                            }
                        }
                        if (opt.contains("--reneg-sec")) {
                            config.reneg_interval =
                                std::chrono::seconds(std::stoi(opt["--reneg-sec"]));
                        }
                        server =
                            echoed ? std::make_unique<session::ServerSession>(
                                         std::move(config), random, now(), first.client_session_id)
                                   : std::make_unique<session::ServerSession>(std::move(config),
                                                                              random, now());
                        peer = from;
                        server->on_control_packet(datagram, now());
                    }
                } else if (known) {
                    const auto op =
                        proto::parse_opcode_byte(std::to_integer<std::uint8_t>(datagram[0]));
                    if (op && !proto::is_control(op->opcode)) {
                        (void)server->decrypt(datagram, now());
                    } else {
                        server->on_control_packet(datagram, now());
                    }
                }
            }
        }
        if (!server) {
            continue;
        }
        if (const auto deadline = server->next_deadline(); deadline && *deadline <= now().mono) {
            server->on_timer(now());
        }
        while (auto out = server->poll_transmit(now())) {
            send(*out, peer);
        }
        while (auto event = server->poll_event()) {
            std::printf("probe: event %s %s\n", kind_name(event->kind), event->text.c_str());
            if (event->kind == session::ServerEvent::Kind::kAuthenticated) {
                std::printf("probe: client peer-info IV_PROTO=%u\n",
                            server->peer_info().iv_proto.value_or(0));
            }
            std::fflush(stdout);
            if (event->kind == session::ServerEvent::Kind::kClosed) {
                return 1;
            }
            ready = ready || event->kind == session::ServerEvent::Kind::kDataChannelReady;
            renegotiations += event->kind == session::ServerEvent::Kind::kRenegotiated ? 1 : 0;
        }
        if (ready && server->stats().pings_received >= 3 && server->stats().pings_sent >= 3 &&
            renegotiations >= wanted_renegotiations) {
            std::printf(
                "probe: OK pings received %llu sent %llu, renegotiations %d, data "
                "dropped %llu\n",
                static_cast<unsigned long long>(server->stats().pings_received),
                static_cast<unsigned long long>(server->stats().pings_sent), renegotiations,
                static_cast<unsigned long long>(server->stats().data_dropped));
            return 0;
        }
    }
    std::printf("probe: time limit reached (ready=%d renegotiations=%d)\n", ready ? 1 : 0,
                renegotiations);
    return 1;
}
