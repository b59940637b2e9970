#include "dhcp/option_mapper.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>

#include "nfv/net/cidr.hpp"
#include "nfv/net/ip_address.hpp"

#include "dhcp/host_files.hpp"
#include "dhcp/lease_file.hpp"
#include "dhcp/option_values.hpp"

namespace nfv::dnsvizor::dhcp {

namespace {

using config::RawOption;
using net::Ipv4Address;

constexpr std::string_view kIpv6Warning = "DHCPv6/RA is not supported yet; ignored";

// Options that change who gets served or which address: ignoring them would hand out leases the
// user did not intend, so they stop the start.
constexpr std::array<std::string_view, 13> kUnsupportedErrors{
    "dhcp-optsfile",    "dhcp-optsdir",   "dhcp-luascript",      "dhcp-proxy",
    "dhcp-relay",       "dhcp-mac",       "dhcp-circuitid",      "dhcp-remoteid",
    "dhcp-subscrid",    "shared-network", "dhcp-alternate-port", "bootp-dynamic",
    "dhcp-ignore-clid",
};

// Options that only refine details: we run without them and say so.
constexpr std::array<std::string_view, 17> kUnsupportedWarnings{
    "dhcp-broadcast",    "dhcp-fqdn",         "dhcp-client-update", "dhcp-generate-names",
    "dhcp-ignore-names", "dhcp-name-match",   "dhcp-no-override",   "dhcp-reply-delay",
    "bridge-interface",  "dhcp-boot",         "pxe-service",        "pxe-prompt",
    "dhcp-scriptuser",   "script-on-renewal", "dhcp-ttl",           "dhcp-split-relay",
    "dhcp-pxe-vendor",
};

// DHCPv6 / router advertisement options.
constexpr std::array<std::string_view, 6> kIpv6Options{
    "enable-ra", "ra-param", "dhcp-duid", "quiet-dhcp6", "quiet-ra", "no-dhcpv6-interface"};

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

std::string prefix_of(const RawOption& option) {
    return describe_location(option.where) + ": " + option.name + ": ";
}

Unexpected<std::string> fail(const RawOption& option, std::string_view message) {
    return Unexpected(prefix_of(option) + std::string(message));
}

std::uint32_t clamp_lease(std::uint32_t seconds) {
    return seconds == kInfiniteLease ? seconds : std::max(seconds, kMinimumLeaseSeconds);
}

bool looks_ipv6(std::string_view field) {
    return field.find(':') != std::string_view::npos && !field.starts_with("tag:") &&
           !field.starts_with("set:") && !field.starts_with("net:");
}

Result<void, std::string> map_range(const RawOption& option, DhcpImport& out) {
    const auto fields = split_commas(option.value);
    DhcpRange range;
    std::size_t i = 0;
    bool have_set = false;
    for (; i < fields.size(); ++i) {
        const std::string_view field = fields[i];
        if (Ipv4Address::parse(field))
            break;
        if (field.starts_with("tag:")) {
            range.match.push_back(*parse_tag_condition(field));
            continue;
        }
        if (looks_ipv6(field) || field.starts_with("constructor:") ||
            field.starts_with("interface:")) {
            out.ipv6_requested = true;
            out.warnings.push_back(prefix_of(option) + std::string(kIpv6Warning));
            return {};
        }
        // set:t, the legacy net:t, or a bare word: the tag this range sets.
        std::string_view name = field;
        if (field.starts_with("set:") || field.starts_with("net:"))
            name = field.substr(4);
        if (name.empty() || name.find_first_of(":./") != std::string_view::npos)
            return fail(option, "bad dhcp-range: '" + std::string(field) + "'");
        if (have_set)
            return fail(option, "only one tag allowed");
        range.set_tag = std::string(name);
        have_set = true;
    }
    if (i >= fields.size())
        return fail(option, "bad dhcp-range: no start address");
    range.start = *Ipv4Address::parse(fields[i++]);
    if (i >= fields.size())
        return fail(option, "bad dhcp-range: an end address or `static` is needed");
    const std::string_view second = fields[i++];
    if (second == "static") {
        range.static_only = true;
        range.end = range.start;
    } else if (second == "proxy") {
        return fail(option, "proxy DHCP (`proxy` ranges) is not supported");
    } else if (const auto end = Ipv4Address::parse(second)) {
        range.end = *end;
    } else {
        return fail(option, "bad dhcp-range: '" + std::string(second) +
                                "' is neither an end address nor `static`");
    }
    if (range.end.to_u32() < range.start.to_u32())
        std::swap(range.start, range.end);
    if (i < fields.size() && fields[i].find('.') != std::string_view::npos) {
        const auto netmask = Ipv4Address::parse(fields[i]);
        if (!netmask || !net::Ipv4Cidr::prefix_from_netmask(*netmask))
            return fail(option, "bad dhcp-range: bad netmask '" + std::string(fields[i]) + "'");
        range.netmask = netmask;
        ++i;
        if (i < fields.size() && fields[i].find('.') != std::string_view::npos) {
            const auto broadcast = Ipv4Address::parse(fields[i]);
            if (!broadcast)
                return fail(option,
                            "bad dhcp-range: bad broadcast '" + std::string(fields[i]) + "'");
            range.broadcast = broadcast;
            ++i;
        }
    }
    if (i < fields.size()) {
        const auto lease = parse_lease_time(fields[i]);
        if (!lease)
            return fail(option, "bad dhcp-range: bad lease time '" + std::string(fields[i]) + "'");
        range.lease_seconds = clamp_lease(*lease);
        ++i;
    }
    if (i < fields.size())
        return fail(option, "bad dhcp-range: unexpected '" + std::string(fields[i]) + "'");
    if (range.netmask) {
        const std::uint32_t mask = range.netmask->to_u32();
        if ((range.start.to_u32() & mask) != (range.end.to_u32() & mask))
            return fail(option, "inconsistent DHCP range: start and end are in different subnets");
    }
    out.settings.ranges.push_back(std::move(range));
    return {};
}

// A MAC pattern: hex bytes separated by ':', `*` wildcards, optional "TT-" type prefix.
std::optional<HardwarePattern> parse_hardware_pattern(std::string_view text) {
    HardwarePattern pattern;
    if (text.size() > 3 && text[2] == '-') {
        unsigned type = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + 2, type, 16);
        if (ec != std::errc{} || end != text.data() + 2)
            return std::nullopt;
        pattern.type = static_cast<std::uint8_t>(type);
        text.remove_prefix(3);
    }
    std::size_t start = 0;
    while (true) {
        const auto colon = text.find(':', start);
        const auto piece = text.substr(
            start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
        if (piece == "*") {
            pattern.bytes.push_back(-1);
        } else {
            unsigned value = 0;
            const auto [end, ec] =
                std::from_chars(piece.data(), piece.data() + piece.size(), value, 16);
            if (piece.empty() || piece.size() > 2 || ec != std::errc{} ||
                end != piece.data() + piece.size())
                return std::nullopt;
            pattern.bytes.push_back(static_cast<int>(value));
        }
        if (colon == std::string_view::npos)
            break;
        start = colon + 1;
    }
    if (pattern.bytes.empty() || pattern.bytes.size() > 16)
        return std::nullopt;
    return pattern;
}

bool legal_host_name(std::string_view name) {
    if (name.empty() || name.size() > 253 || name.front() == '-' || name.front() == '.')
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
    });
}

}  // namespace

