// `synth-domain=domain,address-range[,prefix]` (dnsmasq 2.90 domain.c): names synthesized from
// addresses. The address 192.168.50.7 in domain synth.test with prefix "host-" is the name
// "host-192-168-50-7.synth.test" (dots become '-'); 2001:db8:5::1 is "2001-db8-5--1.synth6.test"
// (the RFC 5952 text with ':' replaced by '-'). Forward lookups (A/AAAA) decode the name,
// reverse lookups (PTR) encode the address; both only inside the configured range.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "nfv/net/ip_address.hpp"

#include "dns/settings.hpp"

namespace nfv::dnsvizor::dns {

/// The address `key` (a name key, see domain_match.hpp) stands for under `rule`, or nullopt if
/// the name does not have the rule's form or the address lies outside the range.
[[nodiscard]] std::optional<net::IpAddress> synth_address(const SynthDomain& rule,
                                                          std::string_view key);

/// The name key synthesized for `address` under `rule`, or nullopt if it is outside the range.
[[nodiscard]] std::optional<std::string> synth_name(const SynthDomain& rule,
                                                    const net::IpAddress& address);

}  // namespace nfv::dnsvizor::dns
