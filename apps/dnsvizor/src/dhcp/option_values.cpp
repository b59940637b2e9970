#include "dhcp/option_values.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <vector>

#include "nfv/net/cidr.hpp"
#include "nfv/net/dhcp/options.hpp"
#include "nfv/net/ip_address.hpp"

namespace nfv::dnsvizor::dhcp {

namespace {

using net::Ipv4Address;

enum class ValueType : std::uint8_t {
    kAddresses,  // one or more IPv4 addresses; 0.0.0.0 = this server
    kText,       // the rest of the line, commas included
    kNames,      // RFC 3397 domain search list
    kBool,       // 0 or 1 in one byte
    kU8,
    kU16,
    kU32,
    kTime,    // 32-bit seconds, lease-time syntax
    kRoutes,  // RFC 3442 net/len,gw pairs
    kSip,     // RFC 3361: names (encoding 0) or addresses (encoding 1)
    kInfer,   // no declared type: inferred from the text
    kInternal,
};

struct KnownOption {
    std::string_view name;
    std::uint8_t code;
    ValueType type;
};

// dnsmasq 2.90's option names (`dnsmasq --help dhcp`) with the value types of dhcp-common.c.
constexpr std::array kKnownOptions{
    KnownOption{"netmask", 1, ValueType::kAddresses},
    KnownOption{"time-offset", 2, ValueType::kU32},
    KnownOption{"router", 3, ValueType::kAddresses},
    KnownOption{"dns-server", 6, ValueType::kAddresses},
    KnownOption{"log-server", 7, ValueType::kAddresses},
    KnownOption{"lpr-server", 9, ValueType::kAddresses},
    KnownOption{"hostname", 12, ValueType::kInternal},
    KnownOption{"boot-file-size", 13, ValueType::kU16},
    KnownOption{"domain-name", 15, ValueType::kText},
    KnownOption{"swap-server", 16, ValueType::kAddresses},
    KnownOption{"root-path", 17, ValueType::kText},
    KnownOption{"extension-path", 18, ValueType::kText},
    KnownOption{"ip-forward-enable", 19, ValueType::kBool},
    KnownOption{"non-local-source-routing", 20, ValueType::kBool},
    KnownOption{"policy-filter", 21, ValueType::kAddresses},
    KnownOption{"max-datagram-reassembly", 22, ValueType::kU16},
    KnownOption{"default-ttl", 23, ValueType::kU8},
    KnownOption{"mtu", 26, ValueType::kU16},
    KnownOption{"all-subnets-local", 27, ValueType::kBool},
    KnownOption{"broadcast", 28, ValueType::kAddresses},
    KnownOption{"router-discovery", 31, ValueType::kBool},
    KnownOption{"router-solicitation", 32, ValueType::kAddresses},
    KnownOption{"static-route", 33, ValueType::kAddresses},
    KnownOption{"trailer-encapsulation", 34, ValueType::kBool},
    KnownOption{"arp-timeout", 35, ValueType::kU32},
    KnownOption{"ethernet-encap", 36, ValueType::kBool},
    KnownOption{"tcp-ttl", 37, ValueType::kU8},
    KnownOption{"tcp-keepalive", 38, ValueType::kU32},
    KnownOption{"nis-domain", 40, ValueType::kText},
    KnownOption{"nis-server", 41, ValueType::kAddresses},
    KnownOption{"ntp-server", 42, ValueType::kAddresses},
    KnownOption{"vendor-encap", 43, ValueType::kInfer},
    KnownOption{"netbios-ns", 44, ValueType::kAddresses},
    KnownOption{"netbios-dd", 45, ValueType::kAddresses},
    KnownOption{"netbios-nodetype", 46, ValueType::kU8},
    KnownOption{"netbios-scope", 47, ValueType::kInfer},
    KnownOption{"x-windows-fs", 48, ValueType::kAddresses},
    KnownOption{"x-windows-dm", 49, ValueType::kAddresses},
    KnownOption{"requested-address", 50, ValueType::kInternal},
    KnownOption{"lease-time", 51, ValueType::kInternal},
    KnownOption{"option-overload", 52, ValueType::kInternal},
    KnownOption{"message-type", 53, ValueType::kInternal},
    KnownOption{"server-identifier", 54, ValueType::kInternal},
    KnownOption{"parameter-request", 55, ValueType::kInternal},
    KnownOption{"message", 56, ValueType::kInternal},
    KnownOption{"max-message-size", 57, ValueType::kInternal},
    KnownOption{"T1", 58, ValueType::kTime},
    KnownOption{"T2", 59, ValueType::kTime},
    KnownOption{"vendor-class", 60, ValueType::kInfer},
    KnownOption{"client-id", 61, ValueType::kInternal},
    KnownOption{"nis+-domain", 64, ValueType::kText},
    KnownOption{"nis+-server", 65, ValueType::kAddresses},
    KnownOption{"tftp-server", 66, ValueType::kText},
    KnownOption{"bootfile-name", 67, ValueType::kText},
    KnownOption{"mobile-ip-home", 68, ValueType::kAddresses},
    KnownOption{"smtp-server", 69, ValueType::kAddresses},
    KnownOption{"pop3-server", 70, ValueType::kAddresses},
    KnownOption{"nntp-server", 71, ValueType::kAddresses},
    KnownOption{"irc-server", 74, ValueType::kAddresses},
    KnownOption{"user-class", 77, ValueType::kInfer},
    KnownOption{"rapid-commit", 80, ValueType::kInternal},
    KnownOption{"FQDN", 81, ValueType::kInternal},
    KnownOption{"agent-id", 82, ValueType::kInternal},
    KnownOption{"client-arch", 93, ValueType::kU16},
    KnownOption{"client-interface-id", 94, ValueType::kInfer},
    KnownOption{"client-machine-id", 97, ValueType::kInfer},
    KnownOption{"posix-timezone", 100, ValueType::kText},
    KnownOption{"tzdb-timezone", 101, ValueType::kText},
    KnownOption{"ipv6-only", 108, ValueType::kU32},
    KnownOption{"subnet-select", 118, ValueType::kInternal},
    KnownOption{"domain-search", 119, ValueType::kNames},
    KnownOption{"sip-server", 120, ValueType::kSip},
    KnownOption{"classless-static-route", 121, ValueType::kRoutes},
    KnownOption{"vendor-id-encap", 125, ValueType::kInfer},
    KnownOption{"tftp-server-address", 150, ValueType::kAddresses},
    KnownOption{"server-ip-address", 255, ValueType::kInternal},
};

ValueType type_of(std::uint8_t code) {
    for (const auto& known : kKnownOptions) {
        if (known.code == code)
            return known.type;
    }
    return ValueType::kInfer;
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

std::vector<std::string_view> split_commas(std::string_view text) {
    std::vector<std::string_view> out;
    while (true) {
        const auto comma = text.find(',');
        out.push_back(trim(text.substr(0, comma)));
        if (comma == std::string_view::npos)
            break;
        text.remove_prefix(comma + 1);
    }
    return out;
}

bool all_digits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::uint64_t> parse_decimal(std::string_view text) {
    if (!all_digits(text) || text.size() > 19)
        return std::nullopt;
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size())
        return std::nullopt;
    return value;
}

void append_address(std::vector<std::byte>& out, Ipv4Address address) {
    for (const auto octet : address.octets())
        out.push_back(std::byte{octet});
}

void append_integer(std::vector<std::byte>& out, std::uint64_t value, std::size_t size) {
    for (std::size_t i = size; i-- > 0;)
        out.push_back(static_cast<std::byte>((value >> (8 * i)) & 0xffU));
}

std::vector<std::byte> text_bytes(std::string_view text) {
    std::vector<std::byte> out;
    out.reserve(text.size());
    for (const char c : text)
        out.push_back(static_cast<std::byte>(c));
    return out;
}

// Colon-separated hex bytes ("01:02:0a"); nullopt if the text is not of that form.
std::optional<std::vector<std::byte>> parse_hex_colon(std::string_view text) {
    if (text.find(':') == std::string_view::npos)
        return std::nullopt;
    std::vector<std::byte> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto colon = text.find(':', start);
        const auto piece = text.substr(
            start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
        if (piece.empty() || piece.size() > 2)
            return std::nullopt;
        unsigned value = 0;
        const auto [end, ec] =
            std::from_chars(piece.data(), piece.data() + piece.size(), value, 16);
        if (ec != std::errc{} || end != piece.data() + piece.size())
            return std::nullopt;
        out.push_back(static_cast<std::byte>(value));
        if (colon == std::string_view::npos)
            break;
        start = colon + 1;
    }
    return out;
}

using Encoded = Result<ServedOption, std::string>;

Encoded encode_addresses(ServedOption option, const std::vector<std::string_view>& fields) {
    for (const auto field : fields) {
        const auto address = Ipv4Address::parse(field);
        if (!address)
            return Unexpected("bad IPv4 address '" + std::string(field) + "'");
        if (*address == Ipv4Address{})
            option.server_address_at.push_back(option.value.size());
        append_address(option.value, *address);
    }
    return option;
}

Encoded encode_integer(ServedOption option, std::string_view text, std::size_t size) {
    const auto value = parse_decimal(text);
    const std::uint64_t limit = size >= 4 ? 0xffffffffULL : (1ULL << (8 * size)) - 1;
    if (!value)
        return Unexpected("bad integer '" + std::string(text) + "'");
    if (*value > limit)
        return Unexpected("value " + std::string(text) + " out of range (at most " +
                          std::to_string(limit) + ")");
    append_integer(option.value, *value, size);
    return option;
}

Encoded encode_routes(ServedOption option, const std::vector<std::string_view>& fields) {
    if (fields.size() % 2 != 0)
        return Unexpected(std::string("classless-static-route needs net/len,gateway pairs"));
    std::vector<net::dhcp::ClasslessRoute> routes;
    for (std::size_t i = 0; i < fields.size(); i += 2) {
        const auto destination = net::Ipv4Cidr::parse(fields[i]);
        const auto router = Ipv4Address::parse(fields[i + 1]);
        if (!destination)
            return Unexpected("bad route destination '" + std::string(fields[i]) + "'");
        if (!router)
            return Unexpected("bad route gateway '" + std::string(fields[i + 1]) + "'");
        routes.push_back(
            {net::Ipv4Cidr(destination->network(), destination->prefix_length()), *router});
    }
    option.value = net::dhcp::encode_classless_routes(routes);
    return option;
}

Encoded encode_names(ServedOption option, const std::vector<std::string_view>& fields, bool sip) {
    std::vector<std::string> names;
    for (const auto field : fields) {
        std::string name(field);
        if (!name.empty() && name.back() == '.')
            name.pop_back();
        if (name.empty())
            return Unexpected(std::string("empty domain name"));
        names.push_back(std::move(name));
    }
    auto encoded = net::dhcp::encode_domain_search(names);
    if (!encoded)
        return Unexpected("bad domain name list: " +
                          std::string(net::dhcp::to_string(encoded.error())));
    if (sip)
        option.value.push_back(std::byte{0});
    option.value.insert(option.value.end(), encoded->begin(), encoded->end());
    return option;
}

// dnsmasq's inference for options without a declared type.
Encoded encode_inferred(ServedOption option, std::string_view rest,
                        const std::vector<std::string_view>& fields) {
    const bool all_addresses = std::all_of(fields.begin(), fields.end(), [](std::string_view f) {
        return Ipv4Address::parse(f).has_value();
    });
    if (all_addresses)
        return encode_addresses(std::move(option), fields);
    if (fields.size() == 1) {
        if (auto bytes = parse_hex_colon(fields[0])) {
            option.value = std::move(*bytes);
            return option;
        }
        if (const auto value = parse_decimal(fields[0]); value && *value <= 0xffffffffULL) {
            const std::size_t size = *value > 0xffff ? 4 : *value > 0xff ? 2 : 1;
            append_integer(option.value, *value, size);
            return option;
        }
    }
    option.value = text_bytes(rest);
    return option;
}

}  // namespace

std::optional<std::uint8_t> dhcp_option_code(std::string_view name) {
    for (const auto& known : kKnownOptions) {
        // dnsmasq matches option names case-insensitively.
        if (known.name.size() == name.size() &&
            std::equal(known.name.begin(), known.name.end(), name.begin(), [](char a, char b) {
                const auto lower = [](char c) {
                    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
                };
                return lower(a) == lower(b);
            })) {
            return known.code;
        }
    }
    return std::nullopt;
}

std::optional<TagCondition> parse_tag_condition(std::string_view field) {
    if (!field.starts_with("tag:") && !field.starts_with("net:"))
        return std::nullopt;
    field.remove_prefix(4);
    TagCondition condition;
    if (!field.empty() && (field.front() == '!' || field.front() == '#')) {
        condition.negated = true;
        field.remove_prefix(1);
    }
    condition.name = std::string(field);
    return condition;
}

std::optional<std::uint32_t> parse_lease_time(std::string_view text) {
    if (text == "infinite")
        return kInfiniteLease;
    if (text.empty())
        return std::nullopt;
    std::uint64_t multiplier = 1;
    switch (text.back()) {
        case 's':
        case 'S':
            text.remove_suffix(1);
            break;
        case 'm':
        case 'M':
            multiplier = 60;
            text.remove_suffix(1);
            break;
        case 'h':
        case 'H':
            multiplier = 3600;
            text.remove_suffix(1);
            break;
        case 'd':
        case 'D':
            multiplier = 86400;
            text.remove_suffix(1);
            break;
        case 'w':
        case 'W':
            multiplier = 604800;
            text.remove_suffix(1);
            break;
        default:
            break;
    }
    const auto value = parse_decimal(text);
    if (!value || *value > 0xffffffffULL / multiplier)
        return std::nullopt;
    const std::uint64_t seconds = *value * multiplier;
    if (seconds >= kInfiniteLease)
        return std::nullopt;
    return static_cast<std::uint32_t>(seconds);
}

Result<ParsedOptionLine, std::string> parse_dhcp_option_line(std::string_view value, bool force) {
    ServedOption option;
    option.force = force;
    std::optional<std::uint8_t> code;
    std::string_view rest;
    bool has_rest = false;
    std::string ignored;
    // Leading fields up to and including the option selector.
    while (true) {
        const auto comma = value.find(',');
        const std::string_view field = trim(value.substr(0, comma));
        has_rest = comma != std::string_view::npos;
        rest = has_rest ? trim(value.substr(comma + 1)) : std::string_view{};
        if (all_digits(field)) {
            const auto number = parse_decimal(field);
            if (!number || *number == 0 || *number > 254)
                return Unexpected("option number " + std::string(field) + " is not 1..254");
            code = static_cast<std::uint8_t>(*number);
            break;
        }
        if (field.starts_with("option:")) {
            code = dhcp_option_code(field.substr(7));
            if (!code)
                return Unexpected("unknown DHCP option name '" + std::string(field.substr(7)) +
                                  "'");
            break;
        }
        if (field.starts_with("option6:"))
            return ParsedOptionLine{std::nullopt, "DHCPv6/RA is not supported yet; ignored"};
        if (field.starts_with("encap:") || field.starts_with("vi-encap:") ||
            field.starts_with("vendor:")) {
            // Keep reading so that a malformed line is still an error, then ignore it.
            ignored = "vendor-encapsulated options (" +
                      std::string(field.substr(0, field.find(':') + 1)) +
                      ") are not supported yet; ignored";
        } else if (auto tag = parse_tag_condition(field)) {
            option.match.push_back(std::move(*tag));
        } else if (field.empty()) {
            return Unexpected(std::string("missing option number or name"));
        } else {
            // Legacy: a bare word (optionally `set:` prefixed) is a tag condition.
            std::string_view name = field.starts_with("set:") ? field.substr(4) : field;
            if (name.find(':') != std::string_view::npos)
                return Unexpected("bad option selector '" + std::string(field) + "'");
            TagCondition condition;
            if (!name.empty() && (name.front() == '!' || name.front() == '#')) {
                condition.negated = true;
                name.remove_prefix(1);
            }
            condition.name = std::string(name);
            option.match.push_back(std::move(condition));
        }
        if (!has_rest)
            return Unexpected(std::string("missing option number or name"));
        value = value.substr(comma + 1);
    }
    option.code = *code;
    const ValueType type = type_of(option.code);
    if (type == ValueType::kInternal) {
        return Unexpected("option " + std::to_string(option.code) +
                          " is managed by the DHCP server itself and cannot be configured");
    }
    if (!ignored.empty())
        return ParsedOptionLine{std::nullopt, ignored};
    if (!has_rest || rest.empty()) {
        // No value: suppress the default of this option (value stays empty).
        return ParsedOptionLine{std::move(option), {}};
    }
    const auto fields = split_commas(rest);
    Encoded encoded = Unexpected(std::string("unreachable"));
    switch (type) {
        case ValueType::kAddresses:
            encoded = encode_addresses(std::move(option), fields);
            break;
        case ValueType::kText:
            option.value = text_bytes(rest);
            encoded = std::move(option);
            break;
        case ValueType::kNames:
            encoded = encode_names(std::move(option), fields, false);
            break;
        case ValueType::kBool:
            if (fields.size() != 1 || (fields[0] != "0" && fields[0] != "1"))
                return Unexpected("expected 0 or 1, got '" + std::string(rest) + "'");
            encoded = encode_integer(std::move(option), fields[0], 1);
            break;
        case ValueType::kU8:
        case ValueType::kU16:
        case ValueType::kU32:
            if (fields.size() != 1)
                return Unexpected("expected one integer, got '" + std::string(rest) + "'");
            encoded = encode_integer(std::move(option), fields[0],
                                     type == ValueType::kU8    ? 1
                                     : type == ValueType::kU16 ? 2
                                                               : 4);
            break;
        case ValueType::kTime: {
            const auto seconds = fields.size() == 1 ? parse_lease_time(fields[0]) : std::nullopt;
            if (!seconds)
                return Unexpected("bad time '" + std::string(rest) + "'");
            append_integer(option.value, *seconds, 4);
            encoded = std::move(option);
            break;
        }
        case ValueType::kRoutes:
            encoded = encode_routes(std::move(option), fields);
            break;
        case ValueType::kSip: {
            const bool addresses =
                std::all_of(fields.begin(), fields.end(),
                            [](std::string_view f) { return Ipv4Address::parse(f).has_value(); });
            if (addresses) {
                option.value.push_back(std::byte{1});
                encoded = encode_addresses(std::move(option), fields);
            } else {
                encoded = encode_names(std::move(option), fields, true);
            }
            break;
        }
        case ValueType::kInfer:
            encoded = encode_inferred(std::move(option), rest, fields);
            break;
        case ValueType::kInternal:
            break;
    }
    if (!encoded)
        return Unexpected(encoded.error());
    if (encoded->value.size() > 255 * 4) {
        return Unexpected(std::string("option value too long"));
    }
    return ParsedOptionLine{std::move(*encoded), {}};
}

}  // namespace nfv::dnsvizor::dhcp
