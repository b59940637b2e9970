#include "proto/tls_auth.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "openvpn_vectors.hpp"
#include "proto/packet.hpp"

namespace nfv::vpn::proto {
namespace {

StaticKey test_key() {
    return StaticKey::parse(testdata::kStaticKeyText).value();
}

TlsAuth make(KeyDirection direction) {
    return TlsAuth::create(test_key(), direction).value();
}

TEST(TlsAuth, UnwrapsOpenVpnClientReset) {
    auto server = make(KeyDirection::kNormal);  // tls-auth ta.key 0
    const auto wire = testdata::client_reset_v2_tls_auth();
    std::vector<std::byte> plain(wire.size());
    const auto unwrapped = server.unwrap(wire, plain);
    ASSERT_TRUE(unwrapped);
    EXPECT_EQ(unwrapped->replay_id, (ReplayId{1, 0x61d3bf6c}));
    plain.resize(unwrapped->size);
    const auto expected = testdata::bytes(
        {0x38, 0xde, 0x69, 0x4c, 0x5c, 0x7b, 0xfb, 0xa2, 0x74, 0x00, 0x00, 0x00, 0x00, 0x00});
    EXPECT_EQ(plain, expected);
    const auto packet = parse_control_packet(plain);
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->opcode, Opcode::kControlHardResetClientV2);
}

TEST(TlsAuth, ClientWrapReproducesOpenVpnBytes) {
    auto client = make(KeyDirection::kInverse);  // tls-auth ta.key 1
    const auto plain = testdata::bytes(
        {0x38, 0xde, 0x69, 0x4c, 0x5c, 0x7b, 0xfb, 0xa2, 0x74, 0x00, 0x00, 0x00, 0x00, 0x00});
    std::vector<std::byte> wire(plain.size() + client.overhead());
    const auto written = client.wrap(plain, ReplayId{1, 0x61d3bf6c}, wire);
    ASSERT_TRUE(written);
    EXPECT_EQ(*written, wire.size());
    EXPECT_EQ(wire, testdata::client_reset_v2_tls_auth());
}

TEST(TlsAuth, WrapsInPlace) {
    auto client = make(KeyDirection::kInverse);
    const auto plain = testdata::bytes(
        {0x38, 0xde, 0x69, 0x4c, 0x5c, 0x7b, 0xfb, 0xa2, 0x74, 0x00, 0x00, 0x00, 0x00, 0x00});
    std::vector<std::byte> buffer(plain.size() + client.overhead());
    std::copy(plain.begin(), plain.end(), buffer.begin());
    const auto written =
        client.wrap(std::span(buffer).first(plain.size()), ReplayId{1, 0x61d3bf6c}, buffer);
    ASSERT_TRUE(written);
    EXPECT_EQ(buffer, testdata::client_reset_v2_tls_auth());
}

TEST(TlsAuth, UnwrapsOpenVpnControlPacketWithClientHello) {
    auto server = make(KeyDirection::kNormal);
    const auto wire = testdata::client_ack_tls_auth_randomid();
    std::vector<std::byte> plain(wire.size());
    const auto unwrapped = server.unwrap(wire, plain);
    ASSERT_TRUE(unwrapped);
    EXPECT_EQ(unwrapped->replay_id, (ReplayId{3, 0x61d3ff53}));
    const auto packet = parse_control_packet(std::span(plain).first(unwrapped->size));
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->opcode, Opcode::kControlV1);
    EXPECT_TRUE(packet->acks.empty());
    EXPECT_EQ(packet->message_id, 1u);
    ASSERT_GE(packet->payload.size(), 3u);
    EXPECT_EQ(packet->payload[0], std::byte{0x16});  // TLS handshake record
}

TEST(TlsAuth, RejectsWrongKeyDirection) {
    auto wrong = make(KeyDirection::kInverse);
    const auto wire = testdata::client_reset_v2_tls_auth();
    std::vector<std::byte> plain(wire.size());
    const auto unwrapped = wrong.unwrap(wire, plain);
    ASSERT_FALSE(unwrapped);
    EXPECT_EQ(unwrapped.error(), CryptoError::kAuthFailed);
}

TEST(TlsAuth, RejectsAnyFlippedByte) {
    auto server = make(KeyDirection::kNormal);
    const auto original = testdata::client_reset_v2_tls_auth();
    std::vector<std::byte> plain(original.size());
    for (std::size_t i = 0; i < original.size(); ++i) {
        auto wire = original;
        wire[i] ^= std::byte{0x01};
        EXPECT_FALSE(server.unwrap(wire, plain)) << "byte " << i;
    }
}

TEST(TlsAuth, RejectsPlainPacketAsTooShort) {
    auto server = make(KeyDirection::kNormal);
    std::vector<std::byte> plain(64);
    const auto unwrapped = server.unwrap(testdata::client_reset_v2_none(), plain);
    ASSERT_FALSE(unwrapped);
    EXPECT_EQ(unwrapped.error(), CryptoError::kTruncated);
}

TEST(TlsAuth, Sha256RoundTrip) {
    auto client = TlsAuth::create(test_key(), KeyDirection::kInverse, "SHA256").value();
    auto server = TlsAuth::create(test_key(), KeyDirection::kNormal, "SHA256").value();
    EXPECT_EQ(client.overhead(), 40u);
    const auto plain = testdata::client_control_with_ack();
    std::vector<std::byte> wire(plain.size() + client.overhead());
    ASSERT_TRUE(client.wrap(plain, ReplayId{9, 77}, wire));
    std::vector<std::byte> back(wire.size());
    const auto unwrapped = server.unwrap(wire, back);
    ASSERT_TRUE(unwrapped);
    back.resize(unwrapped->size);
    EXPECT_EQ(back, plain);
    EXPECT_EQ(unwrapped->replay_id, (ReplayId{9, 77}));
}

TEST(TlsAuth, RejectsUnknownDigest) {
    const auto created = TlsAuth::create(test_key(), KeyDirection::kNormal, "NOT-A-DIGEST");
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error(), CryptoError::kUnknownDigest);
}

}  // namespace
}  // namespace nfv::vpn::proto
