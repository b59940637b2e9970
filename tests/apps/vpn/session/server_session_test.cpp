#include "session/server_session.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "nfv/platform/testing/seeded_random.hpp"

#include "session_pair.hpp"

namespace nfv::vpn::session {
namespace {

using namespace std::chrono_literals;
using testing::pair_client_config;
using testing::pair_server_config;

std::vector<std::byte> bytes_of(std::string_view text) {
    const auto view = std::as_bytes(std::span(text.data(), text.size()));
    return {view.begin(), view.end()};
}

bool is_data(std::span<const std::byte> packet) {
    const auto op = proto::parse_opcode_byte(std::to_integer<std::uint8_t>(packet[0]));
    return op && !proto::is_control(op->opcode);
}

class ServerSessionTest : public ::testing::Test {
protected:
    Now now() const { return {platform::Instant{} + elapsed_, 1700000000}; }
    void advance(platform::Duration d) { elapsed_ += d; }

    // Moves packets both ways over a perfect wire until nothing moves (bounded). Data packets
    // are decrypted and kept; client events are handled like the runtime does.
    void exchange(ClientSession& client, ServerSession& server) {
        for (int round = 0; round < 50; ++round) {
            bool moved = false;
            while (auto packet = client.poll_transmit(now())) {
                moved = true;
                if (is_data(*packet)) {
                    if (auto plain = server.decrypt(*packet, now()); plain && !plain->empty()) {
                        to_server.emplace_back(plain->begin(), plain->end());
                    }
                } else {
                    server.on_control_packet(*packet, now());
                }
            }
            while (auto packet = server.poll_transmit(now())) {
                moved = true;
                if (is_data(*packet)) {
                    if (auto plain = client.decrypt(*packet, now()); plain && !plain->empty()) {
                        to_client.emplace_back(plain->begin(), plain->end());
                    }
                } else {
                    client.on_control_packet(*packet, now());
                }
            }
            while (auto event = client.poll_event()) {
                if (event->kind == SessionEvent::Kind::kPushReply) {
                    push_replies.push_back(event->text);
                    applier.on_push_reply(client, event->text);
                }
            }
            while (auto event = server.poll_event()) {
                server_events.push_back(*event);
            }
            if (!moved) {
                return;
            }
        }
        FAIL() << "exchange did not settle";
    }

    std::vector<ServerEvent::Kind> server_kinds() const {
        std::vector<ServerEvent::Kind> kinds;
        for (const auto& e : server_events) {
            kinds.push_back(e.kind);
        }
        return kinds;
    }

