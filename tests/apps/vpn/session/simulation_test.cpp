// Deterministic simulation: a ClientSession and a ServerSession over a simulated UDP wire that
// loses, delays (and so reorders) and duplicates datagrams, under a manual clock and seeded
// randomness. Everything is a function of the seed, so each run is reproducible byte for byte
// and a failure names the seed that shows it (DESIGN.md "Testing": simulation).
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <tuple>

#include <gtest/gtest.h>

#include "nfv/platform/testing/manual_clock.hpp"
#include "nfv/platform/testing/seeded_random.hpp"

#include "../data/test_pki.hpp"
#include "session/openssl_tls_stream.hpp"
#include "session/reset_cookie.hpp"
#include "session_pair.hpp"

namespace nfv::vpn::session {
namespace {

using namespace std::chrono_literals;
using platform::Duration;
using platform::Instant;

struct WireParams {
    double loss = 0.0;        // each datagram, each direction
    double duplicate = 0.05;  // a second copy with its own delay
    Duration min_delay = 5ms;
    Duration max_delay = 120ms;  // random delays reorder datagrams
};

// One datagram on its way. `order` breaks ties so that the run does not depend on how the
// standard library orders equal keys.
struct Flight {
    bool to_server = false;
    std::vector<std::byte> bytes;
};

class SimWire {
public:
    SimWire(WireParams params, std::uint64_t seed) : params_(params), random_(seed) {}

    void send(bool to_server, const std::vector<std::byte>& bytes, Instant now) {
        if (uniform() < params_.loss) {
            ++lost;
            return;
        }
        schedule(to_server, bytes, now);
        if (uniform() < params_.duplicate) {
            ++duplicated;
            schedule(to_server, bytes, now);
        }
    }

    [[nodiscard]] std::optional<Instant> next_arrival() const {
        if (in_flight_.empty()) {
            return std::nullopt;
        }
        return std::get<0>(in_flight_.begin()->first);
    }

    std::optional<Flight> pop_due(Instant now) {
        if (in_flight_.empty() || std::get<0>(in_flight_.begin()->first) > now) {
            return std::nullopt;
        }
        auto node = in_flight_.extract(in_flight_.begin());
        return std::move(node.mapped());
    }

    std::uint64_t lost = 0;
    std::uint64_t duplicated = 0;

private:
    double uniform() {
        return static_cast<double>(random_.next_u64() >> 11U) * 0x1.0p-53;  // [0, 1)
    }
    void schedule(bool to_server, const std::vector<std::byte>& bytes, Instant now) {
        const auto span = params_.max_delay - params_.min_delay;
        const auto delay =
            params_.min_delay +
            Duration(static_cast<Duration::rep>(uniform() * static_cast<double>(span.count())));
        in_flight_.emplace(std::tuple{now + delay, order_++}, Flight{to_server, bytes});
    }

