// Which local addresses nfv-dnsvizor serves DNS on, from dnsmasq's listening options
// (dnsmasq 2.90 man page: --interface, --except-interface, --listen-address,
// --bind-interfaces, --bind-dynamic, --local-service; see reference §2.3).
//
// dnsmasq's default is one wildcard socket per family; with interface=/except-interface= it
// filters by receiving interface, and with bind-interfaces it binds each address. We always
// bind the individual addresses once any of interface=, except-interface= or listen-address= is
// given (dnsmasq's bind-interfaces behaviour), from the interface addresses present at start-up.
// The differences from dnsmasq are returned as named warnings:
//   * interface=/except-interface= without bind-interfaces: addresses added later are not served;
//   * bind-dynamic: interfaces and addresses that appear later are not followed.
// Like dnsmasq, interface= implies the loopback interface. IPv6 link-local addresses are skipped
// (they need a scope id).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "nfv/net/cidr.hpp"
#include "nfv/net/ip_address.hpp"

#include "dns/settings.hpp"

namespace nfv::dnsvizor::server {

/// One address of one network interface, as getifaddrs(3) reports it.
struct InterfaceAddress {
    std::string interface;
    net::IpAddress address;
    std::uint8_t prefix_length = 0;
    bool loopback = false;
};

struct ListenPlan {
    bool wildcard = false;                  // bind 0.0.0.0 and :: (no address filter)
    std::vector<net::IpAddress> addresses;  // otherwise: these, without duplicates
    std::vector<std::string> warnings;      // named limits, for the start-up log
    std::vector<std::string> errors;        // e.g. interface= names matching nothing
};

/// Plans the listening addresses for `listen` given the host's interface addresses. Pure.
[[nodiscard]] ListenPlan plan_listen_addresses(const dns::ListenSettings& listen,
                                               std::span<const InterfaceAddress> interfaces);

/// dnsmasq's interface-name match: exact, or a prefix match when `pattern` ends in '*'.
[[nodiscard]] bool interface_matches(std::string_view pattern, std::string_view name);

/// The subnets local-service=net accepts queries from: every interface prefix (and loopback).
[[nodiscard]] std::vector<net::IpCidr> local_subnets(std::span<const InterfaceAddress> interfaces);

/// The host's interface addresses (getifaddrs); empty if it fails.
[[nodiscard]] std::vector<InterfaceAddress> system_interface_addresses();

}  // namespace nfv::dnsvizor::server
