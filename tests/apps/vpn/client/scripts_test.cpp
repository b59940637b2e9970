#include "client/scripts.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <unistd.h>

namespace nfv::vpn::client {
namespace {

net::Ipv4Address v4(std::string_view text) {
    return *net::Ipv4Address::parse(text);
}

struct Fixture {
    tunnel::TunnelNetwork network;
    config::PushedOptions pushed;
    ScriptState state;
    Fixture() {
        // What an OpenVPN 2.6 server with `topology subnet`, `server 10.8.0.0 255.255.255.0`,
        // push "route 10.78.50.0 255.255.255.0" and two dhcp-options pushes.
        network.topology = tunnel::Topology::kSubnet;
        network.ifconfig_local = v4("10.8.0.2");
        network.ifconfig_second = v4("255.255.255.0");
        network.route_gateway = v4("10.8.0.1");
        network.routes.push_back({net::Ipv4Cidr(v4("10.78.50.0"), 24), {}, std::nullopt});
        network.tun_mtu = 1500;
        pushed.dhcp_options.push_back({"DNS", {"10.78.50.53"}});
        pushed.dhcp_options.push_back({"DOMAIN", {"vpn.example"}});
        state.dev = "tun3";
        state.network = &network;
        state.pushed = &pushed;
        state.remote_host = "192.0.2.10";
        state.remote_port = 1194;
    }
};

bool has(const std::vector<std::string>& env, std::string_view entry) {
    return std::find(env.begin(), env.end(), entry) != env.end();
}

TEST(Scripts, UpArgumentsFollowTheCommandWords) {
    Fixture f;
    const auto argv = script_arguments("/etc/openvpn/up.sh 'a b' c", ScriptType::kUp, f.state);
    const std::vector<std::string> expected{
        "/etc/openvpn/up.sh", "a b", "c", "tun3", "1500", "0", "10.8.0.2", "255.255.255.0", "init"};
    EXPECT_EQ(argv, expected);
    f.state.restart = true;
    EXPECT_EQ(script_arguments("x", ScriptType::kDown, f.state).back(), "restart");
    EXPECT_EQ(script_arguments("x y", ScriptType::kRouteUp, f.state),
              (std::vector<std::string>{"x", "y"}));
    EXPECT_EQ(script_arguments("x", ScriptType::kRoutePreDown, f.state),
              (std::vector<std::string>{"x"}));
}

TEST(Scripts, EnvironmentCarriesForeignOptionsAndRoutes) {
    Fixture f;
    config::VpnConfig config;
    config.setenv.emplace_back("MYVAR", "1");
    const auto env = script_environment(config, ScriptType::kUp, f.state);
    EXPECT_TRUE(has(env, "script_type=up"));
    EXPECT_TRUE(has(env, "dev=tun3"));
    EXPECT_TRUE(has(env, "foreign_option_1=dhcp-option DNS 10.78.50.53"));
    EXPECT_TRUE(has(env, "foreign_option_2=dhcp-option DOMAIN vpn.example"));
    EXPECT_TRUE(has(env, "ifconfig_local=10.8.0.2"));
    EXPECT_TRUE(has(env, "ifconfig_netmask=255.255.255.0"));
    EXPECT_TRUE(has(env, "route_vpn_gateway=10.8.0.1"));
    EXPECT_TRUE(has(env, "route_network_1=10.78.50.0"));
    EXPECT_TRUE(has(env, "route_netmask_1=255.255.255.0"));
    EXPECT_TRUE(has(env, "route_gateway_1=10.8.0.1"));
    EXPECT_TRUE(has(env, "trusted_ip=192.0.2.10"));
    EXPECT_TRUE(has(env, "MYVAR=1"));
    EXPECT_FALSE(has(env, "foreign_option_3=dhcp-option DNS 10.78.50.53"));
}

TEST(Scripts, Net30GivesTheRemoteEnd) {
    Fixture f;
    f.network.topology = tunnel::Topology::kNet30;
    f.network.route_gateway.reset();
    f.network.ifconfig_local = v4("10.8.0.6");
    f.network.ifconfig_second = v4("10.8.0.5");
    const auto env = script_environment(config::VpnConfig{}, ScriptType::kDown, f.state);
    EXPECT_TRUE(has(env, "script_type=down"));
    EXPECT_TRUE(has(script_environment(config::VpnConfig{}, ScriptType::kRoutePreDown, f.state),
                    "script_type=route-pre-down"));
    EXPECT_TRUE(has(env, "ifconfig_remote=10.8.0.5"));
    EXPECT_TRUE(has(env, "route_vpn_gateway=10.8.0.5"));
}

TEST(Scripts, RunScriptPassesArgumentsAndEnvironmentAndReportsFailure) {
    char dir_template[] = "/tmp/nfv-scripts-test.XXXXXX";
    ASSERT_NE(::mkdtemp(dir_template), nullptr);
    const std::string dir = dir_template;
    const std::string out = dir + "/out";
    const std::vector<std::string> argv{"/bin/sh", "-c", "echo \"$1 $foreign_option_1\" > " + out,
                                        "sh", "tun9"};
    const std::vector<std::string> env{"foreign_option_1=dhcp-option DNS 10.0.0.53"};
    ASSERT_TRUE(run_script(argv, env));
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), "tun9 dhcp-option DNS 10.0.0.53\n");
    const std::vector<std::string> failing{"/bin/sh", "-c", "exit 3"};
    auto failed = run_script(failing, {});
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().find("status 3"), std::string::npos);
    const std::vector<std::string> missing{dir + "/no-such-script"};
    EXPECT_FALSE(run_script(missing, {}));
    std::remove(out.c_str());
    ::rmdir(dir.c_str());
}

}  // namespace
}  // namespace nfv::vpn::client
