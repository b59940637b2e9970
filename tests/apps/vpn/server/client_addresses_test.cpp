#include "server/client_addresses.hpp"

#include <algorithm>
#include <string>

#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace nfv::vpn::server {
namespace {

config::ServerPlan nyr_plan() {
    // The addressing of configs/vpn/nyr/server.conf.
    const std::string text =
        "server 10.8.0.0 255.255.255.0\nserver-ipv6 fddd:1194:1194:1194::/64\n"
        "topology subnet\ndev tun\nca c\ncert c\nkey k\ndh d\n";
    auto directives = config::lex_config(text, "s.conf");
    EXPECT_TRUE(directives);
    const auto parsed = config::parse_vpn_config(*directives);
    EXPECT_TRUE(parsed.diagnostics.ok());
    return config::plan_server(parsed.config).value();
}

net::Ipv4Address v4(const char* text) {
    return *net::Ipv4Address::parse(text);
}
net::Ipv6Address v6(const char* text) {
    return *net::Ipv6Address::parse(text);
}

TEST(ClientAddresses, Ipv6FollowsTheIpv4PoolEntryAsOpenVpnPairsThem) {
    const auto plan = nyr_plan();
    session::AddressPool pool(plan.pool->first, plan.pool->second, plan.topology,
                              plan.pool_netmask);
    const auto first = pool.acquire("client1");
    const auto second = pool.acquire("client2");
    ASSERT_TRUE(first && second);
    const auto one = client_addresses(plan, *first);
    const auto two = client_addresses(plan, *second);
    ASSERT_TRUE(one && two);
    // openvpn 2.6.14's ipp.txt for this config: "client1,10.8.0.2,fddd:1194:1194:1194::1000".
    EXPECT_EQ(one->ifconfig, std::pair(v4("10.8.0.2"), v4("255.255.255.0")));
    EXPECT_EQ(one->ipv6, v6("fddd:1194:1194:1194::1000"));
    EXPECT_EQ(two->ifconfig.first, v4("10.8.0.3"));
    EXPECT_EQ(two->ipv6, v6("fddd:1194:1194:1194::1001"));
    EXPECT_EQ(one->ipv6_remote, v6("fddd:1194:1194:1194::1"));
    EXPECT_EQ(one->ipv6_prefix, 64);
}

TEST(ClientAddresses, PushReplyCarriesBothAddresses) {
    const auto plan = nyr_plan();
    const auto addresses =
        client_addresses(plan, session::PoolLease{0, {v4("10.8.0.2"), v4("255.255.255.0")}});
    ASSERT_TRUE(addresses);
    session::PushReplyParams push;
    set_push_addresses(*addresses, push);
    const auto options = session::push_reply_options(push);
    const auto has = [&](const std::string& option) {
        return std::find(options.begin(), options.end(), option) != options.end();
    };
    EXPECT_TRUE(has("ifconfig 10.8.0.2 255.255.255.0"));
    EXPECT_TRUE(has("ifconfig-ipv6 fddd:1194:1194:1194::1000/64 fddd:1194:1194:1194::1"));
}

TEST(ClientAddresses, WithoutServerIpv6ThereIsNoIpv6) {
    config::ServerPlan plan;
    plan.ifconfig = std::pair(v4("10.8.0.1"), v4("255.255.255.0"));
    const auto addresses =
        client_addresses(plan, session::PoolLease{3, {v4("10.8.0.5"), v4("255.255.255.0")}});
    ASSERT_TRUE(addresses);
    EXPECT_EQ(addresses->ipv6, std::nullopt);
    session::PushReplyParams push;
    set_push_addresses(*addresses, push);
    EXPECT_EQ(push.ifconfig_ipv6, std::nullopt);
}

TEST(ClientAddresses, CarriesAcrossOctetsAndRefusesAddressesOutsideTheNetwork) {
    config::ServerPlan plan;
    plan.ifconfig_ipv6 = v6("2001:db8::1");
    plan.ipv6_prefix = 112;
    plan.ipv6_pool_base = v6("2001:db8::ff");
    const auto carried = client_addresses(plan, session::PoolLease{1, {}});
    ASSERT_TRUE(carried);
    EXPECT_EQ(carried->ipv6, v6("2001:db8::100"));
    const auto last = client_addresses(plan, session::PoolLease{0xff00, {}});
    ASSERT_TRUE(last);
    EXPECT_EQ(last->ipv6, v6("2001:db8::ffff"));
    const auto outside = client_addresses(plan, session::PoolLease{0xff01, {}});
    ASSERT_FALSE(outside);
    EXPECT_NE(outside.error().find("server-ipv6 2001:db8::/112"), std::string::npos)
        << outside.error();
}

TEST(ClientAddresses, TheClientOwnsBothAddresses) {
    const auto plan = nyr_plan();
    const auto addresses =
        client_addresses(plan, session::PoolLease{0, {v4("10.8.0.2"), v4("255.255.255.0")}});
    ASSERT_TRUE(addresses);
    ClientRoutes routes;
    add_client_routes(routes, 5, *addresses);
    EXPECT_EQ(routes.lookup(net::IpAddress(v4("10.8.0.2"))), 5u);
    EXPECT_EQ(routes.lookup(net::IpAddress(v6("fddd:1194:1194:1194::1000"))), 5u);
    EXPECT_EQ(routes.lookup(net::IpAddress(v4("10.8.0.1"))), std::nullopt)
        << "the server's own address is not a client's";
    EXPECT_EQ(routes.size(), 2u);
}

TEST(ClientAddresses, PersistFileHasBothAddressesAsOpenVpnWritesIt) {
    const auto plan = nyr_plan();
    session::AddressPool pool(plan.pool->first, plan.pool->second, plan.topology,
                              plan.pool_netmask);
    ASSERT_TRUE(pool.acquire("client1"));
    const auto second = pool.acquire("client2");
    ASSERT_TRUE(second);
    pool.release(second->index);  // released names stay in the file
    EXPECT_EQ(config::format_pool_persist(persist_entries(plan, pool)),
              "client1,10.8.0.2,fddd:1194:1194:1194::1000\n"
              "client2,10.8.0.3,fddd:1194:1194:1194::1001\n");
    config::ServerPlan v4_only = plan;
    v4_only.ifconfig_ipv6.reset();
    v4_only.ipv6_pool_base.reset();
    EXPECT_EQ(config::format_pool_persist(persist_entries(v4_only, pool)),
              "client1,10.8.0.2,\nclient2,10.8.0.3,\n");
}

TEST(ClientAddresses, PoolIndexOfNet30Addresses) {
    // server 10.8.0.0/24 topology net30: blocks from 10.8.0.4, the client gets block + 2.
    session::AddressPool pool(v4("10.8.0.4"), v4("10.8.0.251"), config::Topology::kNet30,
                              v4("255.255.255.252"));
    EXPECT_EQ(pool.index_of(v4("10.8.0.6")), 0u);
    EXPECT_EQ(pool.index_of(v4("10.8.0.10")), 1u);
    EXPECT_EQ(pool.index_of(v4("10.8.0.5")), std::nullopt) << "the server end of a block";
    EXPECT_EQ(pool.index_of(v4("10.9.0.6")), std::nullopt);
}

}  // namespace
}  // namespace nfv::vpn::server
