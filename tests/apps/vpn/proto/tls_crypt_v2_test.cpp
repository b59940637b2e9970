#include "proto/tls_crypt_v2.hpp"

#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "openvpn_vectors.hpp"
#include "proto/packet.hpp"
#include "proto/tls_crypt.hpp"

namespace nfv::vpn::proto {
namespace {

// Keys from OpenVPN tests/unit_tests/openvpn/test_tls_crypt.c (test_server_key,
// test_client_key, test_client_key_metadata). They were generated with rand_bytes() mocked to
// write 0, 1, 2, ... (so the server key is bytes 0..127 and Kc bytes 0..255), the unit-test
// clock at 0 (the default metadata is a timestamp of 0), and for the second client key
// --genkey metadata "AABBCCDD" (test_tls_crypt_v2_write_client_key_file{,_metadata}).
constexpr std::string_view kServerKey =
    "-----BEGIN OpenVPN tls-crypt-v2 server key-----\n"
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v\n"
    "MDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5f\n"
    "YGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn8=\n"
    "-----END OpenVPN tls-crypt-v2 server key-----\n";

constexpr std::string_view kClientKey =
    "-----BEGIN OpenVPN tls-crypt-v2 client key-----\n"
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v\n"
    "MDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5f\n"
    "YGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6P\n"
    "kJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/\n"
    "wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v\n"
    "8PHy8/T19vf4+fr7/P3+/xd9pcB0qUYZsWvkrLcfGmzPJPM8a7r0mEWdXwbDadSV\n"
    "LHg5bv2TwlmPR3HgaMr8o9LTh9hxUTkrH3S0PfKRNwcso86ua/dBFTyXsM9tg4aw\n"
    "3dS6ogH9AkaT+kRRDgNcKWkQCbwmJK2JlfkXHBwbAtmn78AkNuho6QCFqCdqGab3\n"
    "zh2vheFqGMPdGpukbFrT3rcO3VLxUeG+RdzXiMTCpJSovFBP1lDkYwYJPnz6daEh\n"
    "j0TzJ3BVru9W3CpotdNt7u09knxAfpCxjtrP3semsDew/gTBtcfQ/OoTFyFHnN5k\n"
    "RZ+q17SC4nba3Pp8/Fs0+hSbv2tJozoD8SElFq7SIWJsciTYh8q8f5yQxjdt4Wxu\n"
    "/Z5wtPCAZ0tOzj4ItTI77fBOYRTfEayzHgEr\n"
    "-----END OpenVPN tls-crypt-v2 client key-----\n";

constexpr std::string_view kClientKeyMetadata =
    "-----BEGIN OpenVPN tls-crypt-v2 client key-----\n"
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v\n"
    "MDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5f\n"
    "YGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn+AgYKDhIWGh4iJiouMjY6P\n"
    "kJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq+wsbKztLW2t7i5uru8vb6/\n"
    "wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t/g4eLj5OXm5+jp6uvs7e7v\n"
    "8PHy8/T19vf4+fr7/P3+/2ntp1WCqhcLjJQY/igkjNt3Yb6i0neqFkfrOp2UCDcz\n"
    "6RSJtPLZbvOOKUHk2qwxPYUsFCnz/IWV6/ZiLRrabzUpS8oSN1HS6P7qqAdrHKgf\n"
    "hVTHasdSf2UdMTPC7HBgnP9Ll0FhKN0h7vSzbbt7QM7wH9mr1ecc/Mt0SYW2lpwA\n"
    "aJObYGTyk6hTgWm0g/MLrworLrezTqUHBZzVsu+LDyqLWK1lzJNd66MuNOsGA4YF\n"
    "fbCsDh8n3H+Cw1k5YNBZDYYJOtVUgBWXheO6vgoOmqDdI0dAQ3hVo9DE+SkCFjgf\n"
    "l4FY2yLEh9ZVZZrl1eD1Owh/X178CkHrBJYl9LNQSyQEKlDGWwBLQ/pY3qtjctr3\n"
    "pV62MPQdBo+1lcsjDCJVQA6XUyltas4BKQ==\n"
    "-----END OpenVPN tls-crypt-v2 client key-----\n";

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
    const auto key = TlsCryptV2ServerKey::parse(kServerKey);
    ASSERT_TRUE(key);
}

TEST(TlsCryptV2, ParsesOpenVpnClientKeyIntoKcAndWkc) {
    const auto key = TlsCryptV2ClientKey::parse(kClientKey);
    ASSERT_TRUE(key);
    EXPECT_EQ(to_vector(key->key().bytes()), counting_bytes(kStaticKeySize));
    // WKc = tag (32) || encrypted Kc (256) || metadata (type + u64 timestamp) || length (2).
    EXPECT_EQ(key->wkc().size(), 32U + 256U + 9U + 2U);
    EXPECT_EQ(key->wkc().last(2)[0], std::byte{0x01});
    EXPECT_EQ(key->wkc().last(2)[1], std::byte{0x2b});
}

TEST(TlsCryptV2, ServerKeyUnwrapsOpenVpnWkcWithTimestampMetadata) {
    const auto server = TlsCryptV2ServerKey::parse(kServerKey).value();
    const auto client = TlsCryptV2ClientKey::parse(kClientKey).value();
    const auto unwrapped = server.unwrap(client.wkc());
    ASSERT_TRUE(unwrapped);
    EXPECT_EQ(to_vector(unwrapped->key), counting_bytes(kStaticKeySize));
    // TLS_CRYPT_METADATA_TYPE_TIMESTAMP with the unit tests' `now` of 0.
    EXPECT_EQ(unwrapped->metadata, testdata::bytes({0x01, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(TlsCryptV2, ServerKeyUnwrapsOpenVpnWkcWithUserMetadata) {
    const auto server = TlsCryptV2ServerKey::parse(kServerKey).value();
    const auto client = TlsCryptV2ClientKey::parse(kClientKeyMetadata).value();
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
    const auto server = TlsCryptV2ServerKey::parse(kServerKey).value();
    const auto kc = counting_bytes(kStaticKeySize);
    const std::span<const std::byte, kStaticKeySize> kc_span(kc.data(), kStaticKeySize);
    for (const auto& [text, metadata] :
         {std::pair{kClientKey, testdata::bytes({0x01, 0, 0, 0, 0, 0, 0, 0, 0})},
          std::pair{kClientKeyMetadata,
                    testdata::bytes({0x00, 0x00, 0x00, 0x41, 0x08, 0x20, 0xc3})}}) {
        const auto client = TlsCryptV2ClientKey::parse(text).value();
        const auto wkc = server.wrap(kc_span, metadata);
        ASSERT_TRUE(wkc);
        EXPECT_EQ(*wkc, to_vector(client.wkc()));
    }
}

TEST(TlsCryptV2, UnwrapRejectsWrongServerKeyAndAnyModifiedByte) {
    // As test_tls_crypt.c tls_crypt_v2_wrap_unwrap_wrong_key and tls_crypt_v2_wrap_unwrap_invalid.
    const auto server = TlsCryptV2ServerKey::parse(kServerKey).value();
    const TlsCryptV2ServerKey wrong(std::array<std::byte, kTlsCryptV2ServerKeySize>{});
    const auto client = TlsCryptV2ClientKey::parse(kClientKey).value();
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
    const auto server = TlsCryptV2ServerKey::parse(kServerKey).value();
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
    EXPECT_EQ(TlsCryptV2ClientKey::parse(kServerKey).error(), TlsCryptV2Error::kMissingPem);
    std::string truncated(kClientKey);
    truncated.erase(truncated.find("/Z5wtPCAZ0tOzj4ItTI77fBOYRTfEayzHgEr\n"), 37);
    EXPECT_EQ(TlsCryptV2ClientKey::parse(truncated).error(), TlsCryptV2Error::kBadWkc);
    std::string bad_char(kClientKey);
    bad_char[bad_char.find("AAEC")] = '*';
    EXPECT_EQ(TlsCryptV2ClientKey::parse(bad_char).error(), TlsCryptV2Error::kBadBase64);
    EXPECT_EQ(TlsCryptV2ServerKey::parse(kClientKey).error(), TlsCryptV2Error::kMissingPem);
}

TEST(TlsCryptV2, ClientAndServerSidesOfKcTalk) {
    // The control channel uses Kc like a tls-crypt v1 key: the client sends with key[1], the
    // server (after unwrapping WKc) with key[0]. A V3 reset wrapped by the client opens on the
    // server side keyed from the unwrapped Kc.
    const auto client_key = TlsCryptV2ClientKey::parse(kClientKey).value();
    const auto server = TlsCryptV2ServerKey::parse(kServerKey).value();
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
