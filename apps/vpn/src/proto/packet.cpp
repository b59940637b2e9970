#include "proto/packet.hpp"

#include <algorithm>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/byte_writer.hpp"

namespace nfv::vpn::proto {

namespace {

constexpr std::uint8_t kFirstOpcode = 3;
constexpr std::uint8_t kLastOpcode = 11;

bool read_session_id(net::ByteReader& reader, SessionId& out) {
    const auto bytes = reader.read_bytes(kSessionIdSize);
    if (!bytes) {
        return false;
    }
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return true;
}

std::size_t ack_block_size(const AckList& acks) {
    const std::size_t count = std::min<std::size_t>(acks.count, kMaxAcksPerPacket);
    return 1 + count * kMessageIdSize + (count > 0 ? kSessionIdSize : 0);
}

}  // namespace

Result<OpcodeByte, PacketError> parse_opcode_byte(std::uint8_t byte) {
    const auto op = static_cast<std::uint8_t>(byte >> kOpcodeShift);
    if (op < kFirstOpcode || op > kLastOpcode) {
        return Unexpected(PacketError::kBadOpcode);
    }
    return OpcodeByte{static_cast<Opcode>(op), static_cast<std::uint8_t>(byte & kKeyIdMask)};
}

bool is_control(Opcode opcode) {
    return opcode != Opcode::kDataV1 && opcode != Opcode::kDataV2;
}

bool is_reliable(Opcode opcode) {
    return is_control(opcode) && opcode != Opcode::kAckV1;
}

bool is_reset(Opcode opcode) {
    switch (opcode) {
        case Opcode::kControlSoftResetV1:
        case Opcode::kControlHardResetClientV2:
        case Opcode::kControlHardResetServerV2:
        case Opcode::kControlHardResetClientV3:
            return true;
        default:
            return false;
    }
}

bool AckList::push(std::uint32_t id) {
    if (count >= kMaxAcksPerPacket) {
        return false;
    }
    ids[count++] = id;
    return true;
}

bool AckList::contains(std::uint32_t id) const {
    const auto v = view();
    return std::find(v.begin(), v.end(), id) != v.end();
}

bool operator==(const AckList& a, const AckList& b) {
    const auto va = a.view();
    const auto vb = b.view();
    return std::equal(va.begin(), va.end(), vb.begin(), vb.end());
}

Result<ControlHeader, PacketError> parse_control_header(std::span<const std::byte> bytes) {
    net::ByteReader reader(bytes);
    const auto first = reader.read_u8();
    if (!first) {
        return Unexpected(PacketError::kTruncated);
    }
    const auto op = parse_opcode_byte(*first);
    if (!op) {
        return Unexpected(op.error());
    }
    if (!is_control(op->opcode)) {
        return Unexpected(PacketError::kNotControl);
    }
    ControlHeader header{op->opcode, op->key_id, {}};
    if (!read_session_id(reader, header.session_id)) {
        return Unexpected(PacketError::kTruncated);
    }
    return header;
}

Result<ControlPacket, PacketError> parse_control_packet(std::span<const std::byte> bytes) {
    const auto header = parse_control_header(bytes);
    if (!header) {
        return Unexpected(header.error());
    }
    net::ByteReader reader(bytes);
    (void)reader.skip(1 + kSessionIdSize);  // validated by parse_control_header

    ControlPacket packet;
    packet.opcode = header->opcode;
    packet.key_id = header->key_id;
    packet.session_id = header->session_id;

    const auto count = reader.read_u8();
    if (!count) {
        return Unexpected(PacketError::kTruncated);
    }
    if (*count > kMaxAcksPerPacket) {
        return Unexpected(PacketError::kTooManyAcks);
    }
    for (std::uint8_t i = 0; i < *count; ++i) {
        const auto id = reader.read_u32();
        if (!id) {
            return Unexpected(PacketError::kTruncated);
        }
        packet.acks.push(*id);
    }
    if (*count > 0 && !read_session_id(reader, packet.remote_session_id)) {
        return Unexpected(PacketError::kTruncated);
    }
    if (!is_reliable(packet.opcode)) {
        // P_ACK_V1 carries nothing after the ack block.
        if (!reader.empty()) {
            return Unexpected(PacketError::kTrailingBytes);
        }
        return packet;
    }
    const auto message_id = reader.read_u32();
    if (!message_id) {
        return Unexpected(PacketError::kTruncated);
    }
    packet.message_id = *message_id;
    packet.payload = reader.read_rest();
    return packet;
}

std::size_t wire_size(const ControlPacket& packet) {
    std::size_t size = 1 + kSessionIdSize + ack_block_size(packet.acks);
    if (is_reliable(packet.opcode)) {
        size += kMessageIdSize + packet.payload.size();
    }
    return size;
}

Result<std::size_t, PacketError> serialize(const ControlPacket& packet, std::span<std::byte> out) {
    if (out.size() < wire_size(packet)) {
        return Unexpected(PacketError::kBufferTooSmall);
    }
    net::ByteWriter writer(out);
    writer.write_u8(make_opcode_byte(packet.opcode, packet.key_id));
    writer.write_bytes(packet.session_id);
    const auto count =
        static_cast<std::uint8_t>(std::min<std::size_t>(packet.acks.count, kMaxAcksPerPacket));
    writer.write_u8(count);
    for (std::uint8_t i = 0; i < count; ++i) {
        writer.write_u32(packet.acks.ids[i]);
    }
    if (count > 0) {
        writer.write_bytes(packet.remote_session_id);
    }
    if (is_reliable(packet.opcode)) {
        writer.write_u32(packet.message_id);
        writer.write_bytes(packet.payload);
    }
    if (writer.overflowed()) {
        return Unexpected(PacketError::kBufferTooSmall);
    }
    return writer.position();
}

Result<DataHeader, PacketError> parse_data_header(std::span<const std::byte> bytes) {
    net::ByteReader reader(bytes);
    const auto first = reader.read_u8();
    if (!first) {
        return Unexpected(PacketError::kTruncated);
    }
    const auto op = parse_opcode_byte(*first);
    if (!op) {
        return Unexpected(op.error());
    }
    if (is_control(op->opcode)) {
        return Unexpected(PacketError::kNotControl);
    }
    DataHeader header;
    header.opcode = op->opcode;
    header.key_id = op->key_id;
    if (op->opcode == Opcode::kDataV2) {
        const auto high = reader.read_u8();
        const auto low = reader.read_u16();
        if (!high || !low) {
            return Unexpected(PacketError::kTruncated);
        }
        header.peer_id = (static_cast<std::uint32_t>(*high) << 16) | *low;
    }
    header.body = reader.read_rest();
    return header;
}

Result<std::size_t, PacketError> serialize_data_header(const DataHeader& header,
                                                       std::span<std::byte> out) {
    const bool v2 = header.opcode == Opcode::kDataV2;
    const std::size_t size = v2 ? kDataV2HeaderSize : kDataV1HeaderSize;
    if (out.size() < size) {
        return Unexpected(PacketError::kBufferTooSmall);
    }
    net::ByteWriter writer(out);
    writer.write_u8(make_opcode_byte(header.opcode, header.key_id));
    if (v2) {
        writer.write_u8(static_cast<std::uint8_t>((header.peer_id >> 16) & 0xFF));
        writer.write_u16(static_cast<std::uint16_t>(header.peer_id & 0xFFFF));
    }
    return writer.position();
}

}  // namespace nfv::vpn::proto
