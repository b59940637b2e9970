#include "nfv/net/ipv4.hpp"

#include <array>
#include <cstddef>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/net/checksum.hpp"

namespace nfv::net {
namespace {

std::vector<std::byte> bytes_of(std::initializer_list<std::uint8_t> values) {
    std::vector<std::byte> out;
    for (const auto v : values) {
        out.push_back(std::byte{v});
    }
    return out;
}

// 192.168.0.1 -> 192.168.0.199, UDP, total length 0x73 = 115 (the classic example header).
std::vector<std::byte> sample_packet() {
    auto packet = bytes_of({0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                            0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7});
    packet.resize(0x73, std::byte{0xab});
    return packet;
}

TEST(Ipv4View, ReadsEveryField) {
    const auto packet = sample_packet();
    const auto view = Ipv4View::check(packet);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->version(), 4);
    EXPECT_EQ(view->ihl(), 5);
    EXPECT_EQ(view->header_length(), 20U);
    EXPECT_EQ(view->dscp(), 0);
    EXPECT_EQ(view->ecn(), 0);
    EXPECT_EQ(view->total_length(), 115);
    EXPECT_EQ(view->identification(), 0);
    EXPECT_TRUE(view->dont_fragment());
    EXPECT_FALSE(view->more_fragments());
    EXPECT_EQ(view->fragment_offset(), 0);
    EXPECT_FALSE(view->is_fragment());
    EXPECT_EQ(view->ttl(), 64);
    EXPECT_EQ(view->protocol(), kIpProtocolUdp);
    EXPECT_EQ(view->header_checksum(), 0xb861);
    EXPECT_TRUE(view->checksum_valid());
    EXPECT_EQ(view->source(), Ipv4Address({192, 168, 0, 1}));
    EXPECT_EQ(view->destination(), Ipv4Address({192, 168, 0, 199}));
    EXPECT_TRUE(view->options().empty());
    EXPECT_EQ(view->payload().size(), 95U);
    EXPECT_EQ(view->payload().data(), packet.data() + 20);
}

TEST(Ipv4View, DecodesTosAndFragmentFields) {
    auto packet = sample_packet();
    packet[1] = std::byte{0xb9};  // DSCP 46 (EF), ECN 1
    packet[6] = std::byte{0x20};  // MF, offset 0x0123
    packet[7] = std::byte{0x23};
    packet[6] |= std::byte{0x01};
    const auto view = Ipv4View::check(packet);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->dscp(), 46);
    EXPECT_EQ(view->ecn(), 1);
    EXPECT_FALSE(view->dont_fragment());
    EXPECT_TRUE(view->more_fragments());
    EXPECT_EQ(view->fragment_offset(), 0x0123);
    EXPECT_TRUE(view->is_fragment());
    EXPECT_FALSE(view->checksum_valid());
}

TEST(Ipv4View, ExposesOptionsAndIgnoresTrailingPadding) {
    auto packet = bytes_of({0x46, 0x00, 0x00, 0x1e, 0x00, 0x01, 0x00, 0x00,
                            0x01, 0x06, 0x00, 0x00, 10,   0,    0,    1,
                            10,   0,    0,    2,    0x94, 0x04, 0x00, 0x00,  // Router Alert option
                            'h',  'i',  '!',  '!',  '!',  '!'});
    packet.resize(packet.size() + 10, std::byte{0});  // Ethernet-style padding
    const auto view = Ipv4View::check(packet);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->header_length(), 24U);
    ASSERT_EQ(view->options().size(), 4U);
    EXPECT_EQ(view->options()[0], std::byte{0x94});
    EXPECT_EQ(view->payload().size(), 6U);
    EXPECT_EQ(view->packet().size(), 30U);
}

