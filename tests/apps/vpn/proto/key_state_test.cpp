#include "proto/key_state.hpp"

#include <array>
#include <functional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/platform/testing/seeded_random.hpp"

#include "../data/test_pki.hpp"

namespace nfv::vpn::proto {
namespace {

using platform::testing::SeededRandom;

const testdata::TestPki& pki() {
    static const testdata::TestPki instance;
    return instance;
}

constexpr std::string_view kClientOptions =
    "V4,dev-type tun,link-mtu 1559,tun-mtu 1500,proto UDPv4,cipher AES-256-GCM,auth "
    "[null-digest],keysize 256,key-method 2,tls-client";
constexpr std::string_view kServerOptions =
    "V4,dev-type tun,link-mtu 1559,tun-mtu 1500,proto UDPv4,cipher AES-256-GCM,auth "
    "[null-digest],keysize 256,key-method 2,tls-server";
constexpr std::string_view kPeerInfo =
    "IV_VER=2.6.14\nIV_PLAT=linux\nIV_PROTO=990\nIV_CIPHERS=AES-256-GCM:CHACHA20-POLY1305\n";

const SessionId kClientSid{std::byte{0xc1}, std::byte{2}, std::byte{3}, std::byte{4},
                           std::byte{5},    std::byte{6}, std::byte{7}, std::byte{8}};
const SessionId kServerSid{std::byte{0x5e}, std::byte{9}, std::byte{8}, std::byte{7},
                           std::byte{6},    std::byte{5}, std::byte{4}, std::byte{3}};

KeyStateConfig client_config(std::uint8_t key_id = 0) {
    KeyStateConfig c;
    c.tls.is_server = false;
    c.tls.ca_pem = pki().ca.cert;
    c.tls.cert_pem = pki().client.cert;
    c.tls.key_pem = pki().client.key;
    c.tls.remote_cert_tls = RemoteCertTls::kServer;
    c.key_id = key_id;
    c.local_session_id = kClientSid;
    c.remote_session_id = kServerSid;
    c.options = std::string(kClientOptions);
    c.peer_info = std::string(kPeerInfo);
    c.credentials = UserPass{"alice", "wonderland"};
    return c;
}

KeyStateConfig server_config(std::uint8_t key_id = 0) {
    KeyStateConfig c;
    c.tls.is_server = true;
    c.tls.ca_pem = pki().ca.cert;
    c.tls.cert_pem = pki().server.cert;
    c.tls.key_pem = pki().server.key;
    c.tls.remote_cert_tls = RemoteCertTls::kClient;
    c.key_id = key_id;
    c.local_session_id = kServerSid;
    c.remote_session_id = kClientSid;
    c.options = std::string(kServerOptions);
    return c;
}

using Source = std::function<std::size_t(std::span<std::byte>)>;
using Sink = std::function<void(std::span<const std::byte>)>;

// Moves ciphertext in control-MTU (1250 byte) chunks until both directions are quiet.
void pump(const Source& a_out, const Sink& b_in, const Source& b_out, const Sink& a_in) {
    std::vector<std::byte> chunk(1250);
    for (int round = 0; round < 50; ++round) {
        bool moved = false;
        while (const std::size_t n = a_out(chunk)) {
            b_in(std::span(chunk).first(n));
            moved = true;
        }
        while (const std::size_t n = b_out(chunk)) {
            a_in(std::span(chunk).first(n));
            moved = true;
        }
        if (!moved) {
            return;
        }
    }
    ADD_FAILURE() << "exchange did not settle";
}

void pump(KeyState& client, KeyState& server) {
    pump([&](std::span<std::byte> out) { return client.read_tls(out); },
         [&](std::span<const std::byte> in) { (void)server.receive_tls(in); },
         [&](std::span<std::byte> out) { return server.read_tls(out); },
         [&](std::span<const std::byte> in) { (void)client.receive_tls(in); });
}

std::vector<KeyStateEvent> events(KeyState& state) {
    std::vector<KeyStateEvent> out;
    while (const auto e = state.poll_event()) {
        out.push_back(*e);
    }
    return out;
}

// Encrypts `text` with `from` and checks that `to` decrypts it.
void expect_data_flows(DataChannelKey& from, DataChannelKey& to,
                       std::optional<std::uint32_t> peer_id, std::string_view text) {
    const auto plain = std::as_bytes(std::span(text.data(), text.size()));
    std::vector<std::byte> wire(from.max_encrypted_size(plain.size(), peer_id.has_value()));
    const auto written = from.encrypt(plain, peer_id, wire);
    ASSERT_TRUE(written);
    wire.resize(*written);
    const auto got = to.decrypt_in_place(wire, platform::Instant{});
    ASSERT_TRUE(got);
    EXPECT_TRUE(std::ranges::equal(got->plaintext, plain));
}

TEST(KeyState, ClientAndServerExchangeKeysAndPassDataBothWays) {
    SeededRandom random(1);
    auto client = KeyState::create(client_config(), random).value();
    auto server = KeyState::create(server_config(), random).value();
    pump(client, server);
    EXPECT_EQ(events(client),
              (std::vector{KeyStateEvent::kTlsHandshakeDone, KeyStateEvent::kKeyExchangeDone}));
    EXPECT_EQ(events(server),
              (std::vector{KeyStateEvent::kTlsHandshakeDone, KeyStateEvent::kKeyExchangeDone}));
    ASSERT_TRUE(client.key_exchange_done());
    ASSERT_TRUE(server.key_exchange_done());

    const auto& from_client = *server.peer_message();
    EXPECT_EQ(from_client.options, kClientOptions);
    EXPECT_EQ(from_client.peer_info, kPeerInfo);
    ASSERT_TRUE(from_client.credentials);
    EXPECT_EQ(from_client.credentials->username, "alice");
    EXPECT_EQ(from_client.credentials->password, "wonderland");
    const auto& from_server = *client.peer_message();
    EXPECT_EQ(from_server.options, kServerOptions);
    EXPECT_FALSE(from_server.credentials);
    EXPECT_TRUE(from_server.peer_info.empty());

    for (const auto method : {KeyDerivationMethod::kTlsEkm, KeyDerivationMethod::kPrf}) {
        for (const auto cipher :
             {DataCipher::kAes256Gcm, DataCipher::kChaCha20Poly1305, DataCipher::kAes256Cbc}) {
            DataChannelConfig config{.cipher = cipher, .digest = DataDigest::kSha256};
            auto c = client.data_channel_key(config, method, random).value();
            auto s = server.data_channel_key(config, method, random).value();
            expect_data_flows(c, s, 7U, "client to server");
            expect_data_flows(s, c, 7U, "server to client");
            expect_data_flows(c, s, std::nullopt, "P_DATA_V1 too");
        }
    }
}

TEST(KeyState, EkmAndPrfGiveDifferentButAgreedKeyBlocks) {
    SeededRandom random(2);
    auto client = KeyState::create(client_config(), random).value();
    auto server = KeyState::create(server_config(), random).value();
    pump(client, server);
    const auto c_ekm = client.derive_key_block(KeyDerivationMethod::kTlsEkm).value();
    const auto s_ekm = server.derive_key_block(KeyDerivationMethod::kTlsEkm).value();
    const auto c_prf = client.derive_key_block(KeyDerivationMethod::kPrf).value();
    const auto s_prf = server.derive_key_block(KeyDerivationMethod::kPrf).value();
    EXPECT_TRUE(std::ranges::equal(c_ekm.bytes(), s_ekm.bytes()));
    EXPECT_TRUE(std::ranges::equal(c_prf.bytes(), s_prf.bytes()));
    EXPECT_FALSE(std::ranges::equal(c_ekm.bytes(), c_prf.bytes()));
}

TEST(KeyState, PrfKeysDependOnTheSessionIds) {
    SeededRandom random(3);
    auto client = KeyState::create(client_config(), random).value();
    auto wrong = server_config();
    wrong.remote_session_id[0] = std::byte{0xff};  // server believes another client sid
    auto server = KeyState::create(wrong, random).value();
    pump(client, server);
    ASSERT_TRUE(client.key_exchange_done() && server.key_exchange_done());
    const auto c = client.derive_key_block(KeyDerivationMethod::kPrf).value();
    const auto s = server.derive_key_block(KeyDerivationMethod::kPrf).value();
    EXPECT_FALSE(std::ranges::equal(c.bytes(), s.bytes()));
}

TEST(KeyState, DataKeyCarriesTheKeyId) {
    SeededRandom random(4);
    auto client = KeyState::create(client_config(3), random).value();
    auto server = KeyState::create(server_config(3), random).value();
    pump(client, server);
    auto c = client.data_channel_key({}, KeyDerivationMethod::kTlsEkm, random).value();
    EXPECT_EQ(c.key_id(), 3);
    std::array<std::byte, 64> wire{};
    const std::array<std::byte, 4> payload{};
    ASSERT_TRUE(c.encrypt(payload, std::nullopt, wire));
    EXPECT_EQ(std::to_integer<int>(wire[0]) & 7, 3);
}

TEST(KeyState, KeysAreNotAvailableBeforeTheExchange) {
    SeededRandom random(5);
    auto client = KeyState::create(client_config(), random).value();
    const auto block = client.derive_key_block(KeyDerivationMethod::kPrf);
    ASSERT_FALSE(block);
    EXPECT_EQ(block.error(), KeyStateError::kNotReady);
    auto server = KeyState::create(server_config(), random).value();
    // The server speaks only after the client's key-method-2 message.
    const auto early = server.send_control_message("PUSH_REPLY");
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error(), KeyStateError::kNotReady);
}

TEST(KeyState, ControlMessagesTravelAsNulTerminatedText) {
    SeededRandom random(6);
    auto client = KeyState::create(client_config(), random).value();
    auto server = KeyState::create(server_config(), random).value();
    // Queued before the handshake, delivered after the key-method-2 message.
    ASSERT_TRUE(client.send_control_message("PUSH_REQUEST"));
    pump(client, server);
    EXPECT_EQ(server.poll_control_message(), "PUSH_REQUEST");
    EXPECT_EQ(server.poll_control_message(), std::nullopt);
    ASSERT_TRUE(server.send_control_message("PUSH_REPLY,ping 10,ping-restart 120"));
    EXPECT_FALSE(server.send_control_message("AUTH_FAILED\r\n"));  // CR/LF are not printable
    pump(client, server);
    EXPECT_EQ(client.poll_control_message(), "PUSH_REPLY,ping 10,ping-restart 120");
    EXPECT_EQ(client.poll_control_message(), std::nullopt);
    EXPECT_EQ(client.dropped_control_messages(), 0U);
}

TEST(KeyState, RejectsUnsendableControlMessages) {
    SeededRandom random(7);
    auto client = KeyState::create(client_config(), random).value();
    auto bad = client.send_control_message(std::string("A\0B", 3));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error(), KeyStateError::kBadControlMessage);
    bad = client.send_control_message(std::string(kMaxControlMessageSize, 'x'));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error(), KeyStateError::kMessageTooLong);
}

