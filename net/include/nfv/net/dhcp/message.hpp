// DHCPv4 message (RFC 2131 §2, Figure 1; BOOTP fields from RFC 951).
//
// parse() checks the fixed header, the magic cookie (99.130.83.99) and the options, including
// option overload (option 52, RFC 2132 §9.3: more options in `file` and/or `sname`). It never
// reads outside the datagram; anything malformed is a DhcpError, never a crash.
// serialize() writes the fixed header, the cookie and the options, padded to the 300-byte BOOTP
// minimum that old clients and relays expect (RFC 1542 §3.3 / RFC 2131 §2).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "nfv/net/dhcp/options.hpp"
#include "nfv/net/ip_address.hpp"
#include "nfv/platform/result.hpp"

namespace nfv::net::dhcp {

inline constexpr std::uint16_t kServerPort = 67;
inline constexpr std::uint16_t kClientPort = 68;
inline constexpr std::size_t kFixedHeaderSize = 236;
inline constexpr std::size_t kMinimumMessageSize = 300;
/// RFC 2131 §2: every client must accept 576-byte IP datagrams, i.e. 548 bytes of DHCP.
inline constexpr std::size_t kDefaultMaxMessageSize = 576 - 28;
inline constexpr std::uint32_t kMagicCookie = 0x63825363;
inline constexpr std::uint16_t kBroadcastFlag = 0x8000;

enum class BootpOp : std::uint8_t { kRequest = 1, kReply = 2 };

enum class DhcpError : std::uint8_t {
    kTooShort,           // shorter than the fixed header and cookie
    kBadOp,              // op is neither BOOTREQUEST nor BOOTREPLY
    kBadHardwareLength,  // hlen > 16
    kNoMagicCookie,      // a BOOTP message without DHCP's cookie
    kBadOptions,         // an option runs past its area
    kBufferTooSmall,     // serialize: the output buffer cannot hold the message
};

[[nodiscard]] std::string_view to_string(DhcpError error);

struct DhcpMessage {
    BootpOp op = BootpOp::kRequest;
    std::uint8_t htype = 1;  // 1 = Ethernet
    std::uint8_t hlen = 6;
    std::uint8_t hops = 0;
    std::uint32_t xid = 0;
    std::uint16_t secs = 0;
    std::uint16_t flags = 0;
    Ipv4Address ciaddr;
    Ipv4Address yiaddr;
    Ipv4Address siaddr;
    Ipv4Address giaddr;
    std::array<std::uint8_t, 16> chaddr{};
    std::string sname;  // NUL-terminated text field (64 bytes on the wire), when not overloaded
    std::string file;   // NUL-terminated text field (128 bytes on the wire), when not overloaded
    DhcpOptions options;

    [[nodiscard]] bool broadcast() const { return (flags & kBroadcastFlag) != 0; }
    /// The hardware address as "aa:bb:cc:dd:ee:ff" (hlen bytes).
    [[nodiscard]] std::string hardware_address_text() const;
};

/// Parses a DHCP message from a UDP payload.
[[nodiscard]] Result<DhcpMessage, DhcpError> parse(std::span<const std::byte> datagram);

/// Serializes into `out`; returns the number of bytes written (at least 300).
[[nodiscard]] Result<std::size_t, DhcpError> serialize(const DhcpMessage& message,
                                                       std::span<std::byte> out);

}  // namespace nfv::net::dhcp
