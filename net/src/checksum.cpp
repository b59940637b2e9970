#include "nfv/net/checksum.hpp"

#include <bit>
#include <cstring>

namespace nfv::net {

namespace {

std::uint16_t fold(std::uint64_t sum) {
    while ((sum >> 16U) != 0) {
        sum = (sum & 0xffffU) + (sum >> 16U);
    }
    return static_cast<std::uint16_t>(sum);
}

}  // namespace

void ChecksumAccumulator::add_byte(std::uint8_t value) {
    // Even stream positions are the high byte of a word, odd positions the low byte.
    sum_ += odd_ ? value : (static_cast<std::uint64_t>(value) << 8U);
    odd_ = !odd_;
}

void ChecksumAccumulator::add(std::span<const std::byte> bytes) {
    if (odd_ && !bytes.empty()) {
        add_byte(std::to_integer<std::uint8_t>(bytes[0]));
        bytes = bytes.subspan(1);
    }
    // Aligned now. Eight bytes at a time in host order with end-around carry: the one's
    // complement sum does not depend on byte order (RFC 1071 §2(B)), so the folded host-order
    // sum only needs its two bytes swapped on a little-endian host to become the sum of the
    // big-endian words.
    const std::size_t wide = bytes.size() & ~std::size_t{7};
    std::uint64_t host = 0;
    for (std::size_t i = 0; i < wide; i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, bytes.data() + i, sizeof(word));
        host += word;
        host += host < word ? 1U : 0U;  // end-around carry
    }
    auto folded = static_cast<std::uint16_t>(
        fold(static_cast<std::uint64_t>(host >> 32U) + (host & 0xffffffffU)));
    if constexpr (std::endian::native == std::endian::little) {
        folded = static_cast<std::uint16_t>((folded >> 8U) | (folded << 8U));
    }
    // The rest as big-endian words. A 64-bit sum of 16-bit words cannot overflow for any span
    // that fits in memory (2^48 words), so folding waits until sum().
    std::uint64_t sum = folded;
    std::size_t i = wide;
    for (; i + 1 < bytes.size(); i += 2) {
        sum += (std::to_integer<std::uint64_t>(bytes[i]) << 8U) |
               std::to_integer<std::uint64_t>(bytes[i + 1]);
    }
    sum_ += sum;
    if (i < bytes.size()) {
        add_byte(std::to_integer<std::uint8_t>(bytes[i]));
    }
}

void ChecksumAccumulator::add_u16(std::uint16_t value) {
    add_byte(static_cast<std::uint8_t>(value >> 8U));
    add_byte(static_cast<std::uint8_t>(value & 0xffU));
}

void ChecksumAccumulator::add_u32(std::uint32_t value) {
    add_u16(static_cast<std::uint16_t>(value >> 16U));
    add_u16(static_cast<std::uint16_t>(value & 0xffffU));
}

std::uint16_t ChecksumAccumulator::sum() const {
    return fold(sum_);
}

std::uint16_t internet_checksum(std::span<const std::byte> bytes) {
    ChecksumAccumulator acc;
    acc.add(bytes);
    return acc.finish();
}

void add_ipv4_pseudo_header(ChecksumAccumulator& acc, Ipv4Address source, Ipv4Address destination,
                            std::uint8_t protocol, std::uint16_t length) {
    acc.add_u32(source.to_u32());
    acc.add_u32(destination.to_u32());
    acc.add_u16(protocol);
    acc.add_u16(length);
}

void add_ipv6_pseudo_header(ChecksumAccumulator& acc, const Ipv6Address& source,
                            const Ipv6Address& destination, std::uint8_t next_header,
                            std::uint32_t length) {
    const auto src = source.octets();
    const auto dst = destination.octets();
    acc.add(std::as_bytes(std::span(src)));
    acc.add(std::as_bytes(std::span(dst)));
    acc.add_u32(length);
    acc.add_u32(next_header);
}

std::uint16_t ipv4_transport_checksum(Ipv4Address source, Ipv4Address destination,
                                      std::uint8_t protocol, std::span<const std::byte> segment) {
    ChecksumAccumulator acc;
    add_ipv4_pseudo_header(acc, source, destination, protocol,
                           static_cast<std::uint16_t>(segment.size()));
    acc.add(segment);
    return acc.finish();
}

std::uint16_t ipv6_transport_checksum(const Ipv6Address& source, const Ipv6Address& destination,
                                      std::uint8_t next_header,
                                      std::span<const std::byte> segment) {
    ChecksumAccumulator acc;
    add_ipv6_pseudo_header(acc, source, destination, next_header,
                           static_cast<std::uint32_t>(segment.size()));
    acc.add(segment);
    return acc.finish();
}

namespace {

// The source and destination addresses of an IPv4 or IPv6 packet, adjacent in both headers.
std::span<const std::byte> packet_addresses(std::span<const std::byte> packet) {
    const bool ipv4 = (std::to_integer<unsigned>(packet[0]) >> 4U) == 4;
    return ipv4 ? packet.subspan(12, 8) : packet.subspan(8, 32);
}

}  // namespace

std::uint16_t packet_pseudo_header_sum(std::span<const std::byte> packet, std::uint8_t protocol,
                                       std::size_t length) {
    // The IPv6 form's 32-bit length and next-header words sum the same as these 16-bit ones.
    ChecksumAccumulator acc;
    acc.add(packet_addresses(packet));
    acc.add_u16(protocol);
    acc.add_u16(static_cast<std::uint16_t>(length));
    return acc.sum();
}

std::uint16_t packet_transport_checksum(std::span<const std::byte> packet,
                                        std::size_t transport_offset, std::uint8_t protocol) {
    const auto segment = packet.subspan(transport_offset);
    ChecksumAccumulator acc;
    acc.add(packet_addresses(packet));
    acc.add_u16(protocol);
    acc.add_u16(static_cast<std::uint16_t>(segment.size()));
    acc.add(segment);
    return acc.finish();
}

std::uint16_t checksum_update(std::uint16_t old_checksum, std::uint16_t old_word,
                              std::uint16_t new_word) {
    const std::uint64_t sum = static_cast<std::uint16_t>(~old_checksum) +
                              static_cast<std::uint64_t>(static_cast<std::uint16_t>(~old_word)) +
                              new_word;
    return static_cast<std::uint16_t>(~fold(sum));
}

std::uint16_t checksum_update_u32(std::uint16_t old_checksum, std::uint32_t old_value,
                                  std::uint32_t new_value) {
    const auto high = checksum_update(old_checksum, static_cast<std::uint16_t>(old_value >> 16U),
                                      static_cast<std::uint16_t>(new_value >> 16U));
    return checksum_update(high, static_cast<std::uint16_t>(old_value & 0xffffU),
                           static_cast<std::uint16_t>(new_value & 0xffffU));
}

std::uint16_t checksum_update(std::uint16_t old_checksum, Ipv4Address old_address,
                              Ipv4Address new_address) {
    return checksum_update_u32(old_checksum, old_address.to_u32(), new_address.to_u32());
}

std::uint16_t checksum_update(std::uint16_t old_checksum, const Ipv6Address& old_address,
                              const Ipv6Address& new_address) {
    std::uint16_t checksum = old_checksum;
    for (std::size_t i = 0; i < 8; ++i) {
        checksum = checksum_update(checksum, old_address.group(i), new_address.group(i));
    }
    return checksum;
}

}  // namespace nfv::net
