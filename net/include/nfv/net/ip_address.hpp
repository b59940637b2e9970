// IP addresses as small value types: IPv4 (RFC 791), IPv6 (RFC 4291), and either (IpAddress).
//
// Text forms:
//  * IPv4 parse accepts only the strict dotted quad "a.b.c.d": exactly four decimal parts, each
//    0-255, no sign, no empty part, and no leading zero ("01.2.3.4" is rejected, as by
//    inet_pton(3), because some tools read it as octal).
//  * IPv6 parse follows RFC 4291 §2.2: eight groups of 1-4 hex digits, at most one "::" standing
//    for one or more zero groups, and an optional dotted-quad tail taking the last two groups.
//    Zone identifiers ("fe80::1%eth0") are rejected.
//  * IPv6 to_string follows RFC 5952 §4: lower case, no leading zeros, the longest run of two or
//    more zero groups compressed to "::" (the first such run on a tie). IPv4-mapped addresses are
//    written in the mixed form "::ffff:a.b.c.d" recommended by RFC 5952 §5.
//
// All types are trivially copyable, totally ordered (IPv4 before IPv6 inside IpAddress), and
// hold no heap memory.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace nfv::net {

class Ipv4Address {
public:
    /// 0.0.0.0
    constexpr Ipv4Address() = default;
    /// From the four octets in network order: {192, 0, 2, 1} is 192.0.2.1.
    constexpr explicit Ipv4Address(std::array<std::uint8_t, 4> octets)
        : value_((static_cast<std::uint32_t>(octets[0]) << 24U) |
                 (static_cast<std::uint32_t>(octets[1]) << 16U) |
                 (static_cast<std::uint32_t>(octets[2]) << 8U) |
                 static_cast<std::uint32_t>(octets[3])) {}

    /// From a host-order integer: 0xc0000201 is 192.0.2.1.
    static constexpr Ipv4Address from_u32(std::uint32_t host_order) {
        Ipv4Address address;
        address.value_ = host_order;
        return address;
    }
    /// The address as a host-order integer (the inverse of from_u32).
    [[nodiscard]] constexpr std::uint32_t to_u32() const { return value_; }
    /// The four octets in network order.
    [[nodiscard]] constexpr std::array<std::uint8_t, 4> octets() const {
        return {static_cast<std::uint8_t>(value_ >> 24U),
                static_cast<std::uint8_t>((value_ >> 16U) & 0xffU),
                static_cast<std::uint8_t>((value_ >> 8U) & 0xffU),
                static_cast<std::uint8_t>(value_ & 0xffU)};
    }

    /// Parses a strict dotted quad (see the banner); nullopt for anything else.
    [[nodiscard]] static std::optional<Ipv4Address> parse(std::string_view text);
    /// "a.b.c.d", the form parse accepts.
    [[nodiscard]] std::string to_string() const;

    constexpr auto operator<=>(const Ipv4Address&) const = default;

    /// 0.0.0.0
    [[nodiscard]] constexpr bool is_unspecified() const { return value_ == 0; }
    /// 127.0.0.0/8 (RFC 1122 §3.2.1.3)
    [[nodiscard]] constexpr bool is_loopback() const { return (value_ >> 24U) == 127U; }
    /// 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918)
    [[nodiscard]] constexpr bool is_private() const {
        return (value_ >> 24U) == 10U || (value_ >> 20U) == 0xac1U || (value_ >> 16U) == 0xc0a8U;
    }
    /// 169.254.0.0/16 (RFC 3927)
    [[nodiscard]] constexpr bool is_link_local() const { return (value_ >> 16U) == 0xa9feU; }
    /// 224.0.0.0/4 (RFC 5771)
    [[nodiscard]] constexpr bool is_multicast() const { return (value_ >> 28U) == 0xeU; }
    /// 255.255.255.255, the limited broadcast address (RFC 919)
    [[nodiscard]] constexpr bool is_broadcast() const { return value_ == 0xffffffffU; }

private:
    std::uint32_t value_ = 0;
};

