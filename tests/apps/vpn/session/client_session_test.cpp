#include "session/client_session.hpp"

#include <map>

#include <gtest/gtest.h>

#include "nfv/platform/testing/seeded_random.hpp"

#include "../proto/openvpn_vectors.hpp"
#include "fake_tls.hpp"

namespace nfv::vpn::session {
namespace {

using proto::Opcode;
using testing::FakeTls;
using namespace std::chrono_literals;

proto::StaticKey test_key() {
    return proto::StaticKey::parse(proto::testdata::kStaticKeyText).value();
}

std::vector<std::byte> bytes_of(std::string_view text) {
    const auto view = std::as_bytes(std::span(text.data(), text.size()));
    return {view.begin(), view.end()};
}

// A minimal OpenVPN server built from the same protocol pieces (server roles): hard/soft
// resets, the reliable layer, (fake) TLS, key-method 2 and control messages. Enough to drive
// the client session through every phase without a network.
class MiniServer {
public:
    MiniServer()
        : wrap_(proto::TlsCrypt::create(test_key(), /*is_server=*/true).value(), {}), random_(99) {
        session_id_ = {std::byte{0x5e}, std::byte{1}, std::byte{2}, std::byte{3},
                       std::byte{4},    std::byte{5}, std::byte{6}, std::byte{7}};
    }

    std::string push_reply = "PUSH_REPLY,ifconfig 10.8.0.2 255.255.255.0,peer-id 5";
    bool answer_push = true;
    std::vector<std::string> received_messages;
    std::optional<proto::KeyMethod2Message> client_key_method;
    proto::SessionId client_session_id{};

    void on_packet(std::span<const std::byte> wire, Now now) {
        std::vector<std::byte> plain(wire.size());
        const auto size = wrap_.unwrap(wire, now.mono, plain);
        ASSERT_TRUE(size) << "server could not unwrap a client packet";
        const auto packet = proto::parse_control_packet(std::span(plain).first(*size));
        ASSERT_TRUE(packet);
        client_session_id = packet->session_id;
        if (!keys_.contains(packet->key_id)) {
            ASSERT_TRUE(proto::is_reset(packet->opcode));
            start_key(packet->key_id, packet->opcode == Opcode::kControlSoftResetV1);
        }
        auto& key = keys_.at(packet->key_id);
        ASSERT_TRUE(key.reliable->on_packet(*packet, now.mono));
        while (auto message = key.reliable->poll_message()) {
            if (message->opcode == Opcode::kControlV1) {
                ASSERT_TRUE(key.tls->feed(message->payload));
            }
        }
        while (auto record = key.tls->read_record()) {
            handle_record(key, *record);
        }
        push_tls(key);
    }

    void start_soft_reset(std::uint8_t key_id) { start_key(key_id, true); }

    // protocol-flags dyn-tls-crypt: key_id > 0 under the key exported from key 0's TLS.
    void enable_dynamic_tls_crypt() {
        std::array<std::byte, proto::kStaticKeySize> exported{};
        ASSERT_TRUE(
            keys_.at(0).tls->export_keying_material(proto::kDynamicTlsCryptLabel, exported));
        wrap_.set_original_key(test_key());
        ASSERT_TRUE(wrap_.enable_dynamic_tls_crypt(exported, /*is_server=*/true));
    }

    void send_control(std::uint8_t key_id, std::string_view text) {
        auto& key = keys_.at(key_id);
        auto message = bytes_of(text);
        message.push_back(std::byte{0});
        ASSERT_TRUE(key.tls->write(message));
        push_tls(key);
    }

    std::vector<std::vector<std::byte>> transmit(Now now) {
        std::vector<std::vector<std::byte>> out;
        for (auto& [id, key] : keys_) {
            while (auto packet = key.reliable->poll_transmit(now.mono)) {
                std::vector<std::byte> plain(proto::wire_size(*packet));
                EXPECT_TRUE(proto::serialize(*packet, plain));
                std::vector<std::byte> wire(wrap_.wire_size(plain));
                const auto written = wrap_.wrap(plain, now.unix_seconds, wire);
                EXPECT_TRUE(written);
                wire.resize(written.value_or(0));
                out.push_back(std::move(wire));
            }
        }
        return out;
    }

