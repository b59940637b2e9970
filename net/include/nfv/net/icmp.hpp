// ICMP for IPv4 (RFC 792) and IPv6 (RFC 4443 §2.1): checked views and mutable views.
//
// ICMPv4:  | Type | Code | Checksum | Rest of header (4 bytes) | Data ... |
//          The checksum covers the whole ICMP message, no pseudo-header.
// ICMPv6:  | Type | Code | Checksum | Message body ... |
//          The checksum also covers the IPv6 pseudo-header (next header 58).
//
// Icmpv4View::check guarantees at least 8 bytes; Icmpv6View::check at least 4 (RFC 4443 puts
// everything after the checksum in the type-specific body; echo_identifier/echo_sequence need 8
// and return nullopt on a shorter body). Both views cover the whole buffer given, which must be
// exactly the IP payload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "nfv/net/ip_address.hpp"

namespace nfv::net {

inline constexpr std::size_t kIcmpv4HeaderSize = 8;
inline constexpr std::size_t kIcmpv6MinSize = 4;

/// ICMPv4 types (RFC 792).
inline constexpr std::uint8_t kIcmpv4EchoReply = 0;
inline constexpr std::uint8_t kIcmpv4DestinationUnreachable = 3;
inline constexpr std::uint8_t kIcmpv4EchoRequest = 8;
inline constexpr std::uint8_t kIcmpv4TimeExceeded = 11;

/// ICMPv6 types (RFC 4443, RFC 4861).
inline constexpr std::uint8_t kIcmpv6DestinationUnreachable = 1;
inline constexpr std::uint8_t kIcmpv6PacketTooBig = 2;
inline constexpr std::uint8_t kIcmpv6TimeExceeded = 3;
inline constexpr std::uint8_t kIcmpv6EchoRequest = 128;
inline constexpr std::uint8_t kIcmpv6EchoReply = 129;
inline constexpr std::uint8_t kIcmpv6NeighborSolicitation = 135;
inline constexpr std::uint8_t kIcmpv6NeighborAdvertisement = 136;

class Icmpv4View {
public:
    [[nodiscard]] static std::optional<Icmpv4View> check(std::span<const std::byte> bytes);

    [[nodiscard]] std::uint8_t type() const;
    [[nodiscard]] std::uint8_t code() const;
    [[nodiscard]] std::uint16_t checksum() const;
    /// Bytes 4..8 as one big-endian word (meaning depends on the type).
    [[nodiscard]] std::uint32_t rest_of_header() const;
    /// Echo request/reply identifier (the high half of rest_of_header).
    [[nodiscard]] std::uint16_t identifier() const;
    /// Echo request/reply sequence number (the low half of rest_of_header).
    [[nodiscard]] std::uint16_t sequence_number() const;
    [[nodiscard]] bool checksum_valid() const;

    [[nodiscard]] std::span<const std::byte> message() const { return message_; }
    /// Data after the 8-byte header (for errors: the offending IP header + 8 bytes).
    [[nodiscard]] std::span<const std::byte> payload() const {
        return message_.subspan(kIcmpv4HeaderSize);
    }

protected:
    explicit Icmpv4View(std::span<const std::byte> message) : message_(message) {}

private:
    std::span<const std::byte> message_;
};

class Icmpv4ViewMut : public Icmpv4View {
public:
    [[nodiscard]] static std::optional<Icmpv4ViewMut> check(std::span<std::byte> bytes);

    void set_type(std::uint8_t type);
    void set_code(std::uint8_t code);
    void set_identifier(std::uint16_t identifier);
    void set_checksum(std::uint16_t checksum);
    void recompute_checksum();

private:
    explicit Icmpv4ViewMut(std::span<std::byte> message) : Icmpv4View(message), bytes_(message) {}

    std::span<std::byte> bytes_;
};

class Icmpv6View {
public:
    [[nodiscard]] static std::optional<Icmpv6View> check(std::span<const std::byte> bytes);

    [[nodiscard]] std::uint8_t type() const;
    [[nodiscard]] std::uint8_t code() const;
    [[nodiscard]] std::uint16_t checksum() const;
    /// Echo identifier (bytes 4..6); nullopt if the message is shorter than 8 bytes.
    [[nodiscard]] std::optional<std::uint16_t> echo_identifier() const;
    /// Echo sequence number (bytes 6..8); nullopt if the message is shorter than 8 bytes.
    [[nodiscard]] std::optional<std::uint16_t> echo_sequence() const;
    /// True if the checksum is correct under the IPv6 pseudo-header.
    [[nodiscard]] bool checksum_valid(const Ipv6Address& source,
                                      const Ipv6Address& destination) const;

    [[nodiscard]] std::span<const std::byte> message() const { return message_; }
    /// Everything after the checksum.
    [[nodiscard]] std::span<const std::byte> body() const {
        return message_.subspan(kIcmpv6MinSize);
    }

protected:
    explicit Icmpv6View(std::span<const std::byte> message) : message_(message) {}

private:
    std::span<const std::byte> message_;
};

class Icmpv6ViewMut : public Icmpv6View {
public:
    [[nodiscard]] static std::optional<Icmpv6ViewMut> check(std::span<std::byte> bytes);

    void set_type(std::uint8_t type);
    void set_code(std::uint8_t code);
    void set_checksum(std::uint16_t checksum);
    void recompute_checksum(const Ipv6Address& source, const Ipv6Address& destination);

private:
    explicit Icmpv6ViewMut(std::span<std::byte> message) : Icmpv6View(message), bytes_(message) {}

    std::span<std::byte> bytes_;
};

}  // namespace nfv::net
