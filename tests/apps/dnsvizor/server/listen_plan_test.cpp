#include "server/listen_plan.hpp"

#include <gtest/gtest.h>

namespace nfv::dnsvizor::server {
namespace {

net::IpAddress ip(const char* text) {
    return *net::IpAddress::parse(text);
}

std::vector<InterfaceAddress> host() {
    return {
        {"lo", ip("127.0.0.1"), 8, true},     {"lo", ip("::1"), 128, true},
        {"eth0", ip("10.53.1.1"), 24, false}, {"eth0", ip("fe80::1"), 64, false},
        {"eth1", ip("10.53.2.1"), 24, false}, {"wg0", ip("10.53.3.1"), 24, false},
    };
}

TEST(ListenPlan, DefaultIsWildcard) {
    dns::ListenSettings listen;
    const auto plan = plan_listen_addresses(listen, host());
    EXPECT_TRUE(plan.wildcard);
    EXPECT_TRUE(plan.errors.empty());
}

TEST(ListenPlan, PortZeroListensNowhere) {
    dns::ListenSettings listen;
    listen.port = 0;
    const auto plan = plan_listen_addresses(listen, host());
    EXPECT_FALSE(plan.wildcard);
    EXPECT_TRUE(plan.addresses.empty());
    EXPECT_TRUE(plan.errors.empty());
}

TEST(ListenPlan, ListenAddressOnlyHasNoImplicitLoopback) {
    dns::ListenSettings listen;
    listen.listen_addresses = {ip("10.53.1.1")};
    const auto plan = plan_listen_addresses(listen, host());
    EXPECT_FALSE(plan.wildcard);
    EXPECT_EQ(plan.addresses, std::vector<net::IpAddress>{ip("10.53.1.1")});
}

TEST(ListenPlan, InterfaceAddsItsAddressesAndLoopbackButNotLinkLocal) {
    dns::ListenSettings listen;
    listen.interfaces = {"eth0"};
    listen.bind_interfaces = true;
    const auto plan = plan_listen_addresses(listen, host());
    EXPECT_EQ(plan.addresses,
              (std::vector<net::IpAddress>{ip("127.0.0.1"), ip("::1"), ip("10.53.1.1")}));
    EXPECT_TRUE(plan.warnings.empty());
}

TEST(ListenPlan, WildcardInterfacePatternAndExceptInterface) {
    dns::ListenSettings listen;
    listen.interfaces = {"eth*"};
    listen.except_interfaces = {"eth1"};
    listen.bind_interfaces = true;
    const auto plan = plan_listen_addresses(listen, host());
    EXPECT_EQ(plan.addresses,
              (std::vector<net::IpAddress>{ip("127.0.0.1"), ip("::1"), ip("10.53.1.1")}));
}

TEST(ListenPlan, ExceptInterfaceAloneServesEveryOtherInterface) {
    dns::ListenSettings listen;
    listen.except_interfaces = {"wg0"};
    const auto plan = plan_listen_addresses(listen, host());
    EXPECT_EQ(plan.addresses.size(), 4U);
    EXPECT_EQ(std::count(plan.addresses.begin(), plan.addresses.end(), ip("10.53.3.1")), 0);
}

TEST(ListenPlan, InterfaceWithoutBindInterfacesAndBindDynamicAreNamedWarnings) {
    dns::ListenSettings listen;
    listen.interfaces = {"eth0", "nosuch0"};
    listen.bind_dynamic = true;
    const auto plan = plan_listen_addresses(listen, host());
    ASSERT_EQ(plan.warnings.size(), 2U);
    EXPECT_NE(plan.warnings[0].find("interface=nosuch0"), std::string::npos);
    EXPECT_NE(plan.warnings[1].find("bind-dynamic"), std::string::npos);
}

TEST(ListenPlan, NothingToBindIsAnError) {
    dns::ListenSettings listen;
    listen.interfaces = {"nosuch0"};
    const auto plan = plan_listen_addresses(std::move(listen), std::vector<InterfaceAddress>{});
    EXPECT_FALSE(plan.errors.empty());
}

TEST(ListenPlan, InterfaceMatchesExactOrStarPrefix) {
    EXPECT_TRUE(interface_matches("eth0", "eth0"));
    EXPECT_FALSE(interface_matches("eth0", "eth01"));
    EXPECT_TRUE(interface_matches("eth*", "eth01"));
    EXPECT_FALSE(interface_matches("eth*", "wg0"));
}

TEST(ListenPlan, LocalSubnetsContainNeighbours) {
    const auto subnets = local_subnets(host());
    const auto inside = std::any_of(subnets.begin(), subnets.end(),
                                    [](const auto& c) { return c.contains(ip("10.53.2.77")); });
    const auto outside = std::any_of(subnets.begin(), subnets.end(),
                                     [](const auto& c) { return c.contains(ip("192.0.2.1")); });
    EXPECT_TRUE(inside);
    EXPECT_FALSE(outside);
}

}  // namespace
}  // namespace nfv::dnsvizor::server
