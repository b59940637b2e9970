#include "nfv/net/tcp.hpp"

#include "nfv/net/byte_order.hpp"
#include "nfv/net/byte_writer.hpp"
#include "nfv/net/checksum.hpp"
#include "nfv/net/ipv4.hpp"

namespace nfv::net {

namespace {

constexpr std::size_t kSequenceOffset = 4;
constexpr std::size_t kAckOffset = 8;
constexpr std::size_t kDataOffsetOffset = 12;
constexpr std::size_t kFlagsOffset = 13;
constexpr std::size_t kWindowOffset = 14;
constexpr std::size_t kChecksumOffset = 16;
constexpr std::size_t kUrgentOffset = 18;

bool sane(std::span<const std::byte> bytes) {
    if (bytes.size() < kTcpMinHeaderSize) {
        return false;
    }
    const std::size_t header_length =
        static_cast<std::size_t>(load_u8(bytes, kDataOffsetOffset) >> 4U) * 4;
    return header_length >= kTcpMinHeaderSize && header_length <= bytes.size();
}

}  // namespace

std::optional<TcpView> TcpView::check(std::span<const std::byte> bytes) {
    if (!sane(bytes)) {
        return std::nullopt;
    }
    return TcpView(bytes);
}

std::uint16_t TcpView::source_port() const {
    return load_be16(segment_, 0);
}
std::uint16_t TcpView::destination_port() const {
    return load_be16(segment_, 2);
}
std::uint32_t TcpView::sequence_number() const {
    return load_be32(segment_, kSequenceOffset);
}
std::uint32_t TcpView::acknowledgment_number() const {
    return load_be32(segment_, kAckOffset);
}
std::uint8_t TcpView::data_offset() const {
    return load_u8(segment_, kDataOffsetOffset) >> 4U;
}
std::uint8_t TcpView::flags() const {
    return load_u8(segment_, kFlagsOffset);
}
std::uint16_t TcpView::window() const {
    return load_be16(segment_, kWindowOffset);
}
std::uint16_t TcpView::checksum() const {
    return load_be16(segment_, kChecksumOffset);
}
std::uint16_t TcpView::urgent_pointer() const {
    return load_be16(segment_, kUrgentOffset);
}

bool TcpView::checksum_valid_v4(Ipv4Address source, Ipv4Address destination) const {
    return segment_.size() <= 0xffff &&
           ipv4_transport_checksum(source, destination, kIpProtocolTcp, segment_) == 0;
}

bool TcpView::checksum_valid_v6(const Ipv6Address& source, const Ipv6Address& destination) const {
    return ipv6_transport_checksum(source, destination, kIpProtocolTcp, segment_) == 0;
}

std::optional<TcpViewMut> TcpViewMut::check(std::span<std::byte> bytes) {
    if (!sane(bytes)) {
        return std::nullopt;
    }
    return TcpViewMut(bytes);
}

void TcpViewMut::set_source_port(std::uint16_t port) {
    store_be16(bytes_, 0, port);
}
void TcpViewMut::set_destination_port(std::uint16_t port) {
    store_be16(bytes_, 2, port);
}
void TcpViewMut::set_checksum(std::uint16_t checksum) {
    store_be16(bytes_, kChecksumOffset, checksum);
}

void TcpViewMut::recompute_checksum_v4(Ipv4Address source, Ipv4Address destination) {
    set_checksum(0);
    set_checksum(ipv4_transport_checksum(source, destination, kIpProtocolTcp, bytes_));
}

void TcpViewMut::recompute_checksum_v6(const Ipv6Address& source, const Ipv6Address& destination) {
    set_checksum(0);
    set_checksum(ipv6_transport_checksum(source, destination, kIpProtocolTcp, bytes_));
}

TcpHeader to_header(const TcpView& view) {
    TcpHeader header;
    header.source_port = view.source_port();
    header.destination_port = view.destination_port();
    header.sequence_number = view.sequence_number();
    header.acknowledgment_number = view.acknowledgment_number();
    header.flags = view.flags();
    header.window = view.window();
    header.checksum = view.checksum();
    header.urgent_pointer = view.urgent_pointer();
    return header;
}

std::size_t serialize(const TcpHeader& header, std::span<std::byte> out) {
    if (out.size() < kTcpMinHeaderSize) {
        return 0;
    }
    ByteWriter w(out);
    w.write_u16(header.source_port);
    w.write_u16(header.destination_port);
    w.write_u32(header.sequence_number);
    w.write_u32(header.acknowledgment_number);
    w.write_u8(5U << 4U);  // data offset 5 words, reserved bits zero
    w.write_u8(header.flags);
    w.write_u16(header.window);
    w.write_u16(header.checksum);
    w.write_u16(header.urgent_pointer);
    return w.position();
}

}  // namespace nfv::net
