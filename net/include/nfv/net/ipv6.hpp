// IPv6 fixed header (RFC 8200 §3): a checked zero-copy view, a mutable view for the fields a NAT
// or TUN path rewrites, and a value type that serializes the 40-byte header.
//
//   |Version| Traffic Class |              Flow Label               |
//   |         Payload Length        |  Next Header  |   Hop Limit   |
//   |                  Source Address (16 bytes)                    |
//   |               Destination Address (16 bytes)                  |
//
// Ipv6View::check guarantees: the buffer holds at least 40 bytes, version is 6, and
// 40 + payload_length <= buffer size. Bytes beyond that are ignored. Extension headers are not
// walked: next_header() names the first one and payload() starts right after the fixed header.
// Jumbograms (RFC 2675, payload length 0 with a Hop-by-Hop option) are not supported; a payload
// length of 0 means an empty payload.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "nfv/net/ip_address.hpp"

namespace nfv::net {

inline constexpr std::size_t kIpv6HeaderSize = 40;

class Ipv6View {
public:
    /// A view of the packet at the start of `bytes`, or nullopt if truncated or inconsistent.
    [[nodiscard]] static std::optional<Ipv6View> check(std::span<const std::byte> bytes);

    [[nodiscard]] std::uint8_t version() const { return 6; }
    [[nodiscard]] std::uint8_t traffic_class() const;
    /// The 20-bit flow label (RFC 6437).
    [[nodiscard]] std::uint32_t flow_label() const;
    [[nodiscard]] std::uint16_t payload_length() const;
    [[nodiscard]] std::uint8_t next_header() const;
    [[nodiscard]] std::uint8_t hop_limit() const;
    [[nodiscard]] Ipv6Address source() const;
    [[nodiscard]] Ipv6Address destination() const;

    /// Header plus payload: the first 40 + payload_length() bytes of the buffer.
    [[nodiscard]] std::span<const std::byte> packet() const { return packet_; }
    [[nodiscard]] std::span<const std::byte> header() const {
        return packet_.first(kIpv6HeaderSize);
    }
    /// Everything after the fixed header (extension headers included).
    [[nodiscard]] std::span<const std::byte> payload() const {
        return packet_.subspan(kIpv6HeaderSize);
    }

protected:
    explicit Ipv6View(std::span<const std::byte> packet) : packet_(packet) {}

private:
    std::span<const std::byte> packet_;
};

/// A checked view over writable bytes. IPv6 has no header checksum; address rewrites must fix
/// the transport checksum (see checksum_update in checksum.hpp).
class Ipv6ViewMut : public Ipv6View {
public:
    [[nodiscard]] static std::optional<Ipv6ViewMut> check(std::span<std::byte> bytes);

    void set_hop_limit(std::uint8_t hop_limit);
    void set_source(const Ipv6Address& address);
    void set_destination(const Ipv6Address& address);

    [[nodiscard]] std::span<std::byte> mutable_packet() const { return bytes_; }
    [[nodiscard]] std::span<std::byte> mutable_payload() const {
        return bytes_.subspan(kIpv6HeaderSize);
    }

private:
    explicit Ipv6ViewMut(std::span<std::byte> packet) : Ipv6View(packet), bytes_(packet) {}

    std::span<std::byte> bytes_;
};

/// The fixed IPv6 header as a value.
struct Ipv6Header {
    std::uint8_t traffic_class = 0;
    std::uint32_t flow_label = 0;  // 20 bits
    std::uint8_t next_header = 0;
    std::uint8_t hop_limit = 64;
    Ipv6Address source;
    Ipv6Address destination;
    std::uint16_t payload_length = 0;

    friend bool operator==(const Ipv6Header&, const Ipv6Header&) = default;
};

[[nodiscard]] Ipv6Header to_header(const Ipv6View& view);

[[nodiscard]] constexpr std::size_t wire_size(const Ipv6Header& /*header*/) {
    return kIpv6HeaderSize;
}

/// Writes the 40-byte header into the start of `out`. Returns 40, or 0 if `out` is too short.
/// A flow label wider than 20 bits is truncated.
[[nodiscard]] std::size_t serialize(const Ipv6Header& header, std::span<std::byte> out);

}  // namespace nfv::net