// A peer built from a bare TlsEngine sends records a KeyState would never produce.
void pump(TlsEngine& raw, KeyState& server) {
    pump([&](std::span<std::byte> out) { return raw.read_ciphertext(out); },
         [&](std::span<const std::byte> in) { (void)server.receive_tls(in); },
         [&](std::span<std::byte> out) { return server.read_tls(out); },
         [&](std::span<const std::byte> in) { (void)raw.receive_ciphertext(in); });
}

std::vector<std::byte> raw_bytes(std::string_view s) {
    const auto b = std::as_bytes(std::span(s.data(), s.size()));
    return {b.begin(), b.end()};
}

TEST(KeyState, MalformedKeyMethodMessageFailsTheKeyState) {
    SeededRandom random(8);
    auto raw = TlsEngine::create(client_config().tls).value();
    auto server = KeyState::create(server_config(), random).value();
    ASSERT_TRUE(raw.write_plaintext(raw_bytes(std::string("\0\0\0\0\x01rest", 9))));
    pump(raw, server);
    EXPECT_EQ(server.key_method_error(), KeyMethod2Error::kUnsupportedMethod);
    EXPECT_FALSE(server.key_exchange_done());
    const std::array<std::byte, 1> more{};
    const auto again = server.receive_tls(more);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), KeyStateError::kBadKeyMethod);
}

