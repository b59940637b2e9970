#include "proxy_protocol.hpp"

#include <array>
#include <optional>
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
    const auto put_tlv = [&out](std::uint8_t type, const std::string& value) {
        if (value.empty() || out.size() - kProxyV2HeaderSize + 3 + value.size() > 0xffffU) {
            return;
        }
        out.push_back(static_cast<std::byte>(type));
        put_u16(out, static_cast<std::uint16_t>(value.size()));
        for (const char c : value) {
            out.push_back(static_cast<std::byte>(c));
        }
    };
    put_tlv(kPp2TypeAlpn, info.alpn);
    put_tlv(kPp2TypeAuthority, info.authority);
    const auto length = static_cast<std::uint16_t>(out.size() - kProxyV2HeaderSize);
    out[14] = static_cast<std::byte>(length >> 8U);
    out[15] = static_cast<std::byte>(length & 0xffU);
    return out;
}

}  // namespace nfv::tls_proxy
