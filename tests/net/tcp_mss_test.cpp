#include "nfv/net/tcp_mss.hpp"

#include <cstddef>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/net/byte_order.hpp"
#include "nfv/net/checksum.hpp"

#include "tcp_packets.hpp"

namespace nfv::net {
namespace {

using testing::checksums_valid;
using testing::tcp_packet;
using testing::TcpPacketSpec;

// A SYN whose TCP options are `options` (padded with END to a multiple of 4).
std::vector<std::byte> syn_with(std::vector<std::uint8_t> options, bool ipv4 = true,
                                std::uint8_t flags = 0x02) {
    while (options.size() % 4 != 0) {
        options.push_back(0);
    }
    TcpPacketSpec spec;
    spec.ipv4 = ipv4;
    spec.flags = flags;
    spec.option_bytes = options.size();
    auto p = tcp_packet(spec, {});
    const std::size_t l4 = ipv4 ? 20 : 40;
    for (std::size_t i = 0; i < options.size(); ++i) {
        p[l4 + 20 + i] = std::byte{options[i]};
    }
    // Recompute the TCP checksum over the new options.
    store_be16(p, l4 + 16, 0);
    ChecksumAccumulator acc;
    acc.add(ipv4 ? std::span(p).subspan(12, 8) : std::span(p).subspan(8, 32));
    acc.add_u16(6);
    acc.add_u16(static_cast<std::uint16_t>(p.size() - l4));
    acc.add(std::span(p).subspan(l4));
    store_be16(p, l4 + 16, acc.finish());
    return p;
}

TEST(TcpMssTest, LowersALargerMssAndKeepsTheChecksumValid) {
    auto p = syn_with({2, 4, 0x05, 0xb4, 1, 1, 4, 2});  // MSS 1460, NOP NOP SACK-permitted
    ASSERT_TRUE(checksums_valid(p));
    EXPECT_TRUE(needs_mss_clamp(p, 1400));
    EXPECT_TRUE(clamp_tcp_mss(p, 1400));
    EXPECT_EQ(load_be16(p, 42), 1400);
    EXPECT_TRUE(checksums_valid(p));
    EXPECT_FALSE(clamp_tcp_mss(p, 1400)) << "already low enough";
}

TEST(TcpMssTest, HandlesAnMssAtAnOddOffset) {
    auto p = syn_with({1, 2, 4, 0x23, 0x28});  // NOP, then MSS 9000 at an odd offset
    ASSERT_TRUE(checksums_valid(p));
    EXPECT_TRUE(clamp_tcp_mss(p, 1400));
    EXPECT_EQ(load_be16(p, 43), 1400);
    EXPECT_TRUE(checksums_valid(p));
}

TEST(TcpMssTest, Ipv6GetsTwentyBytesLess) {
    auto p = syn_with({2, 4, 0x05, 0xa0}, /*ipv4=*/false);  // MSS 1440
    EXPECT_TRUE(clamp_tcp_mss(p, 1400));
    EXPECT_EQ(load_be16(p, 62), 1380);
    EXPECT_TRUE(checksums_valid(p));
}

TEST(TcpMssTest, LeavesEverythingElseAlone) {
    const auto original_ack = syn_with({2, 4, 0x05, 0xb4}, true, 0x10);  // not a SYN
    auto ack = original_ack;
    EXPECT_FALSE(clamp_tcp_mss(ack, 1400));
    EXPECT_EQ(ack, original_ack);
    auto small = syn_with({2, 4, 0x01, 0x00});  // MSS 256
    EXPECT_FALSE(clamp_tcp_mss(small, 1400));
    auto zero_length = syn_with({3, 0, 2, 4, 0x05, 0xb4});  // a zero option length stops the walk
    EXPECT_FALSE(clamp_tcp_mss(zero_length, 1400));
    auto overrun = syn_with({2, 9, 0x05, 0xb4});  // the length runs past the header
    EXPECT_FALSE(clamp_tcp_mss(overrun, 1400));
    std::vector<std::byte> empty;
    EXPECT_FALSE(clamp_tcp_mss(empty, 1400));
    auto truncated = syn_with({2, 4, 0x05, 0xb4});
    truncated.resize(30);
    EXPECT_FALSE(clamp_tcp_mss(truncated, 1400));
}

}  // namespace
}  // namespace nfv::net
