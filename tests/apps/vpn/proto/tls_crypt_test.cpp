#include "proto/tls_crypt.hpp"

#include <array>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "openvpn_vectors.hpp"
#include "proto/packet.hpp"

namespace nfv::vpn::proto {
namespace {

StaticKey test_key() {
    return StaticKey::parse(testdata::kStaticKeyText).value();
}

const std::vector<std::byte> kResetPlain = testdata::bytes(
    {0x38, 0xf4, 0x19, 0xcb, 0x12, 0xd1, 0xf9, 0xe4, 0x8f, 0x00, 0x00, 0x00, 0x00, 0x00});

TEST(TlsCrypt, ServerUnwrapsOpenVpnClientReset) {
    auto server = TlsCrypt::create(test_key(), /*is_server=*/true).value();
    const auto wire = testdata::client_reset_v2_tls_crypt();
    std::vector<std::byte> plain(wire.size());
    const auto unwrapped = server.unwrap(wire, plain);
    ASSERT_TRUE(unwrapped);
    EXPECT_EQ(unwrapped->replay_id, (ReplayId{1, 0x61d3f8e1}));
    plain.resize(unwrapped->size);
    EXPECT_EQ(plain, kResetPlain);
    const auto packet = parse_control_packet(plain);
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->opcode, Opcode::kControlHardResetClientV2);
    EXPECT_EQ(packet->message_id, 0u);
}

TEST(TlsCrypt, ClientWrapReproducesOpenVpnBytes) {
    auto client = TlsCrypt::create(test_key(), /*is_server=*/false).value();
    std::vector<std::byte> wire(kResetPlain.size() + kTlsCryptOverhead);
    const auto written = client.wrap(kResetPlain, ReplayId{1, 0x61d3f8e1}, wire);
    ASSERT_TRUE(written);
    EXPECT_EQ(*written, wire.size());
    EXPECT_EQ(wire, testdata::client_reset_v2_tls_crypt());
}

TEST(TlsCrypt, RejectsAnyModifiedByte) {
    // As test_pkt.c test_tls_decrypt_lite_crypt: overwrite each byte with 0x23.
    auto server = TlsCrypt::create(test_key(), true).value();
    const auto original = testdata::client_reset_v2_tls_crypt();
    std::vector<std::byte> plain(original.size());
    for (std::size_t i = 0; i < original.size(); ++i) {
        auto wire = original;
        wire[i] = std::byte{0x23};
        EXPECT_FALSE(server.unwrap(wire, plain)) << "byte " << i;
    }
}

TEST(TlsCrypt, RejectsClientRoleAndOtherWrappings) {
    auto wrong_role = TlsCrypt::create(test_key(), false).value();
    std::vector<std::byte> plain(512);
    const auto a = wrong_role.unwrap(testdata::client_reset_v2_tls_crypt(), plain);
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error(), CryptoError::kAuthFailed);
    auto server = TlsCrypt::create(test_key(), true).value();
    EXPECT_FALSE(server.unwrap(testdata::client_reset_v2_tls_auth(), plain));
    const auto b = server.unwrap(testdata::client_reset_v2_none(), plain);
    ASSERT_FALSE(b);
    EXPECT_EQ(b.error(), CryptoError::kTruncated);
}

TEST(TlsCrypt, MatchesOpenVpnDynamicKeyVector) {
    // test_tls_crypt.c test_tls_crypt_secure_reneg_key: every key byte 0xba (mocked EKM), the
    // header is only the packet id (id 1, time 0), plaintext "1234567890".
    const std::array<std::byte, kStaticKeySize> raw = [] {
        std::array<std::byte, kStaticKeySize> k{};
        k.fill(std::byte{0xba});
        return k;
    }();
    const StaticKey key(raw);
    auto crypt = TlsCrypt::create(key.key(1), key.key(0)).value();
    const auto header = testdata::bytes({0, 0, 0, 1, 0, 0, 0, 0});
    const std::string_view text = "1234567890";
    std::vector<std::byte> plaintext;
    for (const char c : text) {
        plaintext.push_back(static_cast<std::byte>(c));
    }
    std::vector<std::byte> out(header.size() + kTlsCryptTagSize + plaintext.size());
    const auto written = crypt.seal(header, plaintext, out);
    ASSERT_TRUE(written);
    const auto expected = testdata::bytes(
        {0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xe3, 0x19, 0x27, 0x7f, 0x1c,
         0x8d, 0x6e, 0x6a, 0x77, 0x96, 0xa8, 0x55, 0x33, 0x7b, 0x9c, 0xfb, 0x56, 0xe1,
         0xf1, 0x3a, 0x87, 0x0e, 0x66, 0x47, 0xdf, 0xa1, 0x95, 0xc9, 0x2c, 0x17, 0xa0,
         0x15, 0xba, 0x49, 0x67, 0xa1, 0x1d, 0x55, 0xea, 0x1a, 0x06, 0xa7});
    EXPECT_EQ(out, expected);
    std::vector<std::byte> back(plaintext.size());
    const auto opened = crypt.open(out, header.size(), back);
    ASSERT_TRUE(opened);
    EXPECT_EQ(back, plaintext);
}

