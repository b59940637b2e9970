// OpenVPN 2.6 packet framing: the opcode/key-id byte, control packets and data packet headers.
//
// References (no finished spec exists): OpenVPN 2.6 src/openvpn/ssl_pkt.h (opcodes, P_OPCODE_SHIFT,
// P_KEY_ID_MASK), reliable.c (ACK block: count, ids, remote session id), ssl.c (control packet
// assembly), doc/doxygen/doc_protocol_overview.h; /work/shared/reference/openvpn-protocol.md
// §1.2-1.3.
//
// Plain (unwrapped) control packet layout, all integers big endian:
//
//   op<<3|key_id (1) | own session id (8) | ack count n (1) | n x acked message id (4)
//   | remote session id (8, only when n > 0) | message id (4, absent for P_ACK_V1) | payload
//
// tls-auth and tls-crypt change the layout on the wire (see tls_auth.hpp, tls_crypt.hpp); both
// unwrap into this plain form, so this codec only ever parses plain packets.
//
// For P_CONTROL_HARD_RESET_CLIENT_V3 and P_CONTROL_WKC_V1 the tls-crypt-v2 client key (WKc) is
// appended after the wrapped packet; it must be stripped before unwrapping and is never part of
// the payload seen here.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "nfv/platform/result.hpp"

namespace nfv::vpn::proto {

/// Opcodes accepted by OpenVPN 2.6 (P_FIRST_OPCODE 3 .. P_LAST_OPCODE 11).
enum class Opcode : std::uint8_t {
    kControlSoftResetV1 = 3,
    kControlV1 = 4,
    kAckV1 = 5,
    kDataV1 = 6,
    kControlHardResetClientV2 = 7,
    kControlHardResetServerV2 = 8,
    kDataV2 = 9,
    kControlHardResetClientV3 = 10,
    kControlWkcV1 = 11,
};

inline constexpr unsigned kOpcodeShift = 3;
inline constexpr std::uint8_t kKeyIdMask = 0x07;
inline constexpr std::size_t kSessionIdSize = 8;
inline constexpr std::size_t kMessageIdSize = 4;
/// RELIABLE_ACK_SIZE: most acks a packet may carry; OpenVPN rejects packets with more.
inline constexpr std::size_t kMaxAcksPerPacket = 8;
/// 24-bit peer id of P_DATA_V2; MAX_PEER_ID (0xFFFFFF) means "unset" in OpenVPN.
inline constexpr std::uint32_t kMaxPeerId = 0xFFFFFF;

using SessionId = std::array<std::byte, kSessionIdSize>;

enum class PacketError : std::uint8_t {
    kTruncated,       // fewer bytes than the layout requires
    kBadOpcode,       // opcode outside 3..11
    kNotControl,      // a data opcode given to the control parser (or the reverse)
    kTooManyAcks,     // ack count above kMaxAcksPerPacket
    kTrailingBytes,   // bytes after a P_ACK_V1 ack block
    kBufferTooSmall,  // serialize: output shorter than wire_size()
};

/// The first byte of every packet.
struct OpcodeByte {
    Opcode opcode = Opcode::kControlV1;
    std::uint8_t key_id = 0;
    friend constexpr bool operator==(const OpcodeByte&, const OpcodeByte&) = default;
};

/// Splits the first byte; rejects opcodes OpenVPN 2.6 does not accept.
[[nodiscard]] Result<OpcodeByte, PacketError> parse_opcode_byte(std::uint8_t byte);
/// Packs opcode and key id (only the low 3 bits of key_id are used).
[[nodiscard]] constexpr std::uint8_t make_opcode_byte(Opcode opcode, std::uint8_t key_id) {
    return static_cast<std::uint8_t>((static_cast<unsigned>(opcode) << kOpcodeShift) |
                                     (key_id & kKeyIdMask));
}
/// True for every opcode except P_DATA_V1 and P_DATA_V2.
[[nodiscard]] bool is_control(Opcode opcode);
/// True for the control opcodes that carry a message id (all but P_ACK_V1).
[[nodiscard]] bool is_reliable(Opcode opcode);
/// True for the hard/soft reset opcodes.
[[nodiscard]] bool is_reset(Opcode opcode);

/// Up to kMaxAcksPerPacket acknowledged message ids, in wire order.
struct AckList {
    std::array<std::uint32_t, kMaxAcksPerPacket> ids{};
    std::uint8_t count = 0;

    [[nodiscard]] std::span<const std::uint32_t> view() const { return {ids.data(), count}; }
    [[nodiscard]] bool empty() const { return count == 0; }
    /// Appends `id`; false when full.
    bool push(std::uint32_t id);
    [[nodiscard]] bool contains(std::uint32_t id) const;
    friend bool operator==(const AckList& a, const AckList& b);
};

/// A control packet in plain form. `payload` is a view into the parsed bytes (or into the
/// sender's storage) and is valid only as long as those bytes are.
struct ControlPacket {
    Opcode opcode = Opcode::kControlV1;
    std::uint8_t key_id = 0;
    SessionId session_id{};
    AckList acks;
    /// Meaningful only when `acks` is not empty (the wire carries it only then).
    SessionId remote_session_id{};
    /// Meaningful only when is_reliable(opcode).
    std::uint32_t message_id = 0;
    std::span<const std::byte> payload;
};

/// Parses a plain control packet. The payload is everything after the message id.
[[nodiscard]] Result<ControlPacket, PacketError> parse_control_packet(
    std::span<const std::byte> bytes);
/// Bytes serialize() writes for `packet`.
[[nodiscard]] std::size_t wire_size(const ControlPacket& packet);
/// Writes `packet` in plain form; returns bytes written or kBufferTooSmall (nothing written
/// beyond `out`). Only the low 3 bits of key_id and the first kMaxAcksPerPacket acks are used.
[[nodiscard]] Result<std::size_t, PacketError> serialize(const ControlPacket& packet,
                                                         std::span<std::byte> out);

/// The opcode byte and sender session id, common to all wrapping modes (plain, tls-auth,
/// tls-crypt): enough to route a packet before unwrapping it.
struct ControlHeader {
    Opcode opcode = Opcode::kControlV1;
    std::uint8_t key_id = 0;
    SessionId session_id{};
};
[[nodiscard]] Result<ControlHeader, PacketError> parse_control_header(
    std::span<const std::byte> bytes);

/// Data packet header: P_DATA_V1 = 1 byte; P_DATA_V2 = 1 byte + 24-bit peer id.
struct DataHeader {
    Opcode opcode = Opcode::kDataV2;
    std::uint8_t key_id = 0;
    std::uint32_t peer_id = kMaxPeerId;  // P_DATA_V2 only
    /// Everything after the header (packet id, tag, ciphertext), a view into the input.
    std::span<const std::byte> body;
};
inline constexpr std::size_t kDataV1HeaderSize = 1;
inline constexpr std::size_t kDataV2HeaderSize = 4;

[[nodiscard]] Result<DataHeader, PacketError> parse_data_header(std::span<const std::byte> bytes);
/// Writes the header only (1 or 4 bytes); peer_id above kMaxPeerId is truncated to 24 bits.
[[nodiscard]] Result<std::size_t, PacketError> serialize_data_header(const DataHeader& header,
                                                                     std::span<std::byte> out);

}  // namespace nfv::vpn::proto
