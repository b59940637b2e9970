#include "proto/tls_crypt_v2.hpp"

#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "openvpn_tls_crypt_v2_vectors.hpp"
#include "openvpn_vectors.hpp"
#include "proto/packet.hpp"
#include "proto/tls_crypt.hpp"

namespace nfv::vpn::proto {
namespace {

using testdata::kTlsCryptV2ClientKey;
using testdata::kTlsCryptV2ClientKeyMetadata;
using testdata::kTlsCryptV2ServerKey;

std::vector<std::byte> counting_bytes(std::size_t count) {
    std::vector<std::byte> out(count);
    for (std::size_t i = 0; i < count; ++i) {
        out[i] = static_cast<std::byte>(i & 0xffU);
    }
    return out;
}

std::vector<std::byte> to_vector(std::span<const std::byte> bytes) {
    return {bytes.begin(), bytes.end()};
}

TEST(TlsCryptV2, ParsesOpenVpnServerKey) {
    const auto key = TlsCryptV2ServerKey::parse(kTlsCryptV2ServerKey);
    ASSERT_TRUE(key);
}

TEST(TlsCryptV2, ParsesOpenVpnClientKeyIntoKcAndWkc) {
    const auto key = TlsCryptV2ClientKey::parse(kTlsCryptV2ClientKey);
    ASSERT_TRUE(key);
    EXPECT_EQ(to_vector(key->key().bytes()), counting_bytes(kStaticKeySize));
    // WKc = tag (32) || encrypted Kc (256) || metadata (type + u64 timestamp) || length (2).
    EXPECT_EQ(key->wkc().size(), 32U + 256U + 9U + 2U);
    EXPECT_EQ(key->wkc().last(2)[0], std::byte{0x01});
    EXPECT_EQ(key->wkc().last(2)[1], std::byte{0x2b});
}

TEST(TlsCryptV2, ServerKeyUnwrapsOpenVpnWkcWithTimestampMetadata) {
    const auto server = TlsCryptV2ServerKey::parse(kTlsCryptV2ServerKey).value();
    const auto client = TlsCryptV2ClientKey::parse(kTlsCryptV2ClientKey).value();
    const auto unwrapped = server.unwrap(client.wkc());
    ASSERT_TRUE(unwrapped);
    EXPECT_EQ(to_vector(unwrapped->key), counting_bytes(kStaticKeySize));
    // TLS_CRYPT_METADATA_TYPE_TIMESTAMP with the unit tests' `now` of 0.
    EXPECT_EQ(unwrapped->metadata, testdata::bytes({0x01, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(TlsCryptV2, ServerKeyUnwrapsOpenVpnWkcWithUserMetadata) {
    const auto server = TlsCryptV2ServerKey::parse(kTlsCryptV2ServerKey).value();
    const auto client = TlsCryptV2ClientKey::parse(kTlsCryptV2ClientKeyMetadata).value();
    EXPECT_EQ(to_vector(client.key().bytes()), counting_bytes(kStaticKeySize));
    const auto unwrapped = server.unwrap(client.wkc());
    ASSERT_TRUE(unwrapped);
    EXPECT_EQ(to_vector(unwrapped->key), counting_bytes(kStaticKeySize));
    // TLS_CRYPT_METADATA_TYPE_USER followed by base64-decoded "AABBCCDD".
    EXPECT_EQ(unwrapped->metadata, testdata::bytes({0x00, 0x00, 0x00, 0x41, 0x08, 0x20, 0xc3}));
}

TEST(TlsCryptV2, WrapReproducesOpenVpnWkcBytes) {
    // Wrapping is deterministic (IV = first 16 bytes of the tag), so our wrap of the same Kc
    // and metadata must equal the WKc OpenVPN wrote into the key files.
    const auto server = TlsCryptV2ServerKey::parse(kTlsCryptV2ServerKey).value();
    const auto kc = counting_bytes(kStaticKeySize);
    const std::span<const std::byte, kStaticKeySize> kc_span(kc.data(), kStaticKeySize);
    for (const auto& [text, metadata] :
         {std::pair{kTlsCryptV2ClientKey, testdata::bytes({0x01, 0, 0, 0, 0, 0, 0, 0, 0})},
          std::pair{kTlsCryptV2ClientKeyMetadata,
                    testdata::bytes({0x00, 0x00, 0x00, 0x41, 0x08, 0x20, 0xc3})}}) {
        const auto client = TlsCryptV2ClientKey::parse(text).value();
        const auto wkc = server.wrap(kc_span, metadata);
        ASSERT_TRUE(wkc);
        EXPECT_EQ(*wkc, to_vector(client.wkc()));
    }
}

TEST(TlsCryptV2, UnwrapRejectsWrongServerKeyAndAnyModifiedByte) {
    // As test_tls_crypt.c tls_crypt_v2_wrap_unwrap_wrong_key and tls_crypt_v2_wrap_unwrap_invalid.
    const auto server = TlsCryptV2ServerKey::parse(kTlsCryptV2ServerKey).value();
    const TlsCryptV2ServerKey wrong(std::array<std::byte, kTlsCryptV2ServerKeySize>{});
    const auto client = TlsCryptV2ClientKey::parse(kTlsCryptV2ClientKey).value();
    EXPECT_EQ(wrong.unwrap(client.wkc()).error(), TlsCryptV2Error::kAuthFailed);
    const auto original = to_vector(client.wkc());
    for (std::size_t i = 0; i + 2 < original.size(); ++i) {
        auto wkc = original;
        wkc[i] ^= std::byte{0x55};
        EXPECT_EQ(server.unwrap(wkc).error(), TlsCryptV2Error::kAuthFailed) << "byte " << i;
    }
    auto bad_length = original;
    bad_length.back() ^= std::byte{0x01};
    EXPECT_EQ(server.unwrap(bad_length).error(), TlsCryptV2Error::kBadWkc);
}

TEST(TlsCryptV2, WrapRejectsTooLongMetadata) {
    // As test_tls_crypt.c tls_crypt_v2_wrap_too_long_metadata.
    const auto server = TlsCryptV2ServerKey::parse(kTlsCryptV2ServerKey).value();
    const auto kc = counting_bytes(kStaticKeySize);
    const std::span<const std::byte, kStaticKeySize> kc_span(kc.data(), kStaticKeySize);
    const std::vector<std::byte> longest(kTlsCryptV2MaxMetadataSize, std::byte{7});
    const auto wkc = server.wrap(kc_span, longest);
    ASSERT_TRUE(wkc);
    EXPECT_EQ(wkc->size(), kTlsCryptV2MaxWkcSize - 1);
    const auto back = server.unwrap(*wkc);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->metadata, longest);
    const std::vector<std::byte> too_long(kTlsCryptV2MaxMetadataSize + 1);
    EXPECT_EQ(server.wrap(kc_span, too_long).error(), TlsCryptV2Error::kMetadataLong);
}

TEST(TlsCryptV2, ClientKeyParseRejectsBrokenFiles) {
    EXPECT_EQ(TlsCryptV2ClientKey::parse(kTlsCryptV2ServerKey).error(),
              TlsCryptV2Error::kMissingPem);
    std::string truncated(kTlsCryptV2ClientKey);
    truncated.erase(truncated.find("/Z5wtPCAZ0tOzj4ItTI77fBOYRTfEayzHgEr\n"), 37);
    EXPECT_EQ(TlsCryptV2ClientKey::parse(truncated).error(), TlsCryptV2Error::kBadWkc);
    std::string bad_char(kTlsCryptV2ClientKey);
    bad_char[bad_char.find("AAEC")] = '*';
    EXPECT_EQ(TlsCryptV2ClientKey::parse(bad_char).error(), TlsCryptV2Error::kBadBase64);
    EXPECT_EQ(TlsCryptV2ServerKey::parse(kTlsCryptV2ClientKey).error(),
              TlsCryptV2Error::kMissingPem);
}

TEST(TlsCryptV2, ClientAndServerSidesOfKcTalk) {
    // The control channel uses Kc like a tls-crypt v1 key: the client sends with key[1], the
    // server (after unwrapping WKc) with key[0]. A V3 reset wrapped by the client opens on the
    // server side keyed from the unwrapped Kc.
    const auto client_key = TlsCryptV2ClientKey::parse(kTlsCryptV2ClientKey).value();
    const auto server = TlsCryptV2ServerKey::parse(kTlsCryptV2ServerKey).value();
    const auto unwrapped = server.unwrap(client_key.wkc()).value();
    auto client = TlsCrypt::create(client_key.key(), /*is_server=*/false).value();
    auto server_side = TlsCrypt::create(StaticKey(unwrapped.key), /*is_server=*/true).value();
    const auto reset = testdata::bytes({0x50, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0, 0, 0, 0});
    std::vector<std::byte> wire(reset.size() + kTlsCryptOverhead);
    ASSERT_TRUE(client.wrap(reset, ReplayId{0x0f000001, 1000}, wire));
    std::vector<std::byte> plain(wire.size());
    const auto opened = server_side.unwrap(wire, plain);
    ASSERT_TRUE(opened);
    plain.resize(opened->size);
    EXPECT_EQ(plain, reset);
    EXPECT_EQ(opened->replay_id, (ReplayId{0x0f000001, 1000}));
}

}  // namespace
}  // namespace nfv::vpn::proto
