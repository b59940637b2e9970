// The OCC options string ("V4,dev-type tun,link-mtu 1541,...") that OpenVPN exchanges in the
// key-method 2 message and compares with its peer's (a mismatch only warns unless
// --opt-verify).
//
// Computed like OpenVPN 2.6.14 options.c options_string(), mtu.c
// calc_options_string_link_mtu() and crypto.c calculate_crypto_overhead() with occ = true.
// Strings captured from the Debian openvpn 2.6.14 client (--verb 7, "Local Options String")
// with the configs in configs/vpn/ are the expected values of the unit tests, e.g.
//   V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 128,key-method 2,
//   tls-client                                                          (client defaults)
//   V4,dev-type tun,link-mtu 1549,tun-mtu 1500,proto UDPv4,cipher AES-128-GCM,
//   auth [null-digest],keysize 128,key-method 2,tls-client     (angristan client.ovpn)
// Notes on OpenVPN's rules: without `cipher` the (unsupported) BF-CBC default still decides
// keysize 128 and 16 bytes of link-mtu; `cipher` is listed only when it is in data-ciphers (or
// in p2p mode without pull); AEAD ciphers report "auth [null-digest]"; "tls-auth" is listed
// for tls-auth but not for tls-crypt; "keydir" comes from `key-direction` only.
#pragma once

#include <cstdint>
#include <string>

#include "config/vpn_config.hpp"

namespace nfv::vpn::config {

/// The options string this side sends (`remote` false) or expects from its peer (`remote`
/// true: tls-client/tls-server, TCP client/server and key direction mirrored).
[[nodiscard]] std::string occ_options_string(const VpnConfig& config, bool remote);

/// The link-mtu value of the options string (tun-mtu plus the worst-case packet overhead of
/// the configured cipher and digest, as OpenVPN 2.6 computes it for OCC).
[[nodiscard]] std::uint32_t occ_link_mtu(const VpnConfig& config);

}  // namespace nfv::vpn::config
