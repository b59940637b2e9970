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
    std::string peer_common_name;  // from the server's kAuthenticated event
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

Outcome simulate(std::uint64_t seed, double loss, Initiator initiator,
                 const std::optional<RealTls>& real_tls = std::nullopt) {
    Outcome out;
    platform::testing::ManualClock clock;
    const Instant start = clock.now();
    const auto now = [&clock] {
        return Now{clock.now(), static_cast<std::uint32_t>(clock.wall_now().unix_seconds)};
    };
    SimWire wire({.loss = loss}, seed);
    platform::testing::SeededRandom client_random(seed * 3 + 1);
    platform::testing::SeededRandom server_random(seed * 3 + 2);

    auto client_config = testing::pair_client_config(
        real_tls ? real_tls->peer_info : std::string(testing::kModernPeerInfo));
    auto server_config = testing::pair_server_config();
    if (real_tls) {
        client_config.make_tls = openssl_tls_factory(tls_config(false));
        server_config.make_tls = openssl_tls_factory(tls_config(true));
    }
    server_config.ping = 10s;
    server_config.ping_restart = 120s;
    (initiator == Initiator::kServer ? server_config.reneg_interval
                                     : client_config.reneg_interval) = kRenegInterval;
    ClientSession client(std::move(client_config), client_random, now());
    ServerSession server(std::move(server_config), server_random, now());
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
        // Drain outputs and events.
        while (auto packet = client.poll_transmit(now())) {
            put(true, *packet);
        }
        while (auto packet = server.poll_transmit(now())) {
            put(false, *packet);
        }
        while (auto event = client.poll_event()) {
            switch (event->kind) {
                case SessionEvent::Kind::kPushReply:
                    applier.on_push_reply(client, event->text);
                    break;
                case SessionEvent::Kind::kRenegotiated:
                    ++out.client_renegotiations;
                    break;
                case SessionEvent::Kind::kFailed:
                case SessionEvent::Kind::kRestart:
                case SessionEvent::Kind::kAuthFailed:
                case SessionEvent::Kind::kHalt:
                    out.failures.push_back("client: " + event->text);
                    break;
                default:
                    break;
            }
        }
        while (auto event = server.poll_event()) {
            if (event->kind == ServerEvent::Kind::kClosed) {
                out.failures.push_back("server: " + event->text);
            } else if (event->kind == ServerEvent::Kind::kAuthenticated) {
                out.peer_common_name = event->text;
            }
        }
        out.server_renegotiations = server.stats().renegotiations;
        out.connected = out.connected || (client.state() == SessionState::kConnected &&
                                          server.state() == ServerState::kConnected);
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
        for (const auto t : {client.next_deadline(), server.next_deadline(), next_data}) {
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
            if (!is_data(bytes)) {
                flight->to_server ? server.on_control_packet(bytes, now())
                                  : client.on_control_packet(bytes, now());
                continue;
            }
            if (flight->to_server) {
                const auto plain = server.decrypt(bytes, now());
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
                const auto plain = client.decrypt(bytes, now());
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
        if (const auto d = client.next_deadline(); d && *d <= clock.now()) {
            client.on_timer(now());
        }
        if (const auto d = server.next_deadline(); d && *d <= clock.now()) {
            server.on_timer(now());
        }
        // One data packet each way per virtual second once connected.
        if (next_data && *next_data <= clock.now()) {
            ++data_sent;
            const auto up = payload("c2s", data_sent);
            std::vector<std::byte> c2s(client.max_encrypted_size(up.size()));
            if (auto n = client.encrypt(up, c2s, now())) {
                c2s.resize(*n);
                put(true, c2s);
            }
            const auto down = payload("s2c", data_sent);
            std::vector<std::byte> s2c(server.max_encrypted_size(down.size()));
            if (auto n = server.encrypt(down, s2c, now())) {
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
