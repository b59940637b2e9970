// A connected client's tunnel addresses: the IPv4 pool lease plus the IPv6 address that goes
// with it, what PUSH_REPLY carries for them, and the routes the client then owns.
//
// Reference: OpenVPN 2.6 pool.c (ifconfig_pool_acquire: the IPv6 address of pool entry N is
// the ifconfig-ipv6-pool base + N, so the IPv4 and IPv6 addresses move together and the persist
// file "CN,10.8.0.2,fddd:1194:1194:1194::1000" pairs entry 0 of both pools), multi.c
// multi_select_virtual_addr / multi_set_virtual_addr_env (pushed "ifconfig-ipv6 ADDR/BITS
// SERVER" with the server's own ifconfig-ipv6 as remote), multi_learn_addr (the client owns
// its IPv4 address and its IPv6 address as host routes).
// Contract: pure; an IPv6 address that falls outside the server-ipv6 network (a pool larger
// than the IPv6 range can number) is an error, as OpenVPN refuses such a pool at startup.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nfv/net/ip_address.hpp"
#include "nfv/platform/result.hpp"

#include "config/pool_persist.hpp"
#include "config/server_plan.hpp"
#include "server/client_routes.hpp"
#include "session/address_pool.hpp"
#include "session/push_reply_builder.hpp"

namespace nfv::vpn::server {

struct ClientAddresses {
    // "ifconfig LOCAL REMOTE_OR_NETMASK": the client's address first.
    std::pair<net::Ipv4Address, net::Ipv4Address> ifconfig;
    std::optional<net::Ipv6Address> ipv6;  // with server-ipv6 only
    std::uint8_t ipv6_prefix = 64;
    std::optional<net::Ipv6Address> ipv6_remote;  // the server's ifconfig-ipv6
};

/// The addresses of the client holding `lease` in the pools of `plan`.
[[nodiscard]] Result<ClientAddresses, std::string> client_addresses(
    const config::ServerPlan& plan, const session::PoolLease& lease);

/// The ifconfig-pool-persist entries of `pool` with each name's IPv6 address as well, the
/// "CN,IPv4,IPv6" lines openvpn 2.6 writes when server-ipv6 is set.
[[nodiscard]] std::vector<config::PoolEntry> persist_entries(const config::ServerPlan& plan,
                                                             const session::AddressPool& pool);

/// Fills the ifconfig / ifconfig-ipv6 fields of a client's PUSH_REPLY.
void set_push_addresses(const ClientAddresses& addresses, session::PushReplyParams& push);

/// Gives `client` its addresses as host routes (iroutes are added separately).
void add_client_routes(ClientRoutes& routes, ClientId client, const ClientAddresses& addresses);

}  // namespace nfv::vpn::server
