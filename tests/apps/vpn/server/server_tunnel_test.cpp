#include "server/server_tunnel.hpp"

#include <string>

#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "tunnel/tunnel_plan.hpp"

namespace nfv::vpn::server {
namespace {

config::VpnConfig from_text(std::string text) {
    text += "ca c\ncert c\nkey k\ndh d\n";
    auto directives = config::lex_config(text, "s.conf");
    EXPECT_TRUE(directives);
    auto parsed = config::parse_vpn_config(*directives);
    EXPECT_TRUE(parsed.diagnostics.ok());
    return parsed.config;
}

// The server TUN's changes for `config`.
tunnel::TunnelPlan server_tun(const config::VpnConfig& config) {
    const auto plan = config::plan_server(config);
    EXPECT_TRUE(plan) << (plan ? "" : plan.error());
    if (!plan) {
        return {};
    }
    const auto settings = server_tunnel_settings(config, *plan);
    EXPECT_TRUE(settings) << (settings ? "" : settings.error());
    if (!settings) {
        return {};
    }
    const auto changes = tunnel::plan_tunnel(settings->network, tunnel::HostRoutes{});
    EXPECT_TRUE(changes) << (changes ? "" : changes.error());
    return changes.value_or(tunnel::TunnelPlan{});
}

net::IpAddress ip(const char* text) {
    return *net::IpAddress::parse(text);
}

TEST(ServerTunnel, NyrSubnetServerGetsItsFirstAddressesAndNoRoutes) {
    config::DiskFileReader reader;
    auto directives = config::load_config_file("configs/vpn/nyr/server.conf", reader);
    ASSERT_TRUE(directives);
    const auto parsed = config::parse_vpn_config(*directives);
    ASSERT_TRUE(parsed.diagnostics.ok());
    const auto tun = server_tun(parsed.config);
    ASSERT_EQ(tun.addresses.size(), 2u);
    EXPECT_EQ(tun.addresses[0].local, ip("10.8.0.1"));
    EXPECT_EQ(tun.addresses[0].prefix_length, 24);
    EXPECT_EQ(tun.addresses[0].peer, std::nullopt);
    EXPECT_EQ(tun.addresses[1].local, ip("fddd:1194:1194:1194::1"));
    EXPECT_EQ(tun.addresses[1].prefix_length, 64);
    EXPECT_TRUE(tun.routes.empty()) << "the connected /24 and /64 need no route";
    EXPECT_EQ(tun.mtu, 1500);
}

TEST(ServerTunnel, Net30ServerIsPointToPointWithARouteToThePool) {
    const auto tun = server_tun(from_text(
        "mode server\ntls-server\ndev tun\ntopology net30\nserver 10.8.0.0 255.255.255.0\n"
        "route 192.168.10.0 255.255.255.0\n"));
    ASSERT_EQ(tun.addresses.size(), 1u);
    EXPECT_EQ(tun.addresses[0].local, ip("10.8.0.1"));
    EXPECT_EQ(tun.addresses[0].peer, ip("10.8.0.2"));
    ASSERT_EQ(tun.routes.size(), 2u);
    EXPECT_EQ(tun.routes[0].destination, ip("10.8.0.0"));
    EXPECT_EQ(tun.routes[0].prefix_length, 24);
    EXPECT_EQ(tun.routes[0].gateway, ip("10.8.0.2"));
    EXPECT_EQ(tun.routes[1].destination, ip("192.168.10.0"));
    EXPECT_EQ(tun.routes[1].gateway, ip("10.8.0.2"));
}

TEST(ServerTunnel, SubnetServerRoutesGoThroughNetworkPlusTwo) {
    // An iroute'd client LAN: the server's own route to it uses helper.c's default gateway.
    const auto tun =
        server_tun(from_text("server 10.8.0.0 255.255.255.0\ntopology subnet\ndev tun\n"
                             "route 192.168.10.0 255.255.255.0\n"));
    ASSERT_EQ(tun.routes.size(), 1u);
    EXPECT_EQ(tun.routes[0].destination, ip("192.168.10.0"));
    EXPECT_EQ(tun.routes[0].gateway, ip("10.8.0.2"));
}

TEST(ServerTunnel, RedirectGatewayOnTheServerIsAnError) {
    const auto config = from_text(
        "server 10.8.0.0 255.255.255.0\ntopology subnet\ndev tun\nredirect-gateway def1\n");
    const auto plan = config::plan_server(config);
    ASSERT_TRUE(plan);
    const auto settings = server_tunnel_settings(config, *plan);
    ASSERT_FALSE(settings);
    EXPECT_NE(settings.error().find("redirect-gateway"), std::string::npos);
}

}  // namespace
}  // namespace nfv::vpn::server
