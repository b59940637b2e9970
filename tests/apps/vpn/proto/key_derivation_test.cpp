#include "proto/key_derivation.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "nfv/platform/testing/seeded_random.hpp"

namespace nfv::vpn::proto {
namespace {

std::vector<std::byte> pattern(std::size_t size, std::uint8_t salt) {
    std::vector<std::byte> v(size);
    for (std::size_t i = 0; i < size; ++i) {
        v[i] = static_cast<std::byte>((i * 31 + salt) & 0xff);
    }
    return v;
}

// Independent reference: OpenSSL's own TLS 1.0 PRF (EVP_KDF "TLS1-PRF", digest MD5-SHA1).
std::vector<std::byte> openssl_tls1_prf(std::span<const std::byte> secret, std::string_view label,
                                        std::span<const std::byte> seed, std::size_t size) {
    std::vector<unsigned char> full_seed(label.begin(), label.end());
    for (const auto b : seed) {
        full_seed.push_back(static_cast<unsigned char>(b));
    }
    std::vector<unsigned char> key(secret.size());
    std::transform(secret.begin(), secret.end(), key.begin(),
                   [](std::byte b) { return static_cast<unsigned char>(b); });
    EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr);
    EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
    EVP_KDF_free(kdf);
    char digest[] = "MD5-SHA1";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, key.data(), key.size()),
        OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, full_seed.data(), full_seed.size()),
        OSSL_PARAM_construct_end(),
    };
    std::vector<unsigned char> out(size);
    EXPECT_EQ(EVP_KDF_derive(ctx, out.data(), out.size(), params), 1);
    EVP_KDF_CTX_free(ctx);
    std::vector<std::byte> result(size);
    std::transform(out.begin(), out.end(), result.begin(),
                   [](unsigned char c) { return static_cast<std::byte>(c); });
    return result;
}

TEST(Tls1Prf, MatchesOpenSslTls1PrfForManyLengths) {
    for (const std::size_t secret_size : {1U, 20U, 47U, 48U, 64U, 100U}) {
        for (const std::size_t out_size : {1U, 16U, 20U, 48U, 97U, 256U}) {
            const auto secret = pattern(secret_size, 1);
            const auto seed = pattern(77, 2);
            std::vector<std::byte> ours(out_size);
            ASSERT_TRUE(tls1_prf(secret, "test label", seed, ours));
            EXPECT_EQ(ours, openssl_tls1_prf(secret, "test label", seed, out_size))
                << secret_size << " " << out_size;
        }
    }
}

TEST(Tls1Prf, LabelAndSeedBothMatter) {
    const auto secret = pattern(48, 3);
    const auto seed = pattern(64, 4);
    std::vector<std::byte> a(32);
    std::vector<std::byte> b(32);
    std::vector<std::byte> c(32);
    ASSERT_TRUE(tls1_prf(secret, "label one", seed, a));
    ASSERT_TRUE(tls1_prf(secret, "label two", seed, b));
    ASSERT_TRUE(tls1_prf(secret, "label one", pattern(64, 5), c));
    EXPECT_NE(a, b);
    EXPECT_NE(a, c);
}

KeySource source(std::uint8_t salt) {
    KeySource s;
    const auto p = pattern(kPreMasterSize + 2 * kRandomSize, salt);
    std::copy_n(p.begin(), kPreMasterSize, s.pre_master.begin());
    std::copy_n(p.begin() + kPreMasterSize, kRandomSize, s.random1.begin());
    std::copy_n(p.begin() + kPreMasterSize + kRandomSize, kRandomSize, s.random2.begin());
    return s;
}

