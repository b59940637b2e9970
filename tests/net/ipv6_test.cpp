#include "nfv/net/ipv6.hpp"

#include <array>
#include <cstddef>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::net {
namespace {

Ipv6Header sample_header() {
    Ipv6Header header;
    header.traffic_class = 0xb8;
    header.flow_label = 0xabcde;
    header.next_header = 17;
    header.hop_limit = 255;
    header.source = *Ipv6Address::parse("2001:db8::1");
    header.destination = *Ipv6Address::parse("ff02::fb");
    header.payload_length = 8;
    return header;
}

std::vector<std::byte> sample_packet() {
    std::vector<std::byte> packet(48, std::byte{0x5a});
    EXPECT_EQ(serialize(sample_header(), packet), 40U);
    return packet;
}

TEST(Ipv6View, ReadsEveryField) {
    const auto packet = sample_packet();
    const auto view = Ipv6View::check(packet);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->version(), 6);
    EXPECT_EQ(view->traffic_class(), 0xb8);
    EXPECT_EQ(view->flow_label(), 0xabcdeU);
    EXPECT_EQ(view->payload_length(), 8);
    EXPECT_EQ(view->next_header(), 17);
    EXPECT_EQ(view->hop_limit(), 255);
    EXPECT_EQ(view->source().to_string(), "2001:db8::1");
    EXPECT_EQ(view->destination().to_string(), "ff02::fb");
    EXPECT_EQ(view->payload().size(), 8U);
    EXPECT_EQ(view->header().size(), 40U);
    EXPECT_EQ(to_header(*view), sample_header());
    // Wire layout of the first word: 6, TC b8, flow label abcde.
    EXPECT_EQ(packet[0], std::byte{0x6b});
    EXPECT_EQ(packet[1], std::byte{0x8a});
    EXPECT_EQ(packet[2], std::byte{0xbc});
    EXPECT_EQ(packet[3], std::byte{0xde});
}

TEST(Ipv6View, IgnoresBytesAfterPayloadLength) {
    auto packet = sample_packet();
    packet.resize(100, std::byte{0});
    const auto view = Ipv6View::check(packet);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->packet().size(), 48U);
}

TEST(Ipv6View, RejectsTruncatedAndInconsistentHeaders) {
    const auto good = sample_packet();
    for (std::size_t n = 0; n < good.size(); ++n) {
        EXPECT_FALSE(Ipv6View::check(std::span(good).first(n)).has_value()) << n;
    }
    auto bad = good;
    bad[0] = std::byte{0x4b};  // version 4
    EXPECT_FALSE(Ipv6View::check(bad).has_value());
    bad = good;
    bad[5] = std::byte{9};  // payload length 9 > 8 available
    EXPECT_FALSE(Ipv6View::check(bad).has_value());
    bad = good;
    bad[4] = std::byte{0xff};
    EXPECT_FALSE(Ipv6View::check(bad).has_value());
}

TEST(Ipv6View, EmptyPayloadIsValid) {
    auto header = sample_header();
    header.payload_length = 0;
    std::array<std::byte, 40> packet{};
    ASSERT_EQ(serialize(header, packet), 40U);
    const auto view = Ipv6View::check(packet);
    ASSERT_TRUE(view.has_value());
    EXPECT_TRUE(view->payload().empty());
}

TEST(Ipv6ViewMut, RewritesHopLimitAndAddresses) {
    auto packet = sample_packet();
    auto view = Ipv6ViewMut::check(packet);
    ASSERT_TRUE(view.has_value());
    view->set_hop_limit(1);
    view->set_source(*Ipv6Address::parse("fd00::1"));
    view->set_destination(*Ipv6Address::parse("fd00::2"));
    EXPECT_EQ(view->hop_limit(), 1);
    EXPECT_EQ(view->source().to_string(), "fd00::1");
    EXPECT_EQ(view->destination().to_string(), "fd00::2");
    EXPECT_EQ(view->payload_length(), 8);
    EXPECT_EQ(view->mutable_payload().size(), 8U);
}

TEST(Ipv6Header, SerializeRefusesSmallBuffer) {
    std::array<std::byte, 39> small{};
    EXPECT_EQ(serialize(sample_header(), small), 0U);
}

}  // namespace
}  // namespace nfv::net
