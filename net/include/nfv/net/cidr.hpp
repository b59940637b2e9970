// CIDR prefixes (RFC 4632 §3.1 for IPv4, RFC 4291 §2.3 for IPv6): an address plus a prefix length.
//
// A Cidr keeps the address exactly as given, host bits included, because configuration files
// use "192.168.1.5/24" to mean "this host, on that network" (address() is the host, network() the
// network). Equality compares address and prefix length.
//
// Text forms accepted by parse: "address/prefix", where the prefix is decimal without sign or
// leading zeros and at most 32 (IPv4) or 128 (IPv6). For dnsmasq's configuration syntax a plain
// address with no "/" is also accepted and means a single host (/32 or /128).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "nfv/net/ip_address.hpp"

namespace nfv::net {

class Ipv4Cidr {
public:
    /// 0.0.0.0/0
    constexpr Ipv4Cidr() = default;
    /// Precondition: prefix <= 32 (a larger value is clamped to 32).
    constexpr Ipv4Cidr(Ipv4Address address, std::uint8_t prefix)
        : address_(address), prefix_(prefix > 32 ? std::uint8_t{32} : prefix) {}

    /// "a.b.c.d/n" or a plain "a.b.c.d" (meaning /32); nullopt for anything else.
    [[nodiscard]] static std::optional<Ipv4Cidr> parse(std::string_view text);
    /// The prefix length of a contiguous netmask (255.255.255.0 -> 24); nullopt if the mask has a
    /// one bit after a zero bit.
    [[nodiscard]] static std::optional<std::uint8_t> prefix_from_netmask(Ipv4Address netmask);

    /// The address as given, host bits included.
    [[nodiscard]] constexpr Ipv4Address address() const { return address_; }
    [[nodiscard]] constexpr std::uint8_t prefix_length() const { return prefix_; }
    /// The mask with prefix_length() leading one bits (/0 gives 0.0.0.0).
    [[nodiscard]] constexpr Ipv4Address netmask() const {
        return Ipv4Address::from_u32(prefix_ == 0 ? 0U : ~std::uint32_t{0} << (32U - prefix_));
    }
    /// The address with its host bits cleared.
    [[nodiscard]] constexpr Ipv4Address network() const {
        return Ipv4Address::from_u32(address_.to_u32() & netmask().to_u32());
    }
    /// The address with its host bits set (for /32 the address itself, for /31 the upper one).
    [[nodiscard]] constexpr Ipv4Address broadcast() const {
        return Ipv4Address::from_u32(address_.to_u32() | ~netmask().to_u32());
    }
    /// True if `address` lies inside this prefix.
    [[nodiscard]] constexpr bool contains(Ipv4Address address) const {
        return (address.to_u32() & netmask().to_u32()) == network().to_u32();
    }
    /// True if every address of `other` lies inside this prefix.
    [[nodiscard]] constexpr bool contains(const Ipv4Cidr& other) const {
        return other.prefix_ >= prefix_ && contains(other.address_);
    }
    /// "a.b.c.d/n" with the address as given.
    [[nodiscard]] std::string to_string() const;

    constexpr auto operator<=>(const Ipv4Cidr&) const = default;

private:
    Ipv4Address address_;
    std::uint8_t prefix_ = 0;
};

class Ipv6Cidr {
public:
    /// ::/0
    constexpr Ipv6Cidr() = default;
    /// Precondition: prefix <= 128 (a larger value is clamped to 128).
    constexpr Ipv6Cidr(Ipv6Address address, std::uint8_t prefix)
        : address_(address), prefix_(prefix > 128 ? std::uint8_t{128} : prefix) {}

    /// "x:y::z/n" or a plain IPv6 address (meaning /128); nullopt for anything else.
    [[nodiscard]] static std::optional<Ipv6Cidr> parse(std::string_view text);

    [[nodiscard]] constexpr Ipv6Address address() const { return address_; }
    [[nodiscard]] constexpr std::uint8_t prefix_length() const { return prefix_; }
    /// The address with its host bits cleared.
    [[nodiscard]] Ipv6Address network() const;
    [[nodiscard]] bool contains(const Ipv6Address& address) const;
    [[nodiscard]] bool contains(const Ipv6Cidr& other) const {
        return other.prefix_ >= prefix_ && contains(other.address_);
    }
    /// RFC 5952 address text followed by "/n".
    [[nodiscard]] std::string to_string() const;

    constexpr auto operator<=>(const Ipv6Cidr&) const = default;

private:
    Ipv6Address address_;
    std::uint8_t prefix_ = 0;
};

/// Either an IPv4 or an IPv6 prefix.
class IpCidr {
public:
    constexpr IpCidr() = default;
    // NOLINTNEXTLINE(google-explicit-constructor): every Ipv4Cidr is an IpCidr.
    constexpr IpCidr(Ipv4Cidr v4) : value_(v4) {}
    // NOLINTNEXTLINE(google-explicit-constructor): every Ipv6Cidr is an IpCidr.
    constexpr IpCidr(Ipv6Cidr v6) : value_(v6) {}

    /// IPv4 form when the text has no ':', IPv6 otherwise; plain addresses are single hosts.
    [[nodiscard]] static std::optional<IpCidr> parse(std::string_view text);

    [[nodiscard]] constexpr bool is_v4() const { return value_.index() == 0; }
    [[nodiscard]] constexpr bool is_v6() const { return value_.index() == 1; }
    /// Precondition is_v4() (throws std::bad_variant_access otherwise).
    [[nodiscard]] constexpr const Ipv4Cidr& v4() const { return std::get<0>(value_); }
    /// Precondition is_v6() (throws std::bad_variant_access otherwise).
    [[nodiscard]] constexpr const Ipv6Cidr& v6() const { return std::get<1>(value_); }

    [[nodiscard]] IpAddress address() const;
    [[nodiscard]] std::uint8_t prefix_length() const;
    /// False when the families differ (an IPv4 prefix never contains an IPv6 address, mapped or
    /// not).
    [[nodiscard]] bool contains(const IpAddress& address) const;
    [[nodiscard]] std::string to_string() const;

    auto operator<=>(const IpCidr&) const = default;

private:
    std::variant<Ipv4Cidr, Ipv6Cidr> value_;
};

}  // namespace nfv::net
