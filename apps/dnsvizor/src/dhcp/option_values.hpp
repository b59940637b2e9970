// dnsmasq's dhcp-option / dhcp-option-force value syntax (dnsmasq(8) --dhcp-option, 2.90
// option.c parse_dhcp_opt) turned into encoded DHCPv4 option bytes (RFC 2132 value types).
//
//     dhcp-option=[tag:<tag>,...][encap:<opt>,|vi-encap:<ent>,|vendor:<class>,]
//                 <opt>|option:<name>|option6:<opt>,[<value>[,<value>]]
//
// The option is a number (1..254) or `option:` + one of dnsmasq's names (`router`,
// `dns-server`, `domain-search`, `classless-static-route`, ...). Leading fields that are not
// option selectors are tag conditions: `tag:x`, `tag:!x`, the legacy `net:x`, or a bare word
// (dnsmasq's legacy form); `#` is the legacy spelling of `!`.
//
// Values are encoded by the option's type: address lists (0.0.0.0 = "this server", patched in
// per reply), text, RFC 1035 names (119, RFC 3397), classless routes (121, RFC 3442
// `net/len,gw` pairs), SIP servers (120, RFC 3361), 8/16/32-bit integers and times. Options of no
// known type are inferred from the text as dnsmasq does: all addresses -> address list,
// `xx:xx` -> bytes, a decimal -> the smallest integer that holds it, anything else -> text.
// An option with no value suppresses the server's default for it (router, DNS server, ...).
//
// Vendor-encapsulated forms (encap:, vi-encap:, vendor:) and DHCPv6 options (option6:) are not
// served: they come back as `ignored` with the reason, for the caller to warn about.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "nfv/platform/result.hpp"

#include "dhcp/server_config.hpp"

namespace nfv::dnsvizor::dhcp {

/// A parsed dhcp-option line: either an option to serve, or the reason it is not served.
struct ParsedOptionLine {
    std::optional<ServedOption> option;
    std::string ignored;  // non-empty: a warning text; `option` is then empty
};

/// Parses the value of one dhcp-option (`force` = dhcp-option-force) line. The error text
/// names what is wrong ("unknown DHCP option name 'foo'"); the caller adds file, line and the
/// option name. Never throws.
[[nodiscard]] Result<ParsedOptionLine, std::string> parse_dhcp_option_line(std::string_view value,
                                                                           bool force);

/// The option code of a dnsmasq option name ("router" -> 3), or nullopt.
[[nodiscard]] std::optional<std::uint8_t> dhcp_option_code(std::string_view name);

/// Parses a tag condition field (`tag:x`, `tag:!x`, `net:x`, `tag:#x`); nullopt if `field` has
/// no tag prefix.
[[nodiscard]] std::optional<TagCondition> parse_tag_condition(std::string_view field);

/// Parses a dnsmasq lease time: N, Ns, Nm, Nh, Nd, Nw or `infinite` (-> kInfiniteLease).
/// No clamping here; nullopt if malformed or overflowing.
[[nodiscard]] std::optional<std::uint32_t> parse_lease_time(std::string_view text);

}  // namespace nfv::dnsvizor::dhcp
