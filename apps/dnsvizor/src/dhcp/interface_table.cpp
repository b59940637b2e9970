#include "dhcp/interface_table.hpp"

#include <algorithm>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <ifaddrs.h>

namespace nfv::dnsvizor::dhcp {

namespace {

net::Ipv4Address from_sockaddr(const sockaddr* address) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);  // NOLINT: family checked
    return net::Ipv4Address::from_u32(ntohl(in->sin_addr.s_addr));
}

}  // namespace

std::vector<LocalAddress> list_local_addresses() {
    std::vector<LocalAddress> out;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0)
        return out;
    for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
        if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != AF_INET)
            continue;
        if ((entry->ifa_flags & IFF_UP) == 0)
            continue;
        LocalAddress local;
        local.name = entry->ifa_name;
        local.index = ::if_nametoindex(entry->ifa_name);
        const auto address = from_sockaddr(entry->ifa_addr);
        std::uint8_t prefix = 32;
        if (entry->ifa_netmask != nullptr) {
            prefix = net::Ipv4Cidr::prefix_from_netmask(from_sockaddr(entry->ifa_netmask))
                         .value_or(std::uint8_t{32});
        }
        local.subnet = net::Ipv4Cidr(address, prefix);
        local.loopback = (entry->ifa_flags & IFF_LOOPBACK) != 0;
        if (local.index != 0)
            out.push_back(std::move(local));
    }
    ::freeifaddrs(list);
    return out;
}

bool interface_pattern_matches(std::string_view pattern, std::string_view name) {
    if (!pattern.empty() && pattern.back() == '*')
        return name.starts_with(pattern.substr(0, pattern.size() - 1));
    return pattern == name;
}

bool InterfaceTable::served(const LocalAddress& address) const {
    if (address.loopback && !filter_.allow_loopback)
        return false;
    const auto matches = [&](const std::string& pattern) {
        return interface_pattern_matches(pattern, address.name);
    };
    if (std::any_of(filter_.exclude.begin(), filter_.exclude.end(), matches))
        return false;
    return filter_.include.empty() ||
           std::any_of(filter_.include.begin(), filter_.include.end(), matches);
}

void InterfaceTable::set(std::vector<LocalAddress> addresses, platform::Instant now) {
    by_index_.clear();
    for (auto& address : addresses)
        by_index_[address.index].push_back(std::move(address));
    loaded_at_ = now;
}

std::optional<InterfaceInfo> InterfaceTable::lookup(std::uint32_t index, platform::Instant now) {
    if (!loaded_at_ || now - *loaded_at_ > kMaxAge)
        refresh(now);
    auto it = by_index_.find(index);
    if (it == by_index_.end() && now - *loaded_at_ > kMissRefreshInterval) {
        refresh(now);
        it = by_index_.find(index);
    }
    if (it == by_index_.end() || it->second.empty())
        return std::nullopt;
    const auto& addresses = it->second;
    if (!served(addresses.front()))
        return std::nullopt;
    // Prefer the address whose subnet holds a dhcp-range.
    const LocalAddress* chosen = &addresses.front();
    for (const auto& address : addresses) {
        const net::Ipv4Cidr network(address.subnet.network(), address.subnet.prefix_length());
        const bool holds_range = std::any_of(ranges_.begin(), ranges_.end(), [&](const auto& r) {
            return network.contains(r.start);
        });
        if (holds_range) {
            chosen = &address;
            break;
        }
    }
    return InterfaceInfo{chosen->name, chosen->subnet.address(),
                         net::Ipv4Cidr(chosen->subnet.network(), chosen->subnet.prefix_length())};
}

}  // namespace nfv::dnsvizor::dhcp
