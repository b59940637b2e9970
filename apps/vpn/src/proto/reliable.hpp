// Control-channel reliability layer of one OpenVPN key state (sans-I/O).
//
// Reference: OpenVPN 2.6 src/openvpn/reliable.{h,c} and its use in ssl.c (tls_process,
// tls_pre_decrypt), ssl_pkt.h (TLS_RELIABLE_N_SEND_BUFFERS 6, TLS_RELIABLE_N_REC_BUFFERS 12),
// reliable.h (RELIABLE_ACK_SIZE 8, N_ACK_RETRANSMIT 3), ssl.h (CONTROL_SEND_ACK_MAX 4), options.c
// (--tls-timeout 2 s), mtu.h (TLS_MTU_DEFAULT 1250); /work/shared/reference/openvpn-protocol.md
// §1.4-1.5.
//
// Behaviour:
//  * every reliable packet (resets, P_CONTROL_V1, P_CONTROL_WKC_V1) carries a message id
//    counting from 0 without gaps; retransmissions keep their id;
//  * at most `send_window` packets are in flight, and a new id is only used while it is less
//    than the lowest unacknowledged id + send_window;
//  * retransmission after `initial_timeout`, doubling each time (exponential backoff), or at
//    once when `fast_retransmit_acks` later packets were acknowledged;
//  * acknowledgements are per packet: received ids are acked piggy-backed on outgoing control
//    packets (up to 4) or in P_ACK_V1 (up to 8); spare slots re-ack recently acked ids;
//  * received packets within `receive_window` of the next expected id are buffered and
//    delivered in order; duplicates and already-delivered ids are acked again but not
//    delivered twice; ids beyond the window are dropped without an ack.
//
// Driving protocol: after send(), on_packet() or on_timeout(), call poll_transmit(now) until it
// returns nullopt, wrap and send each packet, then poll_message() until nullopt, and re-arm the
// timer with next_timeout().
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "nfv/platform/result.hpp"
#include "nfv/platform/time.hpp"

#include "proto/packet.hpp"

namespace nfv::vpn::proto {

/// TLS_MTU_DEFAULT: control packets (whole IP datagram) should not exceed this.
inline constexpr std::size_t kDefaultTlsMtu = 1250;
/// IPv6 + UDP header bytes, OpenVPN's pessimistic datagram overhead for the control channel.
inline constexpr std::size_t kDatagramOverheadIpv6Udp = 48;

/// TLS bytes that fit into one control packet so that the datagram stays within `tls_mtu`:
/// tls_mtu minus datagram overhead, wrapping overhead (tls-auth: HMAC + 8, tls-crypt: 40), the
/// opcode, session id, a 4-ack block and the message id. Never less than 64.
[[nodiscard]] std::size_t control_payload_size(
    std::size_t tls_mtu, std::size_t wrap_overhead,
    std::size_t datagram_overhead = kDatagramOverheadIpv6Udp);

struct ReliableConfig {
    std::uint8_t key_id = 0;
    SessionId local_session_id{};
    std::size_t send_window = 6;                                   // TLS_RELIABLE_N_SEND_BUFFERS
    std::size_t receive_window = 12;                               // TLS_RELIABLE_N_REC_BUFFERS
    platform::Duration initial_timeout = std::chrono::seconds(2);  // --tls-timeout
    /// Backoff cap (OpenVPN has none but gives up after --hand-window 60 s; this only keeps
    /// the doubling from overflowing).
    platform::Duration max_timeout = std::chrono::seconds(300);
    std::size_t max_payload = control_payload_size(kDefaultTlsMtu, 0);
    std::size_t piggyback_acks = 4;  // CONTROL_SEND_ACK_MAX
    std::size_t ack_only_acks = kMaxAcksPerPacket;
    std::uint32_t fast_retransmit_acks = 3;  // N_ACK_RETRANSMIT
};

enum class ReliableError : std::uint8_t {
    kWrongKeyId,     // packet belongs to another key state
    kWrongSession,   // sender session id differs from the one learned first
    kBadAckSession,  // the ack block names a session id that is not ours
    kNotControl,     // a data opcode
};

struct InboundMessage {
    Opcode opcode = Opcode::kControlV1;
    std::vector<std::byte> payload;
};

struct ReliableStats {
    std::uint64_t packets_sent = 0;  // reliable packets, first transmissions
    std::uint64_t retransmits = 0;
    std::uint64_t ack_packets_sent = 0;
    std::uint64_t duplicates = 0;     // received again (acked, not delivered)
    std::uint64_t out_of_window = 0;  // dropped: too far ahead
    std::uint64_t delivered = 0;
};

class Reliable {
public:
    explicit Reliable(const ReliableConfig& config);

