// dnsmasq's lease file format (dnsmasq 2.90 lease.c, as documented in dnsmasq(8) --dhcp-leasefile):
// one DHCPv4 lease per line,
//
//     <expiry unix time> <hardware address> <IPv4 address> <host name or *> <client id or *>
//
// e.g. `1732460000 52:54:00:12:34:56 192.168.1.50 laptop 01:52:54:00:12:34:56`. Expiry 0 is an
// infinite lease. A hardware address of another type than Ethernet carries a "TT-" type prefix.
// DHCPv6 leases follow a `duid ...` line; we keep those lines verbatim (we do not serve DHCPv6
// yet) so that a file written by dnsmasq survives a round trip through us.
//
// Contract: parse never throws; each bad line is skipped and reported with its line number, so
// one corrupt line never loses the other leases.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dhcp/lease.hpp"

namespace nfv::dnsvizor::dhcp {

struct LeaseFileProblem {
    int line = 0;
    std::string message;
};

struct LeaseFileContent {
    std::vector<Lease> leases;
    std::vector<std::string> ipv6_lines;  // the `duid` line and what follows, verbatim
    std::vector<LeaseFileProblem> problems;
};

[[nodiscard]] LeaseFileContent parse_lease_file(std::string_view text);

/// The file text for `leases` (in the given order), then `ipv6_lines`.
[[nodiscard]] std::string format_lease_file(const std::vector<Lease>& leases,
                                            const std::vector<std::string>& ipv6_lines = {});

/// One lease's line, without the newline.
[[nodiscard]] std::string format_lease_line(const Lease& lease);

/// Parses "aa:bb:cc" hex bytes (1..2 digits per byte) into bytes; false if malformed.
[[nodiscard]] bool parse_hex_bytes(std::string_view text, std::vector<std::uint8_t>& out);

/// "aa:bb:cc" for bytes; "*" for an empty list when `star_if_empty`.
[[nodiscard]] std::string format_hex_bytes(const std::vector<std::uint8_t>& bytes);

}  // namespace nfv::dnsvizor::dhcp
