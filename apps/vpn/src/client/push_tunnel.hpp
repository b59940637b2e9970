// The tunnel network of a connected client: the client's own network options overlaid with
// what the server pushed (pushed values win, as OpenVPN's pull options replace the local ones),
// in the form tunnel/tunnel_plan.hpp plans from.
//
// Reference: OpenVPN 2.6 options.c (pull: --ifconfig, --route-gateway, --topology, --tun-mtu
// from the server), route.c (redirect-gateway without def1 replaces the default route; nfv-vpn
// applies it like def1, which routes the same traffic without deleting the host's default
// route, and says so in a warning).
#pragma once

#include <string>
#include <vector>

#include "nfv/platform/result.hpp"

#include "config/push_reply.hpp"
#include "config/vpn_config.hpp"
#include "tunnel/tunnel_plan.hpp"

namespace nfv::vpn::client {

struct TunnelSettings {
    tunnel::TunnelNetwork network;
    std::vector<std::string> warnings;
};

/// Merges `own` and `pushed`. Errors name the option whose value cannot be used (a route to a
/// host name, an unparsable address).
[[nodiscard]] Result<TunnelSettings, std::string> tunnel_settings(
    const config::VpnConfig& own, const config::PushedOptions& pushed);

}  // namespace nfv::vpn::client
