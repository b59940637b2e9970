#include "nfv/platform/io/route_table.hpp"

#include <cstdio>
#include <string>

#include <sys/socket.h>

#include <gtest/gtest.h>

#include "nfv/platform/testing/netns_child.hpp"

namespace nfv::platform::io {
namespace {

using testing::NetnsOutcome;

// Output of an `ip` command run inside the child's namespace.
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

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

void expect_passed(const NetnsOutcome& outcome) {
    if (outcome.kind == NetnsOutcome::Kind::kSkipped) {
        GTEST_SKIP() << outcome.message;
    }
    EXPECT_EQ(outcome.kind, NetnsOutcome::Kind::kPassed) << outcome.message;
}

class RouteTableTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (auto reason = testing::netns_unavailable_reason()) {
            GTEST_SKIP() << *reason;
        }
    }
};

// Each body runs in a fresh namespace with an up veth pair d0/d1 (d0 is configured).
std::string with_dummy(const std::function<std::string(RouteTable&, int)>& body) {
    if (std::system(
            "ip link add d0 type veth peer name d1 && ip link set d1 up && ip link set d0 up") !=
        0) {
        return "could not create a veth pair";
    }
    auto table = RouteTable::open();
    if (!table) {
        return "open: " + table.error().message();
    }
    auto index = RouteTable::interface_index("d0");
    if (!index) {
        return "interface_index: " + index.error().message();
    }
    return body(*table, *index);
}

TEST_F(RouteTableTest, AddsAndDeletesIpv4AddressAndRoute) {
    expect_passed(testing::run_in_new_netns([] {
        return with_dummy([](RouteTable& table, int index) -> std::string {
            const auto address = IpPrefix::ipv4({10, 8, 0, 2}, 24);
            if (auto r = table.add_address(index, address); !r) {
                return "add_address: " + r.error().message();
            }
            if (!contains(run("ip -4 addr show dev d0"), "inet 10.8.0.2/24")) {
                return "address not visible: " + run("ip -4 addr show dev d0");
            }
            const RouteSpec route{IpPrefix::ipv4({192, 168, 50, 0}, 24),
                                  IpPrefix::ipv4({10, 8, 0, 1}, 32), index, 0, 254};
            if (auto r = table.add_route(route); !r) {
                return "add_route: " + r.error().message();
            }
            if (!contains(run("ip -4 route"), "192.168.50.0/24 via 10.8.0.1 dev d0")) {
                return "route not visible: " + run("ip -4 route");
            }
            // Adding the same route again is the kernel's EEXIST, not a silent success.
            const auto again = table.add_route(route);
            if (again || again.error().error_number != EEXIST) {
                return "duplicate route not reported as EEXIST";
            }
            if (auto r = table.delete_route(route); !r) {
                return "delete_route: " + r.error().message();
            }
            if (contains(run("ip -4 route"), "192.168.50.0/24")) {
                return "route still present";
            }
            if (auto r = table.delete_address(index, address); !r) {
                return "delete_address: " + r.error().message();
            }
            return contains(run("ip -4 addr show dev d0"), "10.8.0.2") ? "address still present"
                                                                       : "";
        });
    }));
}

TEST_F(RouteTableTest, PointToPointPeerAndOnLinkRouteWithMetric) {
    expect_passed(testing::run_in_new_netns([] {
        return with_dummy([](RouteTable& table, int index) -> std::string {
            // topology net30 style: local 10.8.0.6 peer 10.8.0.5.
            if (auto r = table.add_address(index, IpPrefix::ipv4({10, 8, 0, 6}, 32),
                                           IpPrefix::ipv4({10, 8, 0, 5}, 32));
                !r) {
                return "add_address with peer: " + r.error().message();
            }
            if (!contains(run("ip -4 addr show dev d0"), "inet 10.8.0.6 peer 10.8.0.5/32")) {
                return "peer address not visible: " + run("ip -4 addr show dev d0");
            }
            const RouteSpec route{IpPrefix::ipv4({172, 16, 0, 0}, 12), std::nullopt, index, 77,
                                  254};
            if (auto r = table.add_route(route); !r) {
                return "add_route: " + r.error().message();
            }
            const auto routes = run("ip -4 route");
            return contains(routes, "172.16.0.0/12 dev d0") && contains(routes, "metric 77")
                       ? ""
                       : "on-link route wrong: " + routes;
        });
    }));
}

TEST_F(RouteTableTest, Ipv6AddressAndRoute) {
    expect_passed(testing::run_in_new_netns([] {
        return with_dummy([](RouteTable& table, int index) -> std::string {
            const std::array<std::uint8_t, 16> local{0xfd, 0, 0, 0, 0, 0, 0, 0x77,
                                                     0,    0, 0, 0, 0, 0, 0, 2};
            if (auto r = table.add_address(index, IpPrefix::ipv6(local, 64)); !r) {
                return "add_address v6: " + r.error().message();
            }
            const std::array<std::uint8_t, 16> network{0xfd, 0, 0, 0, 0, 0, 0, 0x88};
            const RouteSpec route{IpPrefix::ipv6(network, 64), std::nullopt, index, 0, 254};
            if (auto r = table.add_route(route); !r) {
                return "add_route v6: " + r.error().message();
            }
            const auto addresses = run("ip -6 addr show dev d0");
            const auto routes = run("ip -6 route");
            if (!contains(addresses, "fd00:0:0:77::2/64")) {
                return "v6 address not visible: " + addresses;
            }
            return contains(routes, "fd00:0:0:88::/64 dev d0") ? "" : "v6 route: " + routes;
        });
    }));
}

TEST(RouteTableLookup, UnknownInterfaceIsAnError) {
    const auto index = RouteTable::interface_index("nfv-no-such-if");
    ASSERT_FALSE(index);
    EXPECT_EQ(index.error().error_number, ENODEV);
}

}  // namespace
}  // namespace nfv::platform::io
