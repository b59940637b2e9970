// mssfix: OpenVPN's TCP MSS clamping for packets crossing the tunnel in either direction.
//
// OpenVPN 2.6 (mss.c, frame_calculate_mssfix) clamps the MSS option of every TCP SYN it carries
// so that a full-sized segment, once encrypted and wrapped, fits in `mssfix` bytes: the UDP or
// TCP payload ("mssfix N"), the whole IP datagram ("mssfix N mtu", the default 1492), or simply
// N - 40 ("mssfix N fixed"). "mssfix 0" turns it off. Without it a 1500-byte tun-mtu over a
// 1500-byte path sends every full segment as two IP fragments.
//   limit = target - 40 (IPv4 + TCP headers of the payload; IPv6 payloads get 20 less), where
//   target = mssfix - data-channel overhead - (encapsulating IP+UDP/TCP headers in mtu mode),
//   rounded down to the CBC block size minus one padding byte for CBC ciphers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "config/vpn_config.hpp"
#include "proto/data_channel.hpp"

namespace nfv::vpn::tunnel {

struct DataPath {
    proto::DataCipher cipher = proto::DataCipher::kAes256Gcm;
    proto::DataDigest digest = proto::DataDigest::kSha1;  // CBC only
    bool data_v2 = true;                                  // P_DATA_V2 (opcode + 3-byte peer id)
    bool ipv6_transport = false;                          // the outer packets are IPv6
    bool tcp_transport = false;  // proto tcp: a 2-byte length and a TCP header per packet
};

/// The largest MSS (for IPv4 payloads) that `config`'s mssfix allows on `path`; 0 = no clamping.
[[nodiscard]] std::uint16_t mssfix_limit(const config::VpnConfig& config, const DataPath& path);

/// `packet` itself, or, when it is a TCP SYN whose MSS exceeds `limit`, a clamped copy of it in
/// `scratch` (a SYN longer than `scratch` is passed unchanged). limit 0 = no clamping.
[[nodiscard]] std::span<const std::byte> clamp_mss(std::span<const std::byte> packet,
                                                   std::uint16_t limit,
                                                   std::span<std::byte> scratch);

}  // namespace nfv::vpn::tunnel
