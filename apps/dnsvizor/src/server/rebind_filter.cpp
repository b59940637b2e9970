#include "server/rebind_filter.hpp"

#include <algorithm>
#include <cstdint>
#include <variant>

#include "dns/domain_match.hpp"

namespace nfv::dnsvizor::server {

namespace {

constexpr bool in_prefix(std::uint32_t value, std::uint32_t prefix, unsigned bits) {
    const std::uint32_t mask = bits == 0 ? 0U : ~std::uint32_t{0} << (32U - bits);
    return (value & mask) == prefix;
}

std::uint32_t to_u32(const std::array<std::uint8_t, 4>& octets) {
    return (std::uint32_t{octets[0]} << 24U) | (std::uint32_t{octets[1]} << 16U) |
           (std::uint32_t{octets[2]} << 8U) | std::uint32_t{octets[3]};
}

}  // namespace

bool is_rebind_banned(const net::Ipv4Address& address, bool localhost_ok) {
    const std::uint32_t v = to_u32(address.octets());
    if (!localhost_ok && (in_prefix(v, 0x7f000000U, 8) || in_prefix(v, 0x00000000U, 8))) {
        return true;  // 127/8 loopback, 0/8 "this network" (RFC 5735 §3)
    }
    return in_prefix(v, 0x0a000000U, 8) ||   // 10/8 (RFC 1918)
           in_prefix(v, 0xac100000U, 12) ||  // 172.16/12 (RFC 1918)
           in_prefix(v, 0xc0a80000U, 16) ||  // 192.168/16 (RFC 1918)
           in_prefix(v, 0xa9fe0000U, 16) ||  // 169.254/16 (RFC 3927)
           in_prefix(v, 0xc0000200U, 24) ||  // 192.0.2/24 TEST-NET-1 (RFC 5737)
           in_prefix(v, 0xc6336400U, 24) ||  // 198.51.100/24 TEST-NET-2
           in_prefix(v, 0xcb007100U, 24) ||  // 203.0.113/24 TEST-NET-3
           v == 0xffffffffU;                 // limited broadcast
}

bool is_rebind_banned(const net::Ipv6Address& address, bool localhost_ok) {
    if (const auto v4 = address.to_v4_mapped()) {
        return is_rebind_banned(*v4, localhost_ok);
    }
    if (!localhost_ok && (address.is_unspecified() || address.is_loopback())) {
        return true;  // RFC 6303 §4.3
    }
    const auto o = address.octets();
    const bool site_local = o[0] == 0xfe && (o[1] & 0xc0U) == 0xc0U;
    const bool documentation = o[0] == 0x20 && o[1] == 0x01 && o[2] == 0x0d && o[3] == 0xb8;
    return address.is_link_local() || site_local || o[0] == 0xfd || documentation;
}

bool apply_rebind_policy(const RebindPolicy& policy, net::dns::Message& reply) {
    if (!policy.enabled || reply.questions.empty()) {
        return false;
    }
    const std::string key = dns::name_key(reply.questions.front().name);
    const bool exempt =
        std::any_of(policy.exempt_domains.begin(), policy.exempt_domains.end(),
                    [&](const std::string& domain) { return dns::is_in_domain(key, domain); });
    if (exempt) {
        return false;
    }
    const bool banned =
        std::any_of(reply.answers.begin(), reply.answers.end(), [&](const auto& record) {
            if (const auto* a = std::get_if<net::dns::rdata::A>(&record.rdata)) {
                return is_rebind_banned(net::Ipv4Address(a->address), policy.localhost_ok);
            }
            if (const auto* aaaa = std::get_if<net::dns::rdata::Aaaa>(&record.rdata)) {
                return is_rebind_banned(net::Ipv6Address(aaaa->address), policy.localhost_ok);
            }
            return false;
        });
    if (!banned) {
        return false;
    }
    reply.answers.clear();
    reply.authorities.clear();
    reply.additionals.clear();
    reply.header.tc = false;
    return true;
}

}  // namespace nfv::dnsvizor::server
