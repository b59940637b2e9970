#include "proto/keepalive.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace nfv::vpn::proto {
namespace {

TEST(Keepalive, PingMagicMatchesOpenVpn) {
    // ping.c ping_string[].
    const std::vector<std::uint8_t> expected = {0x2a, 0x18, 0x7b, 0xf3, 0x64, 0x1e, 0xb4, 0xcb,
                                                0x07, 0xed, 0x2d, 0x0a, 0x98, 0x1f, 0xc7, 0x48};
    ASSERT_EQ(kPingMagic.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(std::to_integer<std::uint8_t>(kPingMagic[i]), expected[i]) << i;
    }
}

TEST(Keepalive, RecognisesOnlyTheExactPing) {
    EXPECT_TRUE(is_ping(kPingMagic));
    std::vector<std::byte> longer(kPingMagic.begin(), kPingMagic.end());
    longer.push_back(std::byte{0});
    EXPECT_FALSE(is_ping(longer));
    EXPECT_FALSE(is_ping(std::span(kPingMagic).first(15)));
    auto changed = kPingMagic;
    changed[15] = std::byte{0x49};
    EXPECT_FALSE(is_ping(changed));
    EXPECT_FALSE(is_ping({}));
}

TEST(Keepalive, OccExitIsMagicPlusSix) {
    const auto exit = occ_exit_payload();
    const std::vector<std::uint8_t> expected = {0x28, 0x7f, 0x34, 0x6b, 0xd4, 0xef,
                                                0x7a, 0x81, 0x2d, 0x56, 0xb8, 0xd3,
                                                0xaf, 0xc5, 0x45, 0x9c, 0x06};
    ASSERT_EQ(exit.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(std::to_integer<std::uint8_t>(exit[i]), expected[i]) << i;
    }
    EXPECT_EQ(parse_occ(exit), OccOpcode::kExit);
}

TEST(Keepalive, ParsesOccOpcodesAndRejectsOthers) {
    std::vector<std::byte> msg(kOccMagic.begin(), kOccMagic.end());
    EXPECT_EQ(parse_occ(msg), std::nullopt);  // no opcode
    msg.push_back(std::byte{1});
    msg.push_back(std::byte{0xAA});  // OCC_REPLY carries the options string after the opcode
    EXPECT_EQ(parse_occ(msg), OccOpcode::kReply);
    msg[16] = std::byte{7};
    EXPECT_EQ(parse_occ(msg), std::nullopt);  // unknown opcode
    EXPECT_EQ(parse_occ(kPingMagic), std::nullopt);
}

}  // namespace
}  // namespace nfv::vpn::proto