class Ipv6Address {
public:
    /// ::
    constexpr Ipv6Address() = default;
    /// From the sixteen octets in network order.
    constexpr explicit Ipv6Address(std::array<std::uint8_t, 16> octets) : octets_(octets) {}
    /// From eight host-order 16-bit groups: {0x2001, 0xdb8, 0, 0, 0, 0, 0, 1} is 2001:db8::1.
    static constexpr Ipv6Address from_groups(std::array<std::uint16_t, 8> groups) {
        std::array<std::uint8_t, 16> octets{};
        for (std::size_t i = 0; i < 8; ++i) {
            octets[2 * i] = static_cast<std::uint8_t>(groups[i] >> 8U);
            octets[2 * i + 1] = static_cast<std::uint8_t>(groups[i] & 0xffU);
        }
        return Ipv6Address(octets);
    }
    /// ::ffff:a.b.c.d (RFC 4291 §2.5.5.2)
    static constexpr Ipv6Address v4_mapped(Ipv4Address v4) {
        std::array<std::uint8_t, 16> octets{};
        octets[10] = 0xff;
        octets[11] = 0xff;
        const auto tail = v4.octets();
        for (std::size_t i = 0; i < 4; ++i) {
            octets[12 + i] = tail[i];
        }
        return Ipv6Address(octets);
    }

    [[nodiscard]] constexpr std::array<std::uint8_t, 16> octets() const { return octets_; }
    /// Group `index` (0-7) as a host-order integer; index must be < 8.
    [[nodiscard]] constexpr std::uint16_t group(std::size_t index) const {
        return static_cast<std::uint16_t>((octets_[2 * index] << 8U) | octets_[2 * index + 1]);
    }
    /// The embedded IPv4 address of an IPv4-mapped address; nullopt otherwise.
    [[nodiscard]] constexpr std::optional<Ipv4Address> to_v4_mapped() const {
        if (!is_v4_mapped()) {
            return std::nullopt;
        }
        return Ipv4Address({octets_[12], octets_[13], octets_[14], octets_[15]});
    }

    /// Parses RFC 4291 §2.2 text (see the banner); nullopt for anything else.
    [[nodiscard]] static std::optional<Ipv6Address> parse(std::string_view text);
    /// RFC 5952 canonical text (see the banner).
    [[nodiscard]] std::string to_string() const;

    constexpr auto operator<=>(const Ipv6Address&) const = default;

    /// ::
    [[nodiscard]] constexpr bool is_unspecified() const { return octets_ == Ipv6Address().octets_; }
    /// ::1
    [[nodiscard]] constexpr bool is_loopback() const {
        return octets_ == from_groups({0, 0, 0, 0, 0, 0, 0, 1}).octets_;
    }
    /// fe80::/10
    [[nodiscard]] constexpr bool is_link_local() const {
        return octets_[0] == 0xfe && (octets_[1] & 0xc0U) == 0x80U;
    }
    /// fc00::/7 (RFC 4193)
    [[nodiscard]] constexpr bool is_unique_local() const { return (octets_[0] & 0xfeU) == 0xfcU; }
    /// ff00::/8
    [[nodiscard]] constexpr bool is_multicast() const { return octets_[0] == 0xff; }
    /// ::ffff:0:0/96
    [[nodiscard]] constexpr bool is_v4_mapped() const {
        for (std::size_t i = 0; i < 10; ++i) {
            if (octets_[i] != 0) {
                return false;
            }
        }
        return octets_[10] == 0xff && octets_[11] == 0xff;
    }

private:
    std::array<std::uint8_t, 16> octets_{};
};

/// Either an IPv4 or an IPv6 address. Default-constructed it is 0.0.0.0.
class IpAddress {
public:
    constexpr IpAddress() = default;
    // NOLINTNEXTLINE(google-explicit-constructor): every Ipv4Address is an IpAddress.
    constexpr IpAddress(Ipv4Address v4) : value_(v4) {}
    // NOLINTNEXTLINE(google-explicit-constructor): every Ipv6Address is an IpAddress.
    constexpr IpAddress(Ipv6Address v6) : value_(v6) {}

    [[nodiscard]] constexpr bool is_v4() const { return value_.index() == 0; }
    [[nodiscard]] constexpr bool is_v6() const { return value_.index() == 1; }
    /// The IPv4 address; precondition is_v4() (throws std::bad_variant_access otherwise).
    [[nodiscard]] constexpr const Ipv4Address& v4() const { return std::get<0>(value_); }
    /// The IPv6 address; precondition is_v6() (throws std::bad_variant_access otherwise).
    [[nodiscard]] constexpr const Ipv6Address& v6() const { return std::get<1>(value_); }

    /// Tries IPv4 first when the text has no ':', IPv6 otherwise; nullopt if neither parses.
    [[nodiscard]] static std::optional<IpAddress> parse(std::string_view text);
    [[nodiscard]] std::string to_string() const;

    /// IPv4 addresses order before IPv6 addresses; within a family, numeric order.
    auto operator<=>(const IpAddress&) const = default;

private:
    std::variant<Ipv4Address, Ipv6Address> value_;
};

}  // namespace nfv::net
