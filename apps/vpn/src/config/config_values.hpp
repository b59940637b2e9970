// Parsers for the parameter values of OpenVPN directives (numbers, ports, protocols, addresses,
// key directions). Each returns the value or a message naming what was expected; the caller
// adds file, line and directive.
//
// OpenVPN itself mostly uses atoi() and accepts "10abc" as 10; nfv-vpn is strict (decimal
// digits only) so that a typo is reported instead of silently changing a timer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "nfv/net/ip_address.hpp"
#include "nfv/platform/result.hpp"

#include "config/vpn_config.hpp"

namespace nfv::vpn::config {

/// Decimal integer in [min, max].
[[nodiscard]] Result<std::uint64_t, std::string> parse_number(std::string_view text,
                                                              std::uint64_t min, std::uint64_t max);
/// parse_number limited to 32 bits.
[[nodiscard]] Result<std::uint32_t, std::string> parse_u32(std::string_view text,
                                                           std::uint32_t min = 0,
                                                           std::uint32_t max = UINT32_MAX);
/// A port number 1..65535 (OpenVPN's legal_ipv4_port; 0 is not accepted).
[[nodiscard]] Result<std::uint16_t, std::string> parse_port(std::string_view text);
/// proto values: udp, udp4, udp6, tcp, tcp4, tcp6, tcp-client, tcp4-client, tcp6-client,
/// tcp-server, tcp4-server, tcp6-server (OpenVPN's proto_names[]).
[[nodiscard]] Result<Protocol, std::string> parse_protocol(std::string_view text);
/// A dotted-quad IPv4 address.
[[nodiscard]] Result<net::Ipv4Address, std::string> parse_ipv4(std::string_view text);
/// A contiguous IPv4 netmask such as 255.255.255.0.
[[nodiscard]] Result<net::Ipv4Address, std::string> parse_netmask(std::string_view text);
/// "0" (NORMAL) or "1" (INVERSE), as key-direction and tls-auth's second parameter.
[[nodiscard]] Result<KeyDirection, std::string> parse_key_direction(std::string_view text);
/// ADDRESS/BITS for IPv6 (server-ipv6, route-ipv6, ifconfig-ipv6); checks the syntax only.
[[nodiscard]] Result<std::string, std::string> parse_ipv6_prefix(std::string_view text);
/// Sets one redirect-gateway/redirect-private flag (local, autolocal, def1, bypass-dhcp,
/// bypass-dns, block-local, ipv6, !ipv4) on `redirect`; false for an unknown flag. Shared by
/// the config file and PUSH_REPLY so both accept exactly the same set.
[[nodiscard]] bool set_redirect_flag(RedirectGateway& redirect, std::string_view flag);

}  // namespace nfv::vpn::config
