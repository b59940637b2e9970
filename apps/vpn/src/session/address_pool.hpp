// AddressPool: the server's ifconfig-pool, one IPv4 address (topology subnet/p2p) or one /30
// block (net30) per client, sticky by common name so ifconfig-pool-persist keeps each client's
// address across restarts. Sans-I/O: the runtime loads and saves the persist file
// (config/pool_persist.hpp) and calls acquire()/release() as clients come and go.
//
// Reference: OpenVPN 2.6 pool.c (ifconfig_pool_init: net30 pools are counted in /30 blocks, the
// client gets base+2 with the peer base+1, pushed as "ifconfig base+2 base+1"; subnet pools
// hand out single addresses pushed with the pool netmask; ifconfig_pool_find: a free entry
// last held by the same common name first (unless --duplicate-cn), then a never used one, then
// the one released longest ago; ifconfig_pool_read: persisted names reserve their address).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nfv/net/ip_address.hpp"

#include "config/pool_persist.hpp"
#include "config/vpn_config.hpp"

namespace nfv::vpn::session {

struct PoolLease {
    std::size_t index = 0;  // pass to release()
    // What PUSH_REPLY carries: "ifconfig LOCAL REMOTE_OR_NETMASK".
    std::pair<net::Ipv4Address, net::Ipv4Address> ifconfig;
};

class AddressPool {
public:
    /// The pool from `first` to `last` (ServerPlan::pool). With net30 the range is cut into
    /// /30 blocks starting at `first`; otherwise each address is one entry pushed with
    /// `netmask`. `duplicate_cn`: names are not sticky (every connection is a new client).
    AddressPool(net::Ipv4Address first, net::Ipv4Address last, config::Topology topology,
                net::Ipv4Address netmask, bool duplicate_cn = false);

    /// An address for `common_name`, or nullopt when the pool is exhausted.
    [[nodiscard]] std::optional<PoolLease> acquire(std::string_view common_name);
    /// Frees a lease; the name stays attached to the entry for its next connection.
    void release(std::size_t index);

    /// Attaches persisted names to their addresses (entries outside the pool are ignored).
    void load(std::span<const config::PoolEntry> entries);
    /// The name -> address list for the persist file (entries that ever had a name).
    [[nodiscard]] std::vector<config::PoolEntry> persist_entries() const;

    /// The entry index of a client address this pool hands out (for the IPv6 pool, which pairs
    /// entry N with its base + N), or nullopt for any other address.
    [[nodiscard]] std::optional<std::size_t> index_of(net::Ipv4Address client) const;

    [[nodiscard]] std::size_t size() const { return entries_.size(); }
    [[nodiscard]] std::size_t in_use() const;

private:
    struct Entry {
        std::uint32_t base = 0;  // the address (subnet) or the /30 block start (net30)
        std::string common_name;
        bool in_use = false;
        std::uint64_t released = 0;  // release order; 0 = never used
    };

    [[nodiscard]] net::Ipv4Address client_address(const Entry& entry) const;
    [[nodiscard]] PoolLease lease(std::size_t index) const;

    config::Topology topology_;
    net::Ipv4Address netmask_;
    bool duplicate_cn_;
    std::vector<Entry> entries_;
    std::uint64_t release_clock_ = 0;
};

}  // namespace nfv::vpn::session