    // The server's data key for `key_id`, derived like the client's.
    proto::DataChannelKey data_key(std::uint8_t key_id, bool use_ekm) {
        auto& key = keys_.at(key_id);
        proto::KeyBlock block;
        if (use_ekm) {
            EXPECT_TRUE(
                key.tls->export_keying_material(proto::kEkmDataKeysLabel, block.mutable_bytes()));
        } else {
            block = proto::derive_key_block_prf(key.client_source, key.server_source,
                                                client_session_id, session_id_)
                        .value();
        }
        proto::DataChannelConfig config;
        config.key_id = key_id;
        return proto::DataChannelKey::create(config, block.bytes(), true, random_).value();
    }

private:
    struct Key {
        std::unique_ptr<proto::Reliable> reliable;
        std::unique_ptr<FakeTls> tls;
        bool got_key_method = false;
        proto::KeySource client_source;
        proto::KeySource server_source;
    };

    void start_key(std::uint8_t key_id, bool soft) {
        proto::ReliableConfig config;
        config.key_id = key_id;
        config.local_session_id = session_id_;
        Key key;
        key.reliable = std::make_unique<proto::Reliable>(config);
        key.tls = std::make_unique<FakeTls>(false);
        key.reliable->send(soft ? Opcode::kControlSoftResetV1 : Opcode::kControlHardResetServerV2,
                           {});
        keys_.insert_or_assign(key_id, std::move(key));
    }

    void push_tls(Key& key) {
        if (auto out = key.tls->take_outgoing(); !out.empty()) {
            key.reliable->send(Opcode::kControlV1, out);
        }
    }

    void handle_record(Key& key, std::span<const std::byte> record) {
        if (!key.got_key_method) {
            auto parsed = proto::parse_key_method2(record, /*from_client=*/true);
            ASSERT_TRUE(parsed);
            key.client_source = parsed->key_source;
            client_key_method = std::move(*parsed);
            key.got_key_method = true;
            proto::KeyMethod2Message reply;
            reply.key_source = proto::make_key_source(random_, false);
            key.server_source = reply.key_source;
            reply.options = "V4,dev-type tun,tls-server";
            std::vector<std::byte> out(proto::wire_size(reply, false));
            ASSERT_TRUE(proto::serialize_key_method2(reply, false, out));
            ASSERT_TRUE(key.tls->write(out));
            return;
        }
        std::string text;
        for (auto b : record) {
            if (b == std::byte{0}) {
                break;
            }
            text.push_back(static_cast<char>(std::to_integer<unsigned char>(b)));
        }
        received_messages.push_back(text);
        if (text == "PUSH_REQUEST" && answer_push) {
            auto message = bytes_of(push_reply);
            message.push_back(std::byte{0});
            ASSERT_TRUE(key.tls->write(message));
        }
    }

    proto::ControlWrap wrap_;
    proto::SessionId session_id_{};
    platform::testing::SeededRandom random_;
    std::map<std::uint8_t, Key> keys_;
};

class ClientSessionTest : public ::testing::Test {
protected:
    ClientSessionConfig config() {
        ClientSessionConfig c;
        c.wrap = proto::ControlWrap(
            proto::TlsCrypt::create(test_key(), /*is_server=*/false).value(), {});
        c.local_session_id = {std::byte{0xc1}, std::byte{2}, std::byte{3}, std::byte{4},
                              std::byte{5},    std::byte{6}, std::byte{7}, std::byte{8}};
        c.options_string = "V4,dev-type tun,link-mtu 1549,tun-mtu 1500,proto UDPv4,tls-client";
        c.peer_info = "IV_VER=2.6.14\nIV_PROTO=990\n";
        c.make_tls = []() -> Result<std::unique_ptr<TlsStream>, std::string> {
            return std::unique_ptr<TlsStream>(std::make_unique<FakeTls>(true));
        };
        return c;
    }

    Now now() const { return {platform::Instant{} + elapsed_, 1700000000}; }
    void advance(platform::Duration d) { elapsed_ += d; }

