#include "nfv/net/cidr.hpp"

#include <gtest/gtest.h>

namespace nfv::net {
namespace {

Ipv4Address v4(const char* text) {
    return *Ipv4Address::parse(text);
}
Ipv6Address v6(const char* text) {
    return *Ipv6Address::parse(text);
}

TEST(Ipv4Cidr, ParsesPrefixAndKeepsHostBits) {
    const auto cidr = Ipv4Cidr::parse("192.168.1.5/24");
    ASSERT_TRUE(cidr.has_value());
    EXPECT_EQ(cidr->address(), v4("192.168.1.5"));
    EXPECT_EQ(cidr->prefix_length(), 24);
    EXPECT_EQ(cidr->network(), v4("192.168.1.0"));
    EXPECT_EQ(cidr->netmask(), v4("255.255.255.0"));
    EXPECT_EQ(cidr->broadcast(), v4("192.168.1.255"));
    EXPECT_EQ(cidr->to_string(), "192.168.1.5/24");
}

TEST(Ipv4Cidr, PlainAddressMeansSingleHost) {
    const auto cidr = Ipv4Cidr::parse("10.0.0.7");
    ASSERT_TRUE(cidr.has_value());
    EXPECT_EQ(cidr->prefix_length(), 32);
    EXPECT_TRUE(cidr->contains(v4("10.0.0.7")));
    EXPECT_FALSE(cidr->contains(v4("10.0.0.6")));
    EXPECT_FALSE(cidr->contains(v4("10.0.0.8")));
}

TEST(Ipv4Cidr, RejectsMalformedText) {
    const char* cases[] = {"",
                           "/24",
                           "10.0.0.0/",
                           "10.0.0.0/33",
                           "10.0.0.0/-1",
                           "10.0.0.0/+8",
                           "10.0.0.0/08",
                           "10.0.0.0/8/8",
                           "10.0.0/8",
                           "10.0.0.0/ 8",
                           "10.0.0.0/8 ",
                           "::1/64",
                           "10.0.0.0/1000",
                           "01.0.0.0/8"};
    for (const char* text : cases) {
        EXPECT_FALSE(Ipv4Cidr::parse(text).has_value()) << '"' << text << '"';
    }
}

TEST(Ipv4Cidr, ZeroPrefixContainsEverything) {
    const auto all = *Ipv4Cidr::parse("0.0.0.0/0");
    EXPECT_EQ(all.netmask(), v4("0.0.0.0"));
    EXPECT_EQ(all.broadcast(), v4("255.255.255.255"));
    EXPECT_TRUE(all.contains(v4("0.0.0.0")));
    EXPECT_TRUE(all.contains(v4("255.255.255.255")));
    EXPECT_TRUE(all.contains(*Ipv4Cidr::parse("10.0.0.0/8")));
    // Host bits on a /0 do not matter.
    EXPECT_TRUE(Ipv4Cidr::parse("1.2.3.4/0")->contains(v4("200.1.1.1")));
}

TEST(Ipv4Cidr, FullPrefixContainsOnlyItself) {
    const auto host = *Ipv4Cidr::parse("192.0.2.1/32");
    EXPECT_EQ(host.netmask(), v4("255.255.255.255"));
    EXPECT_EQ(host.network(), v4("192.0.2.1"));
    EXPECT_EQ(host.broadcast(), v4("192.0.2.1"));
    EXPECT_TRUE(host.contains(v4("192.0.2.1")));
    EXPECT_FALSE(host.contains(v4("192.0.2.0")));
    EXPECT_FALSE(host.contains(v4("192.0.2.2")));
}

TEST(Ipv4Cidr, ContainmentAtNetworkEdges) {
    const auto net = *Ipv4Cidr::parse("172.16.0.0/12");
    EXPECT_TRUE(net.contains(v4("172.16.0.0")));
    EXPECT_TRUE(net.contains(v4("172.31.255.255")));
    EXPECT_FALSE(net.contains(v4("172.15.255.255")));
    EXPECT_FALSE(net.contains(v4("172.32.0.0")));
}

TEST(Ipv4Cidr, ContainsSubnetsButNotSupernets) {
    const auto net = *Ipv4Cidr::parse("10.0.0.0/8");
    EXPECT_TRUE(net.contains(*Ipv4Cidr::parse("10.1.0.0/16")));
    EXPECT_TRUE(net.contains(*Ipv4Cidr::parse("10.0.0.0/8")));
    EXPECT_FALSE(net.contains(*Ipv4Cidr::parse("10.0.0.0/7")));
    EXPECT_FALSE(net.contains(*Ipv4Cidr::parse("11.0.0.0/16")));
}

TEST(Ipv4Cidr, PrefixFromNetmask) {
    EXPECT_EQ(Ipv4Cidr::prefix_from_netmask(v4("255.255.255.0")), 24);
    EXPECT_EQ(Ipv4Cidr::prefix_from_netmask(v4("0.0.0.0")), 0);
    EXPECT_EQ(Ipv4Cidr::prefix_from_netmask(v4("255.255.255.255")), 32);
    EXPECT_EQ(Ipv4Cidr::prefix_from_netmask(v4("255.255.240.0")), 20);
    EXPECT_EQ(Ipv4Cidr::prefix_from_netmask(v4("128.0.0.0")), 1);
    EXPECT_EQ(Ipv4Cidr::prefix_from_netmask(v4("255.0.255.0")), std::nullopt);
    EXPECT_EQ(Ipv4Cidr::prefix_from_netmask(v4("0.0.0.255")), std::nullopt);
    EXPECT_EQ(Ipv4Cidr::prefix_from_netmask(v4("255.255.255.254")), 31);
    EXPECT_EQ(Ipv4Cidr::prefix_from_netmask(v4("255.255.255.253")), std::nullopt);
    for (std::uint8_t p = 0; p <= 32; ++p) {
        EXPECT_EQ(Ipv4Cidr::prefix_from_netmask(Ipv4Cidr(Ipv4Address(), p).netmask()), p);
    }
}

TEST(Ipv4Cidr, ConstructorClampsOversizedPrefix) {
    EXPECT_EQ(Ipv4Cidr(v4("1.2.3.4"), 99).prefix_length(), 32);
}

TEST(Ipv6Cidr, ParsesAndMasks) {
    const auto cidr = Ipv6Cidr::parse("2001:db8:1:2::5/48");
    ASSERT_TRUE(cidr.has_value());
    EXPECT_EQ(cidr->prefix_length(), 48);
    EXPECT_EQ(cidr->network(), v6("2001:db8:1::"));
    EXPECT_EQ(cidr->to_string(), "2001:db8:1:2::5/48");
    EXPECT_TRUE(cidr->contains(v6("2001:db8:1:ffff::1")));
    EXPECT_FALSE(cidr->contains(v6("2001:db8:2::1")));
}

TEST(Ipv6Cidr, NonByteAlignedPrefix) {
    const auto ula = *Ipv6Cidr::parse("fc00::/7");
    EXPECT_TRUE(ula.contains(v6("fd12:3456::1")));
    EXPECT_FALSE(ula.contains(v6("fe00::1")));
    const auto ll = *Ipv6Cidr::parse("fe80::/10");
    EXPECT_TRUE(ll.contains(v6("febf:ffff::1")));
    EXPECT_FALSE(ll.contains(v6("fec0::1")));
}

TEST(Ipv6Cidr, EdgePrefixes) {
    const auto all = *Ipv6Cidr::parse("::/0");
    EXPECT_TRUE(all.contains(v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
    EXPECT_TRUE(all.contains(v6("::")));
    const auto host = *Ipv6Cidr::parse("2001:db8::1/128");
    EXPECT_TRUE(host.contains(v6("2001:db8::1")));
    EXPECT_FALSE(host.contains(v6("2001:db8::0")));
    EXPECT_FALSE(host.contains(v6("2001:db8::2")));
    EXPECT_EQ(Ipv6Cidr::parse("2001:db8::1")->prefix_length(), 128);
    EXPECT_TRUE(all.contains(host));
    EXPECT_FALSE(host.contains(all));
}

TEST(Ipv6Cidr, RejectsMalformedText) {
    const char* cases[] = {"::/129", "::/", "/64", "::/064", "1.2.3.4/8", "::1::/64", "::/6a"};
    for (const char* text : cases) {
        EXPECT_FALSE(Ipv6Cidr::parse(text).has_value()) << '"' << text << '"';
    }
}

TEST(IpCidr, DispatchesOnFamilyAndNeverMixes) {
    const auto net4 = IpCidr::parse("10.0.0.0/8");
    const auto net6 = IpCidr::parse("::ffff:0:0/96");
    ASSERT_TRUE(net4.has_value());
    ASSERT_TRUE(net6.has_value());
    EXPECT_TRUE(net4->is_v4());
    EXPECT_TRUE(net6->is_v6());
    EXPECT_TRUE(net4->contains(Ipv4Address({10, 9, 8, 7})));
    EXPECT_FALSE(net4->contains(*Ipv6Address::parse("::ffff:10.9.8.7")));
    EXPECT_TRUE(net6->contains(*Ipv6Address::parse("::ffff:10.9.8.7")));
    EXPECT_FALSE(net6->contains(Ipv4Address({10, 9, 8, 7})));
    EXPECT_EQ(net4->to_string(), "10.0.0.0/8");
    EXPECT_EQ(net4->prefix_length(), 8);
    EXPECT_EQ(net6->address().to_string(), "::ffff:0.0.0.0");
    EXPECT_FALSE(IpCidr::parse("10.0.0.0/33").has_value());
    EXPECT_FALSE(IpCidr::parse("nonsense").has_value());
}

}  // namespace
}  // namespace nfv::net
