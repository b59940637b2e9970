// What a server config expands to: OpenVPN's helper directives `server`, `server-ipv6` and
// `keepalive` (OpenVPN 2.6.14 helper.c helper_client_server(), helper_keepalive(); the
// expansions are documented in comments there) turned into concrete addresses, pools, timers
// and the ordered push list.
//
// For `server 10.8.0.0 255.255.255.0` with topology subnet:
//   ifconfig 10.8.0.1 255.255.255.0, ifconfig-pool 10.8.0.2 10.8.0.254 (netmask /24),
//   push "route-gateway 10.8.0.1", push "topology subnet"
// with topology net30 (or p2p):
//   ifconfig 10.8.0.1 10.8.0.2, ifconfig-pool 10.8.0.4 10.8.0.251 (4 reserved at the end,
//   none for a /29), route 10.8.0.0 255.255.255.0, push "route 10.8.0.0 255.255.255.0" with
//   client-to-client, else (net30) push "route 10.8.0.1", push "topology net30|p2p"
// For `server-ipv6 2001:db8::/64`: ifconfig-ipv6 2001:db8::1 2001:db8::2, pool from
// 2001:db8::1000 (from ::2 for /112 and longer), push "tun-ipv6".
// `keepalive N M` on a server: ping N, ping-restart 2*M, push "ping N", push "ping-restart M".
// The push list is the configured pushes in order, then server-ipv6's, server's and
// keepalive's, which is the order a 2.6.14 server sends them (compare the captured
// PUSH_REPLY in push_reply_test.cpp). Per-client options (ifconfig, peer-id, cipher ...) are
// added by the server at connection time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nfv/net/ip_address.hpp"
#include "nfv/platform/result.hpp"

#include "config/vpn_config.hpp"

namespace nfv::vpn::config {

/// OpenVPN's IFCONFIG_POOL_MIN_NETBITS: a --server network may not be larger than a /16.
inline constexpr std::uint8_t kMinServerPrefix = 16;

struct ServerPlan {
    Topology topology = Topology::kNet30;
    // The server's own tun address and the peer address (net30/p2p) or netmask (subnet).
    std::optional<std::pair<net::Ipv4Address, net::Ipv4Address>> ifconfig;
    std::optional<std::pair<net::Ipv4Address, net::Ipv4Address>> pool;  // first, last
    net::Ipv4Address pool_netmask;  // subnet topology: the netmask pushed with each address
    std::vector<Route> routes;      // routes the server itself installs
    // server-ipv6
    std::optional<net::Ipv6Address> ifconfig_ipv6;
    std::optional<net::Ipv6Address> ifconfig_ipv6_remote;
    std::uint8_t ipv6_prefix = 0;
    std::optional<net::Ipv6Address> ipv6_pool_base;
    // Timers after keepalive expansion.
    std::uint32_t ping = 0;
    std::uint32_t ping_restart = 0;
    std::vector<std::string> push;  // in the order they are sent
};

/// Expands the helper directives of a parsed server config. Errors are OpenVPN's usage
/// errors (network too large or too small, pool conflicts, keepalive with ping ...).
[[nodiscard]] Result<ServerPlan, std::string> plan_server(const VpnConfig& config);

/// `keepalive` for any role: the ping and ping-restart a peer uses itself (client/p2p: N and
/// M; server: N and 2*M), or the explicit ping/ping-restart when there is no keepalive.
[[nodiscard]] std::pair<std::uint32_t, std::uint32_t> effective_ping(const VpnConfig& config);

}  // namespace nfv::vpn::config
