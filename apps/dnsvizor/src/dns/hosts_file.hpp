// /etc/hosts format as dnsmasq 2.90 reads it (cache.c read_hostsfile; hosts(5)).
//
// One address per line, followed by any number of names separated by blanks; '#' starts a
// comment that runs to the end of the line. The address is IPv4 (strict dotted quad) or IPv6
// (no zone identifier). A line whose address does not parse is reported ("bad address") and
// skipped as a whole, like dnsmasq; a name that is not a legal DNS name is reported ("bad name")
// and skipped while the other names of the line are kept. A line with an address but no names
// is accepted and contributes nothing.
//
// Names are kept as written, lower-cased (DNS names are case-insensitive, RFC 4343) and without a
// trailing dot. Appending the domain for `expand-hosts` is the resolver's job, because it
// depends on `domain=` rules (see LocalResolver).
//
// This is the pure parser: text in, entries out. Reading files and directories is in
// hosts_loader.hpp.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/net/ip_address.hpp"

namespace nfv::dnsvizor::dns {

/// One address line of a hosts file.
struct HostsEntry {
    net::IpAddress address;
    std::vector<std::string> names;  // lower case, no trailing dot, in file order
    std::size_t line = 0;            // 1-based line number in the file

    friend bool operator==(const HostsEntry&, const HostsEntry&) = default;
};

/// A line (or a name on it) that was skipped.
struct HostsProblem {
    std::size_t line = 0;  // 1-based
    std::string message;   // "bad address 'x'" / "bad name 'y'"
};

struct HostsFileContent {
    std::vector<HostsEntry> entries;  // only lines with at least one good name
    std::vector<HostsProblem> problems;
};

/// Parses hosts-file text. Never fails as a whole: bad lines and names are skipped and reported
/// in `problems` with their line numbers. Accepts "\n" and "\r\n" line ends.
[[nodiscard]] HostsFileContent parse_hosts_file(std::string_view text);

/// True if `name` is acceptable as a host name in a hosts file: after removing one trailing dot,
/// non-empty labels of 1..63 bytes, at most 253 characters, only printable ASCII other than
/// blanks, '#', '\\' and '/'. (dnsmasq 2.90 also accepts '_' and '!' etc.; it rejects control
/// characters and over-long names.)
[[nodiscard]] bool is_valid_hosts_name(std::string_view name);

}  // namespace nfv::dnsvizor::dns
