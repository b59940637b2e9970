#include "nfv/net/tcp_coalescer.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "nfv/net/byte_order.hpp"
#include "nfv/net/checksum.hpp"

namespace nfv::net {

namespace {

constexpr std::uint8_t kProtocolTcp = 6;
constexpr std::uint8_t kTcpAck = 0x10;
constexpr std::uint8_t kTcpPsh = 0x08;
constexpr std::size_t kIpv4HeaderSize = 20;  // only option-less IPv4 headers are merged
constexpr std::size_t kIpv6HeaderSize = 40;
constexpr std::size_t kTcpMinHeaderSize = 20;

bool same_bytes(std::span<const std::byte> a, std::span<const std::byte> b, std::size_t from,
                std::size_t to) {
    return std::memcmp(a.data() + from, b.data() + from, to - from) == 0;
}

// Offset of the TCP header for any TCP packet (options allowed), 0 otherwise: used only to tell
// which connection a packet belongs to.
std::size_t any_tcp_offset(std::span<const std::byte> packet) {
    if (packet.empty()) {
        return 0;
    }
    const unsigned version = load_u8(packet, 0) >> 4U;
    std::size_t l4 = 0;
    if (version == 4 && packet.size() >= kIpv4HeaderSize && load_u8(packet, 9) == kProtocolTcp) {
        l4 = (load_u8(packet, 0) & 0x0fU) * 4U;
    } else if (version == 6 && packet.size() >= kIpv6HeaderSize &&
               load_u8(packet, 6) == kProtocolTcp) {
        l4 = kIpv6HeaderSize;
    }
    return l4 >= kIpv4HeaderSize && packet.size() >= l4 + 4 ? l4 : 0;
}

}  // namespace

struct TcpCoalescer::Segment {
    bool ipv4 = false;
    bool psh = false;
    std::size_t l4 = 0;
    std::size_t headers = 0;
    std::size_t payload = 0;
    std::uint32_t seq = 0;
    std::uint16_t id = 0;
};

std::optional<TcpCoalescer::Segment> TcpCoalescer::parse_mergeable(
    std::span<const std::byte> packet) {
    if (packet.empty()) {
        return std::nullopt;
    }
    Segment s;
    const unsigned version = load_u8(packet, 0) >> 4U;
    if (version == 4) {
        if (packet.size() < kIpv4HeaderSize || (load_u8(packet, 0) & 0x0fU) != 5 ||
            load_be16(packet, 2) != packet.size() || (load_be16(packet, 6) & 0x3fffU) != 0 ||
            load_u8(packet, 9) != kProtocolTcp ||
            internet_checksum(packet.first(kIpv4HeaderSize)) != 0) {
            return std::nullopt;
        }
        s.ipv4 = true;
        s.l4 = kIpv4HeaderSize;
        s.id = load_be16(packet, 4);
    } else if (version == 6) {
        if (packet.size() < kIpv6HeaderSize ||
            load_be16(packet, 4) != packet.size() - kIpv6HeaderSize ||
            load_u8(packet, 6) != kProtocolTcp) {
            return std::nullopt;
        }
        s.l4 = kIpv6HeaderSize;
    } else {
        return std::nullopt;
    }
    if (packet.size() < s.l4 + kTcpMinHeaderSize) {
        return std::nullopt;
    }
    const std::size_t tcp_header = (load_u8(packet, s.l4 + 12) >> 4U) * 4U;
    const std::uint8_t flags = load_u8(packet, s.l4 + 13);
    s.headers = s.l4 + tcp_header;
    if (tcp_header < kTcpMinHeaderSize || packet.size() <= s.headers ||
        (flags != kTcpAck && flags != (kTcpAck | kTcpPsh)) ||
        packet_transport_checksum(packet, s.l4, kProtocolTcp) != 0) {
        return std::nullopt;
    }
    s.psh = (flags & kTcpPsh) != 0;
    s.payload = packet.size() - s.headers;
    s.seq = load_be32(packet, s.l4 + 4);
    return s;
}

TcpCoalescer::TcpCoalescer(std::size_t arena_bytes, std::size_t max_open_flows)
    : arena_(std::max(arena_bytes, kMaxPacket)),
      max_open_flows_(std::max<std::size_t>(max_open_flows, 1)) {}

std::span<std::byte> TcpCoalescer::bytes_of(const Item& item) {
    return arena_.span().subspan(item.offset, item.length);
}

bool TcpCoalescer::add(std::span<const std::byte> packet) {
    const auto segment = parse_mergeable(packet);
    if (segment) {
        for (std::size_t i = 0; i < open_.size(); ++i) {
            Item& flow = items_[open_[i]];
            if (!joins(flow, *segment, packet)) {
                continue;
            }
            std::memcpy(arena_.data() + flow.offset + flow.length, packet.data() + segment->headers,
                        segment->payload);
            flow.length += segment->payload;
            flow.next_seq += static_cast<std::uint32_t>(segment->payload);
            ++flow.next_id;
            ++flow.segments;
            ++stats_.packets_merged;
            ++stats_.packets_in;
            if (segment->psh || segment->payload < flow.gso_size) {
                flow.psh = segment->psh;
                close(i);
            }
            return true;
        }
    }
    close_same_flow(packet);
    const bool added = segment ? start_flow(*segment, packet) : append_single(packet);
    if (added) {
        ++stats_.packets_in;
    }
    return added;
}

bool TcpCoalescer::joins(const Item& flow, const Segment& segment,
                         std::span<const std::byte> packet) const {
    if (flow.ipv4 != segment.ipv4 || flow.headers != segment.headers ||
        flow.next_seq != segment.seq || segment.payload > flow.gso_size ||
        flow.length + segment.payload > flow.capacity) {
        return false;
    }
    const auto first = arena_.span().subspan(flow.offset, flow.headers);
    if (segment.ipv4) {
        if (segment.id != flow.next_id || load_u8(packet, 1) != load_u8(first, 1) ||
            !same_bytes(packet, first, 6, 9) || !same_bytes(packet, first, 12, 20)) {
            return false;  // TOS, DF/TTL, addresses
        }
    } else if (!same_bytes(packet, first, 0, 4) || load_u8(packet, 7) != load_u8(first, 7) ||
               !same_bytes(packet, first, 8, 40)) {
        return false;  // traffic class/flow label, hop limit, addresses
    }
    const std::size_t l4 = flow.l4;
    // Ports, ack number, data offset, window and the options must all be the same.
    return same_bytes(packet, first, l4, l4 + 4) && same_bytes(packet, first, l4 + 8, l4 + 13) &&
           same_bytes(packet, first, l4 + 14, l4 + 16) &&
           same_bytes(packet, first, l4 + kTcpMinHeaderSize, flow.headers);
}

bool TcpCoalescer::start_flow(const Segment& segment, std::span<const std::byte> packet) {
    if (segment.psh) {
        return append_single(packet);  // nothing may follow it in one super-packet
    }
    if (open_.size() >= max_open_flows_) {
        close(0);
    }
    const std::size_t capacity = std::min(kMaxPacket, arena_.size() - used_);
    if (capacity < packet.size()) {
        return false;
    }
    Item flow;
    flow.offset = used_;
    flow.length = packet.size();
    flow.capacity = capacity;
    flow.tcp_flow = true;
    flow.ipv4 = segment.ipv4;
    flow.l4 = segment.l4;
    flow.headers = segment.headers;
    flow.gso_size = static_cast<std::uint16_t>(segment.payload);
    flow.next_id = static_cast<std::uint16_t>(segment.id + 1);
    flow.next_seq = segment.seq + static_cast<std::uint32_t>(segment.payload);
    std::memcpy(arena_.data() + used_, packet.data(), packet.size());
    used_ += capacity;
    open_.push_back(items_.size());
    items_.push_back(flow);
    return true;
}

bool TcpCoalescer::append_single(std::span<const std::byte> packet) {
    if (arena_.size() - used_ < packet.size()) {
        return false;
    }
    Item item;
    item.offset = used_;
    item.length = packet.size();
    item.capacity = packet.size();
    if (!packet.empty()) {
        std::memcpy(arena_.data() + used_, packet.data(), packet.size());
    }
    used_ += packet.size();
    items_.push_back(item);
    return true;
}

void TcpCoalescer::close_same_flow(std::span<const std::byte> packet) {
    const std::size_t l4 = any_tcp_offset(packet);
    if (l4 == 0) {
        return;
    }
    const bool ipv4 = (load_u8(packet, 0) >> 4U) == 4;
    for (std::size_t i = 0; i < open_.size();) {
        const Item& flow = items_[open_[i]];
        const auto first = arena_.span().subspan(flow.offset, flow.headers);
        const bool same =
            flow.ipv4 == ipv4 &&
            (ipv4 ? same_bytes(packet, first, 12, 20) : same_bytes(packet, first, 8, 40)) &&
            std::memcmp(packet.data() + l4, first.data() + flow.l4, 4) == 0;
        if (same) {
            close(i);
        } else {
            ++i;
        }
    }
}

void TcpCoalescer::close(std::size_t open_index) {
    Item& flow = items_[open_[open_index]];
    if (flow.offset + flow.capacity == used_) {
        used_ = flow.offset + flow.length;  // give back the unused reservation
    }
    flow.capacity = flow.length;
    open_.erase(open_.begin() + static_cast<std::ptrdiff_t>(open_index));
}

std::span<const TcpCoalescer::Output> TcpCoalescer::finish() {
    while (!open_.empty()) {
        close(open_.size() - 1);
    }
    outputs_.clear();
    for (Item& item : items_) {
        const auto bytes = bytes_of(item);
        if (item.tcp_flow && item.segments >= 2 && !item.patched) {
            if (item.ipv4) {
                store_be16(bytes, 2, static_cast<std::uint16_t>(bytes.size()));
                store_be16(bytes, 10, 0);
                store_be16(bytes, 10, internet_checksum(bytes.first(kIpv4HeaderSize)));
            } else {
                store_be16(bytes, 4, static_cast<std::uint16_t>(bytes.size() - kIpv6HeaderSize));
            }
            if (item.psh) {
                store_u8(bytes, item.l4 + 13, load_u8(bytes, item.l4 + 13) | kTcpPsh);
            }
            store_be16(bytes, item.l4 + 16,
                       packet_pseudo_header_sum(bytes, kProtocolTcp, bytes.size() - item.l4));
            item.header.needs_checksum = true;
            item.header.gso_type =
                static_cast<std::uint8_t>(item.ipv4 ? GsoType::kTcpV4 : GsoType::kTcpV6);
            item.header.header_length = static_cast<std::uint16_t>(item.headers);
            item.header.gso_size = item.gso_size;
            item.header.checksum_start = static_cast<std::uint16_t>(item.l4);
            item.header.checksum_offset = 16;
            item.patched = true;
            ++stats_.super_packets;
        }
        outputs_.push_back(Output{item.header, bytes, item.segments});
    }
    return outputs_;
}

void TcpCoalescer::clear() {
    items_.clear();
    open_.clear();
    outputs_.clear();
    used_ = 0;
}

}  // namespace nfv::net
