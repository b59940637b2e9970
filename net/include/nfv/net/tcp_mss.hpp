// TCP MSS clamping (RFC 9293 §3.7.1, RFC 879 §7): lowers the Maximum Segment Size option of a
// SYN passing through a tunnel, so that the peers never send segments that would have to be
// fragmented once encapsulated. The TCP checksum is patched incrementally (RFC 1624).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace nfv::net {

/// If `packet` is an IPv4 or IPv6 (no extension headers) TCP SYN whose MSS option exceeds the
/// limit, lowers it. The limit is given for IPv4 (`max_mss_ipv4`); IPv6 packets get 20 bytes
/// less, for their longer IP header. Returns true when the packet was changed. Anything else
/// (other protocols, fragments, malformed options, truncated packets) is left alone.
bool clamp_tcp_mss(std::span<std::byte> packet, std::uint16_t max_mss_ipv4);

/// True when clamp_tcp_mss would change the packet (it only reads).
[[nodiscard]] bool needs_mss_clamp(std::span<const std::byte> packet, std::uint16_t max_mss_ipv4);

}  // namespace nfv::net
