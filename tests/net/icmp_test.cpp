#include "nfv/net/icmp.hpp"

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

TEST(Icmpv4View, ReadsEchoRequest) {
    // Echo request, id 0x1234, seq 1, checksum filled in below, payload "abcd".
    auto message = bytes_of({8, 0, 0, 0, 0x12, 0x34, 0x00, 0x01, 'a', 'b', 'c', 'd'});
    auto mut = Icmpv4ViewMut::check(message);
    ASSERT_TRUE(mut.has_value());
    mut->recompute_checksum();
    const auto view = Icmpv4View::check(message);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->type(), kIcmpv4EchoRequest);
    EXPECT_EQ(view->code(), 0);
    EXPECT_EQ(view->identifier(), 0x1234);
    EXPECT_EQ(view->sequence_number(), 1);
    EXPECT_EQ(view->rest_of_header(), 0x12340001U);
    EXPECT_EQ(view->payload().size(), 4U);
    EXPECT_TRUE(view->checksum_valid());
    EXPECT_EQ(
        view->checksum(),
        internet_checksum(bytes_of({8, 0, 0, 0, 0x12, 0x34, 0x00, 0x01, 'a', 'b', 'c', 'd'})));
}

TEST(Icmpv4ViewMut, EchoReplyRewriteWithIncrementalChecksum) {
    auto message = bytes_of({8, 0, 0, 0, 0x12, 0x34, 0x00, 0x01, 'p', 'i', 'n', 'g', '!'});
    auto view = Icmpv4ViewMut::check(message);
    ASSERT_TRUE(view.has_value());
    view->recompute_checksum();
    // Type and code share the first word.
    const auto patched = checksum_update(view->checksum(), 0x0800, 0x0000);
    view->set_type(kIcmpv4EchoReply);
    view->set_checksum(patched);
    EXPECT_TRUE(view->checksum_valid());
    const auto patched_id = checksum_update(view->checksum(), view->identifier(), 0xbeef);
    view->set_identifier(0xbeef);
    view->set_checksum(patched_id);
    EXPECT_TRUE(view->checksum_valid());
    EXPECT_EQ(view->identifier(), 0xbeef);
    view->set_code(1);
    EXPECT_FALSE(view->checksum_valid());
}

TEST(Icmpv4View, RejectsShortMessages) {
    const auto message = bytes_of({3, 1, 0, 0, 0, 0, 0, 0});
    for (std::size_t n = 0; n < message.size(); ++n) {
        EXPECT_FALSE(Icmpv4View::check(std::span(message).first(n)).has_value()) << n;
    }
    const auto view = Icmpv4View::check(message);
    ASSERT_TRUE(view.has_value());
    EXPECT_TRUE(view->payload().empty());
}

TEST(Icmpv6View, ChecksumCoversPseudoHeader) {
    const auto src = *Ipv6Address::parse("fe80::1");
    const auto dst = *Ipv6Address::parse("fe80::2");
    auto message = bytes_of({128, 0, 0, 0, 0xab, 0xcd, 0x00, 0x07, 'x'});
    auto mut = Icmpv6ViewMut::check(message);
    ASSERT_TRUE(mut.has_value());
    mut->recompute_checksum(src, dst);
    const auto view = Icmpv6View::check(message);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->type(), kIcmpv6EchoRequest);
    EXPECT_EQ(view->code(), 0);
    EXPECT_EQ(view->echo_identifier(), 0xabcd);
    EXPECT_EQ(view->echo_sequence(), 7);
    EXPECT_EQ(view->body().size(), 5U);
    EXPECT_TRUE(view->checksum_valid(src, dst));
    EXPECT_FALSE(view->checksum_valid(src, *Ipv6Address::parse("fe80::3")));
    EXPECT_EQ(view->checksum(),
              ipv6_transport_checksum(src, dst, 58,
                                      bytes_of({128, 0, 0, 0, 0xab, 0xcd, 0x00, 0x07, 'x'})));
}

TEST(Icmpv6View, ShortBodyHasNoEchoFields) {
    const auto message = bytes_of({2, 0, 0, 0, 0, 0});
    for (std::size_t n = 0; n < 4; ++n) {
        EXPECT_FALSE(Icmpv6View::check(std::span(message).first(n)).has_value()) << n;
    }
    const auto view = Icmpv6View::check(message);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->type(), kIcmpv6PacketTooBig);
    EXPECT_EQ(view->echo_identifier(), std::nullopt);
    EXPECT_EQ(view->echo_sequence(), std::nullopt);
    EXPECT_EQ(view->body().size(), 2U);
}

TEST(Icmpv6ViewMut, SettersChangeTypeAndCode) {
    auto message = bytes_of({128, 0, 0, 0, 0, 1, 0, 1});
    auto view = Icmpv6ViewMut::check(message);
    ASSERT_TRUE(view.has_value());
    view->set_type(kIcmpv6EchoReply);
    view->set_code(3);
    view->set_checksum(0x1234);
    EXPECT_EQ(message[0], std::byte{129});
    EXPECT_EQ(message[1], std::byte{3});
    EXPECT_EQ(view->checksum(), 0x1234);
}

}  // namespace
}  // namespace nfv::net
