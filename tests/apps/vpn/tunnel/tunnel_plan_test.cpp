#include "tunnel/tunnel_plan.hpp"

#include <gtest/gtest.h>

namespace nfv::vpn::tunnel {
namespace {

net::Ipv4Address v4(std::string_view text) {
    return *net::Ipv4Address::parse(text);
}
net::IpAddress ip(std::string_view text) {
    return *net::IpAddress::parse(text);
}
net::Ipv4Cidr cidr(std::string_view text) {
    return *net::Ipv4Cidr::parse(text);
}

HostRoutes host_with_gateway() {
    return {ip("198.51.100.7"), v4("192.0.2.1")};
}

// What OpenVPN 2.6's server pushes for `topology subnet` + `server 10.8.0.0 255.255.255.0`.
TunnelNetwork subnet_push() {
    TunnelNetwork network;
    network.topology = Topology::kSubnet;
    network.ifconfig_local = v4("10.8.0.2");
    network.ifconfig_second = v4("255.255.255.0");
    network.route_gateway = v4("10.8.0.1");
    return network;
}

TEST(TunnelPlan, SubnetTopologyGivesAddressWithPrefixAndRoutesViaRouteGateway) {
    auto network = subnet_push();
    network.routes.push_back({cidr("192.168.50.0/24"), {}, std::nullopt});
    network.routes.push_back({cidr("10.20.0.0/16"), {}, 25});
    const auto plan = plan_tunnel(network, host_with_gateway());
    ASSERT_TRUE(plan) << plan.error();
    ASSERT_EQ(plan->addresses.size(), 1u);
    EXPECT_EQ(plan->addresses[0].local, ip("10.8.0.2"));
    EXPECT_EQ(plan->addresses[0].prefix_length, 24);
    EXPECT_FALSE(plan->addresses[0].peer);
    ASSERT_EQ(plan->routes.size(), 2u);
    EXPECT_EQ(plan->routes[0].destination, ip("192.168.50.0"));
    EXPECT_EQ(plan->routes[0].prefix_length, 24);
    EXPECT_EQ(plan->routes[0].gateway, ip("10.8.0.1"));
    EXPECT_TRUE(plan->routes[0].via_tunnel);
    EXPECT_EQ(plan->routes[1].metric, 25u);
}

TEST(TunnelPlan, Net30TopologyGivesPointToPointAddressAndRemoteAsGateway) {
    TunnelNetwork network;  // topology net30 is OpenVPN 2.6's default
    network.ifconfig_local = v4("10.8.0.6");
    network.ifconfig_second = v4("10.8.0.5");
    network.routes.push_back({cidr("10.8.0.1/32"), {}, std::nullopt});
    const auto plan = plan_tunnel(network, host_with_gateway());
    ASSERT_TRUE(plan) << plan.error();
    ASSERT_EQ(plan->addresses.size(), 1u);
    EXPECT_EQ(plan->addresses[0].prefix_length, 32);
    EXPECT_EQ(plan->addresses[0].peer, ip("10.8.0.5"));
    ASSERT_EQ(plan->routes.size(), 1u);
    EXPECT_EQ(plan->routes[0].gateway, ip("10.8.0.5"));
}

TEST(TunnelPlan, Net30PairMustBeTwoHostsOfOneSlash30) {
    TunnelNetwork network;
    network.ifconfig_local = v4("10.8.0.6");
    for (const auto* bad : {"10.8.0.9", "10.8.0.4", "10.8.0.7", "10.8.0.6"}) {
        network.ifconfig_second = v4(bad);
        const auto plan = plan_tunnel(network, host_with_gateway());
        ASSERT_FALSE(plan) << bad;
        EXPECT_NE(plan.error().find("net30"), std::string::npos) << plan.error();
    }
}

TEST(TunnelPlan, SubnetTopologyRejectsNonContiguousNetmask) {
    auto network = subnet_push();
    network.ifconfig_second = v4("255.0.255.0");
    EXPECT_FALSE(plan_tunnel(network, host_with_gateway()));
    network.ifconfig_second = v4("255.255.255.255");
    EXPECT_FALSE(plan_tunnel(network, host_with_gateway()));
}

TEST(TunnelPlan, RedirectGatewayDef1AddsTwoHalvesAndABypassRouteToTheServer) {
    auto network = subnet_push();
    network.redirect_gateway_def1 = true;
    const auto plan = plan_tunnel(network, host_with_gateway());
    ASSERT_TRUE(plan) << plan.error();
    ASSERT_EQ(plan->routes.size(), 3u);
    EXPECT_EQ(plan->routes[0].destination, ip("198.51.100.7"));
    EXPECT_EQ(plan->routes[0].prefix_length, 32);
    EXPECT_EQ(plan->routes[0].gateway, ip("192.0.2.1"));
    EXPECT_FALSE(plan->routes[0].via_tunnel);
    EXPECT_EQ(plan->routes[1].destination, ip("0.0.0.0"));
    EXPECT_EQ(plan->routes[1].prefix_length, 1);
    EXPECT_EQ(plan->routes[2].destination, ip("128.0.0.0"));
    EXPECT_EQ(plan->routes[2].prefix_length, 1);
    EXPECT_EQ(plan->routes[2].gateway, ip("10.8.0.1"));
}

TEST(TunnelPlan, RedirectGatewayWithoutHostGatewayWarnsInsteadOfBypassing) {
    auto network = subnet_push();
    network.redirect_gateway_def1 = true;
    const auto plan = plan_tunnel(network, {ip("198.51.100.7"), std::nullopt});
    ASSERT_TRUE(plan) << plan.error();
    EXPECT_EQ(plan->routes.size(), 2u);
    ASSERT_EQ(plan->warnings.size(), 1u);
    EXPECT_NE(plan->warnings[0].find("redirect-gateway"), std::string::npos);
}

TEST(TunnelPlan, NetGatewayRoutesBypassTheTunnelOrAreSkippedWithAWarning) {
    auto network = subnet_push();
    network.routes.push_back(
        {cidr("203.0.113.0/24"), {RouteGateway::Kind::kNetGateway, {}}, std::nullopt});
    const auto plan = plan_tunnel(network, host_with_gateway());
    ASSERT_TRUE(plan);
    ASSERT_EQ(plan->routes.size(), 1u);
    EXPECT_FALSE(plan->routes[0].via_tunnel);
    EXPECT_EQ(plan->routes[0].gateway, ip("192.0.2.1"));

    const auto skipped = plan_tunnel(network, {ip("198.51.100.7"), std::nullopt});
    ASSERT_TRUE(skipped);
    EXPECT_TRUE(skipped->routes.empty());
    EXPECT_EQ(skipped->warnings.size(), 1u);
}

TEST(TunnelPlan, RouteWithoutAnyGatewayIsAnError) {
    auto network = subnet_push();
    network.route_gateway.reset();
    network.routes.push_back({cidr("192.168.50.0/24"), {}, std::nullopt});
    const auto plan = plan_tunnel(network, host_with_gateway());
    ASSERT_FALSE(plan);
    EXPECT_NE(plan.error().find("192.168.50.0/24"), std::string::npos);
}

TEST(TunnelPlan, Ipv6AddressRoutesAndRedirect) {
    TunnelNetwork network;
    network.ifconfig_ipv6 = *net::Ipv6Cidr::parse("fd00:8::1000/64");
    network.ifconfig_ipv6_remote = *net::Ipv6Address::parse("fd00:8::1");
    network.routes_ipv6.push_back({*net::Ipv6Cidr::parse("fd00:50::/48"), std::nullopt, 7});
    network.redirect_gateway_ipv6 = true;
    const auto plan = plan_tunnel(network, host_with_gateway());
    ASSERT_TRUE(plan) << plan.error();
    ASSERT_EQ(plan->addresses.size(), 1u);
    EXPECT_EQ(plan->addresses[0].local, ip("fd00:8::1000"));
    EXPECT_EQ(plan->addresses[0].prefix_length, 64);
    ASSERT_EQ(plan->routes.size(), 4u);
    EXPECT_EQ(plan->routes[0].destination, ip("fd00:50::"));
    EXPECT_EQ(plan->routes[0].metric, 7u);
    EXPECT_EQ(plan->routes[1].destination, ip("2000::"));
    EXPECT_EQ(plan->routes[2].destination, ip("3000::"));
    EXPECT_EQ(plan->routes[3].destination, ip("fc00::"));
    EXPECT_EQ(plan->routes[3].prefix_length, 7);
}

TEST(TunnelPlan, NoAddressOrTinyMtuIsAnError) {
    EXPECT_FALSE(plan_tunnel(TunnelNetwork{}, host_with_gateway()));
    auto network = subnet_push();
    network.tun_mtu = 60;
    EXPECT_FALSE(plan_tunnel(network, host_with_gateway()));
    network.tun_mtu = 1400;
    network.route_metric = 9;
    network.routes.push_back({cidr("192.168.50.0/24"), {}, std::nullopt});
    const auto plan = plan_tunnel(network, host_with_gateway());
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->mtu, 1400);
    EXPECT_EQ(plan->routes[0].metric, 9u);
}

}  // namespace
}  // namespace nfv::vpn::tunnel
