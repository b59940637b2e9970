#include "proxy_protocol.hpp"

#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace nfv::tls_proxy {
namespace {

// Both addresses as IPv4 when both are IPv4 or IPv4-mapped; nullopt otherwise.
std::optional<std::pair<net::Ipv4Address, net::Ipv4Address>> both_v4(const ProxyHeaderInfo& info) {
    const auto to_v4 = [](const net::IpAddress& a) -> std::optional<net::Ipv4Address> {
        if (a.is_v4()) {
            return a.v4();
        }
        return a.v6().to_v4_mapped();
    };
    const auto s = to_v4(info.source);
    const auto d = to_v4(info.destination);
    if (s && d) {
        return std::make_pair(*s, *d);
    }
    return std::nullopt;
}

net::Ipv6Address to_v6(const net::IpAddress& a) {
    return a.is_v6() ? a.v6() : net::Ipv6Address::v4_mapped(a.v4());
}

void put_u16(std::vector<std::byte>& out, std::uint16_t v) {
    out.push_back(static_cast<std::byte>(v >> 8U));
    out.push_back(static_cast<std::byte>(v & 0xffU));
}

template <std::size_t N>
void put_octets(std::vector<std::byte>& out, const std::array<std::uint8_t, N>& octets) {
    for (const auto o : octets) {
        out.push_back(static_cast<std::byte>(o));
    }
}

// Appends TLV (type, length, value) unless the value is empty or the 16-bit length that counts
// `out` from offset `counted_from` on could not hold it.
void put_tlv(std::vector<std::byte>& out, std::size_t counted_from, std::uint8_t type,
             std::span<const std::byte> value) {
    if (value.empty() || out.size() - counted_from + 3 + value.size() > 0xffffU) {
        return;
    }
    out.push_back(static_cast<std::byte>(type));
    put_u16(out, static_cast<std::uint16_t>(value.size()));
    out.insert(out.end(), value.begin(), value.end());
}

void put_tlv(std::vector<std::byte>& out, std::size_t counted_from, std::uint8_t type,
             std::string_view value) {
    put_tlv(out, counted_from, type, std::as_bytes(std::span(value)));
}

// PP2_TYPE_SSL (§2.2.5): client flags, verify, then the version, CN and cipher sub-TLVs.
void put_ssl_tlv(std::vector<std::byte>& out, const ProxyTlsInfo& tls) {
    std::vector<std::byte> value;
    std::uint8_t client = kPp2ClientSsl;
    if (tls.certificate_on_connection) {
        client |= kPp2ClientCertConn;
    }
    if (tls.certificate_in_session) {
        client |= kPp2ClientCertSess;
    }
    value.push_back(static_cast<std::byte>(client));
    const std::uint32_t verify = tls.certificate_verified ? 0U : 1U;
    put_u16(value, static_cast<std::uint16_t>(verify >> 16U));
    put_u16(value, static_cast<std::uint16_t>(verify & 0xffffU));
    put_tlv(value, 0, kPp2SubtypeSslVersion, tls.version);
    put_tlv(value, 0, kPp2SubtypeSslCn, tls.common_name);
    put_tlv(value, 0, kPp2SubtypeSslCipher, tls.cipher);
    put_tlv(out, kProxyV2HeaderSize, kPp2TypeSsl, value);
}

}  // namespace

std::string encode_proxy_v1(const ProxyHeaderInfo& info) {
    std::string out = "PROXY ";
    if (const auto v4 = both_v4(info)) {
        out += "TCP4 " + v4->first.to_string() + " " + v4->second.to_string();
    } else {
        out += "TCP6 " + to_v6(info.source).to_string() + " " + to_v6(info.destination).to_string();
    }
    out += " " + std::to_string(info.source_port) + " " + std::to_string(info.destination_port) +
           "\r\n";
    return out;
}

std::vector<std::byte> encode_proxy_v2(const ProxyHeaderInfo& info) {
    std::vector<std::byte> out;
    out.reserve(kProxyV2HeaderSize + 36 + 6 + info.alpn.size() + info.authority.size());
    for (const auto b : kProxyV2Signature) {
        out.push_back(static_cast<std::byte>(b));
    }
    out.push_back(std::byte{0x21});  // version 2, command PROXY
    const auto v4 = both_v4(info);
    out.push_back(std::byte{v4 ? std::uint8_t{0x11} : std::uint8_t{0x21}});
    put_u16(out, 0);  // length, patched below
    if (v4) {
        put_octets(out, v4->first.octets());
        put_octets(out, v4->second.octets());
    } else {
        put_octets(out, to_v6(info.source).octets());
        put_octets(out, to_v6(info.destination).octets());
    }
    put_u16(out, info.source_port);
    put_u16(out, info.destination_port);
    put_tlv(out, kProxyV2HeaderSize, kPp2TypeAlpn, info.alpn);
    put_tlv(out, kProxyV2HeaderSize, kPp2TypeAuthority, info.authority);
    if (info.tls) {
        put_ssl_tlv(out, *info.tls);
    }
    const auto length = static_cast<std::uint16_t>(out.size() - kProxyV2HeaderSize);
    out[14] = static_cast<std::byte>(length >> 8U);
    out[15] = static_cast<std::byte>(length & 0xffU);
    return out;
}

}  // namespace nfv::tls_proxy