TEST(TlsCrypt, RoundTripsLargeAndEmptyPlaintext) {
    auto client = TlsCrypt::create(test_key(), false).value();
    auto server = TlsCrypt::create(test_key(), true).value();
    for (const std::size_t extra : {std::size_t{0}, std::size_t{1}, std::size_t{1300}}) {
        std::vector<std::byte> plain = kResetPlain;
        for (std::size_t i = 0; i < extra; ++i) {
            plain.push_back(static_cast<std::byte>(i * 7));
        }
        std::vector<std::byte> wire(plain.size() + kTlsCryptOverhead);
        ASSERT_TRUE(client.wrap(plain, ReplayId{5, 6}, wire));
        std::vector<std::byte> back(wire.size());
        const auto unwrapped = server.unwrap(wire, back);
        ASSERT_TRUE(unwrapped) << extra;
        back.resize(unwrapped->size);
        EXPECT_EQ(back, plain);
    }
    // Server to client direction works too.
    std::vector<std::byte> wire(kResetPlain.size() + kTlsCryptOverhead);
    ASSERT_TRUE(server.wrap(kResetPlain, ReplayId{1, 2}, wire));
    std::vector<std::byte> back(wire.size());
    EXPECT_TRUE(client.unwrap(wire, back));
}

TEST(TlsCrypt, ReportsShortOutputBuffer) {
    auto server = TlsCrypt::create(test_key(), true).value();
    std::vector<std::byte> tiny(4);
    const auto result = server.unwrap(testdata::client_reset_v2_tls_crypt(), tiny);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), CryptoError::kBufferTooSmall);
}

TEST(TlsCrypt, DynamicKeyMatchesOpenVpnVector) {
    // OpenVPN tests/unit_tests/openvpn/test_tls_crypt.c test_tls_crypt_secure_reneg_key: the
    // exporter is mocked to return 0xba bytes; the client (INVERSE) wraps "1234567890" as the
    // first packet (id 1, time 0, no opcode/session-id header in that test).
    const std::vector<std::byte> exported(kStaticKeySize, std::byte{0xba});
    const std::span<const std::byte, kStaticKeySize> ekm(exported.data(), kStaticKeySize);
    const auto header = testdata::bytes({0, 0, 0, 1, 0, 0, 0, 0});
    const std::string_view text = "1234567890";
    const auto plaintext = std::as_bytes(std::span(text.data(), text.size()));
    const auto expected = testdata::bytes(
        {0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0xe3, 0x19, 0x27, 0x7f, 0x1c,
         0x8d, 0x6e, 0x6a, 0x77, 0x96, 0xa8, 0x55, 0x33, 0x7b, 0x9c, 0xfb, 0x56, 0xe1,
         0xf1, 0x3a, 0x87, 0x0e, 0x66, 0x47, 0xdf, 0xa1, 0x95, 0xc9, 0x2c, 0x17, 0xa0,
         0x15, 0xba, 0x49, 0x67, 0xa1, 0x1d, 0x55, 0xea, 0x1a, 0x06, 0xa7});
    const auto seal = [&](const StaticKey* original) {
        auto crypt = TlsCrypt::create(dynamic_tls_crypt_key(ekm, original), false).value();
        std::vector<std::byte> out(header.size() + kTlsCryptTagSize + plaintext.size());
        EXPECT_EQ(crypt.seal(header, plaintext, out).value_or(0), out.size());
        return out;
    };
    EXPECT_EQ(seal(nullptr), expected);
    // XOR with an all-zero original key changes nothing ...
    const StaticKey zero(std::array<std::byte, kStaticKeySize>{});
    EXPECT_EQ(seal(&zero), expected);
    // ... any other original key gives a different key (the packet id header stays).
    std::array<std::byte, kStaticKeySize> fill{};
    fill.fill(std::byte{0x42});
    const StaticKey other(fill);
    const auto changed = seal(&other);
    EXPECT_TRUE(std::equal(changed.begin(), changed.begin() + 8, expected.begin()));
    EXPECT_NE(changed, expected);
}

}  // namespace
}  // namespace nfv::vpn::proto