    /// The peer's session id, written into ack blocks. Learned from the first packet given to
    /// on_packet() unless set here first.
    void set_remote_session_id(const SessionId& id) { remote_session_id_ = id; }
    [[nodiscard]] const std::optional<SessionId>& remote_session_id() const {
        return remote_session_id_;
    }

    /// Queues a reliable message. P_CONTROL_V1 data is a byte stream (TLS records): it is
    /// appended to what is queued and cut into packets of at most max_payload bytes. Other
    /// opcodes (resets, P_CONTROL_WKC_V1) become exactly one packet each. Data opcodes and
    /// P_ACK_V1 are ignored.
    void send(Opcode opcode, std::span<const std::byte> data);

    /// Processes a received, already unwrapped and parsed control packet: its acks and, for
    /// reliable opcodes, its message. Errors mean the packet was ignored entirely.
    [[nodiscard]] Result<void, ReliableError> on_packet(const ControlPacket& packet,
                                                        platform::Instant now);

    /// The next in-order received message, or nullopt.
    [[nodiscard]] std::optional<InboundMessage> poll_message();

    /// The next packet to put on the wire (first transmission, retransmission, or P_ACK_V1),
    /// or nullopt when nothing is due. The payload views storage of this object and is valid
    /// until the next non-const call.
    [[nodiscard]] std::optional<ControlPacket> poll_transmit(platform::Instant now);

    /// Earliest retransmission deadline of a packet in flight; nullopt when nothing waits for
    /// an ack. Valid after poll_transmit() returned nullopt.
    [[nodiscard]] std::optional<platform::Instant> next_timeout() const;
    /// Timer expiry: marks packets whose deadline passed as due; poll_transmit() sends them.
    void on_timeout(platform::Instant now);

    /// True when nothing is queued and every sent packet was acknowledged.
    [[nodiscard]] bool idle() const { return queue_.empty() && in_flight_.empty(); }
    [[nodiscard]] std::size_t queued_bytes() const;
    [[nodiscard]] const ReliableStats& stats() const { return stats_; }

private:
    struct Outbound {
        Opcode opcode;
        std::vector<std::byte> payload;
    };
    struct InFlight {
        std::uint32_t id = 0;
        Opcode opcode = Opcode::kControlV1;
        std::vector<std::byte> payload;
        std::optional<platform::Instant> next_try;  // nullopt: never sent
        platform::Duration timeout{};
        std::uint32_t later_acks = 0;
        bool due = true;
    };

    void promote_queued();
    void process_acks(const AckList& acks);
    void remember_ack(std::uint32_t id);
    AckList take_acks(std::size_t max);

    ReliableConfig config_;
    std::optional<SessionId> remote_session_id_;

    std::deque<Outbound> queue_;
    std::vector<InFlight> in_flight_;
    std::uint32_t next_send_id_ = 0;

    std::vector<std::optional<InboundMessage>> receive_ring_;
    std::uint32_t next_deliver_id_ = 0;

    std::deque<std::uint32_t> pending_acks_;  // received ids not yet acked
    std::deque<std::uint32_t> recent_acks_;   // most recently acked first (re-ack fill)

    ReliableStats stats_;
};

}  // namespace nfv::vpn::proto