    // Moves packets both ways until nothing is in flight (bounded).
    void exchange(ClientSession& client, MiniServer& server) {
        for (int round = 0; round < 50; ++round) {
            bool moved = false;
            while (auto packet = client.poll_transmit(now())) {
                if (drop_client_packets_ > 0) {
                    --drop_client_packets_;
                    continue;
                }
                const auto op =
                    proto::parse_opcode_byte(std::to_integer<std::uint8_t>((*packet)[0]));
                if (op && !proto::is_control(op->opcode)) {
                    data_to_server_.push_back(*packet);
                } else {
                    server.on_packet(*packet, now());
                }
                moved = true;
            }
            for (auto& packet : server.transmit(now())) {
                client.on_control_packet(packet, now());
                moved = true;
            }
            if (!moved) {
                return;
            }
        }
        FAIL() << "exchange did not settle";
    }

    std::vector<SessionEvent> events(ClientSession& client) {
        std::vector<SessionEvent> out;
        while (auto e = client.poll_event()) {
            out.push_back(*e);
        }
        return out;
    }

    std::unique_ptr<ClientSession> connected(MiniServer& server,
                                             platform::testing::SeededRandom& random,
                                             bool use_ekm = true) {
        auto client = std::make_unique<ClientSession>(config(), random, now());
        exchange(*client, server);
        EXPECT_EQ(client->state(), SessionState::kPushRequested);
        proto::DataChannelConfig data;
        EXPECT_TRUE(client->activate_data_channel(data, use_ekm, 5));
        EXPECT_EQ(client->state(), SessionState::kConnected);
        return client;
    }

    ClientSession* connected_ptr(MiniServer& server, platform::testing::SeededRandom& random,
                                 bool use_ekm = true) {
        sessions_.push_back(connected(server, random, use_ekm));
        return sessions_.back().get();
    }

    std::vector<std::unique_ptr<ClientSession>> sessions_;
    platform::Duration elapsed_{};
    int drop_client_packets_ = 0;
    std::vector<std::vector<std::byte>> data_to_server_;
};

TEST_F(ClientSessionTest, HandshakeReachesPushReplyWithKeyMethod2AndPushRequest) {
    MiniServer server;
    platform::testing::SeededRandom random(1);
    ClientSession client(config(), random, now());
    EXPECT_EQ(client.state(), SessionState::kResetSent);
    exchange(client, server);
    EXPECT_EQ(client.state(), SessionState::kPushRequested);
    ASSERT_TRUE(server.client_key_method);
    EXPECT_EQ(server.client_key_method->options, config().options_string);
    EXPECT_EQ(server.client_key_method->peer_info, config().peer_info);
    EXPECT_EQ(server.received_messages, std::vector<std::string>{"PUSH_REQUEST"});
    const auto seen = events(client);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].kind, SessionEvent::Kind::kTlsEstablished);
    EXPECT_EQ(seen[1].kind, SessionEvent::Kind::kPushReply);
    EXPECT_EQ(seen[1].text, server.push_reply);
}

TEST_F(ClientSessionTest, DataFlowsBothWaysWithEkmAndWithTheLegacyPrf) {
    for (const bool use_ekm : {true, false}) {
        MiniServer server;
        platform::testing::SeededRandom random(2);
        auto& client = *connected_ptr(server, random, use_ekm);
        auto server_key = server.data_key(0, use_ekm);

        const auto ip_packet = bytes_of("an IPv4 packet from the TUN device");
        std::vector<std::byte> wire(client.max_encrypted_size(ip_packet.size()));
        const auto size = client.encrypt(ip_packet, wire, now());
        ASSERT_TRUE(size);
        wire.resize(*size);
        EXPECT_EQ(std::to_integer<int>(wire[0]) >> 3, 9) << "P_DATA_V2 with the pushed peer-id";
        const auto at_server = server_key.decrypt_in_place(wire, now().mono);
        ASSERT_TRUE(at_server) << "ekm=" << use_ekm;
        EXPECT_EQ(at_server->peer_id, 5u);
        EXPECT_TRUE(std::equal(ip_packet.begin(), ip_packet.end(), at_server->plaintext.begin(),
                               at_server->plaintext.end()));

        const auto reply = bytes_of("the answer");
        std::vector<std::byte> back(server_key.max_encrypted_size(reply.size(), false));
        const auto back_size = server_key.encrypt(reply, std::nullopt, back);
        ASSERT_TRUE(back_size);
        back.resize(*back_size);
        const auto at_client = client.decrypt(back, now());
        ASSERT_TRUE(at_client);
        EXPECT_TRUE(std::equal(reply.begin(), reply.end(), at_client->begin(), at_client->end()));
        // A replay of the same packet is refused and counted.
        EXPECT_FALSE(client.decrypt(back, now()));
        EXPECT_EQ(client.stats().data_dropped, 1u);
    }
}