Result<void, std::string> map_dhcp_host(const RawOption& option, DhcpImport& out) {
    StaticHost host;
    for (const std::string_view field : split_commas(option.value)) {
        if (field.empty())
            continue;
        if (field.starts_with("id:")) {
            const std::string_view id = field.substr(3);
            if (id == "*") {
                host.client_id_any = true;
            } else if (!parse_hex_bytes(id, host.client_id) || id.find(':') == std::string::npos) {
                host.client_id.assign(id.begin(), id.end());  // a text client id
            }
            if (!host.client_id_any && host.client_id.empty())
                return fail(option, "empty client id");
        } else if (field.starts_with("set:") || field.starts_with("net:")) {
            if (!host.set_tag.empty())
                return fail(option, "more than one set: tag per dhcp-host is not supported yet");
            host.set_tag = std::string(field.substr(4));
        } else if (field.starts_with("tag:")) {
            host.match.push_back(*parse_tag_condition(field));
        } else if (field.front() == '[') {
            out.ipv6_requested = true;
            out.warnings.push_back(prefix_of(option) + "IPv6 address '" + std::string(field) +
                                   "': " + std::string(kIpv6Warning));
        } else if (const auto address = Ipv4Address::parse(field)) {
            if (host.address)
                return fail(option, "more than one IPv4 address");
            host.address = address;
        } else if (field == "ignore") {
            host.ignore = true;
        } else if (field == "infinite" || (field.front() >= '0' && field.front() <= '9' &&
                                           parse_lease_time(field).has_value())) {
            host.lease_seconds = clamp_lease(*parse_lease_time(field));
        } else if (field.find(':') != std::string_view::npos) {
            auto pattern = parse_hardware_pattern(field);
            if (!pattern)
                return fail(option, "bad hex constant '" + std::string(field) + "'");
            host.hardware.push_back(std::move(*pattern));
        } else if (legal_host_name(field)) {
            if (!host.hostname.empty())
                return fail(option, "more than one host name");
            // Only the first label is a lease's name (dnsmasq stores names unqualified).
            host.hostname = std::string(field.substr(0, field.find('.')));
        } else {
            return fail(option, "bad DHCP host name '" + std::string(field) + "'");
        }
    }
    if (host.hardware.empty() && host.client_id.empty()) {
        if (!host.hostname.empty() || host.address)
            return fail(option,
                        "dhcp-host without a hardware address or id: (matching by the client's "
                        "name) is not supported yet");
        return {};  // only IPv6 parts, already warned about
    }
    out.settings.hosts.push_back(std::move(host));
    return {};
}

