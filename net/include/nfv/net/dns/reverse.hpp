// Reverse-lookup names: in-addr.arpa (RFC 1035 §3.5) and ip6.arpa (RFC 3596 §2.5).
//
// Addresses are taken and returned as network-order octet arrays, which is what
// nfv::net::Ipv4Address::octets() / Ipv6Address::octets() hold.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "nfv/net/dns/name.hpp"

namespace nfv::net::dns {

/// 192.0.2.1 -> "1.2.0.192.in-addr.arpa."
[[nodiscard]] Name reverse_name(const std::array<std::uint8_t, 4>& octets);
/// 2001:db8::1 -> "1.0.0. ... .8.b.d.0.1.0.0.2.ip6.arpa." (32 nibble labels, low nibble first).
[[nodiscard]] Name reverse_name(const std::array<std::uint8_t, 16>& octets);

/// The address of a full in-addr.arpa name (exactly four decimal labels 0..255 without leading
/// zeros, then "in-addr.arpa", any case); nullopt for anything else, including partial names.
[[nodiscard]] std::optional<std::array<std::uint8_t, 4>> parse_reverse_v4(const Name& name);
/// The address of a full ip6.arpa name (exactly 32 single-hex-digit labels, any case).
[[nodiscard]] std::optional<std::array<std::uint8_t, 16>> parse_reverse_v6(const Name& name);

}  // namespace nfv::net::dns