    WireParams params_;
    platform::testing::SeededRandom random_;
    std::map<std::tuple<Instant, std::uint64_t>, Flight> in_flight_;
    std::uint64_t order_ = 0;
};

enum class Initiator : std::uint8_t { kServer, kClient };

struct Outcome {
    bool connected = false;
    std::uint64_t client_renegotiations = 0;
    std::uint64_t server_renegotiations = 0;
    std::uint64_t data_to_server = 0;
    std::uint64_t data_to_client = 0;
    // Data packets delivered under the newest key (after both sides' last rotation).
    std::uint64_t to_server_after_last_reneg = 0;
    std::uint64_t to_client_after_last_reneg = 0;
    std::vector<std::string> failures;  // kFailed/kRestart/kClosed texts, wrong plaintext
    Duration elapsed{};
    std::uint64_t transcript = 0xcbf29ce484222325ULL;  // FNV-1a over (time, direction, bytes)
    std::uint64_t datagrams = 0;
    std::uint64_t lost = 0;
    std::string peer_common_name;       // from the server's kAuthenticated event
    std::uint64_t cookie_replies = 0;   // stateless resets sent before the session existed
    std::uint64_t client_restarts = 0;  // handshake-window restarts before any session
};

constexpr int kRenegotiations = 3;
constexpr Duration kRenegInterval = 20s;
constexpr Duration kLimit = 900s;  // virtual time

void mix(std::uint64_t& hash, std::uint64_t value) {
    for (int i = 0; i < 8; ++i) {
        hash ^= (value >> (8U * static_cast<unsigned>(i))) & 0xffU;
        hash *= 0x100000001b3ULL;
    }
}

bool is_data(std::span<const std::byte> packet) {
    const auto op = proto::parse_opcode_byte(std::to_integer<std::uint8_t>(packet[0]));
    return op && !proto::is_control(op->opcode);
}

std::vector<std::byte> payload(std::string_view direction, std::uint64_t n) {
    const std::string text = std::string(direction) + " packet " + std::to_string(n);
    const auto view = std::as_bytes(std::span(text.data(), text.size()));
    return {view.begin(), view.end()};
}

bool has_prefix(std::span<const std::byte> bytes, std::string_view prefix) {
    if (bytes.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::to_integer<char>(bytes[i]) != prefix[i]) {
            return false;
        }
    }
    return true;
}

// Real TLS for both ends (OpenSSL with a throw-away PKI). Its handshakes use OpenSSL's own
// randomness, so runs with it complete but are not byte-for-byte reproducible.
struct RealTls {
    std::string peer_info;  // decides EKM (IV_PROTO bit 3) or the legacy PRF
};

const testdata::TestPki& pki() {
    static const testdata::TestPki instance;
    return instance;
}

proto::TlsEngineConfig tls_config(bool is_server) {
    proto::TlsEngineConfig c;
    c.is_server = is_server;
    c.ca_pem = pki().ca.cert;
    c.cert_pem = is_server ? pki().server.cert : pki().client.cert;
    c.key_pem = is_server ? pki().server.key : pki().client.key;
    c.remote_cert_tls = is_server ? proto::RemoteCertTls::kClient : proto::RemoteCertTls::kServer;
    return c;
}

// `stateless_reset`: the server side is a listener that answers the first reset with the HMAC
// cookie (reset_cookie.hpp) and creates the ServerSession only when the echo arrives, as a
// production server does.
Outcome simulate(std::uint64_t seed, double loss, Initiator initiator,
                 const std::optional<RealTls>& real_tls = std::nullopt,
                 bool stateless_reset = false) {
    Outcome out;
    platform::testing::ManualClock clock;
    const Instant start = clock.now();
    const auto now = [&clock] {
        return Now{clock.now(), static_cast<std::uint32_t>(clock.wall_now().unix_seconds)};
    };
    SimWire wire({.loss = loss}, seed);
    platform::testing::SeededRandom client_random(seed * 3 + 1);
    platform::testing::SeededRandom server_random(seed * 3 + 2);

    // Built again for each connection attempt (the config holds the non-copyable wrap).
    const auto make_client_config = [&](std::uint8_t attempt) {
        auto c = testing::pair_client_config(real_tls ? real_tls->peer_info
                                                      : std::string(testing::kModernPeerInfo));
        if (real_tls) {
            c.make_tls = openssl_tls_factory(tls_config(false));
        }
        if (initiator == Initiator::kClient) {
            c.reneg_interval = kRenegInterval;
        }
        c.local_session_id[7] = static_cast<std::byte>(attempt);  // a new session id per attempt
        return c;
    };
    auto server_config = testing::pair_server_config();
    if (real_tls) {
        server_config.make_tls = openssl_tls_factory(tls_config(true));
    }
    server_config.ping = 10s;
    server_config.ping_restart = 120s;
    if (initiator == Initiator::kServer) {
        server_config.reneg_interval = kRenegInterval;
    }
    // The client runtime restarts a connection whose handshake window ran out (a new session
    // id; OpenVPN's connect-retry) until the first connection succeeds.
    auto client = std::make_unique<ClientSession>(make_client_config(8), client_random, now());
    std::unique_ptr<ServerSession> server;
    std::optional<ServerSessionConfig> pending_server_config;
    auto cookie = ResetCookie::create(server_random).value();
    ListenerAuth listener =
        proto::TlsCrypt::create(testing::pair_test_key(), /*is_server=*/true).value();
    const std::array<std::byte, 6> client_address = {std::byte{192},  std::byte{0},
                                                     std::byte{2},    std::byte{10},
                                                     std::byte{0x9c}, std::byte{0x40}};
    if (stateless_reset) {
        pending_server_config = std::move(server_config);
    } else {
        server = std::make_unique<ServerSession>(std::move(server_config), server_random, now());
    }
    testing::PushApplier applier;
    std::uint64_t data_sent = 0;
    std::optional<Instant> next_data;

    const auto put = [&](bool to_server, const std::vector<std::byte>& bytes) {
        mix(out.transcript, static_cast<std::uint64_t>((clock.now() - start).count()));
        mix(out.transcript, to_server ? 1 : 2);
        for (const auto b : bytes) {
            mix(out.transcript, std::to_integer<std::uint64_t>(b));
        }
        ++out.datagrams;
        wire.send(to_server, bytes, clock.now());
    };

    for (int step = 0; step < 2'000'000; ++step) {
        bool restarted = false;
        // Drain outputs and events.
        while (auto packet = client->poll_transmit(now())) {
            put(true, *packet);
        }
        while (server) {
            auto packet = server->poll_transmit(now());
            if (!packet) {
                break;
            }
            put(false, *packet);
        }
        while (auto event = client->poll_event()) {
            switch (event->kind) {
                case SessionEvent::Kind::kPushReply:
                    applier.on_push_reply(*client, event->text);
                    break;
                case SessionEvent::Kind::kRenegotiated:
                    ++out.client_renegotiations;
                    break;
                case SessionEvent::Kind::kFailed:
                    if (!out.connected && !server && out.client_restarts < 3) {
                        // No session exists yet: the runtime starts over.
                        ++out.client_restarts;
                        restarted = true;
                        client = std::make_unique<ClientSession>(
                            make_client_config(static_cast<std::uint8_t>(8 + out.client_restarts)),
                            client_random, now());
                        break;
                    }
                    out.failures.push_back("client: " + event->text);
                    break;
                case SessionEvent::Kind::kRestart:
                case SessionEvent::Kind::kAuthFailed:
                case SessionEvent::Kind::kHalt:
                    out.failures.push_back("client: " + event->text);
                    break;
                default:
                    break;
            }
        }
        if (restarted) {
            continue;  // send the new connection's reset before time moves on
        }
        while (server) {
            auto event = server->poll_event();
            if (!event) {
                break;
            }
            if (event->kind == ServerEvent::Kind::kClosed) {
                out.failures.push_back("server: " + event->text);
            } else if (event->kind == ServerEvent::Kind::kAuthenticated) {
                out.peer_common_name = event->text;
            }
        }
        out.server_renegotiations = server ? server->stats().renegotiations : 0;
        out.connected = out.connected || (server && client->state() == SessionState::kConnected &&
                                          server->state() == ServerState::kConnected);
        if (!out.failures.empty()) {
            break;
        }
        if (out.client_renegotiations >= kRenegotiations &&
            out.server_renegotiations >= kRenegotiations && out.to_server_after_last_reneg >= 3 &&
            out.to_client_after_last_reneg >= 3) {
            break;
        }
        if (out.connected && !next_data) {
            next_data = clock.now();
        }

        // Advance virtual time to the next thing that happens.
        std::optional<Instant> next = wire.next_arrival();
        const auto server_deadline = server ? server->next_deadline() : std::optional<Instant>{};
        for (const auto t : {client->next_deadline(), server_deadline, next_data}) {
            if (t && (!next || *t < *next)) {
                next = t;
            }
        }
        if (!next || *next - start > kLimit) {
            break;
        }
        if (*next > clock.now()) {
            clock.advance(*next - clock.now());
        }

        while (auto flight = wire.pop_due(clock.now())) {
            auto& bytes = flight->bytes;
            if (bytes.empty()) {
                continue;
            }
            if (flight->to_server && !server) {
                // The stateless listener: a reply, a new session, or nothing at all.
                const auto first =
                    handle_first_packet(bytes, client_address, listener, cookie, now());
                if (first.verdict == FirstPacketVerdict::kReply) {
                    ++out.cookie_replies;
                    put(false, first.reply);
                } else if (first.verdict == FirstPacketVerdict::kAccept) {
                    pending_server_config->local_session_id = first.server_session_id;
                    server = std::make_unique<ServerSession>(std::move(*pending_server_config),
                                                             server_random, now(),
                                                             first.client_session_id);
                    server->on_control_packet(bytes, now());
                }
                continue;
            }
            if (!is_data(bytes)) {
                flight->to_server ? server->on_control_packet(bytes, now())
                                  : client->on_control_packet(bytes, now());
                continue;
            }
            if (flight->to_server) {
                const auto plain = server->decrypt(bytes, now());
                if (plain && !plain->empty()) {
                    if (!has_prefix(*plain, "c2s packet ")) {
                        out.failures.emplace_back("server decrypted unexpected bytes");
                    }
                    ++out.data_to_server;
                    const bool newest = out.client_renegotiations >= kRenegotiations &&
                                        out.server_renegotiations >= kRenegotiations;
                    out.to_server_after_last_reneg += newest ? 1 : 0;
                }
            } else {
                const auto plain = client->decrypt(bytes, now());
                if (plain && !plain->empty()) {
                    if (!has_prefix(*plain, "s2c packet ")) {
                        out.failures.emplace_back("client decrypted unexpected bytes");
                    }
                    ++out.data_to_client;
                    const bool newest = out.client_renegotiations >= kRenegotiations &&
                                        out.server_renegotiations >= kRenegotiations;
                    out.to_client_after_last_reneg += newest ? 1 : 0;
                }
            }
        }
        if (const auto d = client->next_deadline(); d && *d <= clock.now()) {
            client->on_timer(now());
        }
        if (const auto d = server ? server->next_deadline() : std::optional<Instant>{};
            d && *d <= clock.now()) {
            server->on_timer(now());
        }
        // One data packet each way per virtual second once connected.
        if (next_data && *next_data <= clock.now()) {
            ++data_sent;
            const auto up = payload("c2s", data_sent);
            std::vector<std::byte> c2s(client->max_encrypted_size(up.size()));
            if (auto n = client->encrypt(up, c2s, now())) {
                c2s.resize(*n);
                put(true, c2s);
            }
            const auto down = payload("s2c", data_sent);
            std::vector<std::byte> s2c(server->max_encrypted_size(down.size()));
            if (auto n = server->encrypt(down, s2c, now())) {
                s2c.resize(*n);
                put(false, s2c);
            }
            *next_data += 1s;
        }
    }
    out.elapsed = clock.now() - start;
    out.lost = wire.lost;
    return out;
}

std::string describe(const Outcome& o) {
    std::string text =
        "connected=" + std::to_string(o.connected) +
        " reneg c/s=" + std::to_string(o.client_renegotiations) + "/" +
        std::to_string(o.server_renegotiations) +
        " data c2s/s2c=" + std::to_string(o.data_to_server) + "/" +
        std::to_string(o.data_to_client) + " after last reneg " +
        std::to_string(o.to_server_after_last_reneg) + "/" +
        std::to_string(o.to_client_after_last_reneg) + " virtual " +
        std::to_string(std::chrono::duration_cast<std::chrono::seconds>(o.elapsed).count()) +
        " s, datagrams " + std::to_string(o.datagrams) + " lost " + std::to_string(o.lost);
    for (const auto& f : o.failures) {
        text += "; " + f;
    }
    return text;
}

class SessionSimulation : public ::testing::TestWithParam<std::tuple<double, Initiator>> {};

TEST_P(SessionSimulation, HandshakeDataAndRenegotiationsCompleteForTwentySeeds) {
    const auto [loss, initiator] = GetParam();
    Duration longest{};
    std::uint64_t datagrams = 0;
    std::uint64_t lost = 0;
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const auto o = simulate(seed, loss, initiator);
        SCOPED_TRACE("seed " + std::to_string(seed) + ": " + describe(o));
        longest = std::max(longest, o.elapsed);
        datagrams += o.datagrams;
        lost += o.lost;
        EXPECT_TRUE(o.failures.empty());
        EXPECT_TRUE(o.connected);
        EXPECT_GE(o.client_renegotiations, static_cast<std::uint64_t>(kRenegotiations));
        EXPECT_GE(o.server_renegotiations, static_cast<std::uint64_t>(kRenegotiations));
        EXPECT_GE(o.to_server_after_last_reneg, 3u);
        EXPECT_GE(o.to_client_after_last_reneg, 3u);
        EXPECT_GT(o.data_to_server, 0u);
        EXPECT_GT(o.data_to_client, 0u);
        EXPECT_LE(o.elapsed, kLimit);
        if (loss > 0.0) {
            EXPECT_GT(o.lost, 0u) << "the wire must actually lose packets";
        }
    }
    std::cout << "loss " << loss << ", " << (initiator == Initiator::kServer ? "server" : "client")
              << " renegotiates: 20 seeds, " << datagrams << " datagrams, " << lost
              << " lost, longest run "
              << std::chrono::duration_cast<std::chrono::seconds>(longest).count()
              << " s virtual\n";
}

