#include "server/client_addresses.hpp"

#include <array>
#include <cstdint>

#include "nfv/net/cidr.hpp"

namespace nfv::vpn::server {
namespace {

// `base` + `offset` as a 128-bit big-endian number; nullopt on overflow past ffff:...:ffff.
std::optional<net::Ipv6Address> add(const net::Ipv6Address& base, std::uint64_t offset) {
    auto octets = base.octets();
    std::uint64_t carry = offset;
    for (std::size_t i = octets.size(); i-- > 0 && carry != 0;) {
        const std::uint64_t sum = octets[i] + (carry & 0xffU);
        octets[i] = static_cast<std::uint8_t>(sum & 0xffU);
        carry = (carry >> 8U) + (sum >> 8U);
    }
    if (carry != 0) {
        return std::nullopt;
    }
    return net::Ipv6Address(octets);
}

}  // namespace

Result<ClientAddresses, std::string> client_addresses(const config::ServerPlan& plan,
                                                      const session::PoolLease& lease) {
    ClientAddresses out;
    out.ifconfig = lease.ifconfig;
    if (plan.ipv6_pool_base && plan.ifconfig_ipv6) {
        const auto address = add(*plan.ipv6_pool_base, lease.index);
        const net::Ipv6Cidr network(*plan.ifconfig_ipv6, plan.ipv6_prefix);
        if (!address || !network.contains(*address)) {
            return Unexpected("server-ipv6 " + network.network().to_string() + "/" +
                              std::to_string(plan.ipv6_prefix) +
                              ": too small for IPv4 pool entry " + std::to_string(lease.index));
        }
        out.ipv6 = address;
        out.ipv6_prefix = plan.ipv6_prefix;
        out.ipv6_remote = plan.ifconfig_ipv6;
    }
    return out;
}

std::vector<config::PoolEntry> persist_entries(const config::ServerPlan& plan,
                                               const session::AddressPool& pool) {
    auto entries = pool.persist_entries();
    for (auto& entry : entries) {
        const auto index = entry.ipv4 ? pool.index_of(*entry.ipv4) : std::nullopt;
        if (!index) {
            continue;
        }
        if (const auto addresses = client_addresses(plan, session::PoolLease{*index, {}})) {
            entry.ipv6 = addresses->ipv6;
        }
    }
    return entries;
}

void set_push_addresses(const ClientAddresses& addresses, session::PushReplyParams& push) {
    push.ifconfig = addresses.ifconfig;
    push.ifconfig_ipv6 = addresses.ipv6;
    push.ifconfig_ipv6_prefix = addresses.ipv6_prefix;
    push.ifconfig_ipv6_remote = addresses.ipv6_remote;
}

void add_client_routes(ClientRoutes& routes, ClientId client, const ClientAddresses& addresses) {
    routes.add(net::IpAddress(addresses.ifconfig.first), client);
    if (addresses.ipv6) {
        routes.add(net::IpAddress(*addresses.ipv6), client);
    }
}

}  // namespace nfv::vpn::server