TEST(Ipv4View, RejectsTruncatedAndInconsistentHeaders) {
    const auto good = sample_packet();
    // Shorter than the fixed header.
    EXPECT_FALSE(Ipv4View::check(std::span(good).first(19)).has_value());
    EXPECT_FALSE(Ipv4View::check({}).has_value());
    // Shorter than total_length.
    EXPECT_FALSE(Ipv4View::check(std::span(good).first(114)).has_value());

    auto bad = good;
    bad[0] = std::byte{0x65};  // version 6
    EXPECT_FALSE(Ipv4View::check(bad).has_value());
    bad = good;
    bad[0] = std::byte{0x44};  // IHL 4 < 5
    EXPECT_FALSE(Ipv4View::check(bad).has_value());
    bad = good;
    bad[0] = std::byte{0x4f};  // IHL 15 = 60 bytes, fine against 115 bytes ...
    EXPECT_TRUE(Ipv4View::check(bad).has_value());
    bad[2] = std::byte{0};  // ... but not against total_length 40
    bad[3] = std::byte{40};
    EXPECT_FALSE(Ipv4View::check(bad).has_value());
    bad = good;
    bad[2] = std::byte{0};  // total_length 19 < header
    bad[3] = std::byte{19};
    EXPECT_FALSE(Ipv4View::check(bad).has_value());
    bad = good;
    bad[3] = std::byte{0x74};  // total_length one past the buffer
    EXPECT_FALSE(Ipv4View::check(bad).has_value());
}

TEST(Ipv4View, EveryTruncationIsRejected) {
    const auto good = sample_packet();
    for (std::size_t n = 0; n < good.size(); ++n) {
        EXPECT_FALSE(Ipv4View::check(std::span(good).first(n)).has_value()) << n;
    }
}

TEST(Ipv4ViewMut, SettersThenRecomputeGiveValidHeader) {
    auto packet = sample_packet();
    auto view = Ipv4ViewMut::check(packet);
    ASSERT_TRUE(view.has_value());
    view->set_ttl(3);
    view->set_source(Ipv4Address({10, 0, 0, 1}));
    view->set_destination(Ipv4Address({10, 0, 0, 2}));
    EXPECT_FALSE(view->checksum_valid());
    view->recompute_header_checksum();
    EXPECT_TRUE(view->checksum_valid());
    EXPECT_EQ(view->ttl(), 3);
    EXPECT_EQ(view->source(), Ipv4Address({10, 0, 0, 1}));
    EXPECT_EQ(view->destination(), Ipv4Address({10, 0, 0, 2}));
    EXPECT_EQ(packet[8], std::byte{3});
}

TEST(Ipv4ViewMut, IncrementalUpdatesKeepChecksumValid) {
    auto packet = sample_packet();
    auto view = Ipv4ViewMut::check(packet);
    ASSERT_TRUE(view.has_value());
    for (std::uint8_t ttl = 64; ttl > 0; --ttl) {
        view->update_ttl(static_cast<std::uint8_t>(ttl - 1));
        ASSERT_TRUE(view->checksum_valid()) << int{ttl};
    }
    view->update_source(Ipv4Address({203, 0, 113, 7}));
    EXPECT_TRUE(view->checksum_valid());
    view->update_destination(Ipv4Address({255, 255, 255, 255}));
    EXPECT_TRUE(view->checksum_valid());
    EXPECT_EQ(view->destination(), Ipv4Address({255, 255, 255, 255}));
    const auto stored = view->header_checksum();
    view->recompute_header_checksum();
    EXPECT_EQ(view->header_checksum(), stored);
}

TEST(Ipv4Header, SerializeRoundTripsThroughView) {
    Ipv4Header header;
    header.dscp = 10;
    header.ecn = 2;
    header.identification = 0xbeef;
    header.more_fragments = true;
    header.fragment_offset = 185;
    header.ttl = 17;
    header.protocol = kIpProtocolTcp;
    header.source = Ipv4Address({192, 0, 2, 1});
    header.destination = Ipv4Address({198, 51, 100, 1});
    header.payload_length = 12;
    std::array<std::byte, 32> buffer{};
    ASSERT_EQ(serialize(header, buffer), 20U);
    const auto view = Ipv4View::check(buffer);
    ASSERT_TRUE(view.has_value());
    EXPECT_TRUE(view->checksum_valid());
    EXPECT_EQ(view->total_length(), 32);
    EXPECT_EQ(to_header(*view), header);
}

TEST(Ipv4Header, SerializeRefusesSmallBufferAndOversizedPayload) {
    Ipv4Header header;
    std::array<std::byte, 19> small{};
    EXPECT_EQ(serialize(header, small), 0U);
    std::array<std::byte, 20> exact{};
    header.payload_length = 65516;
    EXPECT_EQ(serialize(header, exact), 0U);
    header.payload_length = 65515;
    EXPECT_EQ(serialize(header, exact), 20U);
}

}  // namespace
}  // namespace nfv::net
