// Small parsers for dnsmasq option values: comma lists with dnsmasq's blank trimming, decimal
// numbers, domain names, addresses with "#port". Each returns nullopt or an error message
// instead of throwing; the mappers turn messages into ConfigErrors naming the option.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/net/ip_address.hpp"

namespace nfv::dnsvizor::config {

/// Splits on unquoted `separator`s and trims unquoted blanks around each field (dnsmasq's
/// split()). `quoted` marks characters that came from inside quotes; it may be empty (command
/// line) or as long as `text`. An empty text gives one empty field.
[[nodiscard]] std::vector<std::string> split_fields(std::string_view text,
                                                    const std::vector<bool>& quoted,
                                                    char separator = ',');

/// A decimal number without sign, at most `max`; nullopt otherwise (dnsmasq's atoi_check).
[[nodiscard]] std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max);

/// A domain name in the form the DNS side uses: lower case, no trailing dot, labels of 1-63
/// characters from letters, digits, '-', '_' (and '*' when `allow_wildcard`), at most 253
/// characters. nullopt for anything else, including the empty name.
[[nodiscard]] std::optional<std::string> normalise_domain(std::string_view text,
                                                          bool allow_wildcard = false);

/// An interface name as the kernel allows it: 1-15 bytes, no '/', no blanks.
[[nodiscard]] bool is_interface_name(std::string_view text);

/// An address with an optional "#port" (IPv4 "a.b.c.d#53", IPv6 "::1#53").
struct AddressPort {
    net::IpAddress address;
    std::optional<std::uint16_t> port;
};
[[nodiscard]] std::optional<AddressPort> parse_address_port(std::string_view text);

}  // namespace nfv::dnsvizor::config
