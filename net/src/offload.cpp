#include "nfv/net/offload.hpp"

#include <algorithm>
#include <cstring>

#include "nfv/net/byte_order.hpp"
#include "nfv/net/checksum.hpp"

namespace nfv::net {

namespace {

constexpr std::uint8_t kNeedsChecksumFlag = 1;  // VIRTIO_NET_HDR_F_NEEDS_CSUM
constexpr std::uint8_t kDataValidFlag = 2;      // VIRTIO_NET_HDR_F_DATA_VALID
constexpr std::uint8_t kProtocolTcp = 6;
constexpr std::uint8_t kTcpFin = 0x01;
constexpr std::uint8_t kTcpPsh = 0x08;
constexpr std::uint8_t kTcpCwr = 0x80;
constexpr std::size_t kIpv6HeaderSize = 40;
constexpr std::size_t kTcpMinHeaderSize = 20;

std::uint16_t load_le16(std::span<const std::byte> bytes, std::size_t offset) {
    return static_cast<std::uint16_t>(std::to_integer<unsigned>(bytes[offset]) |
                                      (std::to_integer<unsigned>(bytes[offset + 1]) << 8U));
}

void store_le16(std::span<std::byte> bytes, std::size_t offset, std::uint16_t value) {
    bytes[offset] = static_cast<std::byte>(value & 0xffU);
    bytes[offset + 1] = static_cast<std::byte>(value >> 8U);
}

// Where the TCP header starts in a super-packet of the given GSO type; 0 when it is not one.
std::size_t tcp_offset(std::span<const std::byte> packet, GsoType type) {
    if (packet.empty()) {
        return 0;
    }
    const unsigned version = load_u8(packet, 0) >> 4U;
    if (type == GsoType::kTcpV4) {
        const std::size_t ihl = (load_u8(packet, 0) & 0x0fU) * 4U;
        if (version != 4 || ihl < 20 || packet.size() < ihl || load_u8(packet, 9) != kProtocolTcp) {
            return 0;
        }
        return ihl;
    }
    if (version != 6 || packet.size() < kIpv6HeaderSize || load_u8(packet, 6) != kProtocolTcp) {
        return 0;  // extension headers before TCP are not segmented here
    }
    return kIpv6HeaderSize;
}

std::uint16_t ipv4_header_checksum(std::span<std::byte> header) {
    store_be16(header, 10, 0);
    return internet_checksum(header);
}

// RFC 9293 §3.1: the TCP checksum over the pseudo-header (addresses taken from the IP header
// in place) and the whole segment, with the checksum field zeroed first.
std::uint16_t tcp_checksum(std::span<std::byte> packet, std::size_t l4) {
    store_be16(packet, l4 + 16, 0);
    return packet_transport_checksum(packet, l4, kProtocolTcp);
}

}  // namespace

VirtioNetHeader decode_virtio_net_header(std::span<const std::byte, kVirtioNetHeaderSize> bytes) {
    VirtioNetHeader header;
    const auto flags = std::to_integer<std::uint8_t>(bytes[0]);
    header.needs_checksum = (flags & kNeedsChecksumFlag) != 0;
    header.data_valid = (flags & kDataValidFlag) != 0;
    header.gso_type = std::to_integer<std::uint8_t>(bytes[1]);
    header.header_length = load_le16(bytes, 2);
    header.gso_size = load_le16(bytes, 4);
    header.checksum_start = load_le16(bytes, 6);
    header.checksum_offset = load_le16(bytes, 8);
    return header;
}

void encode_virtio_net_header(const VirtioNetHeader& header,
                              std::span<std::byte, kVirtioNetHeaderSize> out) {
    out[0] = std::byte{static_cast<std::uint8_t>((header.needs_checksum ? kNeedsChecksumFlag : 0) |
                                                 (header.data_valid ? kDataValidFlag : 0))};
    out[1] = std::byte{header.gso_type};
    store_le16(out, 2, header.header_length);
    store_le16(out, 4, header.gso_size);
    store_le16(out, 6, header.checksum_start);
    store_le16(out, 8, header.checksum_offset);
}

bool complete_partial_checksum(std::span<std::byte> packet, std::size_t start, std::size_t offset) {
    if (start > packet.size() || offset > packet.size() - start ||
        packet.size() - start - offset < 2) {
        return false;
    }
    std::uint16_t checksum = internet_checksum(packet.subspan(start));
    if (checksum == 0) {
        checksum = 0xffff;
    }
    store_be16(packet, start + offset, checksum);
    return true;
}

Result<std::size_t, OffloadError> split_offloaded_packet(
    const VirtioNetHeader& header, std::span<std::byte> packet, std::span<std::byte> out,
    std::vector<std::span<const std::byte>>& packets) {
    const auto type = static_cast<GsoType>(header.gso_type & ~kGsoEcn);
    if (type == GsoType::kNone) {
        if (header.needs_checksum &&
            !complete_partial_checksum(packet, header.checksum_start, header.checksum_offset)) {
            return Unexpected(OffloadError::kMalformed);
        }
        packets.emplace_back(packet);
        return std::size_t{0};
    }
    return segment_tcp_super_packet(header, packet, out, packets);
}

Result<std::size_t, OffloadError> segment_tcp_super_packet(
    const VirtioNetHeader& header, std::span<const std::byte> packet, std::span<std::byte> out,
    std::vector<std::span<const std::byte>>& packets) {
    const auto type = static_cast<GsoType>(header.gso_type & ~kGsoEcn);
    if (type != GsoType::kTcpV4 && type != GsoType::kTcpV6) {
        return Unexpected(OffloadError::kUnsupportedGso);
    }
    const bool ipv4 = type == GsoType::kTcpV4;
    const std::size_t l4 = tcp_offset(packet, type);
    if (l4 == 0 || packet.size() < l4 + kTcpMinHeaderSize || header.gso_size == 0) {
        return Unexpected(OffloadError::kMalformed);
    }
    const std::size_t tcp_header = (load_u8(packet, l4 + 12) >> 4U) * 4U;
    const std::size_t headers = l4 + tcp_header;
    if (tcp_header < kTcpMinHeaderSize || packet.size() < headers) {
        return Unexpected(OffloadError::kMalformed);
    }
    const std::size_t payload = packet.size() - headers;
    const std::size_t mss = header.gso_size;
    const std::size_t count = payload == 0 ? 1 : (payload + mss - 1) / mss;
    if (payload + count * headers > out.size()) {
        return Unexpected(OffloadError::kNoSpace);
    }
    const std::uint32_t first_seq = load_be32(packet, l4 + 4);
    const std::uint16_t first_id = ipv4 ? load_be16(packet, 4) : 0;
    const std::uint8_t flags = load_u8(packet, l4 + 13);
    std::size_t used = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t from = i * mss;
        const std::size_t length = std::min(mss, payload - from);
        const auto segment = out.subspan(used, headers + length);
        std::memcpy(segment.data(), packet.data(), headers);
        std::memcpy(segment.data() + headers, packet.data() + headers + from, length);
        if (ipv4) {
            store_be16(segment, 2, static_cast<std::uint16_t>(segment.size()));
            store_be16(segment, 4, static_cast<std::uint16_t>(first_id + i));
            store_be16(segment, 10, ipv4_header_checksum(segment.first(l4)));
        } else {
            store_be16(segment, 4, static_cast<std::uint16_t>(segment.size() - kIpv6HeaderSize));
        }
        store_be32(segment, l4 + 4, static_cast<std::uint32_t>(first_seq + from));
        std::uint8_t segment_flags = flags;
        if (i + 1 < count) {
            segment_flags &= static_cast<std::uint8_t>(~(kTcpFin | kTcpPsh));
        }
        if (i > 0) {
            segment_flags &= static_cast<std::uint8_t>(~kTcpCwr);
        }
        store_u8(segment, l4 + 13, segment_flags);
        store_be16(segment, l4 + 16, tcp_checksum(segment, l4));
        packets.emplace_back(segment);
        used += segment.size();
    }
    return used;
}

}  // namespace nfv::net
