// A DHCPv4 lease as dnsmasq records it: address, hardware address, client identifier, host name
// and absolute expiry (0 = infinite). The value type shared by the lease engine, the lease file
// codec and the DNS view of leases.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nfv/net/ip_address.hpp"
#include "nfv/platform/time.hpp"

namespace nfv::dnsvizor::dhcp {

/// ARP hardware type of Ethernet (RFC 1700), the default `htype`.
inline constexpr std::uint8_t kHardwareTypeEthernet = 1;

struct HardwareAddress {
    std::uint8_t type = kHardwareTypeEthernet;
    std::vector<std::uint8_t> bytes;  // up to 16
    friend bool operator==(const HardwareAddress&, const HardwareAddress&) = default;
    /// "52:54:00:12:34:56"; non-Ethernet types are prefixed "TT-" as dnsmasq writes them.
    [[nodiscard]] std::string to_text() const;
};

struct Lease {
    net::Ipv4Address address;
    HardwareAddress hardware;
    std::vector<std::uint8_t> client_id;  // option 61 as sent; empty if none
    std::string hostname;                 // unqualified; empty if none
    platform::WallTime expires;           // unix seconds; 0 means infinite
    friend bool operator==(const Lease&, const Lease&) = default;

    [[nodiscard]] bool infinite() const { return expires.unix_seconds == 0; }
    [[nodiscard]] bool expired_at(platform::WallTime now) const {
        return !infinite() && expires.unix_seconds <= now.unix_seconds;
    }
};

}  // namespace nfv::dnsvizor::dhcp
