// The server's own TUN device: its addresses and routes from the expanded server plan, in the
// form tunnel/tunnel_plan.hpp plans from (the same path the client runtime configures its TUN
// with, through client/push_tunnel.hpp).
//
// Reference: OpenVPN 2.6 helper.c helper_client_server(): `server` gives the server
// "ifconfig" (net30/p2p: local and peer, plus "route NETWORK NETMASK" to the peer; subnet:
// local and netmask) and, with topology subnet, a default route gateway of network + 2 unless
// `route-gateway` is set, so the server's own `route` lines (for clients' iroutes) go into the
// TUN; `server-ipv6` gives "ifconfig-ipv6 NETWORK::1/BITS NETWORK::2".
// A server config with `redirect-gateway` is an error: that is a client option, and applying it
// to the server host would reroute the server's own traffic.
#pragma once

#include <string>

#include "nfv/platform/result.hpp"

#include "client/push_tunnel.hpp"
#include "config/server_plan.hpp"
#include "config/vpn_config.hpp"

namespace nfv::vpn::server {

/// The server TUN's network settings for `config` expanded into `plan`.
[[nodiscard]] Result<client::TunnelSettings, std::string> server_tunnel_settings(
    const config::VpnConfig& config, const config::ServerPlan& plan);

}  // namespace nfv::vpn::server
