// TcpCoalescer: receive offload in software (what Linux GRO does in tcp_gro_receive), so that a
// batch of decrypted packets reaches a TUN with IFF_VNET_HDR in a few large writes instead of
// one write per packet.
//
// Packets are added one by one and copied. Consecutive in-order TCP segments of one flow are
// merged into one "super-packet" described by a virtio-net header (gso_type TCPV4/TCPV6,
// gso_size = the first segment's payload, NEEDS_CSUM with the pseudo-header sum in the TCP
// checksum field, as a NIC driver hands GRO packets up). Segmenting such a super-packet again
// (split_offloaded_packet) gives back exactly the segments that went in.
//
// A segment joins a flow only when nothing is lost by merging:
//   * IPv4 without options or fragmentation, ID one more than the previous segment's, same
//     TOS/DF/TTL, valid header checksum; or IPv6 without extension headers, same traffic class,
//     flow label and hop limit;
//   * TCP with flags ACK or ACK|PSH, the same ports, ack number, window and options bytes, the
//     next sequence number, a payload no longer than the flow's gso_size, and a valid checksum;
//   * the super-packet stays within 65535 bytes.
// A shorter segment or one with PSH ends its flow. Everything else (other protocols, SYN/FIN/RST,
// pure ACKs, bad checksums) passes through unchanged as its own output, after closing any open
// flow with the same addresses and ports, so each flow's packets keep their order. Packets of
// different flows may be reordered relative to each other, as GRO does.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "nfv/net/offload.hpp"
#include "nfv/platform/byte_buffer.hpp"

namespace nfv::net {

class TcpCoalescer {
public:
    struct Output {
        VirtioNetHeader header;             // all-zero for a packet passed through
        std::span<const std::byte> packet;  // valid until the next add() or clear()
        std::uint16_t segments = 1;
    };
    struct Stats {
        std::uint64_t packets_in = 0;
        std::uint64_t packets_merged = 0;  // segments appended to an earlier one
        std::uint64_t super_packets = 0;   // outputs carrying two or more segments
    };

    static constexpr std::size_t kMaxPacket = 65535;

    /// `arena_bytes` bounds the bytes held between clear()s; `max_open_flows` bounds the flows
    /// that can still grow at the same time (the oldest is closed to make room).
    explicit TcpCoalescer(std::size_t arena_bytes = 512 * 1024, std::size_t max_open_flows = 8);

    /// Queues a copy of one IP packet. False (nothing queued) when it does not fit: call
    /// finish(), write the outputs, clear(), and add it again. Precondition: the packet is at
    /// most kMaxPacket bytes, so it always fits into an empty coalescer.
    [[nodiscard]] bool add(std::span<const std::byte> packet);

    /// Closes every flow and returns the outputs in order; views stay valid until add() or
    /// clear().
    [[nodiscard]] std::span<const Output> finish();

    /// Forgets everything queued.
    void clear();

    [[nodiscard]] bool empty() const { return items_.empty(); }
    [[nodiscard]] const Stats& stats() const { return stats_; }

private:
    struct Item {
        std::size_t offset = 0;
        std::size_t length = 0;
        std::size_t capacity = 0;
        // Flow state, used only while the item is open (listed in open_).
        bool tcp_flow = false;
        bool ipv4 = false;
        bool psh = false;
        std::size_t l4 = 0;
        std::size_t headers = 0;
        std::uint16_t gso_size = 0;
        std::uint16_t segments = 1;
        std::uint16_t next_id = 0;
        std::uint32_t next_seq = 0;
        bool patched = false;    // finish() has written the super-packet's headers
        VirtioNetHeader header;  // set by finish() for a super-packet
    };

    struct Segment;  // a parsed, mergeable TCP segment (see the .cpp)

    /// The segment if it may join or start a flow (see the rules above), nullopt otherwise.
    [[nodiscard]] static std::optional<Segment> parse_mergeable(std::span<const std::byte> packet);

    [[nodiscard]] bool append_single(std::span<const std::byte> packet);
    [[nodiscard]] bool start_flow(const Segment& segment, std::span<const std::byte> packet);
    [[nodiscard]] bool joins(const Item& flow, const Segment& segment,
                             std::span<const std::byte> packet) const;
    void close_same_flow(std::span<const std::byte> packet);
    void close(std::size_t open_index);
    [[nodiscard]] std::span<std::byte> bytes_of(const Item& item);

    platform::ByteBuffer arena_;
    std::size_t used_ = 0;
    std::size_t max_open_flows_;
    std::vector<Item> items_;
    std::vector<std::size_t> open_;  // indices into items_ of flows that may still grow
    std::vector<Output> outputs_;
    Stats stats_;
};

}  // namespace nfv::net
