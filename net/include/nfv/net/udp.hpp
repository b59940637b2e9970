// UDP header (RFC 768; checksum over IPv6 per RFC 8200 §8.1): a checked view, a mutable view, and
// builders that write a whole IPv4+UDP or IPv6+UDP packet with correct checksums.
//
//   |          Source Port          |       Destination Port        |
//   |            Length             |           Checksum            |
//
// UdpView::check takes the IP payload and guarantees: at least 8 bytes, and
// 8 <= length field <= buffer size. Bytes after `length` (IP-level padding) are ignored.
// Checksums: a transmitted checksum of 0 means "none" over IPv4 and is invalid over IPv6; a
// computed checksum of 0 is transmitted as 0xffff.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "nfv/net/ip_address.hpp"
#include "nfv/net/ipv4.hpp"
#include "nfv/net/ipv6.hpp"

namespace nfv::net {

inline constexpr std::size_t kUdpHeaderSize = 8;

class UdpView {
public:
    /// A view of the datagram at the start of `bytes` (an IP payload), or nullopt.
    [[nodiscard]] static std::optional<UdpView> check(std::span<const std::byte> bytes);

    [[nodiscard]] std::uint16_t source_port() const;
    [[nodiscard]] std::uint16_t destination_port() const;
    /// The length field: header plus data, >= 8.
    [[nodiscard]] std::uint16_t length() const;
    [[nodiscard]] std::uint16_t checksum() const;

    /// Header plus data (the first length() bytes).
    [[nodiscard]] std::span<const std::byte> datagram() const { return datagram_; }
    [[nodiscard]] std::span<const std::byte> payload() const {
        return datagram_.subspan(kUdpHeaderSize);
    }

    /// True if the checksum field is 0 (none sent) or correct under the IPv4 pseudo-header.
    [[nodiscard]] bool checksum_valid_v4(Ipv4Address source, Ipv4Address destination) const;
    /// True if the checksum field is non-zero and correct under the IPv6 pseudo-header.
    [[nodiscard]] bool checksum_valid_v6(const Ipv6Address& source,
                                         const Ipv6Address& destination) const;

protected:
    explicit UdpView(std::span<const std::byte> datagram) : datagram_(datagram) {}

private:
    std::span<const std::byte> datagram_;
};

/// A checked view over writable bytes. Port setters do not touch the checksum.
class UdpViewMut : public UdpView {
public:
    [[nodiscard]] static std::optional<UdpViewMut> check(std::span<std::byte> bytes);

    void set_source_port(std::uint16_t port);
    void set_destination_port(std::uint16_t port);
    void set_checksum(std::uint16_t checksum);
    /// Computes and stores the checksum under the IPv4 pseudo-header.
    void recompute_checksum_v4(Ipv4Address source, Ipv4Address destination);
    /// Computes and stores the checksum under the IPv6 pseudo-header.
    void recompute_checksum_v6(const Ipv6Address& source, const Ipv6Address& destination);

    [[nodiscard]] std::span<std::byte> mutable_payload() const {
        return bytes_.subspan(kUdpHeaderSize);
    }

private:
    explicit UdpViewMut(std::span<std::byte> datagram) : UdpView(datagram), bytes_(datagram) {}

    std::span<std::byte> bytes_;
};

/// Writes an option-less IPv4 header, a UDP header and `payload` into `out`, filling in
/// total_length, protocol (17), the UDP length, and both checksums; the other IPv4 fields come
/// from `ip` (its protocol and payload_length are ignored). Returns the packet size, or 0 if
/// `out` is too small or the packet would exceed 65535 bytes.
[[nodiscard]] std::size_t build_ipv4_udp(const Ipv4Header& ip, std::uint16_t source_port,
                                         std::uint16_t destination_port,
                                         std::span<const std::byte> payload,
                                         std::span<std::byte> out);

/// As build_ipv4_udp for IPv6 (next_header 17, payload_length filled in).
[[nodiscard]] std::size_t build_ipv6_udp(const Ipv6Header& ip, std::uint16_t source_port,
                                         std::uint16_t destination_port,
                                         std::span<const std::byte> payload,
                                         std::span<std::byte> out);

}  // namespace nfv::net