namespace {

// The tag a dhcp-match / dhcp-vendorclass / dhcp-userclass line sets: `set:t`, or the legacy
// `net:t` or bare word.
std::optional<std::string> set_tag_field(std::string_view field) {
    if (field.starts_with("set:") || field.starts_with("net:"))
        field.remove_prefix(4);
    if (field.empty() || field.find_first_of(":,") != std::string_view::npos)
        return std::nullopt;
    return std::string(field);
}

// dhcp-match=set:tag,<opt>|option:<name>[,value]: the tag is set when the client sent the
// option, and, with a value, when the option holds it: text anywhere in it, a hex constant
// (xx:xx) at its start, numbers and addresses as one of its items (dnsmasq(8) --dhcp-match).
Result<void, std::string> map_match(const RawOption& option, DhcpImport& out) {
    const auto fields = split_commas(option.value);
    if (fields.size() < 2)
        return fail(option, "missing parameter (set:<tag>,<option>[,<value>])");
    ClientMatch match;
    auto tag = set_tag_field(fields[0]);
    if (!tag)
        return fail(option, "bad tag '" + std::string(fields[0]) + "'");
    match.set_tag = std::move(*tag);
    const std::string_view selector = fields[1];
    if (selector.starts_with("vi-encap:") || selector.starts_with("option6:") ||
        selector.starts_with("vendor:") || selector.starts_with("encap:"))
        return fail(option, "'" + std::string(selector) +
                                "' matching is not supported yet (only DHCPv4 options by number "
                                "or option:<name>)");
    if (selector.starts_with("option:")) {
        const auto code = dhcp_option_code(selector.substr(7));
        if (!code)
            return fail(option, "unknown DHCP option name '" + std::string(selector) + "'");
        match.code = *code;
    } else {
        unsigned code = 0;
        const auto [end, ec] =
            std::from_chars(selector.data(), selector.data() + selector.size(), code);
        if (selector.empty() || ec != std::errc{} || end != selector.data() + selector.size() ||
            code == 0 || code > 254)
            return fail(option, "bad DHCP option '" + std::string(selector) + "'");
        match.code = static_cast<std::uint8_t>(code);
    }
    if (fields.size() > 2) {
        // The value is encoded as dhcp-option would encode it for this option.
        std::string line = std::to_string(match.code);
        for (std::size_t i = 2; i < fields.size(); ++i)
            line += "," + std::string(fields[i]);
        const std::string_view first = fields[2];
        std::vector<std::uint8_t> hex;
        if (first.find(':') != std::string_view::npos && fields.size() == 3 &&
            parse_hex_bytes(first, hex)) {
            for (const auto byte : hex)
                match.value.push_back(std::byte{byte});
            match.prefix_only = true;
        } else {
            auto parsed = parse_dhcp_option_line(line, false);
            if (!parsed || !parsed->option)
                return fail(option, "bad value: " + (parsed ? parsed->ignored : parsed.error()));
            match.value = std::move(parsed->option->value);
            const bool numeric = std::all_of(first.begin(), first.end(), [](char c) {
                return (c >= '0' && c <= '9') || c == '.';
            });
            match.step =
                numeric ? std::max<std::size_t>(1, match.value.size() / (fields.size() - 2)) : 1;
        }
        if (match.value.empty())
            return fail(option, "bad value: empty");
    }
    out.settings.client_matches.push_back(std::move(match));
    return {};
}

// dhcp-vendorclass=set:tag,[enterprise:N,]string and dhcp-userclass=set:tag,string.
Result<void, std::string> map_class(const RawOption& option, DhcpImport& out,
                                    ClientMatch::Kind kind) {
    const auto comma = option.value.find(',');
    if (comma == std::string::npos)
        return fail(option, "missing parameter (set:<tag>,<string>)");
    auto tag = set_tag_field(trim(std::string_view(option.value).substr(0, comma)));
    if (!tag)
        return fail(option, "bad tag '" + option.value.substr(0, comma) + "'");
    // The class is the rest of the line, commas included (dnsmasq keeps it whole).
    const std::string_view text = trim(std::string_view(option.value).substr(comma + 1));
    if (text.starts_with("enterprise:"))
        return fail(option, "enterprise: (DHCPv6 vendor classes) is not supported yet: DHCPv6/RA");
    if (text.empty())
        return fail(option, "missing parameter (the class string)");
    ClientMatch match;
    match.kind = kind;
    match.set_tag = std::move(*tag);
    for (const char c : text)
        match.value.push_back(static_cast<std::byte>(c));
    out.settings.client_matches.push_back(std::move(match));
    return {};
}

// tag-if=set:<tag>[,set:<tag>..][,tag:<tag>[,tag:!<tag>..]]: the set: fields come first.
Result<void, std::string> map_tag_if(const RawOption& option, DhcpImport& out) {
    TagIf rule;
    for (const std::string_view field : split_commas(option.value)) {
        if (field.starts_with("set:")) {
            if (!rule.match.empty())
                return fail(option, "set: after tag: in tag-if");
            const auto name = field.substr(4);
            if (name.empty())
                return fail(option, "bad tag '" + std::string(field) + "'");
            rule.set_tags.emplace_back(name);
        } else if (auto condition = parse_tag_condition(field);
                   condition && !condition->name.empty()) {
            rule.match.push_back(std::move(*condition));
        } else {
            return fail(option, "bad tag-if field '" + std::string(field) + "'");
        }
    }
    if (rule.set_tags.empty())
        return fail(option, "missing set: tag");
    out.settings.tag_ifs.push_back(std::move(rule));
    return {};
}

struct DomainRule {
    std::string domain;
    std::uint32_t first = 0;
    std::uint32_t last = 0;
};

Result<void, std::string> map_domain(const RawOption& option, DhcpImport& out,
                                     std::vector<DomainRule>& rules) {
    auto fields = split_commas(option.value);
    std::string domain(fields[0]);
    if (!domain.empty() && domain.back() == '.')
        domain.pop_back();
    if (domain.empty() || !legal_host_name(domain))
        return fail(option, "bad domain '" + std::string(fields[0]) + "'");
    if (fields.size() == 1) {
        out.settings.domain = domain;
        return {};
    }
    if (fields.back() == "local") {
        // The `local` part makes DNS answer the domain locally; that belongs to the DNS side.
        out.warnings.push_back(prefix_of(option) +
                               "the `local` flag is handled by the DNS side only; for DHCP the "
                               "domain applies to the given range");
        fields.pop_back();
    }
    DomainRule rule{domain, 0, 0};
    if (fields.size() == 2) {
        if (const auto cidr = net::Ipv4Cidr::parse(fields[1]);
            cidr && fields[1].find('/') != std::string_view::npos) {
            rule.first = cidr->network().to_u32();
            rule.last = cidr->broadcast().to_u32();
        } else if (Ipv4Address::parse(fields[1]) || fields[1].find(':') != std::string_view::npos) {
            return fail(option, "bad domain range '" + std::string(fields[1]) + "'");
        } else {
            return fail(option, "a domain per interface ('" + std::string(fields[1]) +
                                    "') is not supported yet; give an address range");
        }
    } else if (fields.size() == 3) {
        const auto first = Ipv4Address::parse(fields[1]);
        const auto last = Ipv4Address::parse(fields[2]);
        if (!first || !last)
            return fail(option, "bad domain range");
        rule.first = std::min(first->to_u32(), last->to_u32());
        rule.last = std::max(first->to_u32(), last->to_u32());
    } else {
        return fail(option, "bad domain range");
    }
    rules.push_back(std::move(rule));
    return {};
}

Result<void, std::string> expect_flag(const RawOption& option) {
    if (option.has_value && !option.value.empty())
        return fail(option, "extraneous parameter '" + option.value + "'");
    return {};
}

Result<void, std::string> map_one(const RawOption& option, DhcpImport& out,
                                  std::vector<DomainRule>& rules) {
    const std::string& name = option.name;
    const auto flag = [&](bool& target) -> Result<void, std::string> {
        auto checked = expect_flag(option);
        if (checked)
            target = true;
        return checked;
    };
    if (name == "dhcp-range")
        return map_range(option, out);
    if (name == "dhcp-host")
        return map_dhcp_host(option, out);
    if (name == "dhcp-hostsfile" || name == "dhcp-hostsdir") {
        if (option.value.empty())
            return fail(option, "missing parameter (a file or directory name)");
        out.host_sources.push_back({name, option.value});
        return {};
    }
    if (name == "read-ethers") {
        if (auto checked = expect_flag(option); !checked)
            return checked;
        out.host_sources.push_back({name, std::string(kEthersFile)});
        return {};
    }
    if (name == "dhcp-option" || name == "dhcp-option-force") {
        auto parsed = parse_dhcp_option_line(option.value, name == "dhcp-option-force");
        if (!parsed)
            return fail(option, "bad dhcp-option: " + parsed.error());
        if (!parsed->ignored.empty()) {
            if (parsed->ignored == kIpv6Warning)
                out.ipv6_requested = true;
            out.warnings.push_back(prefix_of(option) + parsed->ignored);
        } else {
            out.settings.options.push_back(std::move(*parsed->option));
        }
        return {};
    }
    if (name == "dhcp-match")
        return map_match(option, out);
    if (name == "dhcp-vendorclass")
        return map_class(option, out, ClientMatch::Kind::kVendorClass);
    if (name == "dhcp-userclass")
        return map_class(option, out, ClientMatch::Kind::kUserClass);
    if (name == "tag-if")
        return map_tag_if(option, out);
    if (name == "dhcp-ignore") {
        std::vector<TagCondition> rule;
        for (const std::string_view field : split_commas(option.value)) {
            if (field.empty())
                continue;
            if (auto tag = parse_tag_condition(field)) {
                rule.push_back(std::move(*tag));
            } else if (field.find(':') == std::string_view::npos) {
                // Legacy: a bare tag name, `#` or `!` negating it.
                TagCondition condition;
                std::string_view tag_name = field;
                if (tag_name.front() == '!' || tag_name.front() == '#') {
                    condition.negated = true;
                    tag_name.remove_prefix(1);
                }
                condition.name = std::string(tag_name);
                rule.push_back(std::move(condition));
            } else {
                return fail(option, "bad tag '" + std::string(field) + "'");
            }
        }
        if (rule.empty() || std::any_of(rule.begin(), rule.end(),
                                        [](const TagCondition& c) { return c.name.empty(); }))
            return fail(option, "missing tag");
        out.settings.ignore.push_back(std::move(rule));
        return {};
    }
    if (name == "dhcp-authoritative")
        return flag(out.settings.authoritative);
    if (name == "dhcp-rapid-commit")
        return flag(out.settings.rapid_commit);
    if (name == "dhcp-sequential-ip")
        return flag(out.settings.sequential_ip);
    if (name == "leasefile-ro")
        return flag(out.lease_file_readonly);
    if (name == "log-dhcp")
        return flag(out.log_dhcp);
    if (name == "quiet-dhcp")
        return flag(out.quiet_dhcp);
    if (name == "no-ping")
        return flag(out.no_ping);
    if (name == "dhcp-lease-max") {
        std::uint32_t value = 0;
        const auto& text = option.value;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (text.empty() || ec != std::errc{} || end != text.data() + text.size())
            return fail(option, "bad number '" + text + "'");
        out.settings.lease_max = value;
        return {};
    }
    // no-dhcpv4-interface (dnsmasq 2.89+) is the DHCPv4 half of no-dhcp-interface.
    if (name == "no-dhcp-interface" || name == "no-dhcpv4-interface") {
        if (option.value.empty())
            return fail(option, "missing parameter (an interface name)");
        for (const std::string_view interface : split_commas(option.value))
            if (!interface.empty())
                out.no_dhcp_interfaces.emplace_back(interface);
        return {};
    }
    if (name == "dhcp-script") {
        if (option.value.empty())
            return fail(option, "missing parameter (a program)");
        out.script = option.value;
        return {};
    }
    if (name == "dhcp-leasefile") {
        if (option.value.empty())
            return fail(option, "missing parameter (a file name)");
        out.lease_file = option.value;
        return {};
    }
    if (name == "domain") {
        if (option.value.empty())
            return fail(option, "missing parameter");
        return map_domain(option, out, rules);
    }
    if (std::find(kIpv6Options.begin(), kIpv6Options.end(), name) != kIpv6Options.end()) {
        out.ipv6_requested = true;
        out.warnings.push_back(prefix_of(option) + std::string(kIpv6Warning));
        return {};
    }
    if (std::find(kUnsupportedErrors.begin(), kUnsupportedErrors.end(), name) !=
        kUnsupportedErrors.end()) {
        return fail(option,
                    "not supported yet (running without it would serve clients differently "
                    "than configured)");
    }
    if (std::find(kUnsupportedWarnings.begin(), kUnsupportedWarnings.end(), name) !=
        kUnsupportedWarnings.end()) {
        out.warnings.push_back(prefix_of(option) + "not supported yet; ignored");
        return {};
    }
    return fail(option, "unsupported DHCP option");
}

}  // namespace

std::string describe_location(const config::SourceLocation& where) {
    if (where.from_command_line())
        return "command line argument " + std::to_string(where.line);
    return where.file + ":" + std::to_string(where.line);
}

Result<DhcpImport, std::string> map_dhcp_options(std::span<const config::RawOption> options) {
    DhcpImport out;
    std::vector<DomainRule> rules;
    for (const auto& option : options) {
        if (auto mapped = map_one(option, out, rules); !mapped)
            return Unexpected(mapped.error());
    }
    out.config_host_count = out.settings.hosts.size();
    reload_host_sources(out, out.warnings);
    // domain=dom,range applies to the ranges inside that range; the first matching rule wins.
    for (auto& range : out.settings.ranges) {
        for (const auto& rule : rules) {
            if (range.start.to_u32() >= rule.first && range.end.to_u32() <= rule.last) {
                range.domain = rule.domain;
                break;
            }
        }
    }
    return out;
}

}  // namespace nfv::dnsvizor::dhcp