TEST_F(ClientSessionTest, PushRequestIsRepeatedUntilAnswered) {
    MiniServer server;
    server.answer_push = false;
    platform::testing::SeededRandom random(3);
    ClientSession client(config(), random, now());
    exchange(client, server);
    ASSERT_EQ(server.received_messages.size(), 1u);
    advance(5s);
    client.on_timer(now());
    exchange(client, server);
    EXPECT_EQ(server.received_messages.size(), 2u);
    server.answer_push = true;
    advance(5s);
    client.on_timer(now());
    exchange(client, server);
    const auto seen = events(client);
    EXPECT_EQ(seen.back().kind, SessionEvent::Kind::kPushReply);
}

TEST_F(ClientSessionTest, LostResetIsRetransmittedByTheReliableLayer) {
    MiniServer server;
    platform::testing::SeededRandom random(4);
    ClientSession client(config(), random, now());
    drop_client_packets_ = 1;
    exchange(client, server);
    EXPECT_EQ(client.state(), SessionState::kResetSent);
    ASSERT_TRUE(client.next_deadline());
    advance(*client.next_deadline() - now().mono);
    client.on_timer(now());
    exchange(client, server);
    EXPECT_EQ(client.state(), SessionState::kPushRequested);
}

TEST_F(ClientSessionTest, NoServerMeansFailureAfterTheHandshakeWindow) {
    platform::testing::SeededRandom random(5);
    ClientSession client(config(), random, now());
    for (int i = 0; i < 100 && client.state() != SessionState::kFailed; ++i) {
        while (client.poll_transmit(now())) {
        }
        const auto deadline = client.next_deadline();
        ASSERT_TRUE(deadline);
        advance(*deadline - now().mono);
        client.on_timer(now());
    }
    EXPECT_EQ(client.state(), SessionState::kFailed);
    EXPECT_GE(now().mono - platform::Instant{}, 60s);
    const auto seen = events(client);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().kind, SessionEvent::Kind::kFailed);
    EXPECT_NE(seen.back().text.find("handshake window"), std::string::npos);
}

TEST_F(ClientSessionTest, KeepalivePingsWhenIdleAndRestartsWhenTheServerIsSilent) {
    MiniServer server;
    platform::testing::SeededRandom random(6);
    auto& client = *connected_ptr(server, random);
    auto server_key = server.data_key(0, true);
    client.set_keepalive(10s, 60s, now());
    advance(10s);
    client.on_timer(now());
    auto ping = client.poll_transmit(now());
    ASSERT_TRUE(ping);
    const auto opened = server_key.decrypt_in_place(*ping, now().mono);
    ASSERT_TRUE(opened);
    ASSERT_EQ(opened->plaintext.size(), kPingMagic.size());
    EXPECT_EQ(std::to_integer<std::uint8_t>(opened->plaintext[0]), kPingMagic[0]);
    EXPECT_EQ(client.stats().pings_sent, 1u);

    // A ping from the server is consumed (empty result) and counts as a sign of life.
    std::array<std::byte, 16> magic{};
    for (std::size_t i = 0; i < 16; ++i) {
        magic[i] = std::byte{kPingMagic[i]};
    }
    std::vector<std::byte> wire(server_key.max_encrypted_size(16, false));
    wire.resize(server_key.encrypt(magic, std::nullopt, wire).value());
    const auto consumed = client.decrypt(wire, now());
    ASSERT_TRUE(consumed);
    EXPECT_TRUE(consumed->empty());
    EXPECT_EQ(client.stats().pings_received, 1u);

    for (int i = 0; i < 20 && client.state() == SessionState::kConnected; ++i) {
        advance(10s);
        client.on_timer(now());
        while (client.poll_transmit(now())) {
        }
    }
    EXPECT_EQ(client.state(), SessionState::kFailed);
    const auto seen = events(client);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().kind, SessionEvent::Kind::kRestart);
    EXPECT_NE(seen.back().text.find("ping-restart"), std::string::npos);
}

