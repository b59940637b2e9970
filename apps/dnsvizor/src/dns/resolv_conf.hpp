// resolv.conf(5) nameserver lines, as dnsmasq 2.90 reads them for its default upstream servers
// (dnsmasq.c/network.c reload_servers: only "nameserver" lines are used, everything else is
// ignored).
//
// A line is `nameserver <address>`; '#' and ';' start comments. IPv4 and IPv6 addresses are
// accepted. A scoped IPv6 address ("fe80::1%eth0") is reported and skipped: the zone needs an
// interface index, which a sans-I/O parser cannot resolve (dnsmasq resolves it with
// if_nametoindex). Other keywords (search, domain, options, sortlist) are not needed by a
// forwarder and are ignored silently, as dnsmasq does.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/net/ip_address.hpp"

namespace nfv::dnsvizor::dns {

struct ResolvConfProblem {
    std::size_t line = 0;  // 1-based
    std::string message;
};

struct ResolvConf {
    std::vector<net::IpAddress> nameservers;  // in file order, duplicates kept
    std::vector<ResolvConfProblem> problems;  // bad or unsupported nameserver lines
};

/// Parses resolv.conf text, reporting bad nameserver lines with their line number.
[[nodiscard]] ResolvConf parse_resolv_conf_detailed(std::string_view text);

/// The nameserver addresses of resolv.conf text (bad lines skipped).
[[nodiscard]] std::vector<net::IpAddress> parse_resolv_conf(std::string_view text);

}  // namespace nfv::dnsvizor::dns
