// Data-channel magic payloads: the keepalive ping and OCC (options consistency check)
// messages, among them the OCC EXIT used by explicit-exit-notify when the peer does not do
// control-channel exit notification.
//
// References: OpenVPN 2.6 src/openvpn/ping.c / ping.h (ping_string, is_ping_msg),
// occ.c / occ.h (occ_magic, OCC_REQUEST .. OCC_EXIT, is_occ_msg);
// /work/shared/reference/openvpn-protocol.md §1.11 and §1.17.
//
// A ping is a data packet whose whole plaintext is the 16-byte ping magic. An OCC message is
// a data packet whose plaintext starts with the 16-byte OCC magic followed by an opcode byte
// (and, for some opcodes, more bytes); OCC_EXIT is magic + 0x06.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace nfv::vpn::proto {

inline constexpr std::array<std::byte, 16> kPingMagic = {
    std::byte{0x2a}, std::byte{0x18}, std::byte{0x7b}, std::byte{0xf3},
    std::byte{0x64}, std::byte{0x1e}, std::byte{0xb4}, std::byte{0xcb},
    std::byte{0x07}, std::byte{0xed}, std::byte{0x2d}, std::byte{0x0a},
    std::byte{0x98}, std::byte{0x1f}, std::byte{0xc7}, std::byte{0x48},
};

inline constexpr std::array<std::byte, 16> kOccMagic = {
    std::byte{0x28}, std::byte{0x7f}, std::byte{0x34}, std::byte{0x6b},
    std::byte{0xd4}, std::byte{0xef}, std::byte{0x7a}, std::byte{0x81},
    std::byte{0x2d}, std::byte{0x56}, std::byte{0xb8}, std::byte{0xd3},
    std::byte{0xaf}, std::byte{0xc5}, std::byte{0x45}, std::byte{0x9c},
};

/// OCC opcodes (occ.h).
enum class OccOpcode : std::uint8_t {
    kRequest = 0,
    kReply = 1,
    kMtuRequest = 2,
    kMtuReply = 3,
    kMtuLoad = 4,
    kMtuLoadRequest = 5,
    kExit = 6,
};

/// Size of the OCC EXIT payload: magic + opcode.
inline constexpr std::size_t kOccExitSize = kOccMagic.size() + 1;

/// True when a decrypted data payload is exactly the ping magic.
[[nodiscard]] bool is_ping(std::span<const std::byte> payload);

/// The OCC opcode of a decrypted data payload, or nullopt when it is not an OCC message or
/// the opcode is unknown (OpenVPN ignores those).
[[nodiscard]] std::optional<OccOpcode> parse_occ(std::span<const std::byte> payload);

/// The OCC EXIT payload (magic + 0x06), to be encrypted as a normal data packet.
[[nodiscard]] std::array<std::byte, kOccExitSize> occ_exit_payload();

}  // namespace nfv::vpn::proto
