// Fuzz target: PROXY protocol v1/v2 encoder (apps/tls-proxy/src/proxy_protocol.cpp) over
// arbitrary inputs (addresses, ports, ALPN and authority values of any length and content).
// Properties: v1 is one line "PROXY TCP4|TCP6 ... \r\n" of at most 107 bytes; v2 starts with the
// signature, its length field equals the bytes that follow, and walking the TLVs consumes the
// header exactly, finding the ALPN and authority values unchanged when they were emitted; a
// PP2_TYPE_SSL TLV has the client flags and verify field the TLS facts ask for and sub-TLVs that
// consume its value exactly, the common name unchanged when it was emitted.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "proxy_protocol.hpp"

namespace {

struct Input {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t pos = 0;
    std::uint8_t byte() { return pos < size ? data[pos++] : 0; }
    std::string text(std::size_t n) {
        std::string out;
        while (n-- > 0 && pos < size) {
            out.push_back(static_cast<char>(data[pos++]));
        }
        return out;
    }
};

nfv::net::IpAddress address(Input& in) {
    if ((in.byte() & 1U) == 0) {
        return nfv::net::Ipv4Address({in.byte(), in.byte(), in.byte(), in.byte()});
    }
    std::array<std::uint8_t, 16> octets{};
    for (auto& o : octets) {
        o = in.byte();
    }
    return nfv::net::Ipv6Address(octets);
}

// PP2_TYPE_SSL value: client byte, 32-bit verify, sub-TLVs filling the value exactly.
void check_ssl_tlv(const std::string& value, const nfv::tls_proxy::ProxyHeaderInfo& info) {
    using namespace nfv::tls_proxy;
    if (!info.tls || value.size() < 5) {
        std::abort();
    }
    const auto u8 = [&value](std::size_t i) { return static_cast<std::uint8_t>(value[i]); };
    const std::uint8_t client = u8(0);
    const bool verify_ok = u8(1) == 0 && u8(2) == 0 && u8(3) == 0 && u8(4) == 0;
    if ((client & kPp2ClientSsl) == 0 ||
        ((client & kPp2ClientCertConn) != 0) != info.tls->certificate_on_connection ||
        ((client & kPp2ClientCertSess) != 0) != info.tls->certificate_in_session ||
        verify_ok != info.tls->certificate_verified) {
        std::abort();
    }
    std::string seen_cn;
    std::size_t pos = 5;
    while (pos < value.size()) {
        if (pos + 3 > value.size()) {
            std::abort();
        }
        const std::size_t n = static_cast<std::size_t>(u8(pos + 1)) << 8U | u8(pos + 2);
        if (pos + 3 + n > value.size()) {
            std::abort();
        }
        if (u8(pos) == kPp2SubtypeSslCn) {
            seen_cn = value.substr(pos + 3, n);
        }
        pos += 3 + n;
    }
    if (!seen_cn.empty() && seen_cn != info.tls->common_name) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace nfv::tls_proxy;
    Input in{data, size};
    ProxyHeaderInfo info;
    info.source = address(in);
    info.destination = address(in);
    info.source_port = static_cast<std::uint16_t>(in.byte() << 8U | in.byte());
    info.destination_port = static_cast<std::uint16_t>(in.byte() << 8U | in.byte());
    const std::size_t alpn_length = in.byte();
    info.alpn = in.text(alpn_length);
    if (const std::uint8_t tls = in.byte(); (tls & 1U) != 0) {
        ProxyTlsInfo t;
        t.certificate_on_connection = (tls & 2U) != 0;
        t.certificate_in_session = (tls & 4U) != 0;
        t.certificate_verified = (tls & 8U) != 0;
        t.version = in.text(in.byte());
        t.cipher = in.text(in.byte());
        t.common_name = in.text(static_cast<std::size_t>(in.byte()) << 8U | in.byte());
        info.tls = t;
    }
    info.authority = in.text(size);

    const std::string v1 = encode_proxy_v1(info);
    if (v1.size() > kProxyV1MaxSize || !v1.ends_with("\r\n") ||
        !(v1.starts_with("PROXY TCP4 ") || v1.starts_with("PROXY TCP6 ")) ||
        v1.find('\n') != v1.size() - 1) {
        std::abort();
    }

    const auto v2 = encode_proxy_v2(info);
    if (v2.size() < kProxyV2HeaderSize ||
        std::memcmp(v2.data(), kProxyV2Signature, sizeof kProxyV2Signature) != 0) {
        std::abort();
    }
    const auto u8 = [&v2](std::size_t i) { return static_cast<std::uint8_t>(v2[i]); };
    const std::size_t length = static_cast<std::size_t>(u8(14)) << 8U | u8(15);
    if (length != v2.size() - kProxyV2HeaderSize) {
        std::abort();
    }
    const std::size_t address_block = u8(13) == 0x11 ? 12 : u8(13) == 0x21 ? 36 : 0;
    if (address_block == 0 || length < address_block) {
        std::abort();
    }
    std::size_t pos = kProxyV2HeaderSize + address_block;
    std::string seen_alpn;
    std::string seen_authority;
    while (pos < v2.size()) {
        if (pos + 3 > v2.size()) {
            std::abort();
        }
        const std::uint8_t type = u8(pos);
        const std::size_t n = static_cast<std::size_t>(u8(pos + 1)) << 8U | u8(pos + 2);
        if (pos + 3 + n > v2.size()) {
            std::abort();
        }
        std::string value(reinterpret_cast<const char*>(v2.data()) + pos + 3, n);
        if (type == kPp2TypeAlpn) {
            seen_alpn = value;
        } else if (type == kPp2TypeAuthority) {
            seen_authority = value;
        } else if (type == kPp2TypeSsl) {
            check_ssl_tlv(value, info);
        } else {
            std::abort();  // the encoder writes no other type
        }
        pos += 3 + n;
    }
    if (seen_alpn != info.alpn) {
        std::abort();  // ALPN ids are short enough to always fit
    }
    if (!seen_authority.empty() && seen_authority != info.authority) {
        std::abort();
    }
    return 0;
}
