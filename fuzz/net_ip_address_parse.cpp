// Fuzz target: address and CIDR text parsing. Properties (abort on violation):
//  * parse -> to_string -> parse gives the same value, and to_string is a fixed point;
//  * a parsed IPv4 dotted quad is already canonical (the input equals to_string);
//  * IPv4/IPv6 parse accept exactly what glibc's inet_pton accepts, with the same value.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include <arpa/inet.h>

#include "nfv/net/cidr.hpp"
#include "nfv/net/ip_address.hpp"

namespace {

template <typename T>
void check_round_trip(const std::optional<T>& parsed) {
    if (!parsed) {
        return;
    }
    const std::string text = parsed->to_string();
    const auto again = T::parse(text);
    if (!again || *again != *parsed || again->to_string() != text) {
        std::abort();
    }
}

void check_against_inet_pton(const std::string& text) {
    std::array<std::uint8_t, 16> theirs{};
    const auto v4 = nfv::net::Ipv4Address::parse(text);
    const bool v4_ok = inet_pton(AF_INET, text.c_str(), theirs.data()) == 1;
    if (v4.has_value() != v4_ok) {
        std::abort();
    }
    if (v4 && std::memcmp(v4->octets().data(), theirs.data(), 4) != 0) {
        std::abort();
    }
    const auto v6 = nfv::net::Ipv6Address::parse(text);
    const bool v6_ok = inet_pton(AF_INET6, text.c_str(), theirs.data()) == 1;
    if (v6.has_value() != v6_ok) {
        std::abort();
    }
    if (v6 && std::memcmp(v6->octets().data(), theirs.data(), 16) != 0) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): fuzz bytes viewed as text.
    const std::string text(reinterpret_cast<const char*>(data), size);

    const auto v4 = nfv::net::Ipv4Address::parse(text);
    check_round_trip(v4);
    if (v4 && v4->to_string() != text) {
        std::abort();
    }
    check_round_trip(nfv::net::Ipv6Address::parse(text));
    check_round_trip(nfv::net::IpAddress::parse(text));
    check_round_trip(nfv::net::Ipv4Cidr::parse(text));
    check_round_trip(nfv::net::Ipv6Cidr::parse(text));
    check_round_trip(nfv::net::IpCidr::parse(text));

    if (text.find('\0') == std::string::npos) {
        check_against_inet_pton(text);
    }
    return 0;
}