TEST(KeyState, MalformedControlMessagesAreDroppedAndCounted) {
    SeededRandom random(9);
    auto raw = TlsEngine::create(client_config().tls).value();
    auto server = KeyState::create(server_config(), random).value();
    KeyMethod2Message hello;
    hello.key_source = make_key_source(random, true);
    hello.options = "V4";
    std::vector<std::byte> km2(wire_size(hello, true));
    ASSERT_TRUE(serialize_key_method2(hello, true, km2));
    ASSERT_TRUE(raw.write_plaintext(km2));
    // Two messages in one record, one with CRLF; one with a control character; one without NUL.
    ASSERT_TRUE(raw.write_plaintext(raw_bytes(std::string("PUSH_REQUEST\r\n\0EXIT\0", 21))));
    ASSERT_TRUE(raw.write_plaintext(raw_bytes(std::string("BAD\x01TEXT\0", 9))));
    ASSERT_TRUE(raw.write_plaintext(raw_bytes("NO_TERMINATOR")));
    pump(raw, server);
    ASSERT_TRUE(server.key_exchange_done());
    EXPECT_EQ(server.poll_control_message(), "PUSH_REQUEST");
    EXPECT_EQ(server.poll_control_message(), "EXIT");
    EXPECT_EQ(server.poll_control_message(), std::nullopt);
    EXPECT_EQ(server.dropped_control_messages(), 2U);
}

TEST(KeyState, TlsFailureIsReported) {
    SeededRandom random(10);
    auto config = client_config();
    config.tls.verify_x509_name = X509NameCheck{"not-the-server", X509NameType::kName};
    auto client = KeyState::create(config, random).value();
    auto server = KeyState::create(server_config(), random).value();
    pump(client, server);
    EXPECT_EQ(client.tls_error(), TlsError::kX509NameMismatch);
    EXPECT_FALSE(client.key_exchange_done());
    EXPECT_FALSE(server.key_exchange_done());
}

}  // namespace
}  // namespace nfv::vpn::proto
