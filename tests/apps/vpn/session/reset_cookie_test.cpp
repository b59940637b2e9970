#include "session/reset_cookie.hpp"

#include <gtest/gtest.h>

#include "nfv/platform/testing/seeded_random.hpp"

#include "session/server_session.hpp"
#include "session_pair.hpp"

namespace nfv::vpn::session {
namespace {

using namespace std::chrono_literals;
using proto::Opcode;

std::vector<std::byte> address(std::string_view text) {
    const auto view = std::as_bytes(std::span(text.data(), text.size()));
    return {view.begin(), view.end()};
}

ListenerAuth listener_auth() {
    return proto::TlsCrypt::create(testing::pair_test_key(), /*is_server=*/true).value();
}

class ResetCookieTest : public ::testing::Test {
protected:
    Now now() const { return {platform::Instant{} + elapsed_, 1'700'000'000 + seconds()}; }
    std::uint32_t seconds() const {
        return static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::seconds>(elapsed_).count());
    }

    platform::Duration elapsed_{};
    platform::testing::SeededRandom random_{42};
    ResetCookie cookie_ = ResetCookie::create(random_).value();
    ListenerAuth auth_ = listener_auth();
    const std::vector<std::byte> from_ = address("192.0.2.10:40000");
};

TEST_F(ResetCookieTest, CookieIsValidForTheAdjacentSlotsOnlyAndBoundToAddressAndSession) {
    const proto::SessionId client = {std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4},
                                     std::byte{5}, std::byte{6}, std::byte{7}, std::byte{8}};
    const std::uint32_t t = 1'700'000'010;  // hand-window 60 s: slots of 30 s
    const auto id = cookie_.session_id(client, from_, t);
    EXPECT_TRUE(cookie_.verify(id, client, from_, t));
    EXPECT_TRUE(cookie_.verify(id, client, from_, t + 30));   // next slot (offset -1)
    EXPECT_TRUE(cookie_.verify(id, client, from_, t + 60));   // offset -2
    EXPECT_FALSE(cookie_.verify(id, client, from_, t + 90));  // three slots later: stale
    EXPECT_TRUE(cookie_.verify(id, client, from_, t - 30));   // offset +1 (clock step)
    EXPECT_FALSE(cookie_.verify(id, client, from_, t - 60));
    EXPECT_FALSE(cookie_.verify(id, client, address("192.0.2.11:40000"), t));
    auto other_client = client;
    other_client[0] = std::byte{9};
    EXPECT_FALSE(cookie_.verify(id, other_client, from_, t));
    // Another process (another random key) does not accept our cookies.
    platform::testing::SeededRandom other_random(43);
    auto other = ResetCookie::create(other_random).value();
    EXPECT_FALSE(other.verify(id, client, from_, t));
}

TEST_F(ResetCookieTest, ThreeWayHandshakeCreatesStateOnlyAfterTheEchoAndThenConnects) {
    platform::testing::SeededRandom client_random(1);
    platform::testing::SeededRandom server_random(2);
    ClientSession client(testing::pair_client_config(std::string(testing::kModernPeerInfo)),
                         client_random, now());
    const auto reset = client.poll_transmit(now());
    ASSERT_TRUE(reset);
    ASSERT_FALSE(client.poll_transmit(now()));

    const auto first = handle_first_packet(*reset, from_, auth_, cookie_, now());
    ASSERT_EQ(first.verdict, FirstPacketVerdict::kReply);
    EXPECT_LE(first.reply.size(), reset->size() + 12) << "one ack entry more than the reset";
    // Stateless: the same reset (a replay or a retransmission) earns the same reply bytes.
    const auto again = handle_first_packet(*reset, from_, auth_, cookie_, now());
    EXPECT_EQ(again.reply, first.reply);

    // Same second: the session's control packet ids must continue after the reply's id 1.
    client.on_control_packet(first.reply, now());
    ASSERT_EQ(client.state(), SessionState::kTlsHandshake);
    std::vector<std::vector<std::byte>> to_server;
    while (auto packet = client.poll_transmit(now())) {
        to_server.push_back(*packet);
    }
    ASSERT_FALSE(to_server.empty());
    // The echo from another address is refused (the cookie is bound to the address).
    EXPECT_EQ(handle_first_packet(to_server[0], address("198.51.100.7:1194"), auth_, cookie_, now())
                  .verdict,
              FirstPacketVerdict::kDrop);
    const auto echo = handle_first_packet(to_server[0], from_, auth_, cookie_, now());
    ASSERT_EQ(echo.verdict, FirstPacketVerdict::kAccept);
    EXPECT_EQ(echo.server_session_id, first.server_session_id);

    auto config = testing::pair_server_config();
    config.local_session_id = echo.server_session_id;
    ServerSession server(std::move(config), server_random, now(), echo.client_session_id);
    for (const auto& packet : to_server) {
        server.on_control_packet(packet, now());
    }
    testing::PushApplier applier;
    for (int round = 0; round < 50; ++round) {
        bool moved = false;
        while (auto packet = server.poll_transmit(now())) {
            client.on_control_packet(*packet, now());
            moved = true;
        }
        while (auto packet = client.poll_transmit(now())) {
            server.on_control_packet(*packet, now());
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
    EXPECT_EQ(server.state(), ServerState::kConnected);
    EXPECT_EQ(client.state(), SessionState::kConnected);
    EXPECT_EQ(client.stats().control_dropped, 0u) << "no packet id was seen twice";
    EXPECT_EQ(server.stats().control_dropped, 0u);
}

TEST_F(ResetCookieTest, WrongKeyRandomBytesAndForgedEchoesGetNoReply) {
    // A client whose tls-crypt keys are not the server's (here: the server-direction keys).
    auto config = testing::pair_client_config(std::string(testing::kModernPeerInfo));
    config.wrap = proto::ControlWrap(
        proto::TlsCrypt::create(testing::pair_test_key(), /*is_server=*/true).value(), {});
    platform::testing::SeededRandom client_random(3);
    ClientSession wrong(std::move(config), client_random, now());
    const auto reset = wrong.poll_transmit(now());
    ASSERT_TRUE(reset);
    const auto verdict = handle_first_packet(*reset, from_, auth_, cookie_, now());
    EXPECT_EQ(verdict.verdict, FirstPacketVerdict::kDrop);
    EXPECT_TRUE(verdict.reply.empty());

    // Random datagrams, also with each valid opcode byte in front.
    platform::testing::SeededRandom noise(4);
    for (int i = 0; i < 2000; ++i) {
        std::vector<std::byte> datagram(1 + noise.next_u64() % 200);
        noise.fill(datagram);
        if (i % 2 == 0) {
            datagram[0] = std::byte{
                proto::make_opcode_byte(static_cast<Opcode>(3 + noise.next_u64() % 9), 0)};
        }
        const auto r = handle_first_packet(datagram, from_, auth_, cookie_, now());
        ASSERT_EQ(r.verdict, FirstPacketVerdict::kDrop) << "datagram " << i;
        ASSERT_TRUE(r.reply.empty());
    }

    // A correctly wrapped P_ACK_V1 that acks id 0 under a made-up server session id.
    auto client_side = proto::TlsCrypt::create(testing::pair_test_key(), false).value();
    proto::ControlPacket ack;
    ack.opcode = Opcode::kAckV1;
    ack.session_id = {std::byte{0xc1}};
    (void)ack.acks.push(0);
    ack.remote_session_id = {std::byte{0x11}, std::byte{0x22}};
    std::vector<std::byte> plain(proto::wire_size(ack));
    ASSERT_TRUE(proto::serialize(ack, plain));
    std::vector<std::byte> wire(plain.size() + proto::kTlsCryptOverhead);
    wire.resize(client_side.wrap(plain, {5, now().unix_seconds}, wire).value());
    EXPECT_EQ(handle_first_packet(wire, from_, auth_, cookie_, now()).verdict,
              FirstPacketVerdict::kDrop);
    // The same ack with the right cookie is accepted, but not once the cookie is stale.
    ack.remote_session_id = cookie_.session_id(ack.session_id, from_, now().unix_seconds);
    ASSERT_TRUE(proto::serialize(ack, plain));
    wire.resize(plain.size() + proto::kTlsCryptOverhead);
    wire.resize(client_side.wrap(plain, {6, now().unix_seconds}, wire).value());
    EXPECT_EQ(handle_first_packet(wire, from_, auth_, cookie_, now()).verdict,
              FirstPacketVerdict::kAccept);
    elapsed_ += 120s;
    EXPECT_EQ(handle_first_packet(wire, from_, auth_, cookie_, now()).verdict,
              FirstPacketVerdict::kDrop);
}

TEST_F(ResetCookieTest, ResetsThatAreNotFreshAreDropped) {
    auto client_side = proto::TlsCrypt::create(testing::pair_test_key(), false).value();
    proto::ControlPacket reset;
    reset.opcode = Opcode::kControlHardResetClientV2;
    reset.session_id = {std::byte{0xc1}};
    reset.message_id = 3;  // not the first message
    std::vector<std::byte> plain(proto::wire_size(reset));
    ASSERT_TRUE(proto::serialize(reset, plain));
    std::vector<std::byte> wire(plain.size() + proto::kTlsCryptOverhead);
    wire.resize(client_side.wrap(plain, {1, now().unix_seconds}, wire).value());
    EXPECT_EQ(handle_first_packet(wire, from_, auth_, cookie_, now()).verdict,
              FirstPacketVerdict::kDrop);
    reset.message_id = 0;
    reset.key_id = 1;  // resets start on key_id 0
    plain.resize(proto::wire_size(reset));
    ASSERT_TRUE(proto::serialize(reset, plain));
    wire.resize(plain.size() + proto::kTlsCryptOverhead);
    wire.resize(client_side.wrap(plain, {2, now().unix_seconds}, wire).value());
    EXPECT_EQ(handle_first_packet(wire, from_, auth_, cookie_, now()).verdict,
              FirstPacketVerdict::kDrop);
}

// tls-crypt-v2: a server key, one client key Kc and its WKc with user metadata.
struct V2Keys {
    std::array<std::byte, proto::kTlsCryptV2ServerKeySize> server{};
    std::array<std::byte, proto::kStaticKeySize> client{};
    std::vector<std::byte> wkc;
    std::vector<std::byte> metadata = {std::byte{proto::kTlsCryptV2MetadataUser},
                                       std::byte{'a'},
                                       std::byte{'l'},
                                       std::byte{'i'},
                                       std::byte{'c'},
                                       std::byte{'e'}};

    explicit V2Keys(std::uint64_t seed) {
        platform::testing::SeededRandom random(seed);
        random.fill(server);
        random.fill(client);
        wkc = proto::TlsCryptV2ServerKey(server).wrap(client, metadata).value();
    }
};

TEST_F(ResetCookieTest, TlsCryptV2EarlyNegotiationIsStatelessUntilTheWkcEcho) {
    const V2Keys keys(11);
    ListenerAuth v2_auth = proto::TlsCryptV2ServerKey(keys.server);
    auto client_config = testing::pair_client_config(std::string(testing::kModernPeerInfo));
    client_config.wrap = proto::ControlWrap(
        proto::TlsCrypt::create(proto::StaticKey(keys.client), /*is_server=*/false).value(), {},
        keys.wkc);
    platform::testing::SeededRandom client_random(12);
    platform::testing::SeededRandom server_random(13);
    ClientSession client(std::move(client_config), client_random, now());
    const auto reset = client.poll_transmit(now());
    ASSERT_TRUE(reset);
    EXPECT_EQ(std::to_integer<int>((*reset)[0]) >> 3, 10) << "P_CONTROL_HARD_RESET_CLIENT_V3";

    // Another server's key, a corrupted WKc and a tls-crypt v1 listener all stay silent.
    const V2Keys other(14);
    ListenerAuth other_auth = proto::TlsCryptV2ServerKey(other.server);
    EXPECT_EQ(handle_first_packet(*reset, from_, other_auth, cookie_, now()).verdict,
              FirstPacketVerdict::kDrop);
    auto corrupted = *reset;
    corrupted[corrupted.size() - 40] ^= std::byte{1};
    EXPECT_EQ(handle_first_packet(corrupted, from_, v2_auth, cookie_, now()).verdict,
              FirstPacketVerdict::kDrop);
    EXPECT_EQ(handle_first_packet(*reset, from_, auth_, cookie_, now()).verdict,
              FirstPacketVerdict::kDrop);

    const auto first = handle_first_packet(*reset, from_, v2_auth, cookie_, now());
    ASSERT_EQ(first.verdict, FirstPacketVerdict::kReply);
    ASSERT_TRUE(first.client_key);
    EXPECT_EQ(first.client_key->metadata, keys.metadata);
    EXPECT_LE(first.reply.size(), reset->size()) << "the WKc makes the reset the larger packet";

    client.on_control_packet(first.reply, now());
    ASSERT_EQ(client.state(), SessionState::kTlsHandshake);
    std::vector<std::vector<std::byte>> to_server;
    while (auto packet = client.poll_transmit(now())) {
        to_server.push_back(*packet);
    }
    ASSERT_FALSE(to_server.empty());
    EXPECT_EQ(std::to_integer<int>(to_server[0][0]) >> 3, 11) << "P_CONTROL_WKC_V1";
    const auto echo = handle_first_packet(to_server[0], from_, v2_auth, cookie_, now());
    ASSERT_EQ(echo.verdict, FirstPacketVerdict::kAccept);
    ASSERT_TRUE(echo.client_key);
    EXPECT_EQ(echo.client_key->metadata, keys.metadata);

    auto config = testing::pair_server_config();
    config.wrap = proto::ControlWrap(
        proto::TlsCrypt::create(proto::StaticKey(echo.client_key->key), /*is_server=*/true).value(),
        {});
    config.tls_crypt_v2 = true;
    config.local_session_id = echo.server_session_id;
    ServerSession server(std::move(config), server_random, now(), echo.client_session_id);
    for (const auto& packet : to_server) {
        server.on_control_packet(packet, now());
    }
    testing::PushApplier applier;
    for (int round = 0; round < 50; ++round) {
        bool moved = false;
        while (auto packet = server.poll_transmit(now())) {
            client.on_control_packet(*packet, now());
            moved = true;
        }
        while (auto packet = client.poll_transmit(now())) {
            server.on_control_packet(*packet, now());
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
    EXPECT_EQ(server.state(), ServerState::kConnected);
    EXPECT_EQ(client.state(), SessionState::kConnected);
    EXPECT_EQ(client.stats().control_dropped, 0u);
    EXPECT_EQ(server.stats().control_dropped, 0u);
}

TEST_F(ResetCookieTest, TlsCryptV2ResetWithoutEarlyNegotiationStartsASessionAtOnce) {
    const V2Keys keys(21);
    ListenerAuth v2_auth = proto::TlsCryptV2ServerKey(keys.server);
    auto client_side = proto::TlsCrypt::create(proto::StaticKey(keys.client), false).value();
    proto::ControlPacket reset;
    reset.opcode = Opcode::kControlHardResetClientV3;
    reset.session_id = {std::byte{0xc2}};
    std::vector<std::byte> plain(proto::wire_size(reset));
    ASSERT_TRUE(proto::serialize(reset, plain));
    std::vector<std::byte> wire(plain.size() + proto::kTlsCryptOverhead);
    // Packet id 1: a 2.5-style client that does not know early negotiation.
    wire.resize(client_side.wrap(plain, {1, now().unix_seconds}, wire).value());
    wire.insert(wire.end(), keys.wkc.begin(), keys.wkc.end());

    const auto verdict = handle_first_packet(wire, from_, v2_auth, cookie_, now());
    ASSERT_EQ(verdict.verdict, FirstPacketVerdict::kStartSession);
    EXPECT_TRUE(verdict.reply.empty());
    ASSERT_TRUE(verdict.client_key);

    auto config = testing::pair_server_config();
    config.wrap = proto::ControlWrap(
        proto::TlsCrypt::create(proto::StaticKey(verdict.client_key->key), true).value(), {});
    config.tls_crypt_v2 = true;
    platform::testing::SeededRandom server_random(22);
    ServerSession server(std::move(config), server_random, now());
    server.on_control_packet(wire, now());
    EXPECT_EQ(server.state(), ServerState::kTlsHandshake);
    const auto answer = server.poll_transmit(now());
    ASSERT_TRUE(answer);
    std::vector<std::byte> opened(answer->size());
    const auto size = client_side.unwrap(*answer, opened);
    ASSERT_TRUE(size);
    const auto parsed = proto::parse_control_packet(std::span(opened).first(size->size));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->opcode, Opcode::kControlHardResetServerV2);
    EXPECT_TRUE(parsed->acks.contains(0));
}

}  // namespace
}  // namespace nfv::vpn::session
