#include "nfv/net/ip_address.hpp"

#include <cstddef>

namespace nfv::net {

namespace {

constexpr char kHexDigits[] = "0123456789abcdef";

std::optional<unsigned> hex_value(char c) {
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

// One decimal octet: 1-3 digits, value <= 255, no leading zero unless the part is "0".
std::optional<std::uint8_t> parse_decimal_octet(std::string_view part) {
    if (part.empty() || part.size() > 3) {
        return std::nullopt;
    }
    if (part.size() > 1 && part.front() == '0') {
        return std::nullopt;
    }
    unsigned value = 0;
    for (const char c : part) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        value = value * 10 + static_cast<unsigned>(c - '0');
    }
    if (value > 255) {
        return std::nullopt;
    }
    return static_cast<std::uint8_t>(value);
}

// One IPv6 group: 1-4 hex digits.
std::optional<std::uint16_t> parse_hex_group(std::string_view part) {
    if (part.empty() || part.size() > 4) {
        return std::nullopt;
    }
    unsigned value = 0;
    for (const char c : part) {
        const auto digit = hex_value(c);
        if (!digit) {
            return std::nullopt;
        }
        value = (value << 4U) | *digit;
    }
    return static_cast<std::uint16_t>(value);
}

// Parses a ':'-separated run of groups (no "::" inside) into `out`, appending after `count`.
// An empty run is allowed (it is the empty side of a "::"). When `allow_v4_tail` is set, the last
// part may be a dotted quad and then fills two groups. False on any malformed part or overflow.
bool parse_group_run(std::string_view run, bool allow_v4_tail, std::array<std::uint16_t, 8>& out,
                     std::size_t& count) {
    if (run.empty()) {
        return true;
    }
    while (true) {
        const auto colon = run.find(':');
        const std::string_view part = run.substr(0, colon);
        const bool last = colon == std::string_view::npos;
        if (last && allow_v4_tail && part.find('.') != std::string_view::npos) {
            const auto v4 = Ipv4Address::parse(part);
            if (!v4 || count + 2 > out.size()) {
                return false;
            }
            out[count++] = static_cast<std::uint16_t>(v4->to_u32() >> 16U);
            out[count++] = static_cast<std::uint16_t>(v4->to_u32() & 0xffffU);
            return true;
        }
        const auto group = parse_hex_group(part);
        if (!group || count >= out.size()) {
            return false;
        }
        out[count++] = *group;
        if (last) {
            return true;
        }
        run.remove_prefix(colon + 1);
    }
}

void append_hex_group(std::string& out, std::uint16_t group) {
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
        const unsigned nibble =
            (static_cast<unsigned>(group) >> static_cast<unsigned>(shift)) & 0xfU;
        if (nibble != 0 || started || shift == 0) {
            out.push_back(kHexDigits[nibble]);
            started = true;
        }
    }
}

}  // namespace

std::optional<Ipv4Address> Ipv4Address::parse(std::string_view text) {
    std::array<std::uint8_t, 4> octets{};
    for (std::size_t i = 0; i < 4; ++i) {
        const auto dot = text.find('.');
        const bool last = i == 3;
        if (last != (dot == std::string_view::npos)) {
            return std::nullopt;  // too few or too many parts
        }
        const auto octet = parse_decimal_octet(text.substr(0, dot));
        if (!octet) {
            return std::nullopt;
        }
        octets[i] = *octet;
        if (!last) {
            text.remove_prefix(dot + 1);
        }
    }
    return Ipv4Address(octets);
}

std::string Ipv4Address::to_string() const {
    std::string out;
    out.reserve(15);
    const auto parts = octets();
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i != 0) {
            out.push_back('.');
        }
        out += std::to_string(parts[i]);
    }
    return out;
}

std::optional<Ipv6Address> Ipv6Address::parse(std::string_view text) {
    std::array<std::uint16_t, 8> head{};
    std::array<std::uint16_t, 8> tail{};
    std::size_t head_count = 0;
    std::size_t tail_count = 0;

    const auto gap = text.find("::");
    if (gap == std::string_view::npos) {
        // No compression: exactly eight groups (or six plus a dotted quad).
        if (!parse_group_run(text, true, head, head_count) || head_count != 8 || text.empty() ||
            text.front() == ':' || text.back() == ':') {
            return std::nullopt;
        }
        return from_groups(head);
    }

    const std::string_view left = text.substr(0, gap);
    const std::string_view right = text.substr(gap + 2);
    // A second "::", or a ":::" run, leaves a ':' at an edge or an empty part inside a run; the
    // group-run parser rejects empty parts, and these checks reject single colons at the edges.
    if (right.find("::") != std::string_view::npos || (!left.empty() && left.back() == ':') ||
        (!right.empty() && right.front() == ':')) {
        return std::nullopt;
    }
    if (!parse_group_run(left, false, head, head_count) ||
        !parse_group_run(right, true, tail, tail_count)) {
        return std::nullopt;
    }
    // "::" stands for at least one zero group (RFC 4291 §2.2 item 2).
    if (head_count + tail_count > 7) {
        return std::nullopt;
    }
    std::array<std::uint16_t, 8> groups{};
    for (std::size_t i = 0; i < head_count; ++i) {
        groups[i] = head[i];
    }
    for (std::size_t i = 0; i < tail_count; ++i) {
        groups[8 - tail_count + i] = tail[i];
    }
    return from_groups(groups);
}

std::string Ipv6Address::to_string() const {
    if (const auto v4 = to_v4_mapped()) {
        return "::ffff:" + v4->to_string();
    }
    // Find the longest run of zero groups of length >= 2; the first wins a tie (RFC 5952 §4.2.3).
    std::size_t best_start = 8;
    std::size_t best_length = 1;
    for (std::size_t i = 0; i < 8;) {
        if (group(i) != 0) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < 8 && group(end) == 0) {
            ++end;
        }
        if (end - i > best_length) {
            best_start = i;
            best_length = end - i;
        }
        i = end;
    }
    std::string out;
    out.reserve(39);
    for (std::size_t i = 0; i < 8; ++i) {
        if (i == best_start) {
            out += "::";
            i += best_length - 1;
            continue;
        }
        if (!out.empty() && out.back() != ':') {
            out.push_back(':');
        }
        append_hex_group(out, group(i));
    }
    return out;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    if (text.find(':') == std::string_view::npos) {
        if (const auto v4 = Ipv4Address::parse(text)) {
            return IpAddress(*v4);
        }
        return std::nullopt;
    }
    if (const auto v6 = Ipv6Address::parse(text)) {
        return IpAddress(*v6);
    }
    return std::nullopt;
}

std::string IpAddress::to_string() const {
    return is_v4() ? v4().to_string() : v6().to_string();
}

}  // namespace nfv::net
