#include "server/client_config.hpp"

#include <gtest/gtest.h>

namespace nfv::vpn::server {
namespace {

net::IpCidr cidr(const char* text) {
    return *net::IpCidr::parse(text);
}

TEST(ClientConfig, ParsesTheCcdDirectives) {
    const auto parsed = parse_client_config(
        "# ccd/alice\n"
        "ifconfig-push 10.8.0.50 255.255.255.0\n"
        "ifconfig-ipv6-push fddd:1194:1194:1194::50/64 fddd:1194:1194:1194::1\n"
        "iroute 192.168.10.0 255.255.255.0\n"
        "iroute 192.168.20.7\n"
        "iroute-ipv6 fd00:10::/64\n"
        "push-reset\n"
        "push \"route 172.16.0.0 255.255.0.0\"\n"
        "push \"dhcp-option DNS 10.8.0.1\"\n",
        "ccd/alice");
    ASSERT_TRUE(parsed) << parsed.error().to_string();
    EXPECT_EQ(parsed->ifconfig_push, std::pair(*net::Ipv4Address::parse("10.8.0.50"),
                                               *net::Ipv4Address::parse("255.255.255.0")));
    EXPECT_EQ(parsed->ifconfig_ipv6_push, net::Ipv6Cidr::parse("fddd:1194:1194:1194::50/64"));
    EXPECT_EQ(parsed->ifconfig_ipv6_push_remote, net::Ipv6Address::parse("fddd:1194:1194:1194::1"));
    ASSERT_EQ(parsed->iroutes.size(), 3u);
    EXPECT_EQ(parsed->iroutes[0], cidr("192.168.10.0/24"));
    EXPECT_EQ(parsed->iroutes[1], cidr("192.168.20.7/32")) << "netmask defaults to a host";
    EXPECT_EQ(parsed->iroutes[2], cidr("fd00:10::/64"));
    EXPECT_TRUE(parsed->push_reset);
    EXPECT_EQ(parsed->push, (std::vector<std::string>{"route 172.16.0.0 255.255.0.0",
                                                      "dhcp-option DNS 10.8.0.1"}));
    EXPECT_FALSE(parsed->disable);
}

TEST(ClientConfig, DisableAndAnEmptyFile) {
    const auto disabled = parse_client_config("disable\n", "ccd/mallory");
    ASSERT_TRUE(disabled);
    EXPECT_TRUE(disabled->disable);
    const auto empty = parse_client_config("", "ccd/bob");
    ASSERT_TRUE(empty);
    EXPECT_FALSE(empty->ifconfig_push);
    EXPECT_TRUE(empty->iroutes.empty());
    EXPECT_FALSE(empty->push_reset);
}

TEST(ClientConfig, ErrorsNameFileLineAndDirective) {
    const auto unsupported = parse_client_config("push \"ping 10\"\nsetenv FOO bar\n", "ccd/x");
    ASSERT_FALSE(unsupported);
    EXPECT_EQ(unsupported.error().file, "ccd/x");
    EXPECT_EQ(unsupported.error().line, 2u);
    EXPECT_EQ(unsupported.error().directive, "setenv");

    for (const char* bad :
         {"iroute 192.168.10.0 255.0.255.0\n", "iroute nothost\n", "iroute-ipv6 fd00::/129\n",
          "ifconfig-push 10.8.0.50\n", "ifconfig-push 10.8.0.50 255.255.255.0 alias\n",
          "ifconfig-ipv6-push fd00::5\n", "disable now\n"}) {
        EXPECT_FALSE(parse_client_config(bad, "ccd/x")) << bad;
    }
}

}  // namespace
}  // namespace nfv::vpn::server
