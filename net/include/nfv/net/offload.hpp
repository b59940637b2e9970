// Segmentation and checksum offload between a Linux TUN with IFF_VNET_HDR and plain IP packets.
//
// With IFF_VNET_HDR every read from and write to the TUN starts with a virtio-net header
// (virtio 1.x §5.1.6 "struct virtio_net_hdr", Linux include/uapi/linux/virtio_net.h; 10 bytes,
// little endian on the hosts we build for). After TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4 |
// TUN_F_TSO6) the kernel may hand us:
//   * a packet whose transport checksum is left to us (NEEDS_CSUM): the field at
//     checksum_start + checksum_offset holds the pseudo-header sum, and the checksum over
//     [checksum_start, end) completes it;
//   * a TCP "super-packet" of up to 64 KiB (gso_type TCPV4/TCPV6) that we must cut into
//     gso_size-byte segments, as the NIC would (RFC 9293 §3.1 checksums, IPv4 IDs counting up
//     from the first, FIN/PSH only on the last segment, CWR only on the first).
// split_offloaded_packet() turns either into ordinary IP packets with complete checksums: what
// the OpenVPN data channel carries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "nfv/platform/result.hpp"

namespace nfv::net {

inline constexpr std::size_t kVirtioNetHeaderSize = 10;

/// virtio_net_hdr.gso_type values (the kGsoEcn bit may be or-ed in).
enum class GsoType : std::uint8_t { kNone = 0, kTcpV4 = 1, kUdp = 3, kTcpV6 = 4, kUdpL4 = 5 };
inline constexpr std::uint8_t kGsoEcn = 0x80;

struct VirtioNetHeader {
    bool needs_checksum = false;  // VIRTIO_NET_HDR_F_NEEDS_CSUM
    bool data_valid = false;      // VIRTIO_NET_HDR_F_DATA_VALID
    std::uint8_t gso_type = 0;    // GsoType, possibly | kGsoEcn
    std::uint16_t header_length = 0;
    std::uint16_t gso_size = 0;
    std::uint16_t checksum_start = 0;
    std::uint16_t checksum_offset = 0;

    friend bool operator==(const VirtioNetHeader&, const VirtioNetHeader&) = default;
};

[[nodiscard]] VirtioNetHeader decode_virtio_net_header(
    std::span<const std::byte, kVirtioNetHeaderSize> bytes);
void encode_virtio_net_header(const VirtioNetHeader& header,
                              std::span<std::byte, kVirtioNetHeaderSize> out);

enum class OffloadError : std::uint8_t {
    kUnsupportedGso,  // a gso_type other than none/TCPv4/TCPv6 (we never enable UFO or USO)
    kMalformed,       // headers do not match the gso_type, or checksum offsets out of range
    kNoSpace,         // `out` cannot hold the segments
};

/// Makes ordinary IP packets out of one packet read from the TUN (its header decoded):
///   * no GSO: the packet itself, its checksum completed in place when needs_checksum;
///   * TCP GSO: the segments, built one after another in `out`, each with a complete IPv4
///     header checksum and TCP checksum.
/// Appends views of the resulting packets to `packets` and returns the bytes of `out` used. On
/// error nothing is appended. Headers are taken from the packet itself (IHL, TCP data offset),
/// not from header_length, which the kernel only fills in as a hint.
[[nodiscard]] Result<std::size_t, OffloadError> split_offloaded_packet(
    const VirtioNetHeader& header, std::span<std::byte> packet, std::span<std::byte> out,
    std::vector<std::span<const std::byte>>& packets);

/// The TCP GSO part of split_offloaded_packet on its own: reads `packet` only.
/// kUnsupportedGso for any gso_type but TCPV4/TCPV6.
[[nodiscard]] Result<std::size_t, OffloadError> segment_tcp_super_packet(
    const VirtioNetHeader& header, std::span<const std::byte> packet, std::span<std::byte> out,
    std::vector<std::span<const std::byte>>& packets);

/// Completes a partial transport checksum in place: the one's complement of the sum of
/// [start, end) goes to start + offset (the field holds the pseudo-header sum on entry). A
/// result of 0 is stored as 0xffff, as Linux does (RFC 768: 0 means "no checksum" for UDP).
/// False when the offsets fall outside the packet.
[[nodiscard]] bool complete_partial_checksum(std::span<std::byte> packet, std::size_t start,
                                             std::size_t offset);

}  // namespace nfv::net
