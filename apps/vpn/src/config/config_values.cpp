#include "config/config_values.hpp"

#include <array>

#include "nfv/net/cidr.hpp"

namespace nfv::vpn::config {

Result<std::uint64_t, std::string> parse_number(std::string_view text, std::uint64_t min,
                                                std::uint64_t max) {
    if (text.empty() || text.size() > 20) {
        return Unexpected("expected a number, got \"" + std::string(text) + "\"");
    }
    std::uint64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return Unexpected("expected a number, got \"" + std::string(text) + "\"");
        }
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (value > (UINT64_MAX - digit) / 10) {
            return Unexpected("number " + std::string(text) + " is too large");
        }
        value = value * 10 + digit;
    }
    if (value < min || value > max) {
        return Unexpected("value " + std::string(text) + " is outside " + std::to_string(min) +
                          ".." + std::to_string(max));
    }
    return value;
}

Result<std::uint32_t, std::string> parse_u32(std::string_view text, std::uint32_t min,
                                             std::uint32_t max) {
    auto value = parse_number(text, min, max);
    if (!value) {
        return Unexpected(value.error());
    }
    return static_cast<std::uint32_t>(*value);
}

Result<std::uint16_t, std::string> parse_port(std::string_view text) {
    auto value = parse_number(text, 1, 65535);
    if (!value) {
        return Unexpected("bad port: " + value.error());
    }
    return static_cast<std::uint16_t>(*value);
}

Result<Protocol, std::string> parse_protocol(std::string_view text) {
    struct Name {
        std::string_view name;
        Protocol protocol;
    };
    static constexpr std::array<Name, 12> kNames{{
        {"udp", {Transport::kUdp, AddressFamily::kAny}},
        {"udp4", {Transport::kUdp, AddressFamily::kIpv4}},
        {"udp6", {Transport::kUdp, AddressFamily::kIpv6}},
        {"tcp", {Transport::kTcp, AddressFamily::kAny}},
        {"tcp4", {Transport::kTcp, AddressFamily::kIpv4}},
        {"tcp6", {Transport::kTcp, AddressFamily::kIpv6}},
        {"tcp-client", {Transport::kTcp, AddressFamily::kAny}},
        {"tcp4-client", {Transport::kTcp, AddressFamily::kIpv4}},
        {"tcp6-client", {Transport::kTcp, AddressFamily::kIpv6}},
        {"tcp-server", {Transport::kTcp, AddressFamily::kAny}},
        {"tcp4-server", {Transport::kTcp, AddressFamily::kIpv4}},
        {"tcp6-server", {Transport::kTcp, AddressFamily::kIpv6}},
    }};
    for (const Name& entry : kNames) {
        if (entry.name == text) {
            return entry.protocol;
        }
    }
    return Unexpected("bad protocol \"" + std::string(text) +
                      "\": expected udp, udp4, udp6, tcp, tcp4, tcp6 or a tcp-client/tcp-server "
                      "form");
}

Result<net::Ipv4Address, std::string> parse_ipv4(std::string_view text) {
    const auto address = net::Ipv4Address::parse(text);
    if (!address) {
        return Unexpected("expected an IPv4 address, got \"" + std::string(text) + "\"");
    }
    return *address;
}

Result<net::Ipv4Address, std::string> parse_netmask(std::string_view text) {
    auto address = parse_ipv4(text);
    if (!address) {
        return Unexpected("expected a netmask, got \"" + std::string(text) + "\"");
    }
    if (!net::Ipv4Cidr::prefix_from_netmask(*address)) {
        return Unexpected("netmask " + std::string(text) + " is not contiguous");
    }
    return *address;
}

Result<KeyDirection, std::string> parse_key_direction(std::string_view text) {
    if (text == "0") {
        return KeyDirection::kNormal;
    }
    if (text == "1") {
        return KeyDirection::kInverse;
    }
    return Unexpected("key direction must be 0 or 1, got \"" + std::string(text) + "\"");
}

Result<std::string, std::string> parse_ipv6_prefix(std::string_view text) {
    const std::size_t slash = text.find('/');
    const std::string_view address = text.substr(0, slash);
    if (!net::Ipv6Address::parse(address)) {
        return Unexpected("expected an IPv6 address, got \"" + std::string(text) + "\"");
    }
    if (slash != std::string_view::npos) {
        auto bits = parse_number(text.substr(slash + 1), 0, 128);
        if (!bits) {
            return Unexpected("bad IPv6 prefix length in \"" + std::string(text) + "\"");
        }
    }
    return std::string(text);
}

bool set_redirect_flag(RedirectGateway& redirect, std::string_view flag) {
    if (flag == "local") {
        redirect.local = true;
    } else if (flag == "autolocal") {
        redirect.autolocal = true;
    } else if (flag == "def1") {
        redirect.def1 = true;
    } else if (flag == "bypass-dhcp") {
        redirect.bypass_dhcp = true;
    } else if (flag == "bypass-dns") {
        redirect.bypass_dns = true;
    } else if (flag == "block-local") {
        redirect.block_local = true;
    } else if (flag == "ipv6") {
        redirect.ipv6 = true;
    } else if (flag == "!ipv4") {
        redirect.ipv4 = false;
    } else {
        return false;
    }
    return true;
}

}  // namespace nfv::vpn::config
