#include "nfv/net/tcp.hpp"

#include <array>
#include <cstddef>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/net/checksum.hpp"

namespace nfv::net {
namespace {

TcpHeader sample_header() {
    TcpHeader header;
    header.source_port = 443;
    header.destination_port = 51000;
    header.sequence_number = 0x01020304;
    header.acknowledgment_number = 0xa0b0c0d0;
    header.flags = kTcpSyn | kTcpAck | kTcpEce;
    header.window = 65535;
    header.urgent_pointer = 0;
    return header;
}

TEST(TcpView, ReadsEveryField) {
    std::array<std::byte, 25> segment{};
    ASSERT_EQ(serialize(sample_header(), segment), 20U);
    const auto view = TcpView::check(segment);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->source_port(), 443);
    EXPECT_EQ(view->destination_port(), 51000);
    EXPECT_EQ(view->sequence_number(), 0x01020304U);
    EXPECT_EQ(view->acknowledgment_number(), 0xa0b0c0d0U);
    EXPECT_EQ(view->data_offset(), 5);
    EXPECT_EQ(view->header_length(), 20U);
    EXPECT_TRUE(view->syn());
    EXPECT_TRUE(view->ack());
    EXPECT_TRUE(view->ece());
    EXPECT_FALSE(view->fin());
    EXPECT_FALSE(view->rst());
    EXPECT_FALSE(view->psh());
    EXPECT_FALSE(view->urg());
    EXPECT_FALSE(view->cwr());
    EXPECT_EQ(view->window(), 65535);
    EXPECT_TRUE(view->options().empty());
    EXPECT_EQ(view->payload().size(), 5U);
    EXPECT_EQ(to_header(*view), sample_header());
}

TEST(TcpView, ExposesOptions) {
    std::array<std::byte, 28> segment{};
    ASSERT_EQ(serialize(sample_header(), segment), 20U);
    segment[12] = std::byte{0x70};  // data offset 7: 8 option bytes
    segment[20] = std::byte{2};     // MSS option kind
    segment[21] = std::byte{4};
    const auto view = TcpView::check(segment);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->options().size(), 8U);
    EXPECT_EQ(view->options()[0], std::byte{2});
    EXPECT_TRUE(view->payload().empty());
}

TEST(TcpView, RejectsTruncatedAndBadDataOffset) {
    std::array<std::byte, 24> segment{};
    ASSERT_EQ(serialize(sample_header(), segment), 20U);
    for (std::size_t n = 0; n < 20; ++n) {
        EXPECT_FALSE(TcpView::check(std::span(segment).first(n)).has_value()) << n;
    }
    segment[12] = std::byte{0x40};  // data offset 4 < 5
    EXPECT_FALSE(TcpView::check(segment).has_value());
    segment[12] = std::byte{0x70};  // 28 bytes > 24 available
    EXPECT_FALSE(TcpView::check(segment).has_value());
    segment[12] = std::byte{0x60};  // 24 bytes exactly
    EXPECT_TRUE(TcpView::check(segment).has_value());
    segment[12] = std::byte{0xf0};
    EXPECT_FALSE(TcpView::check(segment).has_value());
}

TEST(TcpViewMut, ChecksumRoundTripsOverBothIpVersions) {
    std::vector<std::byte> segment(20 + 7, std::byte{0x33});  // odd payload length
    ASSERT_EQ(serialize(sample_header(), segment), 20U);
    auto view = TcpViewMut::check(segment);
    ASSERT_TRUE(view.has_value());

    const Ipv4Address s4({192, 0, 2, 1});
    const Ipv4Address d4({192, 0, 2, 2});
    view->recompute_checksum_v4(s4, d4);
    EXPECT_TRUE(view->checksum_valid_v4(s4, d4));
    EXPECT_FALSE(view->checksum_valid_v4(d4, Ipv4Address({192, 0, 2, 3})));

    const auto s6 = *Ipv6Address::parse("2001:db8::1");
    const auto d6 = *Ipv6Address::parse("2001:db8::2");
    view->recompute_checksum_v6(s6, d6);
    EXPECT_TRUE(view->checksum_valid_v6(s6, d6));
    EXPECT_FALSE(view->checksum_valid_v4(s4, d4));
}

TEST(TcpViewMut, PortRewriteWithIncrementalChecksum) {
    std::vector<std::byte> segment(32, std::byte{0x11});
    ASSERT_EQ(serialize(sample_header(), segment), 20U);
    auto view = TcpViewMut::check(segment);
    ASSERT_TRUE(view.has_value());
    const Ipv4Address src({10, 0, 0, 1});
    const Ipv4Address dst({10, 0, 0, 2});
    view->recompute_checksum_v4(src, dst);
    const auto patched = checksum_update(view->checksum(), view->destination_port(), 8443);
    view->set_destination_port(8443);
    view->set_checksum(patched);
    EXPECT_TRUE(view->checksum_valid_v4(src, dst));
    EXPECT_EQ(view->destination_port(), 8443);
}

}  // namespace
}  // namespace nfv::net
