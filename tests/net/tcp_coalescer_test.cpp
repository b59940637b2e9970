#include "nfv/net/tcp_coalescer.hpp"

#include <cstddef>
#include <map>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/net/byte_order.hpp"

#include "tcp_packets.hpp"

namespace nfv::net {
namespace {

using testing::checksums_valid;
using testing::payload_bytes;
using testing::tcp_packet;
using testing::TcpPacketSpec;
using Packet = std::vector<std::byte>;

// Segments every output again, as the kernel does with a GSO write: the packets that went in.
std::vector<Packet> resegment(std::span<const TcpCoalescer::Output> outputs) {
    std::vector<Packet> packets;
    for (const auto& output : outputs) {
        Packet copy(output.packet.begin(), output.packet.end());
        std::vector<std::byte> out(2 * 65536);
        std::vector<std::span<const std::byte>> segments;
        auto used = split_offloaded_packet(output.header, copy, out, segments);
        EXPECT_TRUE(used);
        EXPECT_EQ(segments.size(), output.segments);
        for (const auto s : segments) {
            packets.emplace_back(s.begin(), s.end());
        }
    }
    return packets;
}

std::vector<Packet> flow_segments(TcpPacketSpec spec, std::size_t count, std::size_t size) {
    std::vector<Packet> packets;
    for (std::size_t i = 0; i < count; ++i) {
        packets.push_back(tcp_packet(spec, payload_bytes(size, static_cast<std::uint32_t>(i))));
        spec.seq += static_cast<std::uint32_t>(size);
        ++spec.id;
    }
    return packets;
}

TEST(TcpCoalescerTest, MergesOneFlowIntoOneSuperPacketThatSegmentsBackExactly) {
    for (const bool ipv4 : {true, false}) {
        TcpPacketSpec spec;
        spec.ipv4 = ipv4;
        const auto in = flow_segments(spec, 20, 1300);
        TcpCoalescer coalescer;
        for (const auto& p : in) {
            ASSERT_TRUE(coalescer.add(p));
        }
        const auto outputs = coalescer.finish();
        ASSERT_EQ(outputs.size(), 1U);
        const auto& h = outputs[0].header;
        EXPECT_TRUE(h.needs_checksum);
        EXPECT_EQ(h.gso_type, ipv4 ? 1 : 4);
        EXPECT_EQ(h.gso_size, 1300);
        EXPECT_EQ(h.checksum_start, ipv4 ? 20 : 40);
        EXPECT_EQ(h.checksum_offset, 16);
        EXPECT_EQ(h.header_length, (ipv4 ? 20 : 40) + 32);
        EXPECT_EQ(outputs[0].segments, 20);
        EXPECT_EQ(resegment(outputs), in);
        EXPECT_EQ(coalescer.stats().packets_merged, 19U);
        EXPECT_EQ(coalescer.stats().super_packets, 1U);
    }
}

TEST(TcpCoalescerTest, StaysWithin64KiBAndStartsAnotherSuperPacket) {
    TcpPacketSpec spec;
    const auto in = flow_segments(spec, 60, 1400);
    TcpCoalescer coalescer;
    for (const auto& p : in) {
        ASSERT_TRUE(coalescer.add(p));
    }
    const auto outputs = coalescer.finish();
    ASSERT_GE(outputs.size(), 2U);
    for (const auto& o : outputs) {
        EXPECT_LE(o.packet.size(), 65535U);
    }
    EXPECT_EQ(resegment(outputs), in);
}

TEST(TcpCoalescerTest, KeepsTwoInterleavedFlowsApartAndInOrder) {
    TcpPacketSpec a;
    TcpPacketSpec b;
    b.last_address_byte = 9;
    const auto fa = flow_segments(a, 5, 1000);
    const auto fb = flow_segments(b, 5, 1000);
    TcpCoalescer coalescer;
    for (std::size_t i = 0; i < 5; ++i) {
        ASSERT_TRUE(coalescer.add(fa[i]));
        ASSERT_TRUE(coalescer.add(fb[i]));
    }
    const auto outputs = coalescer.finish();
    ASSERT_EQ(outputs.size(), 2U);
    auto expected = fa;
    expected.insert(expected.end(), fb.begin(), fb.end());
    EXPECT_EQ(resegment(outputs), expected);
}

TEST(TcpCoalescerTest, PassesOtherPacketsThroughAndKeepsEachFlowInOrder) {
    TcpPacketSpec spec;
    auto in = flow_segments(spec, 3, 1000);
    TcpPacketSpec fin = spec;
    fin.seq += 3000;
    fin.id = static_cast<std::uint16_t>(fin.id + 3);
    fin.flags = 0x11;  // FIN ACK
    in.push_back(tcp_packet(fin, {}));
    TcpCoalescer coalescer;
    for (const auto& p : in) {
        ASSERT_TRUE(coalescer.add(p));
    }
    const auto outputs = coalescer.finish();
    ASSERT_EQ(outputs.size(), 2U);
    EXPECT_EQ(outputs[1].header, VirtioNetHeader{});
    EXPECT_EQ(resegment(outputs), in);
}

TEST(TcpCoalescerTest, DoesNotMergeAcrossGapsShortSegmentsPshOrChangedHeaders) {
    TcpPacketSpec spec;
    std::vector<Packet> in = flow_segments(spec, 2, 1000);
    TcpPacketSpec next = spec;
    next.seq += 2000;
    next.id = static_cast<std::uint16_t>(spec.id + 2);
    in.push_back(tcp_packet(next, payload_bytes(400, 3)));  // short: ends the flow
    next.seq += 400;
    ++next.id;
    in.push_back(tcp_packet(next, payload_bytes(1000, 4)));  // starts another
    next.seq += 1000;
    ++next.id;
    next.ack += 1;  // a new ack number: cannot join
    in.push_back(tcp_packet(next, payload_bytes(1000, 5)));
    next.seq += 5000;  // a gap
    ++next.id;
    in.push_back(tcp_packet(next, payload_bytes(1000, 6)));
    next.seq += 1000;
    ++next.id;
    next.flags = 0x18;  // PSH: joins, then ends the flow
    in.push_back(tcp_packet(next, payload_bytes(1000, 7)));
    next.seq += 1000;
    ++next.id;
    next.flags = 0x10;
    next.timestamp = 99;  // other option bytes
    in.push_back(tcp_packet(next, payload_bytes(1000, 8)));
    TcpCoalescer coalescer;
    for (const auto& p : in) {
        ASSERT_TRUE(coalescer.add(p));
    }
    const auto outputs = coalescer.finish();
    ASSERT_EQ(outputs.size(), 5U);
    EXPECT_EQ(outputs[0].segments, 3);
    EXPECT_EQ(outputs[1].segments, 1);
    EXPECT_EQ(outputs[2].segments, 1);
    EXPECT_EQ(outputs[3].segments, 2);
    EXPECT_NE(load_u8(outputs[3].packet, 33) & 0x08, 0) << "the merged header carries PSH";
    EXPECT_EQ(outputs[4].segments, 1);
    EXPECT_EQ(resegment(outputs), in);
}

TEST(TcpCoalescerTest, NeverMergesAPacketWithABadChecksum) {
    TcpPacketSpec spec;
    auto in = flow_segments(spec, 3, 1000);
    in[1][100] ^= std::byte{0xff};
    TcpCoalescer coalescer;
    for (const auto& p : in) {
        ASSERT_TRUE(coalescer.add(p));
    }
    const auto outputs = coalescer.finish();
    ASSERT_EQ(outputs.size(), 3U);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(outputs[i].header, VirtioNetHeader{});
        EXPECT_TRUE(std::equal(outputs[i].packet.begin(), outputs[i].packet.end(), in[i].begin(),
                               in[i].end()));
    }
}

TEST(TcpCoalescerTest, ReportsAFullArenaAndWorksAgainAfterClear) {
    TcpCoalescer coalescer(65535, 8);
    TcpPacketSpec udp_like;
    udp_like.flags = 0x02;  // SYN: passed through, never a flow
    const auto big = tcp_packet(udp_like, payload_bytes(40000, 1));
    ASSERT_TRUE(coalescer.add(big));
    EXPECT_FALSE(coalescer.add(big));
    EXPECT_EQ(coalescer.finish().size(), 1U);
    coalescer.clear();
    EXPECT_TRUE(coalescer.empty());
    EXPECT_TRUE(coalescer.add(big));
}

// Property: whatever the mix (flows, gaps, reordering, other packets, bad checksums), segmenting
// the outputs gives back every packet, each connection's packets in their original order.
TEST(TcpCoalescerTest, RandomMixesRoundTripPerConnection) {
    std::mt19937 random(20261204);
    for (int round = 0; round < 200; ++round) {
        std::vector<TcpPacketSpec> flows(1 + random() % 12);
        for (std::size_t f = 0; f < flows.size(); ++f) {
            flows[f].ipv4 = random() % 2 == 0;
            flows[f].last_address_byte = static_cast<std::uint8_t>(1 + f % 3);
            flows[f].source_port = static_cast<std::uint16_t>(40000 + f / 3);
        }
        std::vector<Packet> in;
        std::map<std::vector<std::byte>, std::vector<Packet>> expected;
        TcpCoalescer coalescer(256 * 1024, 1 + random() % 8);
        std::vector<Packet> out;
        const auto drain = [&] {
            for (auto& p : resegment(coalescer.finish())) {
                out.push_back(std::move(p));
            }
            coalescer.clear();
        };
        for (int n = 0; n < 300; ++n) {
            auto& spec = flows[random() % flows.size()];
            const std::size_t size = random() % 5 == 0 ? random() % 1500 : 1200;
            if (random() % 20 == 0) {
                spec.flags = static_cast<std::uint8_t>(random() % 2 == 0 ? 0x18 : 0x11);
            }
            if (random() % 30 == 0) {
                spec.seq += 77;  // a gap
            }
            if (random() % 25 == 0) {
                spec.ack += 1;
            }
            auto packet = tcp_packet(spec, payload_bytes(size, static_cast<std::uint32_t>(n)));
            if (random() % 40 == 0 && packet.size() > 60) {
                packet[packet.size() - 1] ^= std::byte{1};  // bad checksum
            }
            spec.seq += static_cast<std::uint32_t>(size);
            ++spec.id;
            spec.flags = 0x10;
            if (!coalescer.add(packet)) {
                drain();
                ASSERT_TRUE(coalescer.add(packet));
            }
            in.push_back(packet);
        }
        drain();
        ASSERT_EQ(out.size(), in.size()) << "round " << round;
        // Group by connection key (addresses + ports) and compare sequences.
        const auto key = [](const Packet& p) {
            const bool v4 = (std::to_integer<unsigned>(p[0]) >> 4U) == 4;
            const std::size_t l4 = v4 ? 20 : 40;
            Packet k(p.begin() + (v4 ? 12 : 8), p.begin() + static_cast<std::ptrdiff_t>(l4 + 4));
            k.push_back(std::byte{static_cast<std::uint8_t>(v4)});
            return k;
        };
        std::map<Packet, std::vector<Packet>> got;
        for (const auto& p : in) {
            expected[key(p)].push_back(p);
        }
        for (const auto& p : out) {
            got[key(p)].push_back(p);
        }
        EXPECT_EQ(got, expected) << "round " << round;
        for (const auto& p : out) {
            if (!checksums_valid(p)) {
                // Only packets that came in corrupted may leave corrupted.
                EXPECT_NE(std::find(in.begin(), in.end(), p), in.end());
            }
        }
    }
}

}  // namespace
}  // namespace nfv::net
