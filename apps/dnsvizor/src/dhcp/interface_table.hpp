// InterfaceTable: which local interface a DHCP request arrived on and which of its IPv4
// addresses serves it (dnsmasq's per-interface "context" choice in dhcp.c: the address whose
// subnet holds a dhcp-range; else the interface's first address).
//
// The runtime learns the receiving interface from IP_PKTINFO (ifindex) and asks the table; the
// table is filled from getifaddrs(3) and refreshed when an unknown index shows up (rate limited)
// or when it is older than kMaxAge, so addresses added after start are found.
//
// Interface filters follow dnsmasq: `interface=` names (a trailing `*` is a wildcard) limit
// serving to those interfaces; `except-interface=` / `no-dhcp-interface=` names exclude; loopback
// is never served (dnsmasq does not do DHCP on lo) unless allowed for tests.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/net/cidr.hpp"
#include "nfv/net/ip_address.hpp"
#include "nfv/platform/time.hpp"

#include "dhcp/lease_engine.hpp"
#include "dhcp/server_config.hpp"

namespace nfv::dnsvizor::dhcp {

struct LocalAddress {
    std::string name;
    std::uint32_t index = 0;
    net::Ipv4Cidr subnet;  // address/prefix
    bool loopback = false;
};

/// Every IPv4 address of every interface that is up (getifaddrs); empty on failure.
[[nodiscard]] std::vector<LocalAddress> list_local_addresses();

/// True if `name` matches a dnsmasq interface pattern ("eth0", or "eth*" with a trailing `*`).
[[nodiscard]] bool interface_pattern_matches(std::string_view pattern, std::string_view name);

struct InterfaceFilter {
    std::vector<std::string> include;  // interface=: empty = every interface
    std::vector<std::string> exclude;  // except-interface= and no-dhcp-interface=
    bool allow_loopback = false;
};

class InterfaceTable {
public:
    static constexpr std::chrono::seconds kMaxAge{30};
    static constexpr std::chrono::seconds kMissRefreshInterval{1};

    InterfaceTable(InterfaceFilter filter, const std::vector<DhcpRange>& ranges)
        : filter_(std::move(filter)), ranges_(ranges) {}

    /// The InterfaceInfo for a request that arrived on `index` at monotonic time `now`, or
    /// nullopt if that interface is filtered out, has no IPv4 address or is unknown.
    [[nodiscard]] std::optional<InterfaceInfo> lookup(std::uint32_t index, platform::Instant now);

    /// Replaces the table (tests, and refresh()).
    void set(std::vector<LocalAddress> addresses, platform::Instant now);

    /// Whether an interface name is served under the filter.
    [[nodiscard]] bool served(const LocalAddress& address) const;

private:
    void refresh(platform::Instant now) { set(list_local_addresses(), now); }

    InterfaceFilter filter_;
    std::vector<DhcpRange> ranges_;
    std::map<std::uint32_t, std::vector<LocalAddress>> by_index_;
    std::optional<platform::Instant> loaded_at_;
};

}  // namespace nfv::dnsvizor::dhcp
