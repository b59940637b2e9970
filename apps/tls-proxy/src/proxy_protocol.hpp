// PROXY protocol header encoder, versions 1 (text) and 2 (binary), as specified in HAProxy's
// "The PROXY protocol" (doc/proxy-protocol.txt, 2020/03/05 revision):
//   v1 §2.1: "PROXY TCP4|TCP6 <src> <dst> <sport> <dport>\r\n", at most 107 bytes.
//   v2 §2.2: 12-byte signature, ver_cmd 0x21 (v2, PROXY), fam 0x11 (TCP/IPv4) or 0x21
//            (TCP/IPv6), a 16-bit length, the addresses and ports, then TLVs:
//            PP2_TYPE_ALPN (0x01) with the negotiated protocol and PP2_TYPE_AUTHORITY (0x02)
//            with the SNI host name (§2.2.1, §2.2.2), and PP2_TYPE_SSL (0x20, §2.2.5): a client
//            byte (PP2_CLIENT_SSL 0x01, PP2_CLIENT_CERT_CONN 0x02, PP2_CLIENT_CERT_SESS 0x04), a
//            32-bit verify result (0: a client certificate was presented and verified) and the
//            sub-TLVs PP2_SUBTYPE_SSL_VERSION (0x21), PP2_SUBTYPE_SSL_CN (0x22, the client
//            certificate's common name) and PP2_SUBTYPE_SSL_CIPHER (0x23).
// Pure functions over values: the runtime fills ProxyHeaderInfo from the accepted socket and the
// TLS handshake and writes the result to the backend before any relayed byte.
// Address families: when both addresses are IPv4 (or IPv4-mapped IPv6) the header is TCP4;
// otherwise TCP6, with IPv4 addresses written IPv4-mapped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nfv/net/ip_address.hpp"

namespace nfv::tls_proxy {

/// The PP2_TYPE_SSL TLV: how the client reached us over TLS.
struct ProxyTlsInfo {
    std::string version;                     // "TLSv1.3"
    std::string cipher;                      // OpenSSL's cipher suite name
    bool certificate_on_connection = false;  // PP2_CLIENT_CERT_CONN (a full handshake sent one)
    bool certificate_in_session = false;     // PP2_CLIENT_CERT_SESS (also after resumption)
    bool certificate_verified = false;       // verify = 0
    std::string common_name;                 // empty: no PP2_SUBTYPE_SSL_CN
};

struct ProxyHeaderInfo {
    net::IpAddress source;  // the client
    std::uint16_t source_port = 0;
    net::IpAddress destination;  // the address the client connected to (our listener)
    std::uint16_t destination_port = 0;
    std::string alpn;                 // negotiated ALPN protocol; empty: no TLV (v2 only)
    std::string authority;            // SNI host name; empty: no TLV (v2 only)
    std::optional<ProxyTlsInfo> tls;  // nullopt: no PP2_TYPE_SSL (v2 only)
};

inline constexpr std::size_t kProxyV1MaxSize = 107;
inline constexpr std::size_t kProxyV2HeaderSize = 16;  // signature + ver_cmd + fam + len
inline constexpr std::uint8_t kPp2TypeAlpn = 0x01;
inline constexpr std::uint8_t kPp2TypeAuthority = 0x02;
inline constexpr std::uint8_t kPp2TypeSsl = 0x20;
inline constexpr std::uint8_t kPp2SubtypeSslVersion = 0x21;
inline constexpr std::uint8_t kPp2SubtypeSslCn = 0x22;
inline constexpr std::uint8_t kPp2SubtypeSslCipher = 0x23;
inline constexpr std::uint8_t kPp2ClientSsl = 0x01;
inline constexpr std::uint8_t kPp2ClientCertConn = 0x02;
inline constexpr std::uint8_t kPp2ClientCertSess = 0x04;
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
