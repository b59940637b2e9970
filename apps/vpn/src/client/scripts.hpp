// The client's script hooks `up`, `route-up`, `route-pre-down` and `down`: the arguments and
// environment OpenVPN 2.6 gives them, and running one.
//
// Reference: OpenVPN 2.6 doc/man-sections/script-options.rst and init.c run_up_down():
//  * a hook runs only with `script-security 2` or higher; a configured `up` or `down` that may
//    not run (or fails) is fatal, as OpenVPN runs both with S_FATAL; `route-up` and
//    `route-pre-down` failures are warnings;
//  * the command string is split into words (no shell), then `up`/`down` get
//    `dev tun_mtu 0 ifconfig_local ifconfig_netmask|ifconfig_remote init|restart` appended
//    (2.6 passes 0 where link_mtu was); `route-up` and `route-pre-down` get none;
//  * the environment carries script_type, script_context, dev, dev_type, tun_mtu,
//    ifconfig_local, ifconfig_netmask (topology subnet) or ifconfig_remote (net30/p2p),
//    ifconfig_ipv6_local/netbits/remote, route_vpn_gateway, route_network_N/route_netmask_N
//    (and route_gateway_N when the route names one), foreign_option_N for each pushed
//    dhcp-option ("dhcp-option DNS 10.8.0.1", numbered from 1 in push order), remote_1,
//    remote_port_1, proto_1, trusted_ip, trusted_port, verb, daemon and every `setenv` pair.
// nfv-vpn adds the addresses and routes in one step and runs `up` and `route-up` after both
// (OpenVPN runs `up` before adding routes); `route-pre-down` runs before the routes go and
// `down` after, while the TUN device is still open (OpenVPN closes it first unless `down-pre`).
// The process environment is passed on too.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/platform/result.hpp"

#include "config/push_reply.hpp"
#include "config/vpn_config.hpp"
#include "tunnel/tunnel_plan.hpp"

namespace nfv::vpn::client {

enum class ScriptType : std::uint8_t { kUp, kRouteUp, kRoutePreDown, kDown };

/// What the tunnel looked like when a hook runs.
struct ScriptState {
    std::string dev;
    const tunnel::TunnelNetwork* network = nullptr;  // required
    const config::PushedOptions* pushed = nullptr;   // required
    std::string remote_host;                         // the server's address as connected
    std::uint16_t remote_port = 0;
    bool tcp = false;
    bool restart = false;  // script_context=restart after the first connection
};

/// A command string split into words on blanks; single and double quotes group words (OpenVPN's
/// argv_parse_cmd). No shell is involved.
[[nodiscard]] std::vector<std::string> split_command(std::string_view command);

/// The word list of a hook: the command split on blanks (single and double quotes group
/// words, as OpenVPN's argv_parse_cmd does), then the standard arguments for up/down.
[[nodiscard]] std::vector<std::string> script_arguments(std::string_view command, ScriptType type,
                                                        const ScriptState& state);

/// "NAME=value" entries of the OpenVPN variables for a hook (not the process environment).
[[nodiscard]] std::vector<std::string> script_environment(const config::VpnConfig& config,
                                                          ScriptType type,
                                                          const ScriptState& state);

/// OpenVPN's name of the hook and its script_type value ("up", "route-pre-down" ...).
[[nodiscard]] std::string_view script_type_name(ScriptType type);

/// The command string configured for `type`, empty when none.
[[nodiscard]] const std::string& script_command(const config::VpnConfig& config, ScriptType type);

/// Runs argv[0] (no PATH search, like OpenVPN's execve) with the process environment plus
/// `environment`, and waits for it. Errors: cannot start, killed by a signal, or a non-zero
/// exit status.
[[nodiscard]] Result<void, std::string> run_script(std::span<const std::string> argv,
                                                   std::span<const std::string> environment);

}  // namespace nfv::vpn::client
