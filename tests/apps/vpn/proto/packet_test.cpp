#include "proto/packet.hpp"

#include <array>
#include <vector>

#include <gtest/gtest.h>

#include "openvpn_vectors.hpp"

namespace nfv::vpn::proto {
namespace {

using testdata::bytes;

std::vector<std::byte> round_trip(const ControlPacket& packet) {
    std::vector<std::byte> out(wire_size(packet));
    const auto written = serialize(packet, out);
    EXPECT_TRUE(written.has_value());
    out.resize(written.value_or(0));
    return out;
}

TEST(OpcodeByte, SplitsOpcodeAndKeyId) {
    const auto op = parse_opcode_byte(0x38);
    ASSERT_TRUE(op);
    EXPECT_EQ(op->opcode, Opcode::kControlHardResetClientV2);
    EXPECT_EQ(op->key_id, 0);
    const auto data = parse_opcode_byte(make_opcode_byte(Opcode::kDataV2, 5));
    ASSERT_TRUE(data);
    EXPECT_EQ(data->opcode, Opcode::kDataV2);
    EXPECT_EQ(data->key_id, 5);
}

TEST(OpcodeByte, RejectsObsoleteAndUnknownOpcodes) {
    for (const int op : {0, 1, 2, 12, 31}) {
        const auto parsed = parse_opcode_byte(static_cast<std::uint8_t>(op << 3));
        ASSERT_FALSE(parsed) << op;
        EXPECT_EQ(parsed.error(), PacketError::kBadOpcode);
    }
}

TEST(ControlPacket, ParsesOpenVpnPlainClientReset) {
    const auto wire = testdata::client_reset_v2_none();
    const auto packet = parse_control_packet(wire);
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->opcode, Opcode::kControlHardResetClientV2);
    EXPECT_EQ(packet->key_id, 0);
    const SessionId sid{std::byte{0x68}, std::byte{0x91}, std::byte{0x92}, std::byte{0x3f},
                        std::byte{0xa3}, std::byte{0x10}, std::byte{0x34}, std::byte{0x37}};
    EXPECT_EQ(packet->session_id, sid);
    EXPECT_TRUE(packet->acks.empty());
    EXPECT_EQ(packet->message_id, 0u);
    EXPECT_TRUE(packet->payload.empty());
    EXPECT_EQ(round_trip(*packet), wire);
}

TEST(ControlPacket, ParsesAckBlockWithRemoteSessionId) {
    // test_pkt.c test_parse_ack: one ack (0) and remote session ea fe bf a4 41 8a e3 1b.
    const auto wire = testdata::client_control_with_ack();
    const auto packet = parse_control_packet(wire);
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->opcode, Opcode::kControlV1);
    ASSERT_EQ(packet->acks.count, 1);
    EXPECT_EQ(packet->acks.ids[0], 0u);
    const SessionId remote{std::byte{0xea}, std::byte{0xfe}, std::byte{0xbf}, std::byte{0xa4},
                           std::byte{0x41}, std::byte{0x8a}, std::byte{0xe3}, std::byte{0x1b}};
    EXPECT_EQ(packet->remote_session_id, remote);
    EXPECT_EQ(packet->message_id, 1u);
    EXPECT_EQ(packet->payload.size(), 3u);  // start of a TLS record: 16 03 01
    EXPECT_EQ(round_trip(*packet), wire);
}

TEST(ControlPacket, ParsesAckOnlyPacketWithThreeAcks) {
    const auto wire = testdata::client_ack_123_none_random_id();
    const auto packet = parse_control_packet(wire);
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->opcode, Opcode::kAckV1);
    ASSERT_EQ(packet->acks.count, 3);
    EXPECT_EQ(packet->acks.ids[0], 0u);
    EXPECT_EQ(packet->acks.ids[1], 1u);
    EXPECT_EQ(packet->acks.ids[2], 2u);
    EXPECT_EQ(round_trip(*packet), wire);
    EXPECT_EQ(wire_size(*packet), wire.size());
}

TEST(ControlPacket, RejectsAckBlockWithoutRemoteSessionId) {
    // test_pkt.c client_control_none_random_id: one ack, then the packet ends.
    const auto parsed = parse_control_packet(testdata::client_control_none_random_id());
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error(), PacketError::kTruncated);
}

