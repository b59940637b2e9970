#include "session/address_pool.hpp"

#include <gtest/gtest.h>

namespace nfv::vpn::session {
namespace {

net::Ipv4Address ip(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return net::Ipv4Address({a, b, c, d});
}

TEST(AddressPool, SubnetHandsOutAddressesWithTheNetmaskAndKeepsThemPerName) {
    // server 10.8.0.0 255.255.255.0, topology subnet: pool 10.8.0.2 .. 10.8.0.254.
    AddressPool pool(ip(10, 8, 0, 2), ip(10, 8, 0, 254), config::Topology::kSubnet,
                     ip(255, 255, 255, 0));
    EXPECT_EQ(pool.size(), 253u);
    const auto alice = pool.acquire("alice");
    const auto bob = pool.acquire("bob");
    ASSERT_TRUE(alice && bob);
    EXPECT_EQ(alice->ifconfig, std::pair(ip(10, 8, 0, 2), ip(255, 255, 255, 0)));
    EXPECT_EQ(bob->ifconfig.first, ip(10, 8, 0, 3));
    pool.release(alice->index);
    const auto carol = pool.acquire("carol");
    ASSERT_TRUE(carol);
    EXPECT_EQ(carol->ifconfig.first, ip(10, 8, 0, 4)) << "a never used address before alice's";
    const auto alice_again = pool.acquire("alice");
    ASSERT_TRUE(alice_again);
    EXPECT_EQ(alice_again->ifconfig.first, ip(10, 8, 0, 2)) << "sticky by common name";
    EXPECT_EQ(pool.in_use(), 3u);
}

TEST(AddressPool, Net30GivesEachClientASlash30Block) {
    // server 10.8.0.0 255.255.255.0, topology net30: pool 10.8.0.4 .. 10.8.0.251.
    AddressPool pool(ip(10, 8, 0, 4), ip(10, 8, 0, 251), config::Topology::kNet30,
                     ip(255, 255, 255, 252));
    EXPECT_EQ(pool.size(), 62u);
    const auto first = pool.acquire("client1");
    const auto second = pool.acquire("client2");
    ASSERT_TRUE(first && second);
    EXPECT_EQ(first->ifconfig, std::pair(ip(10, 8, 0, 6), ip(10, 8, 0, 5)));
    EXPECT_EQ(second->ifconfig, std::pair(ip(10, 8, 0, 10), ip(10, 8, 0, 9)));
}

TEST(AddressPool, PersistedNamesGetTheirAddressBackAfterARestart) {
    AddressPool before(ip(10, 8, 0, 2), ip(10, 8, 0, 10), config::Topology::kSubnet,
                       ip(255, 255, 255, 0));
    (void)before.acquire("a");
    (void)before.acquire("b");
    const auto persisted = before.persist_entries();
    ASSERT_EQ(persisted.size(), 2u);
    EXPECT_EQ(persisted[1], (config::PoolEntry{"b", ip(10, 8, 0, 3), std::nullopt}));

    AddressPool after(ip(10, 8, 0, 2), ip(10, 8, 0, 10), config::Topology::kSubnet,
                      ip(255, 255, 255, 0));
    after.load(persisted);
    const auto newcomer = after.acquire("c");
    const auto b = after.acquire("b");
    ASSERT_TRUE(newcomer && b);
    EXPECT_EQ(newcomer->ifconfig.first, ip(10, 8, 0, 4)) << "reserved addresses are skipped";
    EXPECT_EQ(b->ifconfig.first, ip(10, 8, 0, 3));
}

TEST(AddressPool, ExhaustionAndDuplicateCn) {
    AddressPool pool(ip(10, 8, 0, 2), ip(10, 8, 0, 3), config::Topology::kSubnet,
                     ip(255, 255, 255, 0), /*duplicate_cn=*/true);
    const auto one = pool.acquire("same");
    const auto two = pool.acquire("same");
    ASSERT_TRUE(one && two);
    EXPECT_NE(one->ifconfig.first, two->ifconfig.first) << "duplicate-cn: two clients";
    EXPECT_FALSE(pool.acquire("third")) << "exhausted";
    pool.release(one->index);
    EXPECT_TRUE(pool.acquire("third"));
}

}  // namespace
}  // namespace nfv::vpn::session
