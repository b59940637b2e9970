#include "config/server_plan.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace nfv::vpn::config {
namespace {

VpnConfig from_text(std::string text) {
    text += "ca c\ncert c\nkey k\n";
    auto directives = lex_config(text, "s.conf");
    EXPECT_TRUE(directives);
    ParsedConfig parsed = parse_vpn_config(*directives);
    EXPECT_TRUE(parsed.diagnostics.ok());
    return parsed.config;
}

TEST(ServerPlan, NyrServerPushesWhatOpenVpnPushes) {
    DiskFileReader reader;
    auto directives = load_config_file("configs/vpn/nyr/server.conf", reader);
    ASSERT_TRUE(directives);
    const ParsedConfig parsed = parse_vpn_config(*directives);
    ASSERT_TRUE(parsed.diagnostics.ok());
    const auto plan = plan_server(parsed.config);
    ASSERT_TRUE(plan) << plan.error();
    // The shared part of the PUSH_REPLY openvpn 2.6.14 sent for this config (the rest,
    // ifconfig-ipv6 ... tun-mtu, is per client).
    EXPECT_EQ(plan->push,
              (std::vector<std::string>{"redirect-gateway def1 ipv6 bypass-dhcp",
                                        "dhcp-option DNS 1.1.1.1", "dhcp-option DNS 1.0.0.1",
                                        "block-outside-dns", "tun-ipv6", "route-gateway 10.8.0.1",
                                        "topology subnet", "ping 10", "ping-restart 120"}));
    EXPECT_EQ(plan->ifconfig, std::make_pair(net::Ipv4Address({10, 8, 0, 1}),
                                             net::Ipv4Address({255, 255, 255, 0})));
    EXPECT_EQ(plan->pool,
              std::make_pair(net::Ipv4Address({10, 8, 0, 2}), net::Ipv4Address({10, 8, 0, 254})));
    // The first client got fddd:1194:1194:1194::1000 from openvpn.
    EXPECT_EQ(plan->ipv6_pool_base, net::Ipv6Address::parse("fddd:1194:1194:1194::1000"));
    EXPECT_EQ(plan->ifconfig_ipv6, net::Ipv6Address::parse("fddd:1194:1194:1194::1"));
    EXPECT_EQ(plan->ping, 10U);
    EXPECT_EQ(plan->ping_restart, 240U);
}

TEST(ServerPlan, Net30ReservesAddressesAndPushesTheServerRoute) {
    const auto plan = plan_server(from_text("server 10.9.0.0 255.255.255.0\n"));
    ASSERT_TRUE(plan) << plan.error();
    EXPECT_EQ(plan->topology, Topology::kNet30);
    EXPECT_EQ(plan->ifconfig,
              std::make_pair(net::Ipv4Address({10, 9, 0, 1}), net::Ipv4Address({10, 9, 0, 2})));
    EXPECT_EQ(plan->pool,
              std::make_pair(net::Ipv4Address({10, 9, 0, 4}), net::Ipv4Address({10, 9, 0, 251})));
    EXPECT_EQ(plan->push, (std::vector<std::string>{"route 10.9.0.1", "topology net30"}));
    ASSERT_EQ(plan->routes.size(), 1U);
    EXPECT_EQ(plan->routes[0].network, "10.9.0.0");
}

TEST(ServerPlan, Net30WithClientToClientPushesTheWholeNetwork) {
    const auto plan = plan_server(from_text("server 10.9.0.0 255.255.255.248\nclient-to-client\n"));
    ASSERT_TRUE(plan) << plan.error();
    EXPECT_EQ(plan->pool->second, net::Ipv4Address({10, 9, 0, 7}));  // /29: nothing reserved
    EXPECT_EQ(plan->push.front(), "route 10.9.0.0 255.255.255.248");
}

TEST(ServerPlan, RejectsNetworksOpenVpnRejects) {
    EXPECT_FALSE(plan_server(from_text("server 10.0.0.0 255.254.0.0\n")));      // larger than /16
    EXPECT_FALSE(plan_server(from_text("server 10.0.0.0 255.255.255.252\n")));  // tun needs /29
    EXPECT_FALSE(plan_server(
        from_text("server 10.8.0.0 255.255.255.0\nifconfig-pool 10.8.0.10 10.8.0.20\n")));
}

TEST(ServerPlan, SmallIpv6PoolStartsAtTwo) {
    const auto plan = plan_server(
        from_text("server 10.8.0.0 255.255.255.0\ntopology subnet\nserver-ipv6 fd00::/112\n"));
    ASSERT_TRUE(plan) << plan.error();
    EXPECT_EQ(plan->ipv6_pool_base, net::Ipv6Address::parse("fd00::2"));
    EXPECT_EQ(plan->push.front(), "tun-ipv6");
}

TEST(EffectivePing, ClientUsesKeepaliveAsIs) {
    auto directives = lex_config("client\nremote h\nkeepalive 10 60\n", "c");
    ASSERT_TRUE(directives);
    const VpnConfig config = parse_vpn_config(*directives).config;
    EXPECT_EQ(effective_ping(config), std::make_pair(10U, 60U));
}

}  // namespace
}  // namespace nfv::vpn::config