TEST_F(ClientSessionTest, AuthFailedEndsTheSession) {
    MiniServer server;
    server.push_reply = "AUTH_FAILED,bad password";
    platform::testing::SeededRandom random(7);
    ClientSession client(config(), random, now());
    exchange(client, server);
    EXPECT_EQ(client.state(), SessionState::kFailed);
    const auto seen = events(client);
    EXPECT_EQ(seen.back().kind, SessionEvent::Kind::kAuthFailed);
    EXPECT_EQ(seen.back().text, "bad password");
}

TEST_F(ClientSessionTest, ServerSoftResetRotatesKeysAndKeepsTheOldOneForTheTransition) {
    MiniServer server;
    platform::testing::SeededRandom random(8);
    auto& client = *connected_ptr(server, random);
    auto old_server_key = server.data_key(0, true);
    (void)events(client);

    server.start_soft_reset(1);
    exchange(client, server);
    const auto seen = events(client);
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.back().kind, SessionEvent::Kind::kRenegotiated);
    auto new_server_key = server.data_key(1, true);

    const auto payload = bytes_of("after renegotiation");
    std::vector<std::byte> wire(client.max_encrypted_size(payload.size()));
    wire.resize(client.encrypt(payload, wire, now()).value());
    EXPECT_EQ(std::to_integer<int>(wire[0]) & 7, 1) << "sent with the new key_id";
    EXPECT_TRUE(new_server_key.decrypt_in_place(wire, now().mono));

    // A late packet under the old key still decrypts during the transition window ...
    std::vector<std::byte> late(old_server_key.max_encrypted_size(4, false));
    late.resize(old_server_key.encrypt(bytes_of("late"), std::nullopt, late).value());
    auto late_copy = late;
    EXPECT_TRUE(client.decrypt(late, now()));
    // ... but not after it.
    advance(61s);
    client.on_timer(now());
    EXPECT_FALSE(client.decrypt(late_copy, now()));
}

