// The server's script hooks `auth-user-pass-verify`, `client-connect` and `client-disconnect`:
// their arguments and the environment OpenVPN 2.6 gives them.
//
// Reference: OpenVPN 2.6 doc/man-sections/script-options.rst ("Environmental Variables"),
// ssl_verify.c verify_user_pass_script() and multi.c multi_client_connect_call_script():
//  * every hook needs `script-security 2`; `auth-user-pass-verify ... via-env` puts the
//    password into the environment and needs `script-security 3`;
//  * auth-user-pass-verify via-file gets one argument, a file in `tmp-dir` (mode 0600, deleted
//    afterwards) holding "username\npassword\n"; via-env gets `username` and `password`
//    variables. Exit status 0 accepts the client, anything else refuses it (AUTH_FAILED);
//  * client-connect gets one argument, a file it may write client-config-dir directives into
//    (ifconfig-push, iroute, push, push-reset, disable); a non-zero exit refuses the client;
//  * tls-verify runs once per certificate of the client's verified chain, root first, with
//    "DEPTH SUBJECT" appended; any non-zero exit refuses the client. OpenVPN runs it inside
//    the TLS handshake; nfv-vpn runs it right after (before auth-user-pass-verify), so a
//    refused client gets AUTH_FAILED rather than a failed handshake;
//  * client-disconnect runs when a client that passed client-connect goes away (its exit
//    status is ignored), with bytes_received, bytes_sent and time_duration;
//  * the environment: script_type, script_context, common_name, username, untrusted_ip/port
//    (before authentication) or trusted_ip/port, ifconfig_pool_remote_ip (and
//    ifconfig_pool_netmask for topology subnet, ifconfig_pool_local_ip for net30),
//    ifconfig_pool_remote_ip6, the server's dev/ifconfig_local/ifconfig_netmask, proto_1,
//    time_unix/time_ascii, X509_0_CN, the client's IV_ and UV_ peer-info variables, verb,
//    daemon and every `setenv` pair. A TCP client's address goes in the same variables
//    (IPv6 ones in untrusted_ip6/trusted_ip6, as OpenVPN names them).
// Like OpenVPN without a plugin, the server waits for each script (they should be quick).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/vpn_config.hpp"
#include "proto/tls_engine.hpp"
#include "server/client_addresses.hpp"

namespace nfv::vpn::server {

enum class ServerScript : std::uint8_t {
    kTlsVerify,
    kUserPassVerify,
    kClientConnect,
    kClientDisconnect
};

/// What the hooks are told about one client.
struct ClientScriptInfo {
    std::string common_name;
    std::string username;  // empty when the client sent none
    std::string password;  // only put into the environment by via-env
    std::string real_ip;
    std::uint16_t real_port = 0;
    bool real_ipv6 = false;
    bool tcp = false;
    std::optional<ClientAddresses> addresses;
    std::string peer_info;  // "IV_VER=2.6.14\nIV_PLAT=linux\n..."
    std::uint64_t bytes_received = 0;
    std::uint64_t bytes_sent = 0;
    std::uint32_t connected_since = 0;  // Unix seconds
    std::uint32_t now = 0;              // Unix seconds
};

/// The server side of the tunnel, for dev/ifconfig_local/ifconfig_netmask.
struct ServerScriptContext {
    std::string dev;
    std::optional<net::Ipv4Address> ifconfig_local;
    std::optional<net::Ipv4Address> ifconfig_netmask;  // topology subnet
    bool topology_subnet = true;
};

/// OpenVPN's script_type value ("user-pass-verify", "client-connect", "client-disconnect").
[[nodiscard]] std::string_view server_script_type(ServerScript script);

/// "NAME=value" entries for one hook run (not the process environment).
[[nodiscard]] std::vector<std::string> server_script_environment(const config::VpnConfig& config,
                                                                 ServerScript script,
                                                                 const ClientScriptInfo& client,
                                                                 const ServerScriptContext& server);

/// tls-verify for the certificate at `depth` of `chain` (leaf = 0): the arguments after the
/// command words ("DEPTH SUBJECT") come from the caller; this is the environment: the
/// variables of every certificate from the top of the chain down to `depth` (OpenVPN verifies
/// from the root down, setting tls_id_N, tls_serial_N, tls_serial_hex_N, tls_digest_N,
/// tls_digest_sha256_N and X509_N_<field> as it goes), plus untrusted_ip/untrusted_port.
[[nodiscard]] std::vector<std::string> tls_verify_environment(
    const config::VpnConfig& config, const ClientScriptInfo& client,
    std::span<const proto::PeerCertificate> chain, int depth);

/// Startup check: the hooks configured and whether `script-security` lets them run.
/// Returns an error naming the directive, or nothing.
[[nodiscard]] std::optional<std::string> check_server_scripts(const config::VpnConfig& config);

}  // namespace nfv::vpn::server
