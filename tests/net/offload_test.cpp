#include "nfv/net/offload.hpp"

#include <array>
#include <cstddef>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/net/byte_order.hpp"
#include "nfv/net/checksum.hpp"

#include "tcp_packets.hpp"

namespace nfv::net {
namespace {

using testing::checksums_valid;
using testing::payload_bytes;
using testing::tcp_packet;
using testing::TcpPacketSpec;

VirtioNetHeader tso(bool ipv4, std::uint16_t mss, std::size_t l4) {
    VirtioNetHeader h;
    h.needs_checksum = true;
    h.gso_type = static_cast<std::uint8_t>(ipv4 ? GsoType::kTcpV4 : GsoType::kTcpV6);
    h.gso_size = mss;
    h.checksum_start = static_cast<std::uint16_t>(l4);
    h.checksum_offset = 16;
    return h;
}

TEST(VirtioNetHeaderTest, DecodesLittleEndianFieldsAndEncodesThemBack) {
    const std::array<std::byte, kVirtioNetHeaderSize> bytes{
        std::byte{0x01}, std::byte{0x01}, std::byte{0x42}, std::byte{0x00}, std::byte{0x78},
        std::byte{0x05}, std::byte{0x14}, std::byte{0x00}, std::byte{0x10}, std::byte{0x00}};
    const auto h = decode_virtio_net_header(bytes);
    EXPECT_TRUE(h.needs_checksum);
    EXPECT_FALSE(h.data_valid);
    EXPECT_EQ(h.gso_type, 1);
    EXPECT_EQ(h.header_length, 0x42);
    EXPECT_EQ(h.gso_size, 1400);
    EXPECT_EQ(h.checksum_start, 20);
    EXPECT_EQ(h.checksum_offset, 16);
    std::array<std::byte, kVirtioNetHeaderSize> again{};
    encode_virtio_net_header(h, again);
    EXPECT_EQ(again, bytes);
}

TEST(OffloadTest, CompletesAPartialChecksumLikeTheNicWould) {
    TcpPacketSpec spec;
    const auto payload = payload_bytes(333, 5);
    auto packet = tcp_packet(spec, payload);
    // What the kernel hands over with NEEDS_CSUM: the pseudo-header sum in the field.
    store_be16(packet, 36, packet_pseudo_header_sum(packet, 6, packet.size() - 20));
    ASSERT_FALSE(checksums_valid(packet));
    std::vector<std::span<const std::byte>> out;
    VirtioNetHeader h;
    h.needs_checksum = true;
    h.checksum_start = 20;
    h.checksum_offset = 16;
    auto used = split_offloaded_packet(h, packet, {}, out);
    ASSERT_TRUE(used);
    EXPECT_EQ(*used, 0U);
    ASSERT_EQ(out.size(), 1U);
    EXPECT_EQ(out[0].data(), packet.data());
    EXPECT_TRUE(checksums_valid(packet));
    EXPECT_EQ(packet, tcp_packet(spec, payload));
}

TEST(OffloadTest, RejectsChecksumOffsetsOutsideThePacket) {
    std::vector<std::byte> packet(30);
    EXPECT_FALSE(complete_partial_checksum(packet, 20, 9));
    EXPECT_FALSE(complete_partial_checksum(packet, 31, 0));
    EXPECT_TRUE(complete_partial_checksum(packet, 20, 8));
}

void expect_segments(bool ipv4) {
    TcpPacketSpec spec;
    spec.ipv4 = ipv4;
    spec.flags = 0x10 | 0x08 | 0x01 | 0x80;  // ACK PSH FIN CWR
    const auto payload = payload_bytes(3500, 9);
    auto super = tcp_packet(spec, payload);
    const std::size_t l4 = ipv4 ? 20 : 40;
    const std::size_t headers = l4 + 32;
    std::vector<std::byte> out(8192);
    std::vector<std::span<const std::byte>> segments;
    auto used = split_offloaded_packet(tso(ipv4, 1000, l4), super, out, segments);
    ASSERT_TRUE(used);
    ASSERT_EQ(segments.size(), 4U);
    EXPECT_EQ(*used, 3500 + 4 * headers);
    for (std::size_t i = 0; i < segments.size(); ++i) {
        const auto s = segments[i];
        const std::size_t length = i < 3 ? 1000 : 500;
        ASSERT_EQ(s.size(), headers + length) << i;
        EXPECT_TRUE(checksums_valid(s)) << i;
        EXPECT_EQ(load_be32(s, l4 + 4), spec.seq + i * 1000) << i;
        const auto flags = load_u8(s, l4 + 13);
        EXPECT_EQ((flags & 0x09) != 0, i == 3) << "FIN/PSH only on the last, segment " << i;
        EXPECT_EQ((flags & 0x80) != 0, i == 0) << "CWR only on the first, segment " << i;
        if (ipv4) {
            EXPECT_EQ(load_be16(s, 2), s.size());
            EXPECT_EQ(load_be16(s, 4), spec.id + i);
        } else {
            EXPECT_EQ(load_be16(s, 4), s.size() - 40);
        }
        EXPECT_TRUE(std::equal(s.begin() + static_cast<std::ptrdiff_t>(headers), s.end(),
                               payload.begin() + static_cast<std::ptrdiff_t>(i * 1000)));
    }
}

TEST(OffloadTest, SegmentsAnIpv4TcpSuperPacket) {
    expect_segments(true);
}

TEST(OffloadTest, SegmentsAnIpv6TcpSuperPacket) {
    expect_segments(false);
}

TEST(OffloadTest, AHeaderOnlySuperPacketIsOneSegment) {
    TcpPacketSpec spec;
    auto packet = tcp_packet(spec, {});
    std::vector<std::byte> out(256);
    std::vector<std::span<const std::byte>> segments;
    auto used = split_offloaded_packet(tso(true, 1000, 20), packet, out, segments);
    ASSERT_TRUE(used);
    ASSERT_EQ(segments.size(), 1U);
    EXPECT_TRUE(std::equal(segments[0].begin(), segments[0].end(), packet.begin(), packet.end()));
}

TEST(OffloadTest, RefusesWhatItCannotSegment) {
    TcpPacketSpec spec;
    auto v4 = tcp_packet(spec, payload_bytes(3000, 1));
    std::vector<std::byte> out(8192);
    std::vector<std::span<const std::byte>> segments;
    // The IP version does not match the GSO type.
    EXPECT_EQ(split_offloaded_packet(tso(false, 1000, 20), v4, out, segments).error(),
              OffloadError::kMalformed);
    EXPECT_EQ(split_offloaded_packet(tso(true, 0, 20), v4, out, segments).error(),
              OffloadError::kMalformed);
    auto udp = tso(true, 1000, 20);
    udp.gso_type = static_cast<std::uint8_t>(GsoType::kUdpL4);
    EXPECT_EQ(split_offloaded_packet(udp, v4, out, segments).error(),
              OffloadError::kUnsupportedGso);
    std::vector<std::byte> small(1000);
    EXPECT_EQ(split_offloaded_packet(tso(true, 1000, 20), v4, small, segments).error(),
              OffloadError::kNoSpace);
    auto truncated = std::span(v4).first(30);
    EXPECT_EQ(split_offloaded_packet(tso(true, 1000, 20), truncated, out, segments).error(),
              OffloadError::kMalformed);
    EXPECT_TRUE(segments.empty());
}

}  // namespace
}  // namespace nfv::net
