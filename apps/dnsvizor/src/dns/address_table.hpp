// AddressTable: names with IPv4/IPv6 addresses and the matching reverse (PTR) mapping, the shape
// of dnsmasq 2.90's "immortal" cache entries for /etc/hosts, `host-record=` and DHCP lease names
// (cache.c add_hosts_entry, cache_add_dhcp_entry).
//
// Forward: every (name, address) pair answers A or AAAA for that name; duplicates are dropped.
// Reverse: the first name added for an address with `reverse = true` answers its PTR query
// ("first one trumps", like dnsmasq).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nfv/net/ip_address.hpp"

#include "dns/domain_match.hpp"

namespace nfv::dnsvizor::dns {

struct TableAddress {
    net::IpAddress address;
    std::uint32_t ttl = 0;
};

struct TableName {
    std::string name;  // the key (lower case, no trailing dot)
    std::uint32_t ttl = 0;
};

class AddressTable {
public:
    /// Adds `address` for `key` (a name key, see domain_match.hpp). With `reverse`, the address
    /// also answers PTR with `key` unless an earlier name already claimed it.
    void add(std::string_view key, net::IpAddress address, std::uint32_t ttl, bool reverse);

    /// Removes the pair (key, address) and, if `key` was the PTR name of `address`, the PTR.
    void remove(std::string_view key, net::IpAddress address);

    /// Addresses of `key` in insertion order (both families); nullptr if the name is unknown.
    [[nodiscard]] const std::vector<TableAddress>* find(std::string_view key) const;

    /// The PTR name of `address`, or nullptr.
    [[nodiscard]] const TableName* find_reverse(const net::IpAddress& address) const;

    void clear();
    [[nodiscard]] std::size_t name_count() const { return forward_.size(); }

private:
    KeyMap<std::vector<TableAddress>> forward_;
    std::map<net::IpAddress, TableName> reverse_;
};

}  // namespace nfv::dnsvizor::dns
