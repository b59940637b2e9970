// The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of
// the data taken as big-endian 16-bit words, an odd trailing byte padded with zero.
//
// Used by the IPv4 header (RFC 791), UDP (RFC 768, RFC 8200 §8.1), TCP (RFC 9293 §3.1), ICMPv4
// (RFC 792) and ICMPv6 (RFC 4443 §2.3). Transport checksums also cover a pseudo-header of the
// addresses, the protocol and the length; helpers for both IP versions are below.
//
// Verification: a packet whose checksum field is correct sums to 0xffff, so internet_checksum()
// over the whole covered range (checksum field included) returns 0.
//
// Incremental update (RFC 1624 eqn. 3): HC' = ~(~HC + ~m + m'), for NAT-style rewrites of
// addresses and ports without touching the rest of the packet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "nfv/net/ip_address.hpp"

namespace nfv::net {

/// Sums a byte stream fed in pieces of any length. The pieces are treated as one contiguous
/// stream: an odd-length piece leaves a pending byte that pairs with the first byte of the next.
class ChecksumAccumulator {
public:
    /// Adds the bytes to the stream.
    void add(std::span<const std::byte> bytes);
    /// Adds two bytes, big-endian, to the stream.
    void add_u16(std::uint16_t value);
    /// Adds four bytes, big-endian, to the stream.
    void add_u32(std::uint32_t value);
    /// The folded 16-bit one's complement sum so far (not complemented).
    [[nodiscard]] std::uint16_t sum() const;
    /// The checksum value to store: ~sum(). Does not reset the accumulator.
    [[nodiscard]] std::uint16_t finish() const { return static_cast<std::uint16_t>(~sum()); }

private:
    void add_byte(std::uint8_t value);

    std::uint64_t sum_ = 0;
    bool odd_ = false;  // true when the stream so far has an odd number of bytes
};

/// The checksum of `bytes` alone. Over a range that includes a correct checksum field it is 0.
[[nodiscard]] std::uint16_t internet_checksum(std::span<const std::byte> bytes);

/// Adds the IPv4 pseudo-header (RFC 768, RFC 9293 §3.1): source, destination, zero, protocol,
/// and the transport length.
void add_ipv4_pseudo_header(ChecksumAccumulator& acc, Ipv4Address source, Ipv4Address destination,
                            std::uint8_t protocol, std::uint16_t length);
/// Adds the IPv6 pseudo-header (RFC 8200 §8.1): source, destination, 32-bit upper-layer length,
/// three zero bytes, next header.
void add_ipv6_pseudo_header(ChecksumAccumulator& acc, const Ipv6Address& source,
                            const Ipv6Address& destination, std::uint8_t next_header,
                            std::uint32_t length);

/// The transport checksum of `segment` (header with its checksum field as stored, plus payload)
/// under the IPv4 pseudo-header. With the field zeroed this is the value to store; with the field
/// filled in, 0 means valid. Precondition: segment.size() <= 65535.
[[nodiscard]] std::uint16_t ipv4_transport_checksum(Ipv4Address source, Ipv4Address destination,
                                                    std::uint8_t protocol,
                                                    std::span<const std::byte> segment);
/// As ipv4_transport_checksum, under the IPv6 pseudo-header.
[[nodiscard]] std::uint16_t ipv6_transport_checksum(const Ipv6Address& source,
                                                    const Ipv6Address& destination,
                                                    std::uint8_t next_header,
                                                    std::span<const std::byte> segment);

/// The pseudo-header sum (RFC 9293 §3.1, RFC 8200 §8.1), folded and not complemented, for a
/// transport segment of `length` bytes carried in `packet`. The addresses are read in place from
/// the packet's own IPv4 (bytes 12..20) or IPv6 (bytes 8..40) header, chosen by the version
/// nibble. This is the value a "checksum needed" (partial checksum) packet carries in its field.
/// Preconditions: packet holds the fixed header of its IP version; length <= 65535.
[[nodiscard]] std::uint16_t packet_pseudo_header_sum(std::span<const std::byte> packet,
                                                     std::uint8_t protocol, std::size_t length);
/// The transport checksum of packet.subspan(transport_offset) under the pseudo-header of the
/// packet's own IP header. As ipv4_transport_checksum: with the field zeroed this is the value to
/// store; with the field filled in, 0 means valid. Preconditions as packet_pseudo_header_sum, and
/// transport_offset <= packet.size().
[[nodiscard]] std::uint16_t packet_transport_checksum(std::span<const std::byte> packet,
                                                      std::size_t transport_offset,
                                                      std::uint8_t protocol);

/// RFC 1624 eqn. 3: the checksum after one 16-bit word covered by it changed from `old_word` to
/// `new_word`.
[[nodiscard]] std::uint16_t checksum_update(std::uint16_t old_checksum, std::uint16_t old_word,
                                            std::uint16_t new_word);
/// As checksum_update for an aligned 32-bit field (an IPv4 address, a TCP sequence number).
[[nodiscard]] std::uint16_t checksum_update_u32(std::uint16_t old_checksum, std::uint32_t old_value,
                                                std::uint32_t new_value);
/// As checksum_update for an IPv4 address rewrite.
[[nodiscard]] std::uint16_t checksum_update(std::uint16_t old_checksum, Ipv4Address old_address,
                                            Ipv4Address new_address);
/// As checksum_update for an IPv6 address rewrite.
[[nodiscard]] std::uint16_t checksum_update(std::uint16_t old_checksum,
                                            const Ipv6Address& old_address,
                                            const Ipv6Address& new_address);

}  // namespace nfv::net
