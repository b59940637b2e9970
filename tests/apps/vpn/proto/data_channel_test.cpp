#include "proto/data_channel.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "nfv/platform/testing/seeded_random.hpp"

namespace nfv::vpn::proto {
namespace {

using platform::Instant;
using platform::testing::SeededRandom;

constexpr Instant kNow{std::chrono::seconds(100)};

std::array<std::byte, kKeyBlockSize> key_block(std::uint8_t salt = 0) {
    std::array<std::byte, kKeyBlockSize> block{};
    for (std::size_t i = 0; i < block.size(); ++i) {
        block[i] = static_cast<std::byte>((i * 7 + salt) & 0xff);
    }
    return block;
}

std::vector<std::byte> payload(std::size_t size) {
    std::vector<std::byte> p(size);
    for (std::size_t i = 0; i < size; ++i) {
        p[i] = static_cast<std::byte>((i * 13 + 1) & 0xff);
    }
    return p;
}

unsigned char* uc(std::byte* p) {
    return reinterpret_cast<unsigned char*>(p);  // NOLINT: OpenSSL byte pointer
}
const unsigned char* uc(const std::byte* p) {
    return reinterpret_cast<const unsigned char*>(p);  // NOLINT: OpenSSL byte pointer
}

struct Pair {
    DataChannelKey client;
    DataChannelKey server;
};

Pair make_pair(SeededRandom& random, DataCipher cipher, DataDigest digest = DataDigest::kSha1,
               std::uint8_t key_id = 0) {
    const auto block = key_block();
    DataChannelConfig config{.cipher = cipher, .digest = digest, .key_id = key_id};
    return Pair{DataChannelKey::create(config, block, false, random).value(),
                DataChannelKey::create(config, block, true, random).value()};
}

std::vector<std::byte> seal(DataChannelKey& key, std::span<const std::byte> plaintext,
                            std::optional<std::uint32_t> peer_id) {
    std::vector<std::byte> out(key.max_encrypted_size(plaintext.size(), peer_id.has_value()));
    const auto written = key.encrypt(plaintext, peer_id, out);
    EXPECT_TRUE(written);
    out.resize(written.value_or(0));
    return out;
}

struct CipherCase {
    DataCipher cipher;
    DataDigest digest;
};

class DataChannelRoundTrip : public ::testing::TestWithParam<CipherCase> {};

TEST_P(DataChannelRoundTrip, BothDirectionsAndBothFormats) {
    SeededRandom random(1);
    auto [client, server] = make_pair(random, GetParam().cipher, GetParam().digest);
    for (const std::size_t size : {0U, 1U, 15U, 16U, 100U, 1400U}) {
        for (const bool v2 : {false, true}) {
            const auto plain = payload(size);
            const std::optional<std::uint32_t> peer = v2 ? std::optional(0x123456U) : std::nullopt;
            const auto c2s = seal(client, plain, peer);
            std::vector<std::byte> out(c2s.size());
            const auto got = server.decrypt(c2s, out, kNow);
            ASSERT_TRUE(got) << size << " " << v2;
            EXPECT_EQ(std::vector<std::byte>(got->plaintext.begin(), got->plaintext.end()), plain);
            EXPECT_EQ(got->opcode, v2 ? Opcode::kDataV2 : Opcode::kDataV1);
            if (v2) {
                EXPECT_EQ(got->peer_id, 0x123456U);
            }
            const auto s2c = seal(server, plain, peer);
            std::vector<std::byte> out2(s2c.size());
            const auto back = client.decrypt(s2c, out2, kNow);
            ASSERT_TRUE(back);
            EXPECT_EQ(std::vector<std::byte>(back->plaintext.begin(), back->plaintext.end()),
                      plain);
            // A key never decrypts what it sent itself (directional keys).
            std::vector<std::byte> out3(s2c.size());
            EXPECT_FALSE(server.decrypt(s2c, out3, kNow));
        }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Ciphers, DataChannelRoundTrip,
    ::testing::Values(CipherCase{DataCipher::kAes128Gcm, DataDigest::kSha1},
                      CipherCase{DataCipher::kAes192Gcm, DataDigest::kSha1},
                      CipherCase{DataCipher::kAes256Gcm, DataDigest::kSha1},
                      CipherCase{DataCipher::kChaCha20Poly1305, DataDigest::kSha1},
                      CipherCase{DataCipher::kAes128Cbc, DataDigest::kSha1},
                      CipherCase{DataCipher::kAes256Cbc, DataDigest::kSha256},
                      CipherCase{DataCipher::kAes256Cbc, DataDigest::kSha512}));

TEST(DataChannel, AeadLayoutIsHeaderPacketIdTagCiphertext) {
    SeededRandom random(2);
    auto [client, server] = make_pair(random, DataCipher::kAes256Gcm, DataDigest::kSha1, 5);
    const auto plain = payload(10);
    const auto v2 = seal(client, plain, 0xABCDEFU);
    ASSERT_EQ(v2.size(), 4U + 4U + 16U + 10U);
    EXPECT_EQ(v2[0], std::byte{(9 << 3) | 5});
    EXPECT_EQ(v2[1], std::byte{0xAB});
    EXPECT_EQ(v2[2], std::byte{0xCD});
    EXPECT_EQ(v2[3], std::byte{0xEF});
    EXPECT_EQ(v2[7], std::byte{1});  // first packet id is 1
    const auto v1 = seal(client, plain, std::nullopt);
    ASSERT_EQ(v1.size(), 1U + 4U + 16U + 10U);
    EXPECT_EQ(v1[0], std::byte{(6 << 3) | 5});
    EXPECT_EQ(v1[4], std::byte{2});
    EXPECT_EQ(client.last_packet_id(), 2U);
}

TEST(DataChannel, AnyModifiedByteIsRejected) {
    for (const auto cipher :
         {DataCipher::kAes256Gcm, DataCipher::kChaCha20Poly1305, DataCipher::kAes256Cbc}) {
        SeededRandom random(3);
        auto [client, server] = make_pair(random, cipher, DataDigest::kSha256);
        // CBC packets do not authenticate the P_DATA_V2 header (as in OpenVPN), so they are
        // tampered as P_DATA_V1; see CbcLeavesPeerIdUnauthenticatedLikeOpenVpn.
        const auto original =
            seal(client, payload(40), is_aead(cipher) ? std::optional(7U) : std::nullopt);
        for (std::size_t i = 0; i < original.size(); ++i) {
            auto wire = original;
            wire[i] ^= std::byte{0x01};
            std::vector<std::byte> out(wire.size());
            const auto got = server.decrypt(wire, out, kNow);
            ASSERT_FALSE(got) << data_cipher_name(cipher) << " byte " << i;
            EXPECT_TRUE(
                std::all_of(out.begin(), out.end(), [](std::byte b) { return b == std::byte{0}; }))
                << "plaintext left behind at byte " << i;
        }
        // The untouched packet still decrypts: failures did not poison the replay window.
        std::vector<std::byte> out(original.size());
        EXPECT_TRUE(server.decrypt(original, out, kNow));
    }
}

TEST(DataChannel, TamperedPeerIdFailsAuthenticationInV2) {
    SeededRandom random(4);
    auto [client, server] = make_pair(random, DataCipher::kAes128Gcm);
    auto wire = seal(client, payload(20), 1U);
    wire[3] = std::byte{2};
    std::vector<std::byte> out(wire.size());
    const auto got = server.decrypt(wire, out, kNow);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error(), DataError::kAuthFailed);
}

TEST(DataChannel, CbcLeavesPeerIdUnauthenticatedLikeOpenVpn) {
    // openvpn_encrypt_v1 starts the HMAC after the prepended P_DATA_V2 header.
    SeededRandom random(41);
    auto [client, server] = make_pair(random, DataCipher::kAes128Cbc);
    auto wire = seal(client, payload(20), 1U);
    wire[3] = std::byte{2};
    std::vector<std::byte> out(wire.size());
    const auto got = server.decrypt(wire, out, kNow);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->peer_id, 2U);
}

TEST(DataChannel, ReplayedPacketIsRejected) {
    SeededRandom random(5);
    auto [client, server] = make_pair(random, DataCipher::kAes256Gcm);
    const auto first = seal(client, payload(20), std::nullopt);
    const auto second = seal(client, payload(20), std::nullopt);
    std::vector<std::byte> out(first.size());
    ASSERT_TRUE(server.decrypt(second, out, kNow));
    ASSERT_TRUE(server.decrypt(first, out, kNow));  // reordered inside the window: accepted
    const auto again = server.decrypt(first, out, kNow);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error(), DataError::kReplay);
    EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](std::byte b) { return b == std::byte{0}; }));
}

