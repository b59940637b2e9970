#include "server/listen_plan.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>

#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <ifaddrs.h>

namespace nfv::dnsvizor::server {

namespace {

void add_unique(std::vector<net::IpAddress>& list, const net::IpAddress& address) {
    if (std::find(list.begin(), list.end(), address) == list.end()) {
        list.push_back(address);
    }
}

bool bindable(const InterfaceAddress& entry) {
    return !(entry.address.is_v6() && entry.address.v6().is_link_local());
}

bool matches_any(const std::vector<std::string>& patterns, std::string_view name) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return interface_matches(p, name); });
}

std::uint8_t prefix_of(const sockaddr* mask) {
    if (mask == nullptr) {
        return 0;
    }
    std::span<const std::uint8_t> bytes;
    if (mask->sa_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(mask);  // NOLINT: getifaddrs API
        bytes = std::span(reinterpret_cast<const std::uint8_t*>(&in->sin_addr), 4);  // NOLINT
    } else if (mask->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(mask);  // NOLINT: getifaddrs API
        bytes = std::span(reinterpret_cast<const std::uint8_t*>(&in6->sin6_addr), 16);  // NOLINT
    }
    std::uint8_t prefix = 0;
    for (const auto byte : bytes) {
        prefix = static_cast<std::uint8_t>(prefix + std::popcount(byte));
    }
    return prefix;
}

}  // namespace

bool interface_matches(std::string_view pattern, std::string_view name) {
    if (!pattern.empty() && pattern.back() == '*') {
        pattern.remove_suffix(1);
        return name.substr(0, pattern.size()) == pattern;
    }
    return pattern == name;
}

ListenPlan plan_listen_addresses(const dns::ListenSettings& listen,
                                 std::span<const InterfaceAddress> interfaces) {
    ListenPlan plan;
    if (listen.port == 0) {
        return plan;
    }
    const bool filtered = !listen.interfaces.empty() || !listen.except_interfaces.empty() ||
                          !listen.listen_addresses.empty();
    if (!filtered) {
        plan.wildcard = true;
        if (listen.bind_interfaces || listen.bind_dynamic) {
            // With no filter, dnsmasq binds every address it finds; so do we.
            plan.wildcard = false;
            for (const auto& entry : interfaces) {
                if (bindable(entry)) {
                    add_unique(plan.addresses, entry.address);
                }
            }
        }
    } else {
        for (const auto& address : listen.listen_addresses) {
            add_unique(plan.addresses, address);
        }
        for (const auto& pattern : listen.interfaces) {
            const bool found =
                std::any_of(interfaces.begin(), interfaces.end(),
                            [&](const auto& e) { return interface_matches(pattern, e.interface); });
            if (!found) {
                plan.warnings.push_back("interface=" + pattern +
                                        ": no such interface with an address at start-up; "
                                        "not served");
            }
        }
        const bool by_interface = !listen.interfaces.empty() || !listen.except_interfaces.empty();
        for (const auto& entry : interfaces) {
            if (!bindable(entry) || !by_interface) {
                continue;
            }
            if (matches_any(listen.except_interfaces, entry.interface)) {
                continue;
            }
            const bool wanted = listen.interfaces.empty()
                                    ? true  // except-interface= alone: every other interface
                                    : matches_any(listen.interfaces, entry.interface) ||
                                          entry.loopback;  // interface= implies loopback
            if (wanted) {
                add_unique(plan.addresses, entry.address);
            }
        }
        if (by_interface && !listen.bind_interfaces && !listen.bind_dynamic) {
            plan.warnings.push_back(
                "interface=/except-interface= without bind-interfaces: the interface addresses "
                "present at start-up are bound; addresses added later are not served");
        }
    }
    if (listen.bind_dynamic) {
        plan.warnings.push_back(
            "bind-dynamic: treated as bind-interfaces; interfaces and addresses that appear "
            "after start-up are not followed");
    }
    if (!plan.wildcard && plan.addresses.empty()) {
        plan.errors.emplace_back("no address to listen on (check interface=/listen-address=)");
    }
    return plan;
}

std::vector<net::IpCidr> local_subnets(std::span<const InterfaceAddress> interfaces) {
    std::vector<net::IpCidr> subnets;
    for (const auto& entry : interfaces) {
        if (entry.address.is_v4()) {
            subnets.emplace_back(net::Ipv4Cidr(entry.address.v4(), entry.prefix_length));
        } else {
            subnets.emplace_back(net::Ipv6Cidr(entry.address.v6(), entry.prefix_length));
        }
    }
    return subnets;
}

std::vector<InterfaceAddress> system_interface_addresses() {
    std::vector<InterfaceAddress> result;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) {
        return result;
    }
    for (const ifaddrs* it = list; it != nullptr; it = it->ifa_next) {
        if (it->ifa_addr == nullptr || (it->ifa_flags & IFF_UP) == 0U) {
            continue;
        }
        InterfaceAddress entry;
        entry.interface = it->ifa_name;
        entry.loopback = (it->ifa_flags & IFF_LOOPBACK) != 0U;
        if (it->ifa_addr->sa_family == AF_INET) {
            const auto* in = reinterpret_cast<const sockaddr_in*>(it->ifa_addr);  // NOLINT
            std::array<std::uint8_t, 4> octets{};
            std::memcpy(octets.data(), &in->sin_addr, 4);
            entry.address = net::Ipv4Address(octets);
        } else if (it->ifa_addr->sa_family == AF_INET6) {
            const auto* in6 = reinterpret_cast<const sockaddr_in6*>(it->ifa_addr);  // NOLINT
            std::array<std::uint8_t, 16> octets{};
            std::memcpy(octets.data(), &in6->sin6_addr, 16);
            entry.address = net::Ipv6Address(octets);
        } else {
            continue;
        }
        entry.prefix_length = prefix_of(it->ifa_netmask);
        result.push_back(std::move(entry));
    }
    freeifaddrs(list);
    return result;
}

}  // namespace nfv::dnsvizor::server
