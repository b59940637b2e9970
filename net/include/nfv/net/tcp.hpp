// TCP header (RFC 9293 §3.1): a checked view, a mutable view for the fields a NAT path rewrites,
// and a value type that serializes an option-less header.
//
//   |          Source Port          |       Destination Port        |
//   |                        Sequence Number                        |
//   |                    Acknowledgment Number                      |
//   |  DOff | Rsrvd |C|E|U|A|P|R|S|F|            Window             |
//   |           Checksum            |         Urgent Pointer        |
//   |                           Options                             |
//
// TcpView::check takes the whole IP payload (TCP has no length field of its own) and guarantees:
// at least 20 bytes, data offset >= 5, and data offset * 4 <= buffer size. The payload is
// everything after the options. The checksum is verified only on request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "nfv/net/ip_address.hpp"

namespace nfv::net {

inline constexpr std::size_t kTcpMinHeaderSize = 20;

/// Control bits (the low byte of the flags word).
inline constexpr std::uint8_t kTcpFin = 0x01;
inline constexpr std::uint8_t kTcpSyn = 0x02;
inline constexpr std::uint8_t kTcpRst = 0x04;
inline constexpr std::uint8_t kTcpPsh = 0x08;
inline constexpr std::uint8_t kTcpAck = 0x10;
inline constexpr std::uint8_t kTcpUrg = 0x20;
inline constexpr std::uint8_t kTcpEce = 0x40;
inline constexpr std::uint8_t kTcpCwr = 0x80;

class TcpView {
public:
    /// A view of the segment filling `bytes` (an IP payload), or nullopt.
    [[nodiscard]] static std::optional<TcpView> check(std::span<const std::byte> bytes);

    [[nodiscard]] std::uint16_t source_port() const;
    [[nodiscard]] std::uint16_t destination_port() const;
    [[nodiscard]] std::uint32_t sequence_number() const;
    [[nodiscard]] std::uint32_t acknowledgment_number() const;
    /// Header length in 32-bit words (5..15).
    [[nodiscard]] std::uint8_t data_offset() const;
    [[nodiscard]] std::size_t header_length() const { return std::size_t{data_offset()} * 4; }
    /// The eight control bits (kTcpFin ... kTcpCwr).
    [[nodiscard]] std::uint8_t flags() const;
    [[nodiscard]] bool fin() const { return (flags() & kTcpFin) != 0; }
    [[nodiscard]] bool syn() const { return (flags() & kTcpSyn) != 0; }
    [[nodiscard]] bool rst() const { return (flags() & kTcpRst) != 0; }
    [[nodiscard]] bool psh() const { return (flags() & kTcpPsh) != 0; }
    [[nodiscard]] bool ack() const { return (flags() & kTcpAck) != 0; }
    [[nodiscard]] bool urg() const { return (flags() & kTcpUrg) != 0; }
    [[nodiscard]] bool ece() const { return (flags() & kTcpEce) != 0; }
    [[nodiscard]] bool cwr() const { return (flags() & kTcpCwr) != 0; }
    [[nodiscard]] std::uint16_t window() const;
    [[nodiscard]] std::uint16_t checksum() const;
    [[nodiscard]] std::uint16_t urgent_pointer() const;

    [[nodiscard]] std::span<const std::byte> segment() const { return segment_; }
    /// Option bytes (possibly empty), 20..header_length(); not parsed here.
    [[nodiscard]] std::span<const std::byte> options() const {
        return segment_.subspan(kTcpMinHeaderSize, header_length() - kTcpMinHeaderSize);
    }
    [[nodiscard]] std::span<const std::byte> payload() const {
        return segment_.subspan(header_length());
    }

    /// True if the checksum is correct under the IPv4 pseudo-header.
    [[nodiscard]] bool checksum_valid_v4(Ipv4Address source, Ipv4Address destination) const;
    /// True if the checksum is correct under the IPv6 pseudo-header.
    [[nodiscard]] bool checksum_valid_v6(const Ipv6Address& source,
                                         const Ipv6Address& destination) const;

protected:
    explicit TcpView(std::span<const std::byte> segment) : segment_(segment) {}

private:
    std::span<const std::byte> segment_;
};

/// A checked view over writable bytes. Setters write the field only; after a NAT rewrite fix the
/// checksum with checksum_update (ports and pseudo-header addresses) or recompute it.
class TcpViewMut : public TcpView {
public:
    [[nodiscard]] static std::optional<TcpViewMut> check(std::span<std::byte> bytes);

    void set_source_port(std::uint16_t port);
    void set_destination_port(std::uint16_t port);
    void set_checksum(std::uint16_t checksum);
    void recompute_checksum_v4(Ipv4Address source, Ipv4Address destination);
    void recompute_checksum_v6(const Ipv6Address& source, const Ipv6Address& destination);

private:
    explicit TcpViewMut(std::span<std::byte> segment) : TcpView(segment), bytes_(segment) {}

    std::span<std::byte> bytes_;
};

/// An option-less TCP header as a value.
struct TcpHeader {
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    std::uint32_t sequence_number = 0;
    std::uint32_t acknowledgment_number = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 0;
    std::uint16_t checksum = 0;
    std::uint16_t urgent_pointer = 0;

    friend bool operator==(const TcpHeader&, const TcpHeader&) = default;
};

/// The header fields of a checked segment (options dropped).
[[nodiscard]] TcpHeader to_header(const TcpView& view);

[[nodiscard]] constexpr std::size_t wire_size(const TcpHeader& /*header*/) {
    return kTcpMinHeaderSize;
}

/// Writes the 20-byte header (data offset 5, checksum as given) at the start of `out`. Returns
/// 20, or 0 if `out` is too short. Compute the checksum afterwards over header and payload with
/// TcpViewMut::recompute_checksum_v4/v6.
[[nodiscard]] std::size_t serialize(const TcpHeader& header, std::span<std::byte> out);

}  // namespace nfv::net