TEST(DataChannel, StrictWindowRejectsReorderingForTcp) {
    SeededRandom random(6);
    const auto block = key_block();
    DataChannelConfig config{.cipher = DataCipher::kAes256Gcm};
    config.replay.seq_backtrack = 0;
    auto client = DataChannelKey::create(config, block, false, random).value();
    auto server = DataChannelKey::create(config, block, true, random).value();
    const auto first = seal(client, payload(8), std::nullopt);
    const auto second = seal(client, payload(8), std::nullopt);
    std::vector<std::byte> out(first.size());
    ASSERT_TRUE(server.decrypt(second, out, kNow));
    EXPECT_FALSE(server.decrypt(first, out, kNow));
}

TEST(DataChannel, WrongKeyIdIsRejected) {
    SeededRandom random(7);
    auto [client, server] = make_pair(random, DataCipher::kAes256Gcm, DataDigest::kSha1, 1);
    DataChannelConfig other{.cipher = DataCipher::kAes256Gcm, .key_id = 2};
    auto server2 = DataChannelKey::create(other, key_block(), true, random).value();
    const auto wire = seal(client, payload(8), 3U);
    std::vector<std::byte> out(wire.size());
    const auto got = server2.decrypt(wire, out, kNow);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error(), DataError::kWrongKeyId);
    EXPECT_TRUE(server.decrypt(wire, out, kNow));
}

