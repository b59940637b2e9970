#include "nfv/net/dns/reverse.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace nfv::net::dns {
namespace {

constexpr std::string_view kHexDigits = "0123456789abcdef";

// Builds a name from labels that are known to be valid (short digits + fixed suffix).
Name build(const std::vector<std::string>& labels) {
    std::vector<std::string_view> views(labels.begin(), labels.end());
    auto name = Name::from_labels(views);
    return name ? *name : Name();
}

bool ends_with_suffix(const Name& name, std::size_t prefix_labels, std::string_view second_last) {
    if (name.label_count() != prefix_labels + 2) {
        return false;
    }
    const auto suffix = Name::parse_text(std::string(second_last) + ".arpa.");
    return suffix && name.is_subdomain_of(*suffix);
}

std::optional<unsigned> hex_value(std::string_view label) {
    if (label.size() != 1) {
        return std::nullopt;
    }
    const char c = label[0];
    if (c >= '0' && c <= '9') {
        return static_cast<unsigned>(c - '0');
    }
    if (c >= 'a' && c <= 'f') {
        return static_cast<unsigned>(c - 'a' + 10);
    }
    if (c >= 'A' && c <= 'F') {
        return static_cast<unsigned>(c - 'A' + 10);
    }
    return std::nullopt;
}

}  // namespace

Name reverse_name(const std::array<std::uint8_t, 4>& octets) {
    std::vector<std::string> labels;
    for (std::size_t i = octets.size(); i-- > 0;) {
        labels.push_back(std::to_string(octets[i]));
    }
    labels.emplace_back("in-addr");
    labels.emplace_back("arpa");
    return build(labels);
}

Name reverse_name(const std::array<std::uint8_t, 16>& octets) {
    std::vector<std::string> labels;
    for (std::size_t i = octets.size(); i-- > 0;) {
        labels.emplace_back(1, kHexDigits[octets[i] & 0x0FU]);
        labels.emplace_back(1, kHexDigits[octets[i] >> 4U]);
    }
    labels.emplace_back("ip6");
    labels.emplace_back("arpa");
    return build(labels);
}

std::optional<std::array<std::uint8_t, 4>> parse_reverse_v4(const Name& name) {
    if (!ends_with_suffix(name, 4, "in-addr")) {
        return std::nullopt;
    }
    std::array<std::uint8_t, 4> octets{};
    for (std::size_t i = 0; i < 4; ++i) {
        const auto label = name.label(i);
        if (label.empty() || label.size() > 3 || (label.size() > 1 && label[0] == '0')) {
            return std::nullopt;
        }
        unsigned value = 0;
        for (const char c : label) {
            if (c < '0' || c > '9') {
                return std::nullopt;
            }
            value = value * 10 + static_cast<unsigned>(c - '0');
        }
        if (value > 255) {
            return std::nullopt;
        }
        octets[3 - i] = static_cast<std::uint8_t>(value);
    }
    return octets;
}

std::optional<std::array<std::uint8_t, 16>> parse_reverse_v6(const Name& name) {
    if (!ends_with_suffix(name, 32, "ip6")) {
        return std::nullopt;
    }
    std::array<std::uint8_t, 16> octets{};
    for (std::size_t i = 0; i < 32; ++i) {
        const auto nibble = hex_value(name.label(i));
        if (!nibble) {
            return std::nullopt;
        }
        // Label 0 is the low nibble of the last octet.
        auto& octet = octets[15 - i / 2];
        octet = static_cast<std::uint8_t>(octet | ((i % 2 == 0) ? *nibble : (*nibble << 4U)));
    }
    return octets;
}

}  // namespace nfv::net::dns