INSTANTIATE_TEST_SUITE_P(LossRates, SessionSimulation,
                         ::testing::Combine(::testing::Values(0.0, 0.1, 0.3),
                                            ::testing::Values(Initiator::kServer,
                                                              Initiator::kClient)));

TEST(SessionSimulationRealTls, OpensslHandshakesAndRenegotiationsOverALossyWire) {
    const std::vector<RealTls> variants = {
        RealTls{std::string(testing::kModernPeerInfo)},                 // EKM keys
        RealTls{"IV_VER=2.5.9\nIV_PROTO=2\nIV_CIPHERS=AES-256-GCM\n"},  // legacy PRF keys
    };
    for (const auto& variant : variants) {
        for (const auto initiator : {Initiator::kServer, Initiator::kClient}) {
            for (std::uint64_t seed = 1; seed <= 3; ++seed) {
                const auto o = simulate(seed, 0.1, initiator, variant);
                SCOPED_TRACE("seed " + std::to_string(seed) + " peer-info " + variant.peer_info +
                             ": " + describe(o));
                EXPECT_TRUE(o.failures.empty());
                EXPECT_TRUE(o.connected);
                EXPECT_EQ(o.peer_common_name, "client1");
                EXPECT_GE(o.client_renegotiations, static_cast<std::uint64_t>(kRenegotiations));
                EXPECT_GE(o.server_renegotiations, static_cast<std::uint64_t>(kRenegotiations));
                EXPECT_GE(o.to_server_after_last_reneg, 3u);
                EXPECT_GE(o.to_client_after_last_reneg, 3u);
            }
        }
    }
}

