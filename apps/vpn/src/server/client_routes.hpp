// ClientRoutes: the server's routing table from tunnel addresses to connected clients, and the
// forwarding decision for each packet the server sees (issue 6, "Routing in the server").
//
// Reference behaviour (OpenVPN 2.6 multi.c / mroute.c, server in TUN mode):
//  * a client owns its pool (or ifconfig-push) address as a host route, and every `iroute` /
//    `iroute-ipv6` prefix from its client-config-dir file; lookups are longest-prefix match;
//  * a packet read from the TUN goes to the client owning its destination; a destination no
//    client owns is dropped (the kernel only routes the server's networks to the TUN);
//  * a packet from a client is dropped unless its source address resolves to that same client
//    ("MULTI: bad source address from client"), so one client cannot send as another;
//  * with `client-to-client` a packet whose destination another client owns is handed to that
//    client directly instead of passing through the TUN; otherwise (and for destinations no
//    other client owns) it is written to the TUN. A packet a client sends to its own address
//    goes to the TUN too (OpenVPN reflects it straight back; here the kernel routes it back);
//  * multicast (IPv4 224.0.0.0/4, IPv6 ff00::/8; OpenVPN treats it as broadcast): from the TUN
//    it goes to every client; from a client with `client-to-client` it goes to every other
//    client and to the TUN, without `client-to-client` only to the TUN.
// Learning a route that another client already owns moves it to the newer client, as OpenVPN's
// multi_learn_addr does when a reconnecting client gets its old address back.
//
// Not handled here: TAP (ethernet) mode (MAC learning); a server runtime using this table must
// refuse `dev tap`.
//
// Sans-I/O: no sockets or TUN; the runtime keeps one table and asks it per packet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>

#include "nfv/net/cidr.hpp"
#include "nfv/net/ip_address.hpp"

namespace nfv::vpn::server {

/// The runtime's handle for one connected client (its ServerSession slot).
using ClientId = std::uint32_t;

/// What to do with a packet.
struct RouteDecision {
    enum class Action : std::uint8_t {
        kDrop,      // see `reason`
        kToTun,     // write the packet to the TUN device
        kToClient,  // encrypt and send it to `client`
        // Multicast from the TUN: to every client.
        kToAllClients,
        // Multicast from `client` with client-to-client: to the TUN and every other client.
        kToTunAndOtherClients,
    };
    enum class DropReason : std::uint8_t {
        kNone,
        kNotIp,      // not a well-formed IPv4/IPv6 packet
        kBadSource,  // from a client whose source address it does not own
        kNoRoute,    // from the TUN to an address no client owns
    };
    Action action = Action::kDrop;
    DropReason reason = DropReason::kNone;
    ClientId client = 0;  // the destination for kToClient, the sender for kToTunAndOtherClients

    friend bool operator==(const RouteDecision&, const RouteDecision&) = default;
};

class ClientRoutes {
public:
    /// Gives `prefix` (host bits ignored) to `client`. Returns the client that owned exactly this
    /// prefix before, if it was another one (the route moves to `client`).
    std::optional<ClientId> add(const net::IpCidr& prefix, ClientId client);
    /// A host route: /32 or /128 for `address`.
    std::optional<ClientId> add(const net::IpAddress& address, ClientId client);
    /// Removes every route of `client` (it disconnected). Returns how many were removed.
    std::size_t remove_client(ClientId client);

    /// The client owning the longest prefix that contains `address`.
    [[nodiscard]] std::optional<ClientId> lookup(const net::IpAddress& address) const;
    [[nodiscard]] std::size_t size() const;

    /// A packet read from the TUN device.
    [[nodiscard]] RouteDecision from_tun(std::span<const std::byte> packet) const;
    /// A decrypted packet from `client`; `client_to_client` is the server's option.
    [[nodiscard]] RouteDecision from_client(ClientId client, std::span<const std::byte> packet,
                                            bool client_to_client) const;

private:
    // Per prefix length (longest first), network address -> owner; IPv4 and IPv6 apart.
    using Table = std::map<std::uint8_t, std::map<net::IpAddress, ClientId>, std::greater<>>;

    Table v4_;
    Table v6_;
};

}  // namespace nfv::vpn::server