TEST(DataChannel, ControlOpcodesAndShortPacketsAreRejected) {
    SeededRandom random(8);
    auto [client, server] = make_pair(random, DataCipher::kAes256Gcm);
    std::vector<std::byte> out(64);
    const std::vector<std::byte> control{std::byte{4 << 3}, std::byte{0}, std::byte{0}};
    auto got = server.decrypt(control, out, kNow);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error(), DataError::kNotData);
    const std::vector<std::byte> empty;
    EXPECT_FALSE(server.decrypt(empty, out, kNow));
    const auto wire = seal(client, payload(8), 3U);
    for (std::size_t n = 0; n < 4 + 4 + 16; ++n) {
        std::vector<std::byte> shorter(wire.begin(), wire.begin() + static_cast<long>(n));
        got = server.decrypt(shorter, out, kNow);
        ASSERT_FALSE(got) << n;
    }
}

TEST(DataChannel, OutputBufferTooSmallIsAnError) {
    SeededRandom random(9);
    auto [client, server] = make_pair(random, DataCipher::kAes256Cbc);
    const auto plain = payload(30);
    std::vector<std::byte> small(client.max_encrypted_size(plain.size(), true) - 1);
    const auto written = client.encrypt(plain, 1U, small);
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error(), DataError::kBufferTooSmall);
    EXPECT_EQ(client.last_packet_id(), 0U);  // no id consumed
}

