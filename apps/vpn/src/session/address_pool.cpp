#include "session/address_pool.hpp"

#include <cstdint>

namespace nfv::vpn::session {

AddressPool::AddressPool(net::Ipv4Address first, net::Ipv4Address last, config::Topology topology,
                         net::Ipv4Address netmask, bool duplicate_cn)
    : topology_(topology), netmask_(netmask), duplicate_cn_(duplicate_cn) {
    const std::uint32_t step = topology == config::Topology::kNet30 ? 4 : 1;
    const std::uint32_t begin = first.to_u32();
    const std::uint32_t end = last.to_u32();
    // A net30 block must fit entirely (base .. base+3) inside the range.
    for (std::uint64_t base = begin; base + step - 1 <= end; base += step) {
        entries_.push_back({static_cast<std::uint32_t>(base), {}, false, 0});
    }
}

net::Ipv4Address AddressPool::client_address(const Entry& entry) const {
    return net::Ipv4Address::from_u32(topology_ == config::Topology::kNet30 ? entry.base + 2
                                                                            : entry.base);
}

PoolLease AddressPool::lease(std::size_t index) const {
    const Entry& entry = entries_[index];
    if (topology_ == config::Topology::kNet30) {
        return {index, {client_address(entry), net::Ipv4Address::from_u32(entry.base + 1)}};
    }
    return {index, {client_address(entry), netmask_}};
}

std::optional<PoolLease> AddressPool::acquire(std::string_view common_name) {
    // Preference: the free entry this name had before; a free entry nobody ever had; the free
    // entry released longest ago; last, an entry reserved (persisted) for another name.
    const auto rank = [&](const Entry& entry) -> std::optional<std::uint64_t> {
        if (entry.in_use) {
            return std::nullopt;
        }
        if (!duplicate_cn_ && !common_name.empty() && entry.common_name == common_name) {
            return 0;
        }
        if (entry.common_name.empty() && entry.released == 0) {
            return 1;
        }
        if (entry.released != 0) {
            return 2 + entry.released;
        }
        return UINT64_MAX;  // reserved for another name, never used since loading
    };
    std::optional<std::size_t> chosen;
    std::uint64_t best = UINT64_MAX;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const auto r = rank(entries_[i]);
        if (r && (!chosen || *r < best)) {
            chosen = i;
            best = *r;
        }
    }
    if (!chosen) {
        return std::nullopt;
    }
    Entry& entry = entries_[*chosen];
    entry.in_use = true;
    entry.common_name = duplicate_cn_ ? std::string{} : std::string(common_name);
    return lease(*chosen);
}

void AddressPool::release(std::size_t index) {
    if (index < entries_.size() && entries_[index].in_use) {
        entries_[index].in_use = false;
        entries_[index].released = ++release_clock_;
    }
}

void AddressPool::load(std::span<const config::PoolEntry> entries) {
    for (const auto& persisted : entries) {
        if (!persisted.ipv4 || persisted.common_name.empty()) {
            continue;
        }
        for (auto& entry : entries_) {
            if (client_address(entry) == *persisted.ipv4 && !entry.in_use) {
                entry.common_name = persisted.common_name;
                break;
            }
        }
    }
}

std::vector<config::PoolEntry> AddressPool::persist_entries() const {
    std::vector<config::PoolEntry> out;
    for (const auto& entry : entries_) {
        if (!entry.common_name.empty()) {
            out.push_back({entry.common_name, client_address(entry), std::nullopt});
        }
    }
    return out;
}

std::optional<std::size_t> AddressPool::index_of(net::Ipv4Address client) const {
    for (std::size_t index = 0; index < entries_.size(); ++index) {
        if (client_address(entries_[index]) == client) {
            return index;
        }
    }
    return std::nullopt;
}

std::size_t AddressPool::in_use() const {
    std::size_t count = 0;
    for (const auto& entry : entries_) {
        count += entry.in_use ? 1 : 0;
    }
    return count;
}

}  // namespace nfv::vpn::session
