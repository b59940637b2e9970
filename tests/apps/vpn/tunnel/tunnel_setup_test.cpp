#include "tunnel/tunnel_setup.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <gtest/gtest.h>

#include "nfv/platform/testing/netns_child.hpp"

namespace nfv::vpn::tunnel {
namespace {

using platform::testing::NetnsOutcome;

std::string run(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) {
        return output;
    }
    std::array<char, 256> chunk{};
    while (std::fgets(chunk.data(), static_cast<int>(chunk.size()), pipe) != nullptr) {
        output += chunk.data();
    }
    ::pclose(pipe);
    return output;
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

net::Ipv4Address v4(std::string_view text) {
    return *net::Ipv4Address::parse(text);
}

class TunnelSetupTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (auto reason = platform::testing::netns_unavailable_reason()) {
            GTEST_SKIP() << *reason;
        }
    }
    static void expect_passed(const NetnsOutcome& outcome) {
        EXPECT_EQ(outcome.kind, NetnsOutcome::Kind::kPassed) << outcome.message;
    }
};

// In a fresh namespace: "tun0" stands in for the TUN device (a veth end, up) and "wan0" with
// 192.0.2.2/24 and a default route via 192.0.2.1 is the host's original path.
std::string prepare_host() {
    return std::system(
               "ip link add tun0 type veth peer name tun0p && ip link set tun0 up && "
               "ip link set tun0p up && ip link add wan0 type veth peer name wan0p && "
               "ip link set wan0 up && ip link set wan0p up && "
               "ip addr add 192.0.2.2/24 dev wan0 && ip route add default via 192.0.2.1") == 0
               ? ""
               : "could not prepare interfaces";
}

TEST_F(TunnelSetupTest, AppliesAPushedSubnetTunnelAndUndoesItCompletely) {
    expect_passed(platform::testing::run_in_new_netns([]() -> std::string {
        if (auto error = prepare_host(); !error.empty()) {
            return error;
        }
        TunnelNetwork network;
        network.topology = Topology::kSubnet;
        network.ifconfig_local = v4("10.8.0.2");
        network.ifconfig_second = v4("255.255.255.0");
        network.route_gateway = v4("10.8.0.1");
        network.routes.push_back({*net::Ipv4Cidr::parse("192.168.50.0/24"), {}, std::nullopt});
        network.redirect_gateway_def1 = true;
        const auto plan =
            plan_tunnel(network, {*net::IpAddress::parse("198.51.100.7"), v4("192.0.2.1")});
        if (!plan) {
            return "plan: " + plan.error();
        }
        auto table = platform::io::RouteTable::open();
        auto index = platform::io::RouteTable::interface_index("tun0");
        if (!table || !index) {
            return "netlink setup failed";
        }
        const auto before = run("ip -4 route") + run("ip -4 addr");
        {
            TunnelSetup setup(*table, *index);
            if (auto r = setup.apply(*plan); !r) {
                return "apply: " + r.error();
            }
            const auto routes = run("ip -4 route");
            if (!has(run("ip -4 addr show dev tun0"), "10.8.0.2/24") ||
                !has(routes, "192.168.50.0/24 via 10.8.0.1 dev tun0") ||
                !has(routes, "0.0.0.0/1 via 10.8.0.1 dev tun0") ||
                !has(routes, "128.0.0.0/1 via 10.8.0.1 dev tun0") ||
                !has(routes, "198.51.100.7 via 192.0.2.1 dev wan0")) {
                return "tunnel state wrong:\n" + routes + run("ip -4 addr");
            }
        }  // the destructor undoes everything
        const auto after = run("ip -4 route") + run("ip -4 addr");
        return after == before ? "" : "not undone:\n" + after + "\nbefore:\n" + before;
    }));
}

TEST_F(TunnelSetupTest, FailureHalfwayLeavesNothingBehind) {
    expect_passed(platform::testing::run_in_new_netns([]() -> std::string {
        if (auto error = prepare_host(); !error.empty()) {
            return error;
        }
        // The second route already exists, so applying fails there.
        if (std::system("ip addr add 10.9.0.2/24 dev tun0 && "
                        "ip route add 172.16.0.0/12 via 10.9.0.1") != 0) {
            return "could not pre-create the clashing route";
        }
        TunnelNetwork network;
        network.topology = Topology::kSubnet;
        network.ifconfig_local = v4("10.8.0.2");
        network.ifconfig_second = v4("255.255.255.0");
        network.route_gateway = v4("10.8.0.1");
        network.routes.push_back({*net::Ipv4Cidr::parse("192.168.50.0/24"), {}, std::nullopt});
        network.routes.push_back({*net::Ipv4Cidr::parse("172.16.0.0/12"), {}, std::nullopt});
        const auto plan = plan_tunnel(network, {*net::IpAddress::parse("198.51.100.7"), {}});
        auto table = platform::io::RouteTable::open();
        auto index = platform::io::RouteTable::interface_index("tun0");
        if (!plan || !table || !index) {
            return "setup failed";
        }
        TunnelSetup setup(*table, *index);
        const auto result = setup.apply(*plan);
        if (result || !has(result.error(), "172.16.0.0/12")) {
            return "clash not reported";
        }
        const auto state = run("ip -4 route") + run("ip -4 addr show dev tun0");
        if (has(state, "192.168.50.0") || has(state, "10.8.0.2") || setup.applied_count() != 0) {
            return "partial tunnel left behind:\n" + state;
        }
        return has(state, "172.16.0.0/12 via 10.9.0.1") ? "" : "pre-existing route was removed";
    }));
}

}  // namespace
}  // namespace nfv::vpn::tunnel
