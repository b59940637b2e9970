// The sockets an nfv-vpn server listens on, from `local`, `port`/`lport` and `proto`.
//
// OpenVPN 2.6 has one socket: `local HOST` (the last one wins; default any address of the
// protocol's family), port `lport` else `port`, transport and family from `proto`.
// OpenVPN 2.7 adds the multi-socket server: `local HOST PORT [PROTO]`, repeated, one socket per
// line; a missing PROTO is `proto`'s. Once any line has this form, every `local` line is a
// socket of its own (a bare `local HOST` then takes `lport`/`port` and `proto`).
// An IPv6 address with family "any" (proto udp/tcp) is dual stack unless `bind ipv6only`, as
// with one socket (platform sockets); a host name is not resolved here (numeric only).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nfv/platform/result.hpp"

#include "config/config_error.hpp"
#include "config/vpn_config.hpp"

namespace nfv::vpn::config {

struct ListenSocket {
    std::string host;  // numeric IPv4 or IPv6 address
    std::uint16_t port = 0;
    Transport transport = Transport::kUdp;
    bool operator==(const ListenSocket&) const = default;
};

/// The server's sockets in the order of the config. Fails (with the file and line of the
/// `local` directive) when two lines give the same socket; the config parser reports this for
/// a server (so --check-config finds it).
[[nodiscard]] Result<std::vector<ListenSocket>, ConfigError> listen_sockets(
    const VpnConfig& config);

}  // namespace nfv::vpn::config
