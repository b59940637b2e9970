// DNS-rebind protection for upstream answers (dnsmasq 2.90 `stop-dns-rebind`,
// `rebind-localhost-ok`, `rebind-domain-ok`; man page dnsmasq(8), and RFC 6303 for the
// address ranges that are not globally routed).
//
// Contract: an upstream answer whose answer section holds an A or AAAA record in the private
// ranges dnsmasq 2.90 bans is "doctored" as dnsmasq does: the answer, authority and additional
// sections are emptied and TC is cleared; rcode and the other header flags are kept, so the
// client sees NOERROR with no data (NODATA). Such an answer is not cached.
//   IPv4 banned: 10/8, 172.16/12, 192.168/16, 169.254/16, the TEST-NETs 192.0.2/24,
//     198.51.100/24, 203.0.113/24, 255.255.255.255, and 127/8 and 0/8 unless
//     rebind-localhost-ok.
//   IPv6 banned: fe80::/10 (link-local), fec0::/10 (site-local), fd00::/8 (ULA as dnsmasq
//     tests it: first octet 0xfd only), 2001:db8::/32, :: and ::1 unless rebind-localhost-ok,
//     and IPv4-mapped addresses whose IPv4 part is banned.
// Names under a rebind-domain-ok domain are exempt (domain and subdomains).
#pragma once

#include <string>
#include <vector>

#include "nfv/net/dns/message.hpp"
#include "nfv/net/ip_address.hpp"

namespace nfv::dnsvizor::server {

struct RebindPolicy {
    bool enabled = false;                     // stop-dns-rebind
    bool localhost_ok = false;                // rebind-localhost-ok
    std::vector<std::string> exempt_domains;  // rebind-domain-ok (normalised keys)
};

/// True if dnsmasq 2.90's rebind check bans `address` (see the banner).
[[nodiscard]] bool is_rebind_banned(const net::Ipv4Address& address, bool localhost_ok);
[[nodiscard]] bool is_rebind_banned(const net::Ipv6Address& address, bool localhost_ok);

/// Applies the policy to an upstream reply. Returns true if the reply held a banned address
/// and was doctored (sections emptied, TC cleared); false if it was left as it is.
[[nodiscard]] bool apply_rebind_policy(const RebindPolicy& policy, net::dns::Message& reply);

}  // namespace nfv::dnsvizor::server
