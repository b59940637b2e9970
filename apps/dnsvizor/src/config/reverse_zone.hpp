// Reverse-lookup zones for an address prefix, as dnsmasq derives them for rev-server= and
// domain=...,local: in-addr.arpa (RFC 1035 §3.5) on octet boundaries, ip6.arpa (RFC 3596 §2.5)
// on nibble boundaries. A prefix between boundaries becomes every zone one boundary below it
// (10.0.0.0/12 -> 0.10 ... 15.10.in-addr.arpa), as dnsmasq does.
#pragma once

#include <string>
#include <vector>

#include "nfv/net/cidr.hpp"

namespace nfv::dnsvizor::config {

/// The zones covering `cidr`, host bits ignored; prefix length 0 gives no zone (the caller
/// rejects it). Lower case, no trailing dot.
[[nodiscard]] std::vector<std::string> reverse_zones(const net::IpCidr& cidr);

}  // namespace nfv::dnsvizor::config
