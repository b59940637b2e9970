// SocketAddress: parsing, printing, the octet accessors and the IPv4-mapped conversions.
#include "nfv/platform/io/socket_address.hpp"

#include <array>
#include <cstdint>

#include <gtest/gtest.h>

namespace nfv::platform::io {
namespace {

TEST(SocketAddress, ParsesAndPrintsBothFamilies) {
    const auto v4 = SocketAddress::parse("192.0.2.7", 53);
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->family(), AF_INET);
    EXPECT_EQ(v4->port(), 53);
    EXPECT_EQ(v4->to_string(), "192.0.2.7:53");
    const auto v6 = SocketAddress::parse("2001:db8::1", 443);
    ASSERT_TRUE(v6);
    EXPECT_EQ(v6->family(), AF_INET6);
    EXPECT_EQ(v6->to_string(), "[2001:db8::1]:443");
    EXPECT_FALSE(SocketAddress::parse("host.example", 53));
    EXPECT_FALSE(SocketAddress::parse("192.0.2.300", 53));
}

TEST(SocketAddress, OctetsOfTheMatchingFamilyOnly) {
    const auto v4 = *SocketAddress::parse("192.0.2.7", 1);
    EXPECT_EQ(v4.ipv4_octets(), (std::array<std::uint8_t, 4>{192, 0, 2, 7}));
    EXPECT_FALSE(v4.ipv6_octets());
    const auto v6 = *SocketAddress::parse("2001:db8::ff", 1);
    EXPECT_EQ(v6.ipv6_octets(), (std::array<std::uint8_t, 16>{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
                                                              0, 0, 0, 0, 0, 0, 0xff}));
    EXPECT_FALSE(v6.ipv4_octets());
    EXPECT_FALSE(SocketAddress().ipv4_octets());
    EXPECT_FALSE(SocketAddress().ipv6_octets());
}

TEST(SocketAddress, UnspecifiedIsTheAllZeroAddressOfEitherFamily) {
    EXPECT_TRUE(SocketAddress::parse("0.0.0.0", 443)->is_unspecified());
    EXPECT_TRUE(SocketAddress::parse("::", 443)->is_unspecified());
    EXPECT_FALSE(SocketAddress::parse("0.0.0.1", 443)->is_unspecified());
    EXPECT_FALSE(SocketAddress::parse("::1", 443)->is_unspecified());
    EXPECT_FALSE(SocketAddress::parse("::ffff:0.0.0.0", 443)->is_unspecified());
    EXPECT_FALSE(SocketAddress().is_unspecified());
}

TEST(SocketAddress, Ipv4MappedConvertsBothWaysKeepingThePort) {
    const auto mapped = *SocketAddress::parse("::ffff:192.0.2.7", 8080);
    EXPECT_TRUE(mapped.is_ipv4_mapped());
    const auto plain = mapped.unmapped();
    EXPECT_EQ(plain.family(), AF_INET);
    EXPECT_EQ(plain.to_string(), "192.0.2.7:8080");
    EXPECT_EQ(plain.ipv4_mapped(), mapped);
    const auto v6 = *SocketAddress::parse("2001:db8::1", 1);
    EXPECT_FALSE(v6.is_ipv4_mapped());
    EXPECT_EQ(v6.unmapped(), v6);
    EXPECT_FALSE(plain.is_ipv4_mapped());
}

}  // namespace
}  // namespace nfv::platform::io
