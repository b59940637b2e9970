#include "nfv/net/ipv6.hpp"

#include <array>

#include "nfv/net/byte_order.hpp"
#include "nfv/net/byte_writer.hpp"

namespace nfv::net {

namespace {

constexpr std::size_t kPayloadLengthOffset = 4;
constexpr std::size_t kNextHeaderOffset = 6;
constexpr std::size_t kHopLimitOffset = 7;
constexpr std::size_t kSourceOffset = 8;
constexpr std::size_t kDestinationOffset = 24;

std::optional<std::size_t> checked_packet_length(std::span<const std::byte> bytes) {
    if (bytes.size() < kIpv6HeaderSize || (load_u8(bytes, 0) >> 4U) != 6U) {
        return std::nullopt;
    }
    const std::size_t length = kIpv6HeaderSize + load_be16(bytes, kPayloadLengthOffset);
    if (length > bytes.size()) {
        return std::nullopt;
    }
    return length;
}

Ipv6Address load_address(std::span<const std::byte> bytes, std::size_t offset) {
    std::array<std::uint8_t, 16> octets{};
    for (std::size_t i = 0; i < octets.size(); ++i) {
        octets[i] = load_u8(bytes, offset + i);
    }
    return Ipv6Address(octets);
}

void store_address(std::span<std::byte> bytes, std::size_t offset, const Ipv6Address& address) {
    const auto octets = address.octets();
    for (std::size_t i = 0; i < octets.size(); ++i) {
        store_u8(bytes, offset + i, octets[i]);
    }
}

}  // namespace

std::optional<Ipv6View> Ipv6View::check(std::span<const std::byte> bytes) {
    const auto length = checked_packet_length(bytes);
    if (!length) {
        return std::nullopt;
    }
    return Ipv6View(bytes.first(*length));
}

std::uint8_t Ipv6View::traffic_class() const {
    return static_cast<std::uint8_t>((load_be16(packet_, 0) >> 4U) & 0xffU);
}
std::uint32_t Ipv6View::flow_label() const {
    return load_be32(packet_, 0) & 0x000fffffU;
}
std::uint16_t Ipv6View::payload_length() const {
    return load_be16(packet_, kPayloadLengthOffset);
}
std::uint8_t Ipv6View::next_header() const {
    return load_u8(packet_, kNextHeaderOffset);
}
std::uint8_t Ipv6View::hop_limit() const {
    return load_u8(packet_, kHopLimitOffset);
}
Ipv6Address Ipv6View::source() const {
    return load_address(packet_, kSourceOffset);
}
Ipv6Address Ipv6View::destination() const {
    return load_address(packet_, kDestinationOffset);
}

std::optional<Ipv6ViewMut> Ipv6ViewMut::check(std::span<std::byte> bytes) {
    const auto length = checked_packet_length(bytes);
    if (!length) {
        return std::nullopt;
    }
    return Ipv6ViewMut(bytes.first(*length));
}

void Ipv6ViewMut::set_hop_limit(std::uint8_t hop_limit) {
    store_u8(bytes_, kHopLimitOffset, hop_limit);
}
void Ipv6ViewMut::set_source(const Ipv6Address& address) {
    store_address(bytes_, kSourceOffset, address);
}
void Ipv6ViewMut::set_destination(const Ipv6Address& address) {
    store_address(bytes_, kDestinationOffset, address);
}

Ipv6Header to_header(const Ipv6View& view) {
    Ipv6Header header;
    header.traffic_class = view.traffic_class();
    header.flow_label = view.flow_label();
    header.next_header = view.next_header();
    header.hop_limit = view.hop_limit();
    header.source = view.source();
    header.destination = view.destination();
    header.payload_length = view.payload_length();
    return header;
}

std::size_t serialize(const Ipv6Header& header, std::span<std::byte> out) {
    if (out.size() < kIpv6HeaderSize) {
        return 0;
    }
    ByteWriter w(out);
    w.write_u32((6U << 28U) | (std::uint32_t{header.traffic_class} << 20U) |
                (header.flow_label & 0x000fffffU));
    w.write_u16(header.payload_length);
    w.write_u8(header.next_header);
    w.write_u8(header.hop_limit);
    const auto src = header.source.octets();
    const auto dst = header.destination.octets();
    w.write_bytes(std::as_bytes(std::span(src)));
    w.write_bytes(std::as_bytes(std::span(dst)));
    return w.position();
}

}  // namespace nfv::net