TEST(DataChannel, DecryptsInPlace) {
    for (const auto cipher : {DataCipher::kAes256Gcm, DataCipher::kAes128Cbc}) {
        SeededRandom random(10);
        auto [client, server] = make_pair(random, cipher);
        const auto plain = payload(333);
        auto wire = seal(client, plain, 9U);
        const auto got = server.decrypt_in_place(wire, kNow);
        ASSERT_TRUE(got);
        EXPECT_GE(got->plaintext.data(), wire.data());
        EXPECT_LE(got->plaintext.data() + got->plaintext.size(), wire.data() + wire.size());
        EXPECT_EQ(std::vector<std::byte>(got->plaintext.begin(), got->plaintext.end()), plain);
    }
}

TEST(DataChannel, AsksForRenegotiationBeforePacketIdWraps) {
    SeededRandom random(11);
    auto [client, server] = make_pair(random, DataCipher::kAes256Gcm);
    client.set_last_packet_id_for_test(kPacketIdWrapTrigger - 2);
    (void)seal(client, payload(4), std::nullopt);
    EXPECT_FALSE(client.should_renegotiate());
    (void)seal(client, payload(4), std::nullopt);
    EXPECT_TRUE(client.should_renegotiate());
    client.set_last_packet_id_for_test(0xFFFFFFFFU);
    std::vector<std::byte> out(64);
    const auto written = client.encrypt(payload(4), std::nullopt, out);
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error(), DataError::kPacketIdExhausted);
}

TEST(DataChannel, CipherNamesParseCaseInsensitively) {
    EXPECT_EQ(parse_data_cipher("aes-256-gcm"), DataCipher::kAes256Gcm);
    EXPECT_EQ(parse_data_cipher("CHACHA20-POLY1305"), DataCipher::kChaCha20Poly1305);
    EXPECT_EQ(parse_data_cipher("AES-128-CBC"), DataCipher::kAes128Cbc);
    EXPECT_FALSE(parse_data_cipher("BF-CBC"));
    EXPECT_FALSE(parse_data_cipher("none"));
    EXPECT_EQ(data_cipher_name(DataCipher::kAes128Gcm), "AES-128-GCM");
    EXPECT_TRUE(is_aead(DataCipher::kChaCha20Poly1305));
    EXPECT_FALSE(is_aead(DataCipher::kAes256Cbc));
    EXPECT_EQ(parse_data_digest("sha256"), DataDigest::kSha256);
    EXPECT_FALSE(parse_data_digest("MD5"));
}

// --- Known answers: packets built and opened with OpenSSL EVP directly, following the layout
// in OpenVPN's crypto.h, independent of the code under test. Client->server keys are key[0]:
// cipher key at block[0..], hmac key (and implicit IV) at block[64..].

std::vector<std::byte> reference_gcm_v2(std::span<const std::byte> block, std::uint8_t key_id,
                                        std::uint32_t peer_id, std::uint32_t packet_id,
                                        std::span<const std::byte> plain) {
    std::vector<std::byte> wire = {
        static_cast<std::byte>((9 << 3) | key_id), static_cast<std::byte>(peer_id >> 16),
        static_cast<std::byte>(peer_id >> 8),      static_cast<std::byte>(peer_id),
        static_cast<std::byte>(packet_id >> 24),   static_cast<std::byte>(packet_id >> 16),
        static_cast<std::byte>(packet_id >> 8),    static_cast<std::byte>(packet_id)};
    std::array<std::byte, 12> nonce{};
    std::copy_n(wire.begin() + 4, 4, nonce.begin());
    std::copy_n(block.begin() + 64, 8, nonce.begin() + 4);
    std::array<std::byte, 16> tag{};
    std::vector<std::byte> ct(plain.size() + 16);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    int m = 0;
    EXPECT_EQ(
        EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, uc(block.data()), uc(nonce.data())), 1);
    EXPECT_EQ(EVP_EncryptUpdate(ctx, nullptr, &n, uc(wire.data()), 8), 1);
    EXPECT_EQ(
        EVP_EncryptUpdate(ctx, uc(ct.data()), &n, uc(plain.data()), static_cast<int>(plain.size())),
        1);
    EXPECT_EQ(EVP_EncryptFinal_ex(ctx, uc(ct.data() + n), &m), 1);
    EXPECT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, uc(tag.data())), 1);
    EVP_CIPHER_CTX_free(ctx);
    wire.insert(wire.end(), tag.begin(), tag.end());
    wire.insert(wire.end(), ct.begin(), ct.begin() + n + m);
    return wire;
}