TEST(SessionSimulationStatelessReset, CookieListenerInFrontOfTheSessionOverALossyWire) {
    for (const double loss : {0.0, 0.1, 0.3}) {
        std::uint64_t replies = 0;
        std::uint64_t restarts = 0;
        for (std::uint64_t seed = 1; seed <= 20; ++seed) {
            const auto o = simulate(seed, loss, Initiator::kServer, std::nullopt,
                                    /*stateless_reset=*/true);
            SCOPED_TRACE("loss " + std::to_string(loss) + " seed " + std::to_string(seed) + ": " +
                         describe(o));
            EXPECT_TRUE(o.failures.empty());
            EXPECT_TRUE(o.connected);
            EXPECT_GE(o.cookie_replies, 1u);
            EXPECT_GE(o.server_renegotiations, static_cast<std::uint64_t>(kRenegotiations));
            EXPECT_GE(o.to_server_after_last_reneg, 3u);
            EXPECT_GE(o.to_client_after_last_reneg, 3u);
            replies += o.cookie_replies;
            restarts += o.client_restarts;
        }
        std::cout << "loss " << loss << ", stateless reset in front: 20 seeds, " << replies
                  << " cookie replies, " << restarts << " client restarts\n";
    }
}

TEST(SessionSimulationReplay, SameSeedGivesTheSameBytesAndAnotherSeedDoesNot) {
    const auto first = simulate(7, 0.1, Initiator::kServer);
    const auto again = simulate(7, 0.1, Initiator::kServer);
    const auto other = simulate(8, 0.1, Initiator::kServer);
    ASSERT_TRUE(first.failures.empty()) << describe(first);
    EXPECT_EQ(first.transcript, again.transcript);
    EXPECT_EQ(first.datagrams, again.datagrams);
    EXPECT_EQ(first.elapsed, again.elapsed);
    EXPECT_EQ(first.data_to_client, again.data_to_client);
    EXPECT_NE(first.transcript, other.transcript);
}

}  // namespace
}  // namespace nfv::vpn::session
