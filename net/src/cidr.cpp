#include "nfv/net/cidr.hpp"

#include <bit>
#include <cstddef>

namespace nfv::net {

namespace {

// Splits "address/prefix" and parses the prefix (decimal, no sign, no leading zero, <= max).
// A text without '/' yields the full-length prefix. nullopt if the prefix part is malformed.
struct SplitCidr {
    std::string_view address;
    std::uint8_t prefix;
};

std::optional<SplitCidr> split_cidr(std::string_view text, unsigned max_prefix) {
    const auto slash = text.find('/');
    if (slash == std::string_view::npos) {
        return SplitCidr{text, static_cast<std::uint8_t>(max_prefix)};
    }
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits.front() == '0')) {
        return std::nullopt;
    }
    unsigned value = 0;
    for (const char c : digits) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > max_prefix) {
        return std::nullopt;
    }
    return SplitCidr{text.substr(0, slash), static_cast<std::uint8_t>(value)};
}

}  // namespace

std::optional<Ipv4Cidr> Ipv4Cidr::parse(std::string_view text) {
    const auto split = split_cidr(text, 32);
    if (!split) {
        return std::nullopt;
    }
    const auto address = Ipv4Address::parse(split->address);
    if (!address) {
        return std::nullopt;
    }
    return Ipv4Cidr(*address, split->prefix);
}

std::optional<std::uint8_t> Ipv4Cidr::prefix_from_netmask(Ipv4Address netmask) {
    const std::uint32_t mask = netmask.to_u32();
    const auto ones = static_cast<std::uint8_t>(std::countl_one(mask));
    // Contiguous iff nothing is set after the leading ones.
    if (ones < 32 && (mask << ones) != 0) {
        return std::nullopt;
    }
    return ones;
}

std::string Ipv4Cidr::to_string() const {
    return address_.to_string() + "/" + std::to_string(prefix_);
}

std::optional<Ipv6Cidr> Ipv6Cidr::parse(std::string_view text) {
    const auto split = split_cidr(text, 128);
    if (!split) {
        return std::nullopt;
    }
    const auto address = Ipv6Address::parse(split->address);
    if (!address) {
        return std::nullopt;
    }
    return Ipv6Cidr(*address, split->prefix);
}

Ipv6Address Ipv6Cidr::network() const {
    auto octets = address_.octets();
    for (std::size_t i = 0; i < octets.size(); ++i) {
        const std::size_t bit = i * 8;
        if (bit + 8 <= prefix_) {
            continue;  // fully inside the prefix
        }
        if (bit >= prefix_) {
            octets[i] = 0;
        } else {
            const auto keep = static_cast<unsigned>(prefix_ - bit);  // 1..7 leading bits survive
            octets[i] = static_cast<std::uint8_t>(octets[i] & (0xffU << (8U - keep)));
        }
    }
    return Ipv6Address(octets);
}

bool Ipv6Cidr::contains(const Ipv6Address& address) const {
    return Ipv6Cidr(address, prefix_).network() == network();
}

std::string Ipv6Cidr::to_string() const {
    return address_.to_string() + "/" + std::to_string(prefix_);
}

std::optional<IpCidr> IpCidr::parse(std::string_view text) {
    if (text.find(':') == std::string_view::npos) {
        if (const auto v4 = Ipv4Cidr::parse(text)) {
            return IpCidr(*v4);
        }
        return std::nullopt;
    }
    if (const auto v6 = Ipv6Cidr::parse(text)) {
        return IpCidr(*v6);
    }
    return std::nullopt;
}

IpAddress IpCidr::address() const {
    return is_v4() ? IpAddress(v4().address()) : IpAddress(v6().address());
}

std::uint8_t IpCidr::prefix_length() const {
    return is_v4() ? v4().prefix_length() : v6().prefix_length();
}

bool IpCidr::contains(const IpAddress& address) const {
    if (is_v4() && address.is_v4()) {
        return v4().contains(address.v4());
    }
    if (is_v6() && address.is_v6()) {
        return v6().contains(address.v6());
    }
    return false;
}

std::string IpCidr::to_string() const {
    return is_v4() ? v4().to_string() : v6().to_string();
}

}  // namespace nfv::net