TEST(DataChannelKnownAnswer, DecryptsIndependentlyBuiltGcmPacket) {
    SeededRandom random(12);
    const auto block = key_block(3);
    DataChannelConfig config{.cipher = DataCipher::kAes256Gcm, .key_id = 2};
    auto server = DataChannelKey::create(config, block, true, random).value();
    const std::string text = "an IPv4 packet would go here";
    const auto plain = std::as_bytes(std::span(text));
    const auto wire = reference_gcm_v2(block, 2, 0x000102, 77, plain);
    std::vector<std::byte> out(wire.size());
    const auto got = server.decrypt(wire, out, kNow);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->packet_id, 77U);
    EXPECT_EQ(got->peer_id, 0x000102U);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(got->plaintext.data()),  // NOLINT
                          got->plaintext.size()),
              text);
}

TEST(DataChannelKnownAnswer, EncryptsWhatIndependentCodeBuilds) {
    SeededRandom random(13);
    const auto block = key_block(4);
    DataChannelConfig config{.cipher = DataCipher::kAes256Gcm, .key_id = 1};
    auto client = DataChannelKey::create(config, block, false, random).value();
    const auto plain = payload(64);
    const auto ours = seal(client, plain, 0x0A0B0CU);
    // AES-GCM is deterministic given key, nonce and AD: the bytes must match exactly.
    EXPECT_EQ(ours, reference_gcm_v2(block, 1, 0x0A0B0C, 1, plain));
}

