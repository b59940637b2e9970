#include "config/reverse_zone.hpp"

#include <array>
#include <cstdint>

namespace nfv::dnsvizor::config {
namespace {

std::vector<std::string> reverse_v4(const net::Ipv4Cidr& cidr) {
    const unsigned prefix = cidr.prefix_length();
    const auto octets = cidr.network().octets();
    const unsigned whole = prefix / 8;  // octets fully inside the prefix
    const unsigned rem = prefix % 8;
    std::vector<std::string> zones;
    const unsigned count = rem == 0 ? 1U : (1U << (8U - rem));
    for (unsigned i = 0; i < count; ++i) {
        std::string zone;
        const unsigned labels = rem == 0 ? whole : whole + 1;
        for (unsigned j = labels; j-- > 0;) {
            unsigned value = octets[j];
            if (rem != 0 && j == whole) {
                value += i;
            }
            zone += std::to_string(value) + ".";
        }
        zones.push_back(zone + "in-addr.arpa");
    }
    return zones;
}

std::vector<std::string> reverse_v6(const net::Ipv6Cidr& cidr) {
    const unsigned prefix = cidr.prefix_length();
    const auto octets = cidr.network().octets();
    std::array<unsigned, 32> nibbles{};
    for (std::size_t i = 0; i < 16; ++i) {
        nibbles[2 * i] = octets[i] >> 4U;
        nibbles[2 * i + 1] = octets[i] & 0xfU;
    }
    const unsigned whole = prefix / 4;
    const unsigned rem = prefix % 4;
    const unsigned count = rem == 0 ? 1U : (1U << (4U - rem));
    constexpr std::string_view kHex = "0123456789abcdef";
    std::vector<std::string> zones;
    for (unsigned i = 0; i < count; ++i) {
        std::string zone;
        const unsigned labels = rem == 0 ? whole : whole + 1;
        for (unsigned j = labels; j-- > 0;) {
            unsigned value = nibbles[j];
            if (rem != 0 && j == whole) {
                value += i;
            }
            zone += kHex[value & 0xfU];
            zone += '.';
        }
        zones.push_back(zone + "ip6.arpa");
    }
    return zones;
}

}  // namespace

std::vector<std::string> reverse_zones(const net::IpCidr& cidr) {
    if (cidr.prefix_length() == 0) {
        return {};
    }
    return cidr.is_v4() ? reverse_v4(cidr.v4()) : reverse_v6(cidr.v6());
}

}  // namespace nfv::dnsvizor::config
