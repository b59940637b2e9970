#include "dns/address_table.hpp"

#include <algorithm>

namespace nfv::dnsvizor::dns {

void AddressTable::add(std::string_view key, net::IpAddress address, std::uint32_t ttl,
                       bool reverse) {
    auto& addresses = forward_[std::string(key)];
    const bool present = std::any_of(addresses.begin(), addresses.end(),
                                     [&](const TableAddress& a) { return a.address == address; });
    if (!present) {
        addresses.push_back({address, ttl});
    }
    if (reverse) {
        reverse_.try_emplace(address, TableName{std::string(key), ttl});
    }
}

void AddressTable::remove(std::string_view key, net::IpAddress address) {
    if (const auto it = forward_.find(key); it != forward_.end()) {
        std::erase_if(it->second, [&](const TableAddress& a) { return a.address == address; });
        if (it->second.empty()) {
            forward_.erase(it);
        }
    }
    if (const auto it = reverse_.find(address); it != reverse_.end() && it->second.name == key) {
        reverse_.erase(it);
    }
}

const std::vector<TableAddress>* AddressTable::find(std::string_view key) const {
    const auto it = forward_.find(key);
    return it == forward_.end() ? nullptr : &it->second;
}

const TableName* AddressTable::find_reverse(const net::IpAddress& address) const {
    const auto it = reverse_.find(address);
    return it == reverse_.end() ? nullptr : &it->second;
}

void AddressTable::clear() {
    forward_.clear();
    reverse_.clear();
}

}  // namespace nfv::dnsvizor::dns