TEST(DataChannelKnownAnswer, CbcPacketOpensWithIndependentHmacAndCbc) {
    SeededRandom random(14);
    const auto block = key_block(5);
    DataChannelConfig config{.cipher = DataCipher::kAes256Cbc, .digest = DataDigest::kSha256};
    auto client = DataChannelKey::create(config, block, false, random).value();
    const auto plain = payload(50);
    const auto wire = seal(client, plain, std::nullopt);  // P_DATA_V1: 1-byte header
    // HMAC-SHA256(key[0].hmac[0..32], IV || ciphertext) sits right after the opcode byte.
    std::array<unsigned char, 32> mac{};
    unsigned int mac_len = 0;
    HMAC(EVP_sha256(), uc(block.data() + 64), 32, uc(wire.data() + 1 + 32), wire.size() - 33,
         mac.data(), &mac_len);
    ASSERT_EQ(mac_len, 32U);
    EXPECT_EQ(std::memcmp(mac.data(), wire.data() + 1, 32), 0);
    // AES-256-CBC(key[0].cipher[0..32], IV) of packet id (4) || payload.
    std::vector<std::byte> dec(wire.size());
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    int m = 0;
    ASSERT_EQ(
        EVP_DecryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, uc(block.data()), uc(wire.data() + 33)),
        1);
    ASSERT_EQ(EVP_DecryptUpdate(ctx, uc(dec.data()), &n, uc(wire.data() + 49),
                                static_cast<int>(wire.size() - 49)),
              1);
    ASSERT_EQ(EVP_DecryptFinal_ex(ctx, uc(dec.data() + n), &m), 1);
    EVP_CIPHER_CTX_free(ctx);
    ASSERT_EQ(static_cast<std::size_t>(n + m), 4 + plain.size());
    EXPECT_EQ(dec[3], std::byte{1});
    EXPECT_TRUE(std::equal(plain.begin(), plain.end(), dec.begin() + 4));

    // And the reverse: re-encrypt with a fresh IV independently; the server must accept it.
    std::array<std::byte, 16> iv{};
    iv.fill(std::byte{0x42});
    std::vector<std::byte> pt(dec.begin(), dec.begin() + n + m);
    pt[3] = std::byte{2};  // packet id 2
    std::vector<std::byte> ct(pt.size() + 16);
    ctx = EVP_CIPHER_CTX_new();
    ASSERT_EQ(EVP_EncryptInit_ex(ctx, EVP_aes_256_cbc(), nullptr, uc(block.data()), uc(iv.data())),
              1);
    ASSERT_EQ(EVP_EncryptUpdate(ctx, uc(ct.data()), &n, uc(pt.data()), static_cast<int>(pt.size())),
              1);
    ASSERT_EQ(EVP_EncryptFinal_ex(ctx, uc(ct.data() + n), &m), 1);
    EVP_CIPHER_CTX_free(ctx);
    ct.resize(static_cast<std::size_t>(n + m));
    std::vector<std::byte> body(iv.begin(), iv.end());
    body.insert(body.end(), ct.begin(), ct.end());
    HMAC(EVP_sha256(), uc(block.data() + 64), 32, uc(body.data()), body.size(), mac.data(),
         &mac_len);
    std::vector<std::byte> packet{std::byte{6 << 3}};
    packet.insert(packet.end(), reinterpret_cast<const std::byte*>(mac.data()),  // NOLINT
                  reinterpret_cast<const std::byte*>(mac.data()) + 32);          // NOLINT
    packet.insert(packet.end(), body.begin(), body.end());
    auto server = DataChannelKey::create(config, block, true, random).value();
    std::vector<std::byte> out(packet.size());
    const auto got = server.decrypt(packet, out, kNow);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->packet_id, 2U);
    EXPECT_EQ(std::vector<std::byte>(got->plaintext.begin(), got->plaintext.end()), plain);
}

TEST(DataChannel, ChaChaUsesItsOwnNonceLayout) {
    // CHACHA20-POLY1305 uses the same 12-byte nonce rule; verify against EVP directly.
    SeededRandom random(15);
    const auto block = key_block(6);
    DataChannelConfig config{.cipher = DataCipher::kChaCha20Poly1305};
    auto client = DataChannelKey::create(config, block, false, random).value();
    const auto plain = payload(20);
    const auto wire = seal(client, plain, std::nullopt);  // V1: AD = packet id only
    std::array<std::byte, 12> nonce{};
    std::copy_n(wire.begin() + 1, 4, nonce.begin());
    std::copy_n(block.begin() + 64, 8, nonce.begin() + 4);
    std::array<std::byte, 16> tag{};
    std::copy_n(wire.begin() + 5, 16, tag.begin());
    std::vector<std::byte> dec(plain.size() + 16);
    EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    int m = 0;
    ASSERT_EQ(EVP_DecryptInit_ex(ctx, EVP_chacha20_poly1305(), nullptr, uc(block.data()),
                                 uc(nonce.data())),
              1);
    ASSERT_EQ(EVP_DecryptUpdate(ctx, nullptr, &n, uc(wire.data() + 1), 4), 1);
    ASSERT_EQ(EVP_DecryptUpdate(ctx, uc(dec.data()), &n, uc(wire.data() + 21),
                                static_cast<int>(wire.size() - 21)),
              1);
    ASSERT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, 16, uc(tag.data())), 1);
    EXPECT_EQ(EVP_DecryptFinal_ex(ctx, uc(dec.data() + n), &m), 1);
    EVP_CIPHER_CTX_free(ctx);
    dec.resize(static_cast<std::size_t>(n + m));
    EXPECT_EQ(dec, plain);
}

}  // namespace
}  // namespace nfv::vpn::proto
