// PROXY protocol header encoder, versions 1 (text) and 2 (binary), as specified in HAProxy's
// "The PROXY protocol" (doc/proxy-protocol.txt, 2020/03/05 revision):
//   v1 §2.1: "PROXY TCP4|TCP6 <src> <dst> <sport> <dport>\r\n", at most 107 bytes.
//   v2 §2.2: 12-byte signature, ver_cmd 0x21 (v2, PROXY), fam 0x11 (TCP/IPv4) or 0x21
//            (TCP/IPv6), a 16-bit length, the addresses and ports, then TLVs:
//            PP2_TYPE_ALPN (0x01) with the negotiated protocol and PP2_TYPE_AUTHORITY (0x02)
//            with the SNI host name (§2.2.1, §2.2.2).
// Pure functions over values: the runtime fills ProxyHeaderInfo from the accepted socket and the
// TLS handshake and writes the result to the backend before any relayed byte.
// Address families: when both addresses are IPv4 (or IPv4-mapped IPv6) the header is TCP4;
// otherwise TCP6, with IPv4 addresses written IPv4-mapped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "nfv/net/ip_address.hpp"

namespace nfv::tls_proxy {

struct ProxyHeaderInfo {
    net::IpAddress source;  // the client
    std::uint16_t source_port = 0;
    net::IpAddress destination;  // the address the client connected to (our listener)
    std::uint16_t destination_port = 0;
    std::string alpn;       // negotiated ALPN protocol; empty: no TLV (v2 only)
    std::string authority;  // SNI host name; empty: no TLV (v2 only)
};

inline constexpr std::size_t kProxyV1MaxSize = 107;
inline constexpr std::size_t kProxyV2HeaderSize = 16;  // signature + ver_cmd + fam + len
inline constexpr std::uint8_t kPp2TypeAlpn = 0x01;
inline constexpr std::uint8_t kPp2TypeAuthority = 0x02;
/// The v2 signature (§2.2): \r\n\r\n\0\r\nQUIT\n.
inline constexpr std::uint8_t kProxyV2Signature[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                                       0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

/// The v1 line including "\r\n". Never longer than kProxyV1MaxSize.
[[nodiscard]] std::string encode_proxy_v1(const ProxyHeaderInfo& info);

/// The v2 header. TLVs whose value is longer than 65535 - (address block) bytes in total cannot
/// be represented; such a TLV is omitted (the SNI is at most 255 bytes and ALPN ids at most 255,
/// so this never happens for values coming from a TLS handshake).
[[nodiscard]] std::vector<std::byte> encode_proxy_v2(const ProxyHeaderInfo& info);

}  // namespace nfv::tls_proxy
