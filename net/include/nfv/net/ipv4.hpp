// IPv4 header (RFC 791 §3.1): a checked zero-copy view, a mutable view for the fields a NAT or
// TUN path rewrites, and a value type that serializes an option-less header.
//
//   0                   1                   2                   3
//   |Version|  IHL  |Type of Service|          Total Length         |
//   |         Identification        |Flags|      Fragment Offset    |
//   |  Time to Live |    Protocol   |         Header Checksum       |
//   |                       Source Address                          |
//   |                    Destination Address                        |
//   |                    Options                    |    Padding    |
//
// Ipv4View::check guarantees: the buffer holds at least 20 bytes, version is 4, IHL >= 5, and
// IHL*4 <= total_length <= buffer size. Every accessor then reads inside the buffer. Bytes after
// total_length (link-layer padding) are not part of the packet and are ignored. The header
// checksum is NOT verified by check; call checksum_valid() where it matters (a TUN device hands
// us packets the kernel already checked).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "nfv/net/ip_address.hpp"

namespace nfv::net {

inline constexpr std::size_t kIpv4MinHeaderSize = 20;
inline constexpr std::size_t kIpv4MaxHeaderSize = 60;

/// IANA protocol numbers used across the suite.
inline constexpr std::uint8_t kIpProtocolIcmp = 1;
inline constexpr std::uint8_t kIpProtocolTcp = 6;
inline constexpr std::uint8_t kIpProtocolUdp = 17;
inline constexpr std::uint8_t kIpProtocolIcmpv6 = 58;

class Ipv4View {
public:
    /// A view of the packet at the start of `bytes`, or nullopt if the header is truncated or
    /// inconsistent (see the banner).
    [[nodiscard]] static std::optional<Ipv4View> check(std::span<const std::byte> bytes);

    [[nodiscard]] std::uint8_t version() const { return 4; }
    /// Internet Header Length in 32-bit words (5..15).
    [[nodiscard]] std::uint8_t ihl() const;
    /// Header length in bytes (20..60).
    [[nodiscard]] std::size_t header_length() const { return std::size_t{ihl()} * 4; }
    /// Differentiated Services code point (RFC 2474): the upper six bits of the TOS byte.
    [[nodiscard]] std::uint8_t dscp() const;
    /// Explicit Congestion Notification (RFC 3168): the lower two bits of the TOS byte.
    [[nodiscard]] std::uint8_t ecn() const;
    [[nodiscard]] std::uint16_t total_length() const;
    [[nodiscard]] std::uint16_t identification() const;
    [[nodiscard]] bool dont_fragment() const;
    [[nodiscard]] bool more_fragments() const;
    /// Fragment offset in units of 8 bytes.
    [[nodiscard]] std::uint16_t fragment_offset() const;
    /// True if this is any fragment of a larger datagram (MF set or offset non-zero).
    [[nodiscard]] bool is_fragment() const { return more_fragments() || fragment_offset() != 0; }
    [[nodiscard]] std::uint8_t ttl() const;
    [[nodiscard]] std::uint8_t protocol() const;
    [[nodiscard]] std::uint16_t header_checksum() const;
    [[nodiscard]] Ipv4Address source() const;
    [[nodiscard]] Ipv4Address destination() const;

    /// True if the header checksum is correct.
    [[nodiscard]] bool checksum_valid() const;

    /// The whole packet: the first total_length() bytes of the buffer.
    [[nodiscard]] std::span<const std::byte> packet() const { return packet_; }
    /// The header including options.
    [[nodiscard]] std::span<const std::byte> header() const {
        return packet_.first(header_length());
    }
    /// The options (possibly empty), bytes 20..header_length().
    [[nodiscard]] std::span<const std::byte> options() const {
        return packet_.subspan(kIpv4MinHeaderSize, header_length() - kIpv4MinHeaderSize);
    }
    /// The payload: header_length()..total_length().
    [[nodiscard]] std::span<const std::byte> payload() const {
        return packet_.subspan(header_length());
    }

protected:
    explicit Ipv4View(std::span<const std::byte> packet) : packet_(packet) {}

private:
    std::span<const std::byte> packet_;
};

/// A checked view over writable bytes. Setters write the field only; call
/// recompute_header_checksum() after changing header fields, or use the update_* setters, which
/// patch the checksum incrementally (RFC 1624).
class Ipv4ViewMut : public Ipv4View {
public:
    [[nodiscard]] static std::optional<Ipv4ViewMut> check(std::span<std::byte> bytes);

    void set_ttl(std::uint8_t ttl);
    void set_source(Ipv4Address address);
    void set_destination(Ipv4Address address);
    void set_header_checksum(std::uint16_t checksum);
    /// Recomputes and stores the header checksum over the current header bytes.
    void recompute_header_checksum();

    /// set_ttl plus an incremental checksum fix-up.
    void update_ttl(std::uint8_t ttl);
    /// set_source plus an incremental checksum fix-up.
    void update_source(Ipv4Address address);
    /// set_destination plus an incremental checksum fix-up.
    void update_destination(Ipv4Address address);

    /// The writable packet and payload (for transport-level rewrites).
    [[nodiscard]] std::span<std::byte> mutable_packet() const { return bytes_; }
    [[nodiscard]] std::span<std::byte> mutable_payload() const {
        return bytes_.subspan(header_length());
    }

private:
    explicit Ipv4ViewMut(std::span<std::byte> packet) : Ipv4View(packet), bytes_(packet) {}

    std::span<std::byte> bytes_;
};

/// An IPv4 header without options, as a value.
struct Ipv4Header {
    std::uint8_t dscp = 0;  // 6 bits
    std::uint8_t ecn = 0;   // 2 bits
    std::uint16_t identification = 0;
    bool dont_fragment = false;
    bool more_fragments = false;
    std::uint16_t fragment_offset = 0;  // 13 bits, units of 8 bytes
    std::uint8_t ttl = 64;
    std::uint8_t protocol = 0;
    Ipv4Address source;
    Ipv4Address destination;
    /// Bytes after the header; total_length becomes 20 + payload_length.
    std::uint16_t payload_length = 0;

    friend bool operator==(const Ipv4Header&, const Ipv4Header&) = default;
};

/// The header fields of a checked packet (options are dropped).
[[nodiscard]] Ipv4Header to_header(const Ipv4View& view);

/// Always 20: serialize writes no options.
[[nodiscard]] constexpr std::size_t wire_size(const Ipv4Header& /*header*/) {
    return kIpv4MinHeaderSize;
}

/// Writes the 20-byte header with a correct checksum into the start of `out`. Returns the bytes
/// written (20), or 0 if `out` is shorter than 20 or payload_length exceeds 65515. Fields wider
/// than their wire width (dscp > 63, ecn > 3, fragment_offset > 8191) are truncated.
[[nodiscard]] std::size_t serialize(const Ipv4Header& header, std::span<std::byte> out);

}  // namespace nfv::net