    platform::Duration elapsed_{};
    testing::PushApplier applier;
    std::vector<std::string> push_replies;
    std::vector<ServerEvent> server_events;
    std::vector<std::vector<std::byte>> to_server;
    std::vector<std::vector<std::byte>> to_client;
};

TEST_F(ServerSessionTest, HandshakePushReplyAndDataWithAModernClient) {
    platform::testing::SeededRandom client_random(1);
    platform::testing::SeededRandom server_random(2);
    ClientSession client(pair_client_config(std::string(testing::kModernPeerInfo)), client_random,
                         now());
    ServerSession server(pair_server_config(), server_random, now());
    EXPECT_EQ(server.state(), ServerState::kWaitReset);
    exchange(client, server);

    EXPECT_EQ(client.state(), SessionState::kConnected);
    EXPECT_EQ(server.state(), ServerState::kConnected);
    ASSERT_EQ(server_events.size(), 3u);
    EXPECT_EQ(server_events[0].kind, ServerEvent::Kind::kAuthenticated);
    EXPECT_EQ(server_events[0].text, "fake-client");
    EXPECT_EQ(server_events[1].kind, ServerEvent::Kind::kPushRequest);
    EXPECT_EQ(server_events[2].kind, ServerEvent::Kind::kDataChannelReady);
    EXPECT_EQ(server_events[2].text, "AES-256-GCM");
    ASSERT_TRUE(server.client_message());
    EXPECT_EQ(server.client_message()->options, pair_client_config("").options_string);
    EXPECT_EQ(server.peer_info().version, "2.6.14");

    ASSERT_EQ(push_replies.size(), 1u);
    EXPECT_EQ(push_replies[0],
              "PUSH_REPLY,route-gateway 10.8.0.1,topology subnet,ping 10,ping-restart 60,"
              "dhcp-option DNS 10.8.0.1,ifconfig 10.8.0.2 255.255.255.0,peer-id 7,"
              "cipher AES-256-GCM,protocol-flags cc-exit tls-ekm");
    ASSERT_TRUE(applier.options);
    EXPECT_EQ(applier.options->peer_id, 7u);

    const auto up = bytes_of("client to server");
    std::vector<std::byte> wire(client.max_encrypted_size(up.size()));
    wire.resize(client.encrypt(up, wire, now()).value());
    EXPECT_EQ(std::to_integer<int>(wire[0]) >> 3, 9) << "P_DATA_V2";
    const auto at_server = server.decrypt(wire, now());
    ASSERT_TRUE(at_server);
    EXPECT_TRUE(std::equal(up.begin(), up.end(), at_server->begin(), at_server->end()));

    const auto down = bytes_of("server to client");
    std::vector<std::byte> back(server.max_encrypted_size(down.size()));
    back.resize(server.encrypt(down, back, now()).value());
    const auto at_client = client.decrypt(back, now());
    ASSERT_TRUE(at_client);
    EXPECT_TRUE(std::equal(down.begin(), down.end(), at_client->begin(), at_client->end()));
}

TEST_F(ServerSessionTest, LegacyPrfAndCbcFallbackForAnOldClient) {
    platform::testing::SeededRandom client_random(3);
    platform::testing::SeededRandom server_random(4);
    // A 2.3-style client: no IV_PROTO key export, no IV_NCP, no IV_CIPHERS.
    ClientSession client(pair_client_config("IV_VER=2.3.18\nIV_PLAT=linux\n"), client_random,
                         now());
    auto config = pair_server_config();
    config.data_ciphers_fallback = proto::DataCipher::kAes256Cbc;
    ServerSession server(std::move(config), server_random, now());
    exchange(client, server);
    ASSERT_EQ(server.state(), ServerState::kConnected);
    EXPECT_EQ(server.cipher(), proto::DataCipher::kAes256Cbc);
    ASSERT_EQ(push_replies.size(), 1u);
    EXPECT_NE(push_replies[0].find(",cipher AES-256-CBC"), std::string::npos);
    EXPECT_EQ(push_replies[0].find("peer-id"), std::string::npos) << "no P_DATA_V2 support";
    EXPECT_EQ(push_replies[0].find("tls-ekm"), std::string::npos);
    // Both sides use --auth SHA1 (the default) with the PRF-derived CBC keys.
    ASSERT_EQ(client.state(), SessionState::kConnected);
    const auto packet = bytes_of("legacy");
    std::vector<std::byte> wire(server.max_encrypted_size(packet.size()));
    wire.resize(server.encrypt(packet, wire, now()).value());
    EXPECT_EQ(std::to_integer<int>(wire[0]) >> 3, 6) << "P_DATA_V1";
    const auto at_client = client.decrypt(wire, now());
    ASSERT_TRUE(at_client);
    EXPECT_TRUE(std::equal(packet.begin(), packet.end(), at_client->begin(), at_client->end()));
    std::vector<std::byte> up(client.max_encrypted_size(packet.size()));
    up.resize(client.encrypt(packet, up, now()).value());
    EXPECT_TRUE(server.decrypt(up, now()));
}

TEST_F(ServerSessionTest, NoSharedCipherIsRefusedWithAuthFailed) {
    platform::testing::SeededRandom client_random(5);
    platform::testing::SeededRandom server_random(6);
    ClientSession client(
        pair_client_config("IV_VER=2.6.14\nIV_PROTO=990\nIV_CIPHERS=CHACHA20-POLY1305\n"),
        client_random, now());
    auto config = pair_server_config();
    config.data_ciphers = {proto::DataCipher::kAes256Gcm};
    ServerSession server(std::move(config), server_random, now());
    exchange(client, server);
    EXPECT_EQ(server.state(), ServerState::kClosed);
    ASSERT_FALSE(server_events.empty());
    EXPECT_EQ(server_events.back().kind, ServerEvent::Kind::kClosed);
    EXPECT_EQ(client.state(), SessionState::kFailed) << "the client saw AUTH_FAILED";
}

TEST(ChooseDataCipher, OurOrderThenNcpThenFallback) {
    const std::vector<proto::DataCipher> ours = {proto::DataCipher::kChaCha20Poly1305,
                                                 proto::DataCipher::kAes256Gcm};
    config::PeerInfo peer;
    peer.ciphers = {"AES-256-GCM", "CHACHA20-POLY1305"};
    EXPECT_EQ(choose_data_cipher(peer, ours, std::nullopt), proto::DataCipher::kChaCha20Poly1305);
    peer.ciphers = {"AES-128-GCM"};
    EXPECT_EQ(choose_data_cipher(peer, ours, std::nullopt), std::nullopt);
    EXPECT_EQ(choose_data_cipher(peer, ours, proto::DataCipher::kAes256Cbc),
              proto::DataCipher::kAes256Cbc);
    peer.ciphers.clear();
    peer.iv_ncp = 2;
    EXPECT_EQ(choose_data_cipher(peer, ours, std::nullopt), proto::DataCipher::kAes256Gcm);
    peer.iv_ncp.reset();
    EXPECT_EQ(choose_data_cipher(peer, ours, std::nullopt), std::nullopt);
}

TEST_F(ServerSessionTest, GarbageAndNonResetFirstPacketsCreateNoStateAndNoReply) {
    platform::testing::SeededRandom server_random(7);
    ServerSession server(pair_server_config(), server_random, now());
    server.on_control_packet({}, now());
    server.on_control_packet(bytes_of("\x38garbage that is not a tls-crypt packet at all"), now());
    // A real client packet that is not a hard reset (P_ACK_V1 wrapped with the right key).
    platform::testing::SeededRandom client_random(8);
    ClientSession client(pair_client_config(std::string(testing::kModernPeerInfo)), client_random,
                         now());
    auto reset = client.poll_transmit(now());
    ASSERT_TRUE(reset);
    auto forged = *reset;
    forged[0] = std::byte{proto::make_opcode_byte(proto::Opcode::kControlV1, 0)};
    server.on_control_packet(forged, now());
    // The right packet under a wrong opcode byte fails authentication as well.
    EXPECT_EQ(server.stats().control_dropped, 3u);
    EXPECT_EQ(server.state(), ServerState::kWaitReset);
    EXPECT_FALSE(server.poll_transmit(now()));
    EXPECT_FALSE(server.remote_session_id());
}

TEST_F(ServerSessionTest, ClientExitNotificationClosesTheSession) {
    platform::testing::SeededRandom client_random(9);
    platform::testing::SeededRandom server_random(10);
    ClientSession client(pair_client_config(std::string(testing::kModernPeerInfo)), client_random,
                         now());
    ServerSession server(pair_server_config(), server_random, now());
    exchange(client, server);
    ASSERT_EQ(server.state(), ServerState::kConnected);
    auto exit = client.exit_notification(now());
    ASSERT_TRUE(exit);
    const auto consumed = server.decrypt(*exit, now());
    ASSERT_TRUE(consumed);
    EXPECT_TRUE(consumed->empty());
    EXPECT_EQ(server.state(), ServerState::kClosed);
    EXPECT_NE(server_events.size(), 0u);
    const auto closed = server.poll_event();
    ASSERT_TRUE(closed);
    EXPECT_EQ(closed->kind, ServerEvent::Kind::kClosed);
    EXPECT_NE(closed->text.find("OCC EXIT"), std::string::npos);
}

TEST_F(ServerSessionTest, ServerExitSendsRestartToTheClient) {
    platform::testing::SeededRandom client_random(11);
    platform::testing::SeededRandom server_random(12);
    ClientSession client(pair_client_config(std::string(testing::kModernPeerInfo)), client_random,
                         now());
    ServerSession server(pair_server_config(), server_random, now());
    exchange(client, server);
    while (client.poll_event()) {
    }
    server.notify_exit(now());
    EXPECT_EQ(server.state(), ServerState::kClosed);
    bool restart = false;
    while (auto packet = server.poll_transmit(now())) {
        if (is_data(*packet)) {
            EXPECT_TRUE(client.decrypt(*packet, now()));
        } else {
            client.on_control_packet(*packet, now());
        }
    }
    while (auto event = client.poll_event()) {
        restart = restart || event->kind == SessionEvent::Kind::kRestart;
    }
    EXPECT_TRUE(restart);
}

TEST_F(ServerSessionTest, KeepalivePingsAndPingRestart) {
    platform::testing::SeededRandom client_random(13);
    platform::testing::SeededRandom server_random(14);
    ClientSession client(pair_client_config(std::string(testing::kModernPeerInfo)), client_random,
                         now());
    auto config = pair_server_config();
    config.ping = 10s;
    config.ping_restart = 120s;
    ServerSession server(std::move(config), server_random, now());
    exchange(client, server);
    ASSERT_EQ(server.state(), ServerState::kConnected);
    ASSERT_TRUE(server.next_deadline());
    EXPECT_EQ(*server.next_deadline() - now().mono, 10s);
    advance(10s);
    server.on_timer(now());
    auto ping = server.poll_transmit(now());
    ASSERT_TRUE(ping);
    const auto consumed = client.decrypt(*ping, now());
    ASSERT_TRUE(consumed);
    EXPECT_TRUE(consumed->empty());
    EXPECT_EQ(client.stats().pings_received, 1u);
    for (int i = 0; i < 20 && server.state() == ServerState::kConnected; ++i) {
        advance(10s);
        server.on_timer(now());
        while (server.poll_transmit(now())) {
        }
    }
    EXPECT_EQ(server.state(), ServerState::kClosed);
    EXPECT_GE(now().mono - platform::Instant{}, 120s);
    EXPECT_EQ(server_events.back().kind, ServerEvent::Kind::kDataChannelReady);
    std::optional<ServerEvent> last;
    while (auto e = server.poll_event()) {
        last = e;
    }
    ASSERT_TRUE(last);
    EXPECT_NE(last->text.find("ping-restart"), std::string::npos);
}

TEST_F(ServerSessionTest, RenegotiationByEitherSideRotatesKeys) {
    for (const bool server_starts : {true, false}) {
        platform::testing::SeededRandom client_random(15);
        platform::testing::SeededRandom server_random(16);
        auto client_config = pair_client_config(std::string(testing::kModernPeerInfo));
        auto server_config = pair_server_config();
        (server_starts ? server_config.reneg_interval : client_config.reneg_interval) = 30s;
        ClientSession client(std::move(client_config), client_random, now());
        ServerSession server(std::move(server_config), server_random, now());
        server_events.clear();
        exchange(client, server);
        for (int round = 1; round <= 3; ++round) {
            advance(30s);
            client.on_timer(now());
            server.on_timer(now());
            exchange(client, server);
            EXPECT_EQ(server.stats().renegotiations, static_cast<std::uint64_t>(round))
                << "server_starts=" << server_starts;
        }
        const auto packet = bytes_of("after three renegotiations");
        std::vector<std::byte> wire(client.max_encrypted_size(packet.size()));
        wire.resize(client.encrypt(packet, wire, now()).value());
        EXPECT_EQ(std::to_integer<int>(wire[0]) & 7, 3);
        EXPECT_TRUE(server.decrypt(wire, now()));
    }
}

TEST_F(ServerSessionTest, DeferredAuthorizationHoldsThePushReplyUntilAuthorized) {
    platform::testing::SeededRandom client_random(17);
    platform::testing::SeededRandom server_random(18);
    ClientSession client(pair_client_config(std::string(testing::kModernPeerInfo)), client_random,
                         now());
    auto config = pair_server_config();
    config.wait_for_authorization = true;
    ServerSession server(std::move(config), server_random, now());
    exchange(client, server);
    EXPECT_EQ(server.state(), ServerState::kWaitPush);
    EXPECT_EQ(client.state(), SessionState::kPushRequested);
    EXPECT_TRUE(push_replies.empty());
    EXPECT_EQ(server_kinds(), (std::vector<ServerEvent::Kind>{ServerEvent::Kind::kAuthenticated,
                                                              ServerEvent::Kind::kPushRequest}));

    // client-config-dir style: this client gets its own address.
    auto push = pair_server_config().push;
    push.ifconfig = {net::Ipv4Address({10, 8, 0, 9}), net::Ipv4Address({255, 255, 255, 0})};
    EXPECT_TRUE(server.authorize(push, now()));
    EXPECT_FALSE(server.authorize(std::nullopt, now())) << "only once";
    exchange(client, server);
    EXPECT_EQ(server.state(), ServerState::kConnected);
    EXPECT_EQ(client.state(), SessionState::kConnected);
    ASSERT_EQ(push_replies.size(), 1u);
    EXPECT_NE(push_replies[0].find(",ifconfig 10.8.0.9 255.255.255.0,"), std::string::npos);
}

TEST_F(ServerSessionTest, DenySendsAuthFailedWithTheReason) {
    platform::testing::SeededRandom client_random(19);
    platform::testing::SeededRandom server_random(20);
    ClientSession client(pair_client_config(std::string(testing::kModernPeerInfo)), client_random,
                         now());
    auto config = pair_server_config();
    config.wait_for_authorization = true;
    ServerSession server(std::move(config), server_random, now());
    exchange(client, server);
    EXPECT_TRUE(server.deny("bad password", now()));
    EXPECT_EQ(server.state(), ServerState::kClosed);
    while (auto packet = server.poll_transmit(now())) {
        client.on_control_packet(*packet, now());
    }
    std::optional<SessionEvent> last;
    while (auto event = client.poll_event()) {
        last = event;
    }
    ASSERT_TRUE(last);
    EXPECT_EQ(last->kind, SessionEvent::Kind::kAuthFailed);
    EXPECT_EQ(last->text, "bad password");
    EXPECT_EQ(client.state(), SessionState::kFailed);
}

TEST_F(ServerSessionTest, RenegPacketsStartsARenegotiation) {
    platform::testing::SeededRandom client_random(23);
    platform::testing::SeededRandom server_random(24);
    ClientSession client(pair_client_config(std::string(testing::kModernPeerInfo)), client_random,
                         now());
    auto config = pair_server_config();
    config.reneg_packets = 5;
    ServerSession server(std::move(config), server_random, now());
    exchange(client, server);
    ASSERT_EQ(server.state(), ServerState::kConnected);
    const auto payload = bytes_of("traffic");
    for (int i = 0; i < 4; ++i) {
        std::vector<std::byte> wire(client.max_encrypted_size(payload.size()));
        wire.resize(client.encrypt(payload, wire, now()).value());
        ASSERT_TRUE(server.decrypt(wire, now()));
    }
    exchange(client, server);
    EXPECT_EQ(server.stats().renegotiations, 0u);
    std::vector<std::byte> fifth(server.max_encrypted_size(payload.size()));
    fifth.resize(server.encrypt(payload, fifth, now()).value());
    exchange(client, server);
    EXPECT_EQ(server.stats().renegotiations, 1u);
    EXPECT_TRUE(client.decrypt(fifth, now())) << "the old key still works in the transition";
}

// Writes the seed corpus of fuzz/vpn_server_session.cpp: a recorded conversation of a plain
// (unwrapped) client with the fuzz target's server settings. Run with
//   NFV_FUZZ_SEED_DIR=fuzz/corpus/vpn_server_session vpn_server_session_test
//     --gtest_also_run_disabled_tests --gtest_filter='*WriteFuzzSeeds*'
TEST(ServerSessionFuzzSeeds, DISABLED_WriteFuzzSeeds) {
    const char* dir = std::getenv("NFV_FUZZ_SEED_DIR");
    if (dir == nullptr) {
        GTEST_SKIP() << "NFV_FUZZ_SEED_DIR is not set";
    }
    // The same settings as the fuzz target (session id zero, fixed clock, FakeTls).
    ServerSessionConfig config;
    config.options_string = "V4,dev-type tun,link-mtu 1549,tun-mtu 1500,proto UDPv4,tls-server";
    config.make_tls = []() -> Result<std::unique_ptr<TlsStream>, std::string> {
        return std::unique_ptr<TlsStream>(std::make_unique<testing::FakeTls>(false));
    };
    config.push.options = {"topology subnet", "route-gateway 10.8.0.1"};
    config.push.ifconfig = {net::Ipv4Address({10, 8, 0, 2}), net::Ipv4Address({255, 255, 255, 0})};
    config.ping = 10s;
    config.ping_restart = 60s;
    config.reneg_interval = 30s;
    const Now now{platform::Instant{std::chrono::seconds(1000)}, 1'700'000'000};
    platform::testing::SeededRandom server_random(1);
    platform::testing::SeededRandom client_random(2);
    ServerSession server(std::move(config), server_random, now);
    auto client_config = pair_client_config(std::string(testing::kModernPeerInfo));
    client_config.wrap = proto::ControlWrap();
    ClientSession client(std::move(client_config), client_random, now);

    std::vector<std::byte> records;
    const auto record = [&records](std::uint8_t kind, std::span<const std::byte> bytes) {
        records.push_back(std::byte{kind});
        records.push_back(static_cast<std::byte>(bytes.size() >> 8U));
        records.push_back(static_cast<std::byte>(bytes.size() & 0xffU));
        records.insert(records.end(), bytes.begin(), bytes.end());
    };
    std::vector<std::byte> first_reset;
    testing::PushApplier applier;
    for (int round = 0; round < 50; ++round) {
        bool moved = false;
        while (auto packet = client.poll_transmit(now)) {
            if (first_reset.empty()) {
                first_reset = *packet;
            }
            record(is_data(*packet) ? 2 : 1, *packet);
            if (!is_data(*packet)) {
                server.on_control_packet(*packet, now);
            }
            moved = true;
        }
        while (auto packet = server.poll_transmit(now)) {
            if (!is_data(*packet)) {
                client.on_control_packet(*packet, now);
            }
            moved = true;
        }
        while (auto event = client.poll_event()) {
            if (event->kind == SessionEvent::Kind::kPushReply) {
                applier.on_push_reply(client, event->text);
            }
        }
        if (!moved) {
            break;
        }
    }
    ASSERT_EQ(server.state(), ServerState::kConnected);
    const auto payload = bytes_of("\x45 an IPv4 packet from the client");
    std::vector<std::byte> wire(client.max_encrypted_size(payload.size()));
    wire.resize(client.encrypt(payload, wire, now).value());
    record(2, wire);
    auto copy = wire;
    ASSERT_TRUE(server.decrypt(copy, now)) << "the recorded data packet is valid";
    records.push_back(std::byte{3});
    records.push_back(std::byte{0x27});  // 10000 ms: keepalive ping due
    records.push_back(std::byte{0x10});

    const std::filesystem::path out(dir);
    std::filesystem::create_directories(out);
    std::ofstream(out / "conversation", std::ios::binary)
        .write(reinterpret_cast<const char*>(records.data()),  // NOLINT: byte I/O
               static_cast<std::streamsize>(records.size()));
    std::vector<std::byte> first;
    first.push_back(std::byte{0});
    first.push_back(static_cast<std::byte>(first_reset.size() >> 8U));
    first.push_back(static_cast<std::byte>(first_reset.size() & 0xffU));
    first.insert(first.end(), first_reset.begin(), first_reset.end());
    std::ofstream(out / "first_reset", std::ios::binary)
        .write(reinterpret_cast<const char*>(first.data()),  // NOLINT: byte I/O
               static_cast<std::streamsize>(first.size()));
}

}  // namespace
}  // namespace nfv::vpn::session