TEST(ControlPacket, RejectsEveryTruncation) {
    const auto wire = testdata::client_control_with_ack();
    // Up to the message id every prefix is short; the payload may be cut anywhere.
    for (std::size_t n = 0; n < wire.size() - 3; ++n) {
        const auto parsed = parse_control_packet(std::span(wire).first(n));
        ASSERT_FALSE(parsed) << n;
        EXPECT_EQ(parsed.error(), PacketError::kTruncated) << n;
    }
}

TEST(ControlPacket, RejectsMoreThanEightAcks) {
    auto wire = bytes({0x20, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    wire.resize(wire.size() + 9 * 4 + 8 + 4);
    const auto parsed = parse_control_packet(wire);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error(), PacketError::kTooManyAcks);
}

TEST(ControlPacket, RejectsTrailingBytesAfterAckOnlyPacket) {
    auto wire = testdata::client_ack_none_random_id();
    wire.push_back(std::byte{0});
    const auto parsed = parse_control_packet(wire);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error(), PacketError::kTrailingBytes);
}

TEST(ControlPacket, RejectsDataOpcodes) {
    const auto parsed = parse_control_packet(bytes({0x48, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error(), PacketError::kNotControl);
}

TEST(ControlPacket, SerializeRefusesShortBuffer) {
    const auto wire = testdata::client_control_with_ack();
    const auto packet = parse_control_packet(wire);
    ASSERT_TRUE(packet);
    std::vector<std::byte> out(wire.size() - 1, std::byte{0xee});
    const auto written = serialize(*packet, out);
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error(), PacketError::kBufferTooSmall);
}

TEST(ControlPacket, SerializesBuiltPacket) {
    ControlPacket packet;
    packet.opcode = Opcode::kControlV1;
    packet.key_id = 2;
    packet.session_id.fill(std::byte{0x11});
    packet.acks.push(7);
    packet.acks.push(9);
    packet.remote_session_id.fill(std::byte{0x22});
    packet.message_id = 0x01020304;
    const auto payload = bytes({0xaa, 0xbb});
    packet.payload = payload;
    const auto wire = round_trip(packet);
    const auto expected =
        bytes({0x22, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x02, 0, 0, 0, 7, 0,    0,
               0,    9,    0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 1, 2, 3, 4, 0xaa, 0xbb});
    EXPECT_EQ(wire, expected);
}

TEST(ControlHeader, ReadsOpcodeAndSessionOfWrappedPacket) {
    const auto header = parse_control_header(testdata::client_reset_v2_tls_crypt());
    ASSERT_TRUE(header);
    EXPECT_EQ(header->opcode, Opcode::kControlHardResetClientV2);
    EXPECT_EQ(header->session_id[0], std::byte{0xf4});
    EXPECT_FALSE(parse_control_header(bytes({0x38, 1, 2})));
}

TEST(DataHeader, ParsesDataV2PeerId) {
    const auto wire = bytes({0x4a, 0x12, 0x34, 0x56, 0xde, 0xad});
    const auto header = parse_data_header(wire);
    ASSERT_TRUE(header);
    EXPECT_EQ(header->opcode, Opcode::kDataV2);
    EXPECT_EQ(header->key_id, 2);
    EXPECT_EQ(header->peer_id, 0x123456u);
    EXPECT_EQ(header->body.size(), 2u);
    std::array<std::byte, 4> out{};
    const auto written = serialize_data_header(*header, out);
    ASSERT_TRUE(written);
    EXPECT_EQ(*written, 4u);
    EXPECT_TRUE(std::equal(out.begin(), out.end(), wire.begin()));
}

TEST(DataHeader, ParsesDataV1AndRejectsShortV2) {
    const auto v1 = parse_data_header(bytes({0x31, 0x00, 0x01}));
    ASSERT_TRUE(v1);
    EXPECT_EQ(v1->opcode, Opcode::kDataV1);
    EXPECT_EQ(v1->key_id, 1);
    EXPECT_EQ(v1->body.size(), 2u);
    const auto short_v2 = parse_data_header(bytes({0x48, 0x00, 0x01}));
    ASSERT_FALSE(short_v2);
    EXPECT_EQ(short_v2.error(), PacketError::kTruncated);
    EXPECT_FALSE(parse_data_header(testdata::client_reset_v2_none()));
}

}  // namespace
}  // namespace nfv::vpn::proto
