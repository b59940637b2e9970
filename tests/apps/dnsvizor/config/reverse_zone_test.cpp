#include "config/reverse_zone.hpp"

#include <gtest/gtest.h>

namespace nfv::dnsvizor::config {
namespace {

std::vector<std::string> zones(std::string_view cidr) {
    return reverse_zones(*net::IpCidr::parse(cidr));
}

TEST(ReverseZone, OctetAlignedIpv4) {
    EXPECT_EQ(zones("192.168.1.0/24"), (std::vector<std::string>{"1.168.192.in-addr.arpa"}));
    EXPECT_EQ(zones("10.0.0.0/8"), (std::vector<std::string>{"10.in-addr.arpa"}));
    EXPECT_EQ(zones("10.1.2.3/32"), (std::vector<std::string>{"3.2.1.10.in-addr.arpa"}));
    EXPECT_EQ(zones("10.1.2.3"), (std::vector<std::string>{"3.2.1.10.in-addr.arpa"}));
}

TEST(ReverseZone, HostBitsAreIgnored) {
    EXPECT_EQ(zones("192.168.1.77/24"), (std::vector<std::string>{"1.168.192.in-addr.arpa"}));
}

TEST(ReverseZone, UnalignedIpv4ExpandsToTheNextOctet) {
    const auto list = zones("172.16.0.0/12");
    ASSERT_EQ(list.size(), 16U);
    EXPECT_EQ(list.front(), "16.172.in-addr.arpa");
    EXPECT_EQ(list.back(), "31.172.in-addr.arpa");
}

TEST(ReverseZone, Ipv6Nibbles) {
    EXPECT_EQ(zones("2001:db8::/32"), (std::vector<std::string>{"8.b.d.0.1.0.0.2.ip6.arpa"}));
    const auto list = zones("fd00::/7");
    ASSERT_EQ(list.size(), 2U);
    EXPECT_EQ(list[0], "c.f.ip6.arpa");
    EXPECT_EQ(list[1], "d.f.ip6.arpa");
}

TEST(ReverseZone, PrefixZeroGivesNothing) {
    EXPECT_TRUE(zones("0.0.0.0/0").empty());
}

}  // namespace
}  // namespace nfv::dnsvizor::config
