#include "server/client_routes.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "nfv/net/ipv4.hpp"
#include "nfv/net/ipv6.hpp"

namespace nfv::vpn::server {
namespace {

using Action = RouteDecision::Action;
using Reason = RouteDecision::DropReason;

net::IpAddress addr(const char* text) {
    return *net::IpAddress::parse(text);
}
net::IpCidr cidr(const char* text) {
    return *net::IpCidr::parse(text);
}

// An ICMP-sized IPv4 packet (header + 8 payload bytes) from `source` to `destination`.
std::vector<std::byte> ipv4_packet(const char* source, const char* destination) {
    net::Ipv4Header header;
    header.protocol = net::kIpProtocolIcmp;
    header.source = *net::Ipv4Address::parse(source);
    header.destination = *net::Ipv4Address::parse(destination);
    header.payload_length = 8;
    std::vector<std::byte> packet(net::kIpv4MinHeaderSize + 8);
    EXPECT_EQ(net::serialize(header, packet), net::kIpv4MinHeaderSize);
    return packet;
}

std::vector<std::byte> ipv6_packet(const char* source, const char* destination) {
    net::Ipv6Header header;
    header.next_header = net::kIpProtocolIcmpv6;
    header.source = *net::Ipv6Address::parse(source);
    header.destination = *net::Ipv6Address::parse(destination);
    header.payload_length = 8;
    std::vector<std::byte> packet(net::kIpv6HeaderSize + 8);
    EXPECT_EQ(net::serialize(header, packet), net::kIpv6HeaderSize);
    return packet;
}

RouteDecision to_client(ClientId client) {
    return RouteDecision{Action::kToClient, Reason::kNone, client};
}
RouteDecision to_tun() {
    return RouteDecision{Action::kToTun, Reason::kNone, 0};
}
RouteDecision dropped(Reason reason) {
    return RouteDecision{Action::kDrop, reason, 0};
}

TEST(ClientRoutes, LongestPrefixWinsAndHostBitsOfAPrefixAreIgnored) {
    ClientRoutes routes;
    EXPECT_FALSE(routes.add(addr("10.8.0.2"), 1));
    EXPECT_FALSE(routes.add(cidr("192.168.10.77/24"), 2));  // iroute 192.168.10.0 255.255.255.0
    EXPECT_FALSE(routes.add(cidr("192.168.0.0/16"), 3));
    EXPECT_EQ(routes.lookup(addr("10.8.0.2")), 1u);
    EXPECT_EQ(routes.lookup(addr("10.8.0.3")), std::nullopt);
    EXPECT_EQ(routes.lookup(addr("192.168.10.1")), 2u) << "/24 before /16";
    EXPECT_EQ(routes.lookup(addr("192.168.11.1")), 3u);
    EXPECT_EQ(routes.lookup(addr("192.169.0.1")), std::nullopt);
    EXPECT_EQ(routes.size(), 3u);
}

TEST(ClientRoutes, Ipv6RoutesAreSeparateFromIpv4) {
    ClientRoutes routes;
    routes.add(addr("10.8.0.2"), 1);
    routes.add(addr("fd42:42:42::1000"), 1);
    routes.add(cidr("fd00:1::/64"), 2);
    EXPECT_EQ(routes.lookup(addr("fd42:42:42::1000")), 1u);
    EXPECT_EQ(routes.lookup(addr("fd00:1::abcd")), 2u);
    EXPECT_EQ(routes.lookup(addr("fd00:2::1")), std::nullopt);
    EXPECT_EQ(routes.lookup(addr("::ffff:10.8.0.2")), std::nullopt)
        << "a v4-mapped IPv6 address is not the IPv4 route";
}

TEST(ClientRoutes, ARouteLearnedAgainMovesToTheNewClient) {
    ClientRoutes routes;
    routes.add(addr("10.8.0.2"), 1);
    EXPECT_FALSE(routes.add(addr("10.8.0.2"), 1)) << "same owner: nothing moved";
    EXPECT_EQ(routes.add(addr("10.8.0.2"), 7), 1u);
    EXPECT_EQ(routes.lookup(addr("10.8.0.2")), 7u);
    EXPECT_EQ(routes.size(), 1u);
}

TEST(ClientRoutes, RemovingAClientRemovesAllItsRoutesAndNoOthers) {
    ClientRoutes routes;
    routes.add(addr("10.8.0.2"), 1);
    routes.add(cidr("192.168.10.0/24"), 1);
    routes.add(addr("fd42:42:42::1000"), 1);
    routes.add(addr("10.8.0.3"), 2);
    EXPECT_EQ(routes.remove_client(1), 3u);
    EXPECT_EQ(routes.lookup(addr("10.8.0.2")), std::nullopt);
    EXPECT_EQ(routes.lookup(addr("192.168.10.1")), std::nullopt);
    EXPECT_EQ(routes.lookup(addr("fd42:42:42::1000")), std::nullopt);
    EXPECT_EQ(routes.lookup(addr("10.8.0.3")), 2u);
    EXPECT_EQ(routes.remove_client(1), 0u);
    EXPECT_EQ(routes.size(), 1u);
}

TEST(ClientRoutes, FromTunGoesToTheOwnerOfTheDestination) {
    ClientRoutes routes;
    routes.add(addr("10.8.0.2"), 1);
    routes.add(cidr("192.168.10.0/24"), 2);
    routes.add(addr("fd42:42:42::2"), 3);
    EXPECT_EQ(routes.from_tun(ipv4_packet("10.8.0.1", "10.8.0.2")), to_client(1));
    EXPECT_EQ(routes.from_tun(ipv4_packet("10.8.0.1", "192.168.10.9")), to_client(2));
    EXPECT_EQ(routes.from_tun(ipv6_packet("fd42:42:42::1", "fd42:42:42::2")), to_client(3));
    EXPECT_EQ(routes.from_tun(ipv4_packet("10.8.0.1", "10.8.0.99")), dropped(Reason::kNoRoute));
}

TEST(ClientRoutes, MalformedPacketsAreDropped) {
    ClientRoutes routes;
    routes.add(addr("10.8.0.2"), 1);
    auto truncated = ipv4_packet("10.8.0.1", "10.8.0.2");
    truncated.resize(19);
    EXPECT_EQ(routes.from_tun(truncated), dropped(Reason::kNotIp));
    auto wrong_version = ipv4_packet("10.8.0.1", "10.8.0.2");
    wrong_version[0] = std::byte{0x55};
    EXPECT_EQ(routes.from_tun(wrong_version), dropped(Reason::kNotIp));
    EXPECT_EQ(routes.from_tun({}), dropped(Reason::kNotIp));
    EXPECT_EQ(routes.from_client(1, {}, true), dropped(Reason::kNotIp));
}

TEST(ClientRoutes, AClientCannotSendFromAnotherClientsAddress) {
    ClientRoutes routes;
    routes.add(addr("10.8.0.2"), 1);
    routes.add(addr("10.8.0.3"), 2);
    routes.add(cidr("192.168.10.0/24"), 1);
    EXPECT_EQ(routes.from_client(1, ipv4_packet("10.8.0.2", "10.8.0.1"), false), to_tun());
    EXPECT_EQ(routes.from_client(1, ipv4_packet("192.168.10.5", "10.8.0.1"), false), to_tun())
        << "an iroute behind the client is a valid source";
    EXPECT_EQ(routes.from_client(2, ipv4_packet("10.8.0.2", "10.8.0.1"), false),
              dropped(Reason::kBadSource));
    EXPECT_EQ(routes.from_client(1, ipv4_packet("10.8.0.77", "10.8.0.1"), false),
              dropped(Reason::kBadSource))
        << "an address nobody owns";
    EXPECT_EQ(routes.from_client(2, ipv4_packet("10.8.0.2", "10.8.0.3"), true),
              dropped(Reason::kBadSource))
        << "spoofed client-to-client traffic is dropped too";
}

TEST(ClientRoutes, ClientToClientIsSwitchedOnlyWhenEnabled) {
    ClientRoutes routes;
    routes.add(addr("10.8.0.2"), 1);
    routes.add(addr("10.8.0.3"), 2);
    routes.add(addr("fd42:42:42::2"), 1);
    routes.add(addr("fd42:42:42::3"), 2);
    const auto packet = ipv4_packet("10.8.0.2", "10.8.0.3");
    EXPECT_EQ(routes.from_client(1, packet, true), to_client(2));
    EXPECT_EQ(routes.from_client(1, packet, false), to_tun())
        << "without client-to-client the kernel decides";
    EXPECT_EQ(routes.from_client(1, ipv6_packet("fd42:42:42::2", "fd42:42:42::3"), true),
              to_client(2));
    EXPECT_EQ(routes.from_client(1, ipv4_packet("10.8.0.2", "10.8.0.1"), true), to_tun())
        << "the server's own address is not a client's";
    EXPECT_EQ(routes.from_client(1, ipv4_packet("10.8.0.2", "10.8.0.2"), true), to_tun())
        << "a packet to the sender itself is not switched back to it";
}

TEST(ClientRoutes, MulticastIsTreatedAsBroadcast) {
    ClientRoutes routes;
    routes.add(addr("10.8.0.2"), 1);
    routes.add(addr("fd42:42:42::2"), 1);
    EXPECT_EQ(routes.from_tun(ipv4_packet("10.8.0.1", "224.0.0.251")),
              (RouteDecision{Action::kToAllClients, Reason::kNone, 0}));
    EXPECT_EQ(routes.from_tun(ipv6_packet("fd42:42:42::1", "ff02::fb")),
              (RouteDecision{Action::kToAllClients, Reason::kNone, 0}));
    EXPECT_EQ(routes.from_client(1, ipv4_packet("10.8.0.2", "239.1.2.3"), true),
              (RouteDecision{Action::kToTunAndOtherClients, Reason::kNone, 1}));
    EXPECT_EQ(routes.from_client(1, ipv6_packet("fd42:42:42::2", "ff02::1"), true),
              (RouteDecision{Action::kToTunAndOtherClients, Reason::kNone, 1}));
    EXPECT_EQ(routes.from_client(1, ipv4_packet("10.8.0.2", "239.1.2.3"), false), to_tun());
    EXPECT_EQ(routes.from_client(2, ipv4_packet("10.8.0.2", "239.1.2.3"), true),
              dropped(Reason::kBadSource))
        << "the source check comes first";
}

}  // namespace
}  // namespace nfv::vpn::server
