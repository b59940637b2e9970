#include "nfv/net/udp.hpp"

#include <algorithm>

#include "nfv/net/byte_order.hpp"
#include "nfv/net/checksum.hpp"

namespace nfv::net {

namespace {

constexpr std::size_t kLengthOffset = 4;
constexpr std::size_t kChecksumOffset = 6;

std::optional<std::size_t> checked_length(std::span<const std::byte> bytes) {
    if (bytes.size() < kUdpHeaderSize) {
        return std::nullopt;
    }
    const std::size_t length = load_be16(bytes, kLengthOffset);
    if (length < kUdpHeaderSize || length > bytes.size()) {
        return std::nullopt;
    }
    return length;
}

// RFC 768: an all-zero computed checksum is sent as all ones.
std::uint16_t on_wire(std::uint16_t computed) {
    return computed == 0 ? 0xffff : computed;
}

// Writes the UDP header and payload at the start of `out` (which must be large enough) with a
// zero checksum.
void write_udp(std::span<std::byte> out, std::uint16_t source_port, std::uint16_t destination_port,
               std::span<const std::byte> payload) {
    store_be16(out, 0, source_port);
    store_be16(out, 2, destination_port);
    store_be16(out, kLengthOffset, static_cast<std::uint16_t>(kUdpHeaderSize + payload.size()));
    store_be16(out, kChecksumOffset, 0);
    std::copy(payload.begin(), payload.end(), out.subspan(kUdpHeaderSize).begin());
}

}  // namespace

std::optional<UdpView> UdpView::check(std::span<const std::byte> bytes) {
    const auto length = checked_length(bytes);
    if (!length) {
        return std::nullopt;
    }
    return UdpView(bytes.first(*length));
}

std::uint16_t UdpView::source_port() const {
    return load_be16(datagram_, 0);
}
std::uint16_t UdpView::destination_port() const {
    return load_be16(datagram_, 2);
}
std::uint16_t UdpView::length() const {
    return load_be16(datagram_, kLengthOffset);
}
std::uint16_t UdpView::checksum() const {
    return load_be16(datagram_, kChecksumOffset);
}

bool UdpView::checksum_valid_v4(Ipv4Address source, Ipv4Address destination) const {
    return checksum() == 0 ||
           ipv4_transport_checksum(source, destination, kIpProtocolUdp, datagram_) == 0;
}

bool UdpView::checksum_valid_v6(const Ipv6Address& source, const Ipv6Address& destination) const {
    return checksum() != 0 &&
           ipv6_transport_checksum(source, destination, kIpProtocolUdp, datagram_) == 0;
}

std::optional<UdpViewMut> UdpViewMut::check(std::span<std::byte> bytes) {
    const auto length = checked_length(bytes);
    if (!length) {
        return std::nullopt;
    }
    return UdpViewMut(bytes.first(*length));
}

void UdpViewMut::set_source_port(std::uint16_t port) {
    store_be16(bytes_, 0, port);
}
void UdpViewMut::set_destination_port(std::uint16_t port) {
    store_be16(bytes_, 2, port);
}
void UdpViewMut::set_checksum(std::uint16_t checksum) {
    store_be16(bytes_, kChecksumOffset, checksum);
}

void UdpViewMut::recompute_checksum_v4(Ipv4Address source, Ipv4Address destination) {
    set_checksum(0);
    set_checksum(on_wire(ipv4_transport_checksum(source, destination, kIpProtocolUdp, bytes_)));
}

void UdpViewMut::recompute_checksum_v6(const Ipv6Address& source, const Ipv6Address& destination) {
    set_checksum(0);
    set_checksum(on_wire(ipv6_transport_checksum(source, destination, kIpProtocolUdp, bytes_)));
}

std::size_t build_ipv4_udp(const Ipv4Header& ip, std::uint16_t source_port,
                           std::uint16_t destination_port, std::span<const std::byte> payload,
                           std::span<std::byte> out) {
    const std::size_t udp_length = kUdpHeaderSize + payload.size();
    const std::size_t total = kIpv4MinHeaderSize + udp_length;
    if (total > 0xffff || out.size() < total) {
        return 0;
    }
    Ipv4Header header = ip;
    header.protocol = kIpProtocolUdp;
    header.payload_length = static_cast<std::uint16_t>(udp_length);
    if (serialize(header, out) != kIpv4MinHeaderSize) {
        return 0;
    }
    const auto udp = out.subspan(kIpv4MinHeaderSize, udp_length);
    write_udp(udp, source_port, destination_port, payload);
    store_be16(udp, kChecksumOffset,
               on_wire(ipv4_transport_checksum(ip.source, ip.destination, kIpProtocolUdp, udp)));
    return total;
}

std::size_t build_ipv6_udp(const Ipv6Header& ip, std::uint16_t source_port,
                           std::uint16_t destination_port, std::span<const std::byte> payload,
                           std::span<std::byte> out) {
    const std::size_t udp_length = kUdpHeaderSize + payload.size();
    const std::size_t total = kIpv6HeaderSize + udp_length;
    if (udp_length > 0xffff || out.size() < total) {
        return 0;
    }
    Ipv6Header header = ip;
    header.next_header = kIpProtocolUdp;
    header.payload_length = static_cast<std::uint16_t>(udp_length);
    if (serialize(header, out) != kIpv6HeaderSize) {
        return 0;
    }
    const auto udp = out.subspan(kIpv6HeaderSize, udp_length);
    write_udp(udp, source_port, destination_port, payload);
    store_be16(udp, kChecksumOffset,
               on_wire(ipv6_transport_checksum(ip.source, ip.destination, kIpProtocolUdp, udp)));
    return total;
}

}  // namespace nfv::net