TEST_F(ClientSessionTest, RenegotiatesAfterRenegPktsOrRenegBytesOfTrafficBothWays) {
    // ssl.c tls_process: a key is renegotiated once ks->n_packets >= --reneg-pkts or
    // ks->n_bytes >= --reneg-bytes, counting data packets sent and received on it.
    for (const bool by_bytes : {false, true}) {
        SCOPED_TRACE(by_bytes ? "reneg-bytes" : "reneg-pkts");
        MiniServer server;
        platform::testing::SeededRandom random(10);
        auto c = config();
        const auto payload = bytes_of("twenty bytes of data");
        std::vector<std::byte> wire(256);
        ClientSession* client = nullptr;
        std::unique_ptr<ClientSession> owned;
        owned = std::make_unique<ClientSession>(config(), random, now());
        client = owned.get();
        exchange(*client, server);
        ASSERT_TRUE(client->activate_data_channel({}, true, 5));
        const std::size_t packet_size = client->encrypt(payload, wire, now()).value();
        // The first packet above was only for its size; start over with the limit set.
        if (by_bytes) {
            // 3 sent + 1 received (P_DATA_V1, 3 bytes shorter): reached by the 4th packet.
            c.reneg_bytes = 4 * packet_size - 3;
        } else {
            c.reneg_packets = 4;
        }
        MiniServer fresh_server;
        owned = std::make_unique<ClientSession>(std::move(c), random, now());
        client = owned.get();
        exchange(*client, fresh_server);
        ASSERT_TRUE(client->activate_data_channel({}, true, 5));
        (void)events(*client);
        auto server_key = fresh_server.data_key(0, true);

        const auto not_due = [&] {
            const auto deadline = client->next_deadline();
            return !deadline || *deadline > now().mono;
        };
        for (int i = 0; i < 2; ++i) {
            ASSERT_EQ(client->encrypt(payload, wire, now()).value(), packet_size);
        }
        std::vector<std::byte> incoming(server_key.max_encrypted_size(payload.size(), false));
        incoming.resize(server_key.encrypt(payload, std::nullopt, incoming).value());
        ASSERT_EQ(incoming.size(), packet_size - 3);  // P_DATA_V1 from the server, no peer-id
        ASSERT_TRUE(client->decrypt(incoming, now()));
        EXPECT_TRUE(not_due()) << "3 packets are below the limit";
        client->on_timer(now());
        EXPECT_FALSE(client->poll_transmit(now())) << "no soft reset yet";

        ASSERT_TRUE(client->encrypt(payload, wire, now()));
        EXPECT_FALSE(not_due()) << "the 4th packet reaches the limit";
        client->on_timer(now());
        const auto reset = client->poll_transmit(now());
        ASSERT_TRUE(reset);
        EXPECT_EQ((*reset)[0], std::byte{0x19});  // P_CONTROL_SOFT_RESET_V1, key_id 1
        fresh_server.on_packet(*reset, now());
        exchange(*client, fresh_server);
        const auto seen = events(*client);
        ASSERT_FALSE(seen.empty());
        EXPECT_EQ(seen.back().kind, SessionEvent::Kind::kRenegotiated);
        wire.resize(256);
        wire.resize(client->encrypt(payload, wire, now()).value());
        EXPECT_EQ(std::to_integer<int>(wire[0]) & 7, 1) << "new traffic uses key_id 1";
        EXPECT_TRUE(not_due()) << "the counters start again on the new key";
    }
}

TEST_F(ClientSessionTest, DynamicTlsCryptWrapsTheRenegotiation) {
    // ssl.c: with dyn-tls-crypt pushed, the soft reset and everything on key_id 1 is tls-crypt
    // wrapped with the exported key (XORed with the original tls-crypt key); a client that did
    // not switch cannot renegotiate with such a server.
    for (const bool client_switches : {true, false}) {
        SCOPED_TRACE(client_switches ? "both switch" : "only the server switches");
        MiniServer server;
        platform::testing::SeededRandom random(11);
        auto c = config();
        c.wrap.set_original_key(test_key());
        ClientSession client(std::move(c), random, now());
        exchange(client, server);
        ASSERT_TRUE(client.activate_data_channel({}, true, 5, client_switches));
        server.enable_dynamic_tls_crypt();
        (void)events(client);
        server.start_soft_reset(1);
        for (auto& packet : server.transmit(now())) {
            client.on_control_packet(packet, now());
        }
        if (!client_switches) {
            EXPECT_EQ(client.stats().control_dropped, 1U);
            EXPECT_FALSE(client.poll_transmit(now()));
            continue;
        }
        const auto reply = client.poll_transmit(now());
        ASSERT_TRUE(reply);
        EXPECT_EQ((*reply)[0], std::byte{0x19});  // our SOFT_RESET_V1 on key_id 1
        server.on_packet(*reply, now());
        exchange(client, server);
        const auto seen = events(client);
        ASSERT_FALSE(seen.empty());
        EXPECT_EQ(seen.back().kind, SessionEvent::Kind::kRenegotiated);
        EXPECT_EQ(client.stats().control_dropped, 0U);
    }
}

TEST_F(ClientSessionTest, GarbageAndForgedControlPacketsAreDroppedAndCounted) {
    MiniServer server;
    platform::testing::SeededRandom random(9);
    ClientSession client(config(), random, now());
    exchange(client, server);
    const auto state = client.state();
    client.on_control_packet({}, now());
    client.on_control_packet(bytes_of("\x38garbage that is not a tls-crypt packet at all"), now());
    auto forged = server.transmit(now());
    EXPECT_TRUE(forged.empty());
    EXPECT_EQ(client.stats().control_dropped, 2u);
    EXPECT_EQ(client.state(), state);
}

}  // namespace
}  // namespace nfv::vpn::session
