#include "nfv/net/udp.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/net/checksum.hpp"
#include "nfv/platform/testing/seeded_random.hpp"

namespace nfv::net {
namespace {

std::span<const std::byte> text_bytes(std::string_view text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

Ipv4Header v4_header() {
    Ipv4Header ip;
    ip.source = Ipv4Address({10, 8, 0, 1});
    ip.destination = Ipv4Address({10, 8, 0, 2});
    ip.identification = 7;
    return ip;
}

Ipv6Header v6_header() {
    Ipv6Header ip;
    ip.source = *Ipv6Address::parse("fd00::1");
    ip.destination = *Ipv6Address::parse("fd00::2");
    return ip;
}

TEST(UdpBuild, Ipv4PacketHasValidChecksumsAndFields) {
    std::array<std::byte, 128> buffer{};
    const auto size = build_ipv4_udp(v4_header(), 5353, 53, text_bytes("hello"), buffer);
    ASSERT_EQ(size, 20U + 8U + 5U);
    const auto ip = Ipv4View::check(std::span(buffer).first(size));
    ASSERT_TRUE(ip.has_value());
    EXPECT_TRUE(ip->checksum_valid());
    EXPECT_EQ(ip->protocol(), kIpProtocolUdp);
    const auto udp = UdpView::check(ip->payload());
    ASSERT_TRUE(udp.has_value());
    EXPECT_EQ(udp->source_port(), 5353);
    EXPECT_EQ(udp->destination_port(), 53);
    EXPECT_EQ(udp->length(), 13);
    EXPECT_NE(udp->checksum(), 0);
    EXPECT_TRUE(udp->checksum_valid_v4(ip->source(), ip->destination()));
    EXPECT_FALSE(udp->checksum_valid_v4(ip->source(), Ipv4Address({10, 8, 0, 3})));
    EXPECT_TRUE(std::ranges::equal(udp->payload(), text_bytes("hello")));
}

TEST(UdpBuild, Ipv6PacketHasValidChecksum) {
    std::array<std::byte, 128> buffer{};
    const auto size = build_ipv6_udp(v6_header(), 1194, 1194, text_bytes("odd"), buffer);
    ASSERT_EQ(size, 40U + 8U + 3U);
    const auto ip = Ipv6View::check(std::span(buffer).first(size));
    ASSERT_TRUE(ip.has_value());
    EXPECT_EQ(ip->next_header(), kIpProtocolUdp);
    EXPECT_EQ(ip->payload_length(), 11);
    const auto udp = UdpView::check(ip->payload());
    ASSERT_TRUE(udp.has_value());
    EXPECT_TRUE(udp->checksum_valid_v6(ip->source(), ip->destination()));
    EXPECT_FALSE(udp->checksum_valid_v6(ip->destination(), *Ipv6Address::parse("fd00::3")));
}

TEST(UdpBuild, RefusesSmallBufferAndOversizedPayload) {
    std::array<std::byte, 32> small{};
    EXPECT_EQ(build_ipv4_udp(v4_header(), 1, 2, text_bytes("12345"), small), 0U);
    std::vector<std::byte> huge_payload(65535 - 28 + 1);
    std::vector<std::byte> out(70000);
    EXPECT_EQ(build_ipv4_udp(v4_header(), 1, 2, huge_payload, out), 0U);
    huge_payload.pop_back();
    EXPECT_EQ(build_ipv4_udp(v4_header(), 1, 2, huge_payload, out), 65535U);
}

TEST(UdpView, ZeroChecksumMeansNoneOnIpv4ButInvalidOnIpv6) {
    std::array<std::byte, 128> buffer{};
    const auto size = build_ipv4_udp(v4_header(), 1, 2, text_bytes("x"), buffer);
    auto udp = UdpViewMut::check(std::span(buffer).subspan(20, size - 20));
    ASSERT_TRUE(udp.has_value());
    udp->set_checksum(0);
    EXPECT_TRUE(udp->checksum_valid_v4(Ipv4Address(), Ipv4Address()));
    EXPECT_FALSE(udp->checksum_valid_v6(Ipv6Address(), Ipv6Address()));
}

TEST(UdpView, RejectsBadLengths) {
    std::array<std::byte, 128> buffer{};
    const auto size = build_ipv4_udp(v4_header(), 1, 2, text_bytes("abcd"), buffer);
    const auto datagram = std::span(buffer).subspan(20, size - 20);
    for (std::size_t n = 0; n < datagram.size(); ++n) {
        EXPECT_FALSE(UdpView::check(datagram.first(n)).has_value()) << n;
    }
    EXPECT_TRUE(UdpView::check(datagram).has_value());

    std::array<std::byte, 12> bad{};
    bad[5] = std::byte{7};  // length 7 < 8
    EXPECT_FALSE(UdpView::check(bad).has_value());
    bad[5] = std::byte{13};  // length 13 > 12
    EXPECT_FALSE(UdpView::check(bad).has_value());
    bad[5] = std::byte{8};  // length 8: empty payload, trailing bytes ignored
    const auto view = UdpView::check(bad);
    ASSERT_TRUE(view.has_value());
    EXPECT_TRUE(view->payload().empty());
}

TEST(UdpViewMut, PortRewriteWithIncrementalChecksumStaysValid) {
    platform::testing::SeededRandom random(768);
    for (int round = 0; round < 300; ++round) {
        std::vector<std::byte> payload(random.uniform(50));
        random.fill(payload);
        auto ip = v4_header();
        ip.source = Ipv4Address::from_u32(static_cast<std::uint32_t>(random.next_u64()));
        std::array<std::byte, 128> buffer{};
        const auto size = build_ipv4_udp(ip, 4000, 53, payload, buffer);
        ASSERT_NE(size, 0U);
        auto ipv = Ipv4ViewMut::check(std::span(buffer).first(size));
        ASSERT_TRUE(ipv.has_value());
        auto udp = UdpViewMut::check(ipv->mutable_payload());
        ASSERT_TRUE(udp.has_value());

        // NAT: rewrite source address and port, patch both checksums incrementally.
        const auto new_source =
            Ipv4Address::from_u32(static_cast<std::uint32_t>(random.next_u64()));
        const auto new_port = static_cast<std::uint16_t>(random.uniform(0x10000));
        auto checksum = checksum_update(udp->checksum(), ipv->source(), new_source);
        checksum = checksum_update(checksum, udp->source_port(), new_port);
        udp->set_source_port(new_port);
        udp->set_checksum(checksum == 0 ? 0xffff : checksum);
        ipv->update_source(new_source);

        EXPECT_TRUE(ipv->checksum_valid()) << round;
        EXPECT_TRUE(udp->checksum_valid_v4(new_source, ip.destination)) << round;
        const auto stored = udp->checksum();
        udp->recompute_checksum_v4(new_source, ip.destination);
        EXPECT_EQ(udp->checksum(), stored) << round;
    }
}

}  // namespace
}  // namespace nfv::net
