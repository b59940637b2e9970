#include "proto/static_key.hpp"

#include <string>

#include <gtest/gtest.h>

#include "openvpn_vectors.hpp"

namespace nfv::vpn::proto {
namespace {

TEST(StaticKey, ParsesOpenVpnKeyFileWithSurroundingText) {
    const auto key = StaticKey::parse(testdata::kStaticKeyText);
    ASSERT_TRUE(key);
    EXPECT_EQ(key->bytes()[0], std::byte{0x37});
    EXPECT_EQ(key->bytes()[1], std::byte{0x26});
    EXPECT_EQ(key->bytes()[255], std::byte{0xe6});
    // key[1].hmac starts at byte 192: line 13 of the file, "bb0f9ad1...".
    EXPECT_EQ(key->key(1).hmac[0], std::byte{0xbb});
    EXPECT_EQ(key->key(0).hmac[0], std::byte{0xde});    // byte 64, line 5
    EXPECT_EQ(key->key(1).cipher[0], std::byte{0xa0});  // byte 128, line 9
    EXPECT_EQ(key->key(1).cipher.data(), key->bytes().data() + 128);
}

TEST(StaticKey, AcceptsCrLfLineEndings) {
    std::string text(testdata::kStaticKeyText);
    std::string crlf;
    for (const char c : text) {
        if (c == '\n') {
            crlf += '\r';
        }
        crlf += c;
    }
    const auto a = StaticKey::parse(text);
    const auto b = StaticKey::parse(crlf);
    ASSERT_TRUE(a);
    ASSERT_TRUE(b);
    EXPECT_TRUE(std::equal(a->bytes().begin(), a->bytes().end(), b->bytes().begin()));
}

TEST(StaticKey, KeyDirectionsPickHalves) {
    const auto key = StaticKey::parse(testdata::kStaticKeyText);
    ASSERT_TRUE(key);
    const auto normal = key->directional(KeyDirection::kNormal);
    EXPECT_EQ(normal.encrypt.hmac.data(), key->key(0).hmac.data());
    EXPECT_EQ(normal.decrypt.hmac.data(), key->key(1).hmac.data());
    const auto inverse = key->directional(KeyDirection::kInverse);
    EXPECT_EQ(inverse.encrypt.cipher.data(), key->key(1).cipher.data());
    EXPECT_EQ(inverse.decrypt.cipher.data(), key->key(0).cipher.data());
    const auto both = key->directional(KeyDirection::kBidirectional);
    EXPECT_EQ(both.encrypt.hmac.data(), both.decrypt.hmac.data());
    EXPECT_EQ(both.encrypt.hmac.data(), key->key(0).hmac.data());
}

TEST(StaticKey, RejectsMissingHeader) {
    const auto key = StaticKey::parse("37268ea8f95d7f71f9fb8fc03770c460\n");
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error(), StaticKeyError::kMissingHeader);
}

TEST(StaticKey, RejectsShortKey) {
    const auto key = StaticKey::parse(
        "-----BEGIN OpenVPN Static key V1-----\n37268ea8\n-----END OpenVPN Static key V1-----\n");
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error(), StaticKeyError::kInsufficientKeyMaterial);
}

TEST(StaticKey, RejectsNonHexCharacter) {
    std::string text(testdata::kStaticKeyText);
    text[text.find("37268ea8")] = 'x';
    const auto key = StaticKey::parse(text);
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error(), StaticKeyError::kBadCharacter);
}

TEST(StaticKey, RejectsMissingFooter) {
    std::string text(testdata::kStaticKeyText);
    text = text.substr(0, text.find("-----END"));
    const auto key = StaticKey::parse(text);
    ASSERT_FALSE(key);
    EXPECT_EQ(key.error(), StaticKeyError::kMissingFooter);
}

}  // namespace
}  // namespace nfv::vpn::proto
