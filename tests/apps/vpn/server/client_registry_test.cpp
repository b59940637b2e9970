#include "server/client_registry.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace nfv::vpn::server {
namespace {

PeerEndpoint at(const char* address, std::uint16_t port) {
    return PeerEndpoint{*net::IpAddress::parse(address), port};
}

using Match = ClientRegistry::Match;

TEST(ClientRegistry, PeerIdsAreTheFirstFreeSlot) {
    ClientRegistry registry(10);
    EXPECT_EQ(registry.add(at("192.0.2.1", 40000)), 0u);
    EXPECT_EQ(registry.add(at("192.0.2.2", 40000)), 1u);
    EXPECT_EQ(registry.add(at("2001:db8::1", 40000)), 2u);
    registry.remove(1);
    EXPECT_EQ(registry.endpoint(1), std::nullopt);
    EXPECT_EQ(registry.add(at("192.0.2.3", 40000)), 1u) << "the freed peer-id is reused";
    EXPECT_EQ(registry.size(), 3u);
}

TEST(ClientRegistry, MaxClientsAndDuplicateAddressesAreRefused) {
    ClientRegistry registry(2);
    ASSERT_TRUE(registry.add(at("192.0.2.1", 1194)));
    EXPECT_EQ(registry.add(at("192.0.2.1", 1194)), std::nullopt) << "address already a client's";
    ASSERT_TRUE(registry.add(at("192.0.2.1", 1195))) << "another port is another client";
    EXPECT_EQ(registry.add(at("192.0.2.9", 1194)), std::nullopt) << "max-clients 2";
    registry.remove(0);
    EXPECT_TRUE(registry.add(at("192.0.2.9", 1194)));
    EXPECT_EQ(ClientRegistry(1U << 30U).max_clients(), 0xFFFFFFu)
        << "peer-ids are 24 bits with 0xFFFFFF reserved";
}

TEST(ClientRegistry, ControlPacketsAreFoundByAddressOnly) {
    ClientRegistry registry(10);
    const auto alice = registry.add(at("192.0.2.1", 40000));
    ASSERT_TRUE(alice);
    EXPECT_EQ(registry.find(at("192.0.2.1", 40000), std::nullopt), (Match{*alice, false}));
    EXPECT_EQ(registry.find(at("192.0.2.1", 40001), std::nullopt), std::nullopt)
        << "an unknown address goes to the cookie listener";
}

TEST(ClientRegistry, DataV2IsFoundByPeerIdAndAnotherAddressIsAFloatCandidate) {
    ClientRegistry registry(10);
    const auto alice = registry.add(at("192.0.2.1", 40000));
    const auto bob = registry.add(at("192.0.2.2", 40000));
    ASSERT_TRUE(alice && bob);
    EXPECT_EQ(registry.find(at("192.0.2.1", 40000), *alice), (Match{*alice, false}));
    EXPECT_EQ(registry.find(at("198.51.100.7", 5000), *alice), (Match{*alice, true}));
    EXPECT_EQ(registry.find(at("192.0.2.2", 40000), *alice), (Match{*alice, true}))
        << "bob's address with alice's peer-id is alice's packet, to be authenticated as hers";
    EXPECT_EQ(registry.find(at("192.0.2.1", 40000), 7u), std::nullopt)
        << "an unknown peer-id matches nothing, even from a client's address";
    EXPECT_EQ(registry.find(at("192.0.2.1", 40000), 0xFFFFFFu), (Match{*alice, false}))
        << "MAX_PEER_ID means no peer-id: found by address";
    EXPECT_EQ(registry.find(at("198.51.100.7", 5000), 0xFFFFFFu), std::nullopt);
}

TEST(ClientRegistry, FloatMovesTheClientToItsNewAddress) {
    ClientRegistry registry(10);
    const auto alice = registry.add(at("192.0.2.1", 40000));
    ASSERT_TRUE(alice);
    EXPECT_TRUE(registry.float_to(*alice, at("198.51.100.7", 5000)));
    EXPECT_EQ(registry.endpoint(*alice), at("198.51.100.7", 5000));
    EXPECT_EQ(registry.find(at("198.51.100.7", 5000), std::nullopt), (Match{*alice, false}));
    EXPECT_EQ(registry.find(at("192.0.2.1", 40000), std::nullopt), std::nullopt)
        << "the old address is free";
    EXPECT_TRUE(registry.add(at("192.0.2.1", 40000)));
    EXPECT_TRUE(registry.float_to(*alice, at("198.51.100.7", 5000))) << "already there";
    EXPECT_FALSE(registry.float_to(9, at("203.0.113.1", 1))) << "unknown client";
}

TEST(ClientRegistry, FloatOntoAnotherClientsAddressIsRefused) {
    ClientRegistry registry(10);
    const auto alice = registry.add(at("192.0.2.1", 40000));
    const auto bob = registry.add(at("192.0.2.2", 40000));
    ASSERT_TRUE(alice && bob);
    EXPECT_FALSE(registry.float_to(*alice, at("192.0.2.2", 40000)));
    EXPECT_EQ(registry.endpoint(*alice), at("192.0.2.1", 40000));
    EXPECT_EQ(registry.find(at("192.0.2.2", 40000), std::nullopt), (Match{*bob, false}));
    // The runtime closes the holder when both have the same certificate; then the float works.
    registry.remove(*bob);
    EXPECT_TRUE(registry.float_to(*alice, at("192.0.2.2", 40000)));
    EXPECT_EQ(registry.find(at("192.0.2.2", 40000), std::nullopt), (Match{*alice, false}));
}

TEST(ClientRegistry, DatagramsAreMatchedByTheirOpcodeAndPeerId) {
    ClientRegistry registry(10);
    ASSERT_EQ(registry.add(at("192.0.2.1", 40000)), 0u);
    ASSERT_EQ(registry.add(at("192.0.2.2", 40000)), 1u);
    // P_DATA_V2 (opcode 9, key id 0) with peer-id 1, then a packet id.
    const std::vector<std::byte> data_v2{std::byte{0x48}, std::byte{0}, std::byte{0}, std::byte{1},
                                         std::byte{0},    std::byte{0}, std::byte{0}, std::byte{1}};
    EXPECT_EQ(registry.find_datagram(at("192.0.2.1", 40000), data_v2), (Match{1, true}))
        << "peer-id 1 from client 0's address: client 1's float candidate";
    EXPECT_EQ(registry.find_datagram(at("192.0.2.1", 40000), std::span(data_v2).first(3)),
              std::nullopt)
        << "truncated P_DATA_V2";
    // P_CONTROL_V1 (opcode 4): by address whatever follows.
    const std::vector<std::byte> control{std::byte{0x20}, std::byte{0}, std::byte{0}, std::byte{1}};
    EXPECT_EQ(registry.find_datagram(at("192.0.2.1", 40000), control), (Match{0, false}));
    EXPECT_EQ(registry.find_datagram(at("192.0.2.9", 40000), control), std::nullopt);
    EXPECT_EQ(registry.find_datagram(at("192.0.2.1", 40000), {}), std::nullopt);
}

}  // namespace
}  // namespace nfv::vpn::server
