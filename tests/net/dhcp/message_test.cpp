#include "nfv/net/dhcp/message.hpp"

#include <vector>

#include <gtest/gtest.h>

namespace nfv::net::dhcp {
namespace {

// A DHCPDISCOVER as a Linux client sends it: fixed header, cookie, options.
std::vector<std::byte> discover_bytes() {
    std::vector<std::byte> packet(kFixedHeaderSize, std::byte{0});
    packet[0] = std::byte{1};  // BOOTREQUEST
    packet[1] = std::byte{1};  // Ethernet
    packet[2] = std::byte{6};
    packet[4] = std::byte{0xde};  // xid 0xdeadbeef
    packet[5] = std::byte{0xad};
    packet[6] = std::byte{0xbe};
    packet[7] = std::byte{0xef};
    packet[10] = std::byte{0x80};  // broadcast flag
    const std::array<int, 6> mac{0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    for (std::size_t i = 0; i < mac.size(); ++i)
        packet[28 + i] = static_cast<std::byte>(mac[i]);
    for (const int b : std::initializer_list<int>{0x63, 0x82, 0x53, 0x63, 53, 1, 1, 12, 4, 'h', 'o',
                                                  's', 't', 55, 3, 1, 3, 6, 255}) {
        packet.push_back(static_cast<std::byte>(b));
    }
    return packet;
}

TEST(DhcpMessage, ParsesTheFixedHeaderAndOptions) {
    const auto parsed = parse(discover_bytes());
    ASSERT_TRUE(parsed) << to_string(parsed.error());
    EXPECT_EQ(parsed->op, BootpOp::kRequest);
    EXPECT_EQ(parsed->xid, 0xdeadbeefU);
    EXPECT_TRUE(parsed->broadcast());
    EXPECT_EQ(parsed->hardware_address_text(), "52:54:00:12:34:56");
    EXPECT_EQ(parsed->options.message_type(), MessageType::kDiscover);
    EXPECT_EQ(parsed->options.get_text(OptionCode::kHostName), "host");
    EXPECT_TRUE(parsed->sname.empty());
}

TEST(DhcpMessage, RejectsShortPacketsBadOpBadHlenAndMissingCookie) {
    auto packet = discover_bytes();
    EXPECT_EQ(parse(std::span(packet).first(kFixedHeaderSize + 3)).error(), DhcpError::kTooShort);
    auto bad_op = packet;
    bad_op[0] = std::byte{3};
    EXPECT_EQ(parse(bad_op).error(), DhcpError::kBadOp);
    auto bad_hlen = packet;
    bad_hlen[2] = std::byte{17};
    EXPECT_EQ(parse(bad_hlen).error(), DhcpError::kBadHardwareLength);
    auto no_cookie = packet;
    no_cookie[kFixedHeaderSize] = std::byte{0};
    EXPECT_EQ(parse(no_cookie).error(), DhcpError::kNoMagicCookie);
    auto bad_option = packet;
    bad_option.back() = std::byte{12};  // replace the end option by a code without a length
    EXPECT_EQ(parse(bad_option).error(), DhcpError::kBadOptions);
}

TEST(DhcpMessage, ReadsOverloadedFileAndSnameFieldsInRfc3396Order) {
    auto packet = discover_bytes();
    packet.pop_back();  // the end option
    for (const int b : std::initializer_list<int>{52, 1, 3, 255})
        packet.push_back(static_cast<std::byte>(b));
    // file (offset 108) carries a host name part, sname (offset 44) its continuation.
    const std::array<int, 5> in_file{12, 2, 'x', 'y', 255};
    for (std::size_t i = 0; i < in_file.size(); ++i)
        packet[108 + i] = std::byte(in_file[i]);
    const std::array<int, 4> in_sname{12, 1, 'z', 255};
    for (std::size_t i = 0; i < in_sname.size(); ++i)
        packet[44 + i] = std::byte(in_sname[i]);
    const auto parsed = parse(packet);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->options.get_text(OptionCode::kHostName), "hostxyz");
    EXPECT_TRUE(parsed->file.empty());
    EXPECT_FALSE(parsed->options.has(OptionCode::kOverload));
}

TEST(DhcpMessage, SerializePadsToBootpMinimumAndRoundTrips) {
    DhcpMessage reply;
    reply.op = BootpOp::kReply;
    reply.xid = 42;
    reply.yiaddr = Ipv4Address({192, 168, 7, 50});
    reply.siaddr = Ipv4Address({192, 168, 7, 1});
    reply.chaddr = {0x52, 0x54, 0, 1, 2, 3};
    reply.file = "pxelinux.0";
    reply.options.set_u8(OptionCode::kMessageType, static_cast<std::uint8_t>(MessageType::kOffer));
    reply.options.set_address(OptionCode::kServerIdentifier, Ipv4Address({192, 168, 7, 1}));
    reply.options.set_u32(OptionCode::kLeaseTime, 3600);
    std::vector<std::byte> buffer(1500);
    const auto size = serialize(reply, buffer);
    ASSERT_TRUE(size);
    EXPECT_EQ(*size, kMinimumMessageSize);
    const auto parsed = parse(std::span(buffer).first(*size));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->op, BootpOp::kReply);
    EXPECT_EQ(parsed->xid, 42U);
    EXPECT_EQ(parsed->yiaddr, reply.yiaddr);
    EXPECT_EQ(parsed->file, "pxelinux.0");
    EXPECT_EQ(parsed->options.message_type(), MessageType::kOffer);
    EXPECT_EQ(parsed->options.get_u32(OptionCode::kLeaseTime), 3600U);
}

TEST(DhcpMessage, SerializeRefusesASmallBuffer) {
    DhcpMessage message;
    std::vector<std::byte> buffer(299);
    EXPECT_EQ(serialize(message, buffer).error(), DhcpError::kBufferTooSmall);
}

TEST(DhcpMessage, SerializeTruncatesOverlongTextFieldsKeepingTheNul) {
    DhcpMessage message;
    message.sname = std::string(100, 's');
    std::vector<std::byte> buffer(600);
    ASSERT_TRUE(serialize(message, buffer));
    EXPECT_EQ(buffer[44 + 63], std::byte{0});
    const auto parsed = parse(buffer);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->sname.size(), 63U);
}

}  // namespace
}  // namespace nfv::net::dhcp
