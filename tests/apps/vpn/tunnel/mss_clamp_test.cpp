#include "tunnel/mss_clamp.hpp"

#include <array>
#include <cstddef>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::vpn::tunnel {
namespace {

using proto::DataCipher;
using proto::DataDigest;

TEST(MssfixLimitTest, DefaultIs1492MtuModeLikeOpenVpn26) {
    config::VpnConfig config;  // no mssfix line
    // 1492 - (opcode+peer id 4, packet id 4, GCM tag 16) - (IPv4 20 + UDP 8) - (IPv4+TCP 40)
    EXPECT_EQ(mssfix_limit(config, {DataCipher::kAes256Gcm}), 1400);
    EXPECT_EQ(mssfix_limit(config, {DataCipher::kChaCha20Poly1305}), 1400);
    DataPath v1{DataCipher::kAes256Gcm};
    v1.data_v2 = false;
    EXPECT_EQ(mssfix_limit(config, v1), 1403);
    DataPath ipv6{DataCipher::kAes256Gcm};
    ipv6.ipv6_transport = true;
    EXPECT_EQ(mssfix_limit(config, ipv6), 1380);
    DataPath tcp{DataCipher::kAes256Gcm};
    tcp.tcp_transport = true;  // + 2-byte length, TCP header instead of UDP
    EXPECT_EQ(mssfix_limit(config, tcp), 1492 - 26 - 40 - 40);
}

TEST(MssfixLimitTest, CbcRoundsToWholeBlocksWithOnePaddingByte) {
    config::VpnConfig config;
    // 1492 - (4 + 4 + IV 16 + HMAC-SHA1 20) - 28 = 1420 -> 1408 - 1 = 1407 -> MSS 1367.
    EXPECT_EQ(mssfix_limit(config, {DataCipher::kAes256Cbc, DataDigest::kSha1}), 1367);
    // SHA256: 1492 - 56 - 28 = 1408, already whole blocks -> 1407 -> 1367 as well.
    EXPECT_EQ(mssfix_limit(config, {DataCipher::kAes256Cbc, DataDigest::kSha256}), 1367);
    // SHA512: 1492 - 88 - 28 = 1376 -> 1375 -> 1335.
    EXPECT_EQ(mssfix_limit(config, {DataCipher::kAes256Cbc, DataDigest::kSha512}), 1335);
}

TEST(MssfixLimitTest, PayloadFixedAndOffModes) {
    config::VpnConfig config;
    config.mssfix = 1450;
    config.mssfix_mode = config::MssfixMode::kPayload;
    EXPECT_EQ(mssfix_limit(config, {DataCipher::kAes256Gcm}), 1450 - 24 - 40);
    config.mssfix_mode = config::MssfixMode::kFixed;
    EXPECT_EQ(mssfix_limit(config, {DataCipher::kAes256Gcm}), 1410);
    config.mssfix = 0;
    EXPECT_EQ(mssfix_limit(config, {DataCipher::kAes256Gcm}), 0);
    config.mssfix = 50;  // smaller than the overhead: no clamping rather than a bogus MSS
    config.mssfix_mode = config::MssfixMode::kMtu;
    EXPECT_EQ(mssfix_limit(config, {DataCipher::kAes256Gcm}), 0);
}

std::vector<std::byte> syn_with_mss(std::uint16_t mss) {
    std::vector<std::byte> p(44);
    p[0] = std::byte{0x45};
    p[3] = std::byte{44};
    p[9] = std::byte{6};
    p[32] = std::byte{0x60};  // data offset 6 words
    p[33] = std::byte{0x02};  // SYN
    p[40] = std::byte{2};
    p[41] = std::byte{4};
    p[42] = static_cast<std::byte>(mss >> 8U);
    p[43] = static_cast<std::byte>(mss & 0xffU);
    return p;
}

TEST(ClampMssTest, CopiesAndClampsOnlyWhatNeedsIt) {
    std::array<std::byte, 256> scratch{};
    const auto big = syn_with_mss(1460);
    const auto clamped = clamp_mss(big, 1400, scratch);
    ASSERT_EQ(clamped.data(), scratch.data());
    EXPECT_EQ(std::to_integer<unsigned>(clamped[42]) << 8U | std::to_integer<unsigned>(clamped[43]),
              1400U);
    EXPECT_EQ(std::to_integer<unsigned>(big[43]), 1460U & 0xffU) << "the original is untouched";
    const auto small = syn_with_mss(1300);
    EXPECT_EQ(clamp_mss(small, 1400, scratch).data(), small.data());
    EXPECT_EQ(clamp_mss(big, 0, scratch).data(), big.data()) << "limit 0: mssfix off";
    std::array<std::byte, 16> tiny{};
    EXPECT_EQ(clamp_mss(big, 1400, tiny).data(), big.data()) << "no room: passed unchanged";
}

}  // namespace
}  // namespace nfv::vpn::tunnel