TEST(KeyDerivation, PrfKeyBlockFollowsOpenVpnSeedLayout) {
    const KeySource client = source(10);
    const KeySource server = source(20);
    const SessionId client_sid{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4},
                               std::byte{5}, std::byte{6}, std::byte{7}, std::byte{8}};
    const SessionId server_sid{std::byte{9},  std::byte{10}, std::byte{11}, std::byte{12},
                               std::byte{13}, std::byte{14}, std::byte{15}, std::byte{16}};
    const auto block = derive_key_block_prf(client, server, client_sid, server_sid);
    ASSERT_TRUE(block);

    // Recompute with OpenSSL's PRF and seeds assembled by hand (ssl.c openvpn_PRF).
    std::vector<std::byte> seed1(client.random1.begin(), client.random1.end());
    seed1.insert(seed1.end(), server.random1.begin(), server.random1.end());
    const auto master = openssl_tls1_prf(client.pre_master, "OpenVPN master secret", seed1, 48);
    std::vector<std::byte> seed2(client.random2.begin(), client.random2.end());
    seed2.insert(seed2.end(), server.random2.begin(), server.random2.end());
    seed2.insert(seed2.end(), client_sid.begin(), client_sid.end());
    seed2.insert(seed2.end(), server_sid.begin(), server_sid.end());
    const auto expected = openssl_tls1_prf(master, "OpenVPN key expansion", seed2, 256);
    const auto got = block->bytes();
    EXPECT_TRUE(std::equal(got.begin(), got.end(), expected.begin(), expected.end()));
}

TEST(KeyDerivation, SessionIdsArePartOfTheKeyExpansion) {
    const KeySource client = source(1);
    const KeySource server = source(2);
    SessionId a{};
    SessionId b{};
    b[7] = std::byte{1};
    const auto k1 = derive_key_block_prf(client, server, a, a).value();
    const auto k2 = derive_key_block_prf(client, server, a, b).value();
    const auto k3 = derive_key_block_prf(client, server, b, a).value();
    EXPECT_FALSE(std::ranges::equal(k1.bytes(), k2.bytes()));
    EXPECT_FALSE(std::ranges::equal(k2.bytes(), k3.bytes()));
}

TEST(KeyDerivation, ServerPreMasterIsIgnored) {
    const KeySource client = source(1);
    KeySource server = source(2);
    const SessionId sid{};
    const auto k1 = derive_key_block_prf(client, server, sid, sid).value();
    server.pre_master.fill(std::byte{0x55});
    const auto k2 = derive_key_block_prf(client, server, sid, sid).value();
    EXPECT_TRUE(std::ranges::equal(k1.bytes(), k2.bytes()));
}

TEST(KeyBlock, MoveWipesTheSource) {
    std::array<std::byte, kKeyBlockSize> raw{};
    raw.fill(std::byte{0x77});
    KeyBlock a(raw);
    KeyBlock b(std::move(a));
    EXPECT_TRUE(std::ranges::all_of(a.bytes(), [](std::byte x) {
        return x == std::byte{0};
    }));  // NOLINT(bugprone-use-after-move)
    EXPECT_TRUE(std::ranges::all_of(b.bytes(), [](std::byte x) { return x == std::byte{0x77}; }));
}

TEST(KeyDerivation, BothSidesGetWorkingDataChannelKeys) {
    const KeySource client = source(3);
    const KeySource server = source(4);
    const SessionId csid{std::byte{1}};
    const SessionId ssid{std::byte{2}};
    const auto client_block = derive_key_block_prf(client, server, csid, ssid).value();
    const auto server_block = derive_key_block_prf(client, server, csid, ssid).value();
    platform::testing::SeededRandom random(1);
    auto c = DataChannelKey::create({}, client_block.bytes(), false, random).value();
    auto s = DataChannelKey::create({}, server_block.bytes(), true, random).value();
    const auto plain = pattern(100, 9);
    std::vector<std::byte> wire(c.max_encrypted_size(plain.size(), false));
    ASSERT_TRUE(c.encrypt(plain, std::nullopt, wire));
    const auto got = s.decrypt_in_place(wire, platform::Instant{});
    ASSERT_TRUE(got);
    EXPECT_TRUE(std::ranges::equal(got->plaintext, plain));
}

}  // namespace
}  // namespace nfv::vpn::proto
