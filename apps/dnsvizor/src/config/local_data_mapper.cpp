// The "Local data" group of dnsmasq options (see mapper.hpp): records answered locally and the
// TTLs that go with them.
#include <algorithm>
#include <cctype>

#include "config/mapper.hpp"
#include "config/reverse_zone.hpp"
#include "config/value_syntax.hpp"

namespace nfv::dnsvizor::config {
namespace {

using MapResult = Result<void, std::string>;

MapResult fail(std::string message) {
    return Unexpected(std::move(message));
}

std::vector<std::string> fields_of(const ReadOption& option) {
    return split_fields(option.raw.value, option.quoted, ',');
}

Result<std::string, std::string> domain_field(const std::string& text, std::string_view what) {
    if (auto domain = normalise_domain(text)) {
        return std::move(*domain);
    }
    return Unexpected("bad " + std::string(what) + " '" + text + "'");
}

Result<std::uint16_t, std::string> u16_field(const std::string& text, std::string_view what) {
    if (const auto value = parse_decimal(text, 65535)) {
        return static_cast<std::uint16_t>(*value);
    }
    return Unexpected("bad " + std::string(what) + " '" + text + "'");
}

Result<std::uint32_t, std::string> ttl_field(const std::string& text) {
    if (const auto value = parse_decimal(text, 0x7fffffff)) {
        return static_cast<std::uint32_t>(*value);
    }
    return Unexpected("bad TTL '" + text + "'");
}

// domain=dom | dom,CIDR[,local] | dom,first,last[,local] | dom,IF
MapResult map_domain(const std::vector<std::string>& fields, DnsmasqConfig& config) {
    auto domain = domain_field(fields[0], "domain");
    if (!domain) {
        return fail(domain.error());
    }
    dns::DomainRule rule;
    rule.domain = *domain;
    std::size_t next = 1;
    std::optional<net::IpCidr> cidr;
    if (fields.size() > next) {
        if (fields[next].find('/') != std::string::npos) {
            cidr = net::IpCidr::parse(fields[next]);
            if (!cidr) {
                return fail("bad address range '" + fields[next] + "'");
            }
            if (cidr->is_v4()) {
                rule.first = cidr->v4().network();
                rule.last = cidr->v4().broadcast();
            } else {
                rule.first = cidr->v6().network();
                auto octets = cidr->v6().network().octets();
                for (std::size_t bit = cidr->prefix_length(); bit < 128; ++bit) {
                    octets[bit / 8] =
                        static_cast<std::uint8_t>(octets[bit / 8] | (0x80U >> (bit % 8)));
                }
                rule.last = net::Ipv6Address(octets);
            }
            ++next;
        } else if (const auto first = net::IpAddress::parse(fields[next])) {
            rule.first = *first;
            rule.last = *first;
            ++next;
            if (fields.size() > next && fields[next] != "local") {
                const auto last = net::IpAddress::parse(fields[next]);
                if (!last || last->is_v4() != first->is_v4()) {
                    return fail("bad address range end '" + fields[next] + "'");
                }
                rule.last = *last;
                ++next;
            }
            if (*rule.last < *rule.first) {
                std::swap(rule.first, rule.last);
            }
        } else if (is_interface_name(fields[next]) && fields.size() == 2) {
            rule.interface = fields[next];
            ++next;
        } else {
            return fail("bad address range '" + fields[next] + "'");
        }
    }
    if (fields.size() > next) {
        if (fields[next] != "local" || fields.size() > next + 1 || !rule.first) {
            return fail("unexpected '" + fields[next] + "'");
        }
        rule.local = true;
        // dnsmasq adds local=/dom/ and local= for the reverse zones of the range.
        dns::ServerRule forward;
        forward.kind = dns::ServerRule::Kind::kLocalOnly;
        forward.domains.push_back(rule.domain);
        config.dns.upstream.servers.push_back(std::move(forward));
        if (cidr) {
            dns::ServerRule reverse;
            reverse.kind = dns::ServerRule::Kind::kLocalOnly;
            reverse.domains = reverse_zones(*cidr);
            config.dns.upstream.servers.push_back(std::move(reverse));
        }
    }
    config.dns.local.domains.push_back(std::move(rule));
    return {};
}

// address=/dom/[dom/...][ip|#]
MapResult map_address(const std::string& value, DnsmasqConfig& config) {
    if (value.empty() || value.front() != '/') {
        return fail("expected /<domain>/[<address>]");
    }
    const std::size_t last = value.rfind('/');
    if (last == 0) {
        return fail("missing '/' after the domain list");
    }
    dns::AddressRule rule;
    const std::string list = value.substr(1, last - 1);
    for (const auto& name : split_fields(list, {}, '/')) {
        if (name.empty() || name == "#") {
            rule.domains.emplace_back(name.empty() ? "" : "#");
        } else if (auto domain = normalise_domain(name, true)) {
            rule.domains.push_back(*domain);
        } else {
            return fail("bad domain '" + name + "'");
        }
    }
    const std::string target = value.substr(last + 1);
    if (target.empty()) {
        rule.kind = dns::AddressRule::Kind::kNxdomain;
    } else if (target == "#") {
        rule.kind = dns::AddressRule::Kind::kNullAddress;
    } else if (const auto address = net::IpAddress::parse(target)) {
        rule.addresses.push_back(*address);
    } else {
        return fail("bad address '" + target + "'");
    }
    config.dns.local.addresses.push_back(std::move(rule));
    return {};
}

MapResult map_host_record(const std::vector<std::string>& fields, DnsmasqConfig& config) {
    dns::HostRecord record;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (const auto address = net::IpAddress::parse(fields[i])) {
            record.addresses.push_back(*address);
        } else if (i + 1 == fields.size() && i > 0 && parse_decimal(fields[i], 0x7fffffff)) {
            record.ttl = static_cast<std::uint32_t>(*parse_decimal(fields[i], 0x7fffffff));
        } else if (!record.addresses.empty()) {
            return fail("name '" + fields[i] + "' after the addresses");
        } else if (auto name = normalise_domain(fields[i])) {
            record.names.push_back(*name);
        } else {
            return fail("bad name '" + fields[i] + "'");
        }
    }
    if (record.names.empty() || record.addresses.empty()) {
        return fail("needs at least one name and one address");
    }
    config.dns.local.host_records.push_back(std::move(record));
    return {};
}

MapResult map_cname(std::vector<std::string> fields, DnsmasqConfig& config) {
    dns::CnameRecord record;
    if (fields.size() < 2) {
        return fail("needs an alias and a target");
    }
    if (fields.size() > 2) {
        if (const auto ttl = parse_decimal(fields.back(), 0x7fffffff)) {
            record.ttl = static_cast<std::uint32_t>(*ttl);
            fields.pop_back();
        }
    }
    auto target = domain_field(fields.back(), "target");
    if (!target) {
        return fail(target.error());
    }
    record.target = *target;
    fields.pop_back();
    for (const auto& alias_text : fields) {
        const auto alias = normalise_domain(alias_text, true);  // "*.lan" wildcards allowed
        if (!alias) {
            return fail("bad alias '" + alias_text + "'");
        }
        record.aliases.push_back(*alias);
    }
    config.dns.local.cnames.push_back(std::move(record));
    return {};
}

MapResult map_srv(const std::vector<std::string>& fields, DnsmasqConfig& config) {
    if (fields.size() > 5) {
        return fail("too many fields; expected <name>,<target>,<port>,<priority>,<weight>");
    }
    dns::SrvRecord record;
    auto name = domain_field(fields[0], "name");
    if (!name) {
        return fail(name.error());
    }
    record.name = *name;
    if (fields.size() > 1) {
        auto target = domain_field(fields[1], "target");
        if (!target) {
            return fail(target.error());
        }
        record.target = *target;
    }
    std::uint16_t* numbers[] = {&record.port, &record.priority, &record.weight};
    constexpr std::string_view kWhat[] = {"port", "priority", "weight"};
    for (std::size_t i = 2; i < fields.size(); ++i) {
        auto value = u16_field(fields[i], kWhat[i - 2]);
        if (!value) {
            return fail(value.error());
        }
        *numbers[i - 2] = *value;
    }
    config.dns.local.srv_records.push_back(std::move(record));
    return {};
}

MapResult map_mx(const std::vector<std::string>& fields, DnsmasqConfig& config) {
    if (fields.size() > 3) {
        return fail("expected <name>[,<target>[,<preference>]]");
    }
    dns::MxRecord record;
    auto name = domain_field(fields[0], "name");
    if (!name) {
        return fail(name.error());
    }
    record.name = *name;
    std::size_t next = 1;
    if (fields.size() == 2 && parse_decimal(fields[1], 65535)) {
        record.preference = static_cast<std::uint16_t>(*parse_decimal(fields[1], 65535));
        next = 2;
    }
    if (fields.size() > next) {
        auto target = domain_field(fields[next], "target");
        if (!target) {
            return fail(target.error());
        }
        record.target = *target;
        ++next;
    }
    if (fields.size() > next) {
        auto preference = u16_field(fields[next], "MX preference");
        if (!preference) {
            return fail(preference.error());
        }
        record.preference = *preference;
    }
    config.dns.local.mx_records.push_back(std::move(record));
    return {};
}

Result<std::vector<std::byte>, std::string> parse_hex(std::string_view text) {
    std::vector<std::byte> bytes;
    int high = -1;
    for (const char c : text) {
        if (c == ':' || c == ' ') {
            if (high >= 0) {
                return Unexpected(std::string("odd number of hex digits before ':'"));
            }
            continue;
        }
        const int digit = std::isxdigit(static_cast<unsigned char>(c)) == 0 ? -1
                          : c <= '9'                                        ? c - '0'
                                     : (std::tolower(c) - 'a' + 10);
        if (digit < 0) {
            return Unexpected("bad hex digit '" + std::string(1, c) + "'");
        }
        if (high < 0) {
            high = digit;
        } else {
            bytes.push_back(static_cast<std::byte>((high << 4) | digit));
            high = -1;
        }
    }
    if (high >= 0) {
        return Unexpected(std::string("odd number of hex digits"));
    }
    return bytes;
}

MapResult map_record(std::string_view option, const std::vector<std::string>& fields,
                     DnsmasqConfig& config) {
    auto& local = config.dns.local;
    auto name = domain_field(fields[0], "name");
    if (!name) {
        return fail(name.error());
    }
    if (option == "txt-record") {
        dns::TxtRecord record{*name, {}};
        for (std::size_t i = 1; i < fields.size(); ++i) {
            if (fields[i].size() > 255) {
                return fail("TXT string longer than 255 characters");
            }
            record.strings.push_back(fields[i]);
        }
        local.txt_records.push_back(std::move(record));
    } else if (option == "ptr-record") {
        if (fields.size() > 2) {
            return fail("expected <name>[,<target>]");
        }
        dns::PtrRecord record{*name, std::nullopt};
        if (fields.size() == 2) {
            auto target = domain_field(fields[1], "target");
            if (!target) {
                return fail(target.error());
            }
            record.target = *target;
        }
        local.ptr_records.push_back(std::move(record));
    } else if (option == "naptr-record") {
        if (fields.size() < 6 || fields.size() > 7) {
            return fail(
                "expected <name>,<order>,<preference>,<flags>,<service>,<regexp>[,<replacement>]");
        }
        dns::NaptrRecord record;
        record.name = *name;
        auto order = u16_field(fields[1], "order");
        auto preference = u16_field(fields[2], "preference");
        if (!order || !preference) {
            return fail(!order ? order.error() : preference.error());
        }
        record.order = *order;
        record.preference = *preference;
        record.flags = fields[3];
        record.service = fields[4];
        record.regexp = fields[5];
        if (fields.size() == 7) {
            auto replacement = domain_field(fields[6], "replacement");
            if (!replacement) {
                return fail(replacement.error());
            }
            record.replacement = *replacement;
        }
        local.naptr_records.push_back(std::move(record));
    } else if (option == "caa-record") {
        if (fields.size() != 4) {
            return fail("expected <name>,<flags>,<tag>,<value>");
        }
        const auto flags = parse_decimal(fields[1], 255);
        if (!flags) {
            return fail("bad CAA flags '" + fields[1] + "' (0-255)");
        }
        if (fields[2].empty() || fields[2].size() > 255 ||
            !std::all_of(fields[2].begin(), fields[2].end(),
                         [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; })) {
            return fail("bad CAA tag '" + fields[2] + "'");
        }
        local.caa_records.push_back(
            dns::CaaRecord{*name, static_cast<std::uint8_t>(*flags), fields[2], fields[3]});
    } else if (option == "dns-rr") {
        if (fields.size() < 2 || fields.size() > 3) {
            return fail("expected <name>,<type>[,<hex data>]");
        }
        auto type = u16_field(fields[1], "record type");
        if (!type) {
            return fail(type.error());
        }
        dns::RawRecord record{*name, *type, {}};
        if (fields.size() == 3) {
            auto rdata = parse_hex(fields[2]);
            if (!rdata) {
                return fail(rdata.error());
            }
            record.rdata = std::move(*rdata);
        }
        local.raw_records.push_back(std::move(record));
    } else if (option == "interface-name") {
        if (fields.size() != 2) {
            return fail("expected <name>,<interface>[/4|/6]");
        }
        dns::InterfaceNameRecord record{*name, fields[1], true, true};
        if (const std::size_t slash = record.interface.find('/'); slash != std::string::npos) {
            const std::string family = record.interface.substr(slash + 1);
            if (family != "4" && family != "6") {
                return fail("bad address family '/" + family + "' (expected /4 or /6)");
            }
            record.ipv4 = family == "4";
            record.ipv6 = family == "6";
            record.interface.resize(slash);
        }
        if (!is_interface_name(record.interface)) {
            return fail("bad interface name '" + record.interface + "'");
        }
        local.interface_names.push_back(std::move(record));
    } else if (option == "synth-domain") {
        if (fields.size() < 2 || fields.size() > 4) {
            return fail("expected <domain>,<range>[,<prefix>]");
        }
        dns::SynthDomain synth;
        synth.domain = *name;
        std::size_t next = 2;
        if (fields[1].find('/') != std::string::npos) {
            const auto cidr = net::IpCidr::parse(fields[1]);
            if (!cidr) {
                return fail("bad address range '" + fields[1] + "'");
            }
            synth.first = cidr->address();
            if (cidr->is_v4()) {
                synth.first = cidr->v4().network();
                synth.last = cidr->v4().broadcast();
            } else {
                synth.first = cidr->v6().network();
                auto octets = cidr->v6().network().octets();
                for (std::size_t bit = cidr->prefix_length(); bit < 128; ++bit) {
                    octets[bit / 8] =
                        static_cast<std::uint8_t>(octets[bit / 8] | (0x80U >> (bit % 8)));
                }
                synth.last = net::Ipv6Address(octets);
            }
        } else {
            const auto first = net::IpAddress::parse(fields[1]);
            if (!first) {
                return fail("bad address '" + fields[1] + "'");
            }
            synth.first = *first;
            synth.last = *first;
            if (fields.size() > 2) {
                if (const auto last = net::IpAddress::parse(fields[2])) {
                    if (last->is_v4() != first->is_v4()) {
                        return fail("range ends differ in address family");
                    }
                    synth.last = *last;
                    next = 3;
                }
            }
            if (synth.last < synth.first) {
                std::swap(synth.first, synth.last);
            }
        }
        if (fields.size() > next + 1) {
            return fail("unexpected '" + fields[next + 1] + "'");
        }
        if (fields.size() > next) {
            synth.prefix = fields[next];
        }
        local.synth_domains.push_back(std::move(synth));
    }
    return {};
}

}  // namespace

Result<void, std::string> map_local_data(const ReadOption& option, DnsmasqConfig& config) {
    const std::string_view name = option.spec->name;
    const std::string& value = option.raw.value;
    auto& local = config.dns.local;
    if (name == "no-hosts") {
        local.no_hosts = true;
    } else if (name == "expand-hosts") {
        local.expand_hosts = true;
    } else if (name == "selfmx") {
        local.selfmx = true;
    } else if (name == "localmx") {
        local.localmx = true;
    } else if (name == "addn-hosts" || name == "hostsdir") {
        if (value.empty()) {
            // dnsmasq accepts the empty name and fails to read it later.
            config.warnings.push_back(
                ConfigWarning{option.raw.where, option.raw.name, "empty path; ignored"});
            return {};
        }
        (name == "addn-hosts" ? local.addn_hosts : local.hostsdirs).push_back(value);
    } else if (name == "local-ttl" || name == "dhcp-ttl" || name == "neg-ttl" ||
               name == "max-ttl") {
        auto ttl = ttl_field(value);
        if (!ttl) {
            return fail(ttl.error());
        }
        if (name == "local-ttl") {
            local.local_ttl = *ttl;
        } else if (name == "dhcp-ttl") {
            local.dhcp_ttl = *ttl;
        } else if (name == "neg-ttl") {
            local.neg_ttl = *ttl;
        } else {
            local.max_ttl = *ttl;
        }
    } else if (name == "mx-target") {
        auto target = domain_field(value, "target");
        if (!target) {
            return fail(target.error());
        }
        local.mx_target = *target;
    } else if (name == "address") {
        return map_address(value, config);
    } else {
        const auto fields = fields_of(option);
        if (name == "domain" || name == "domain-suffix") {
            if (fields.size() == 1 && fields[0].empty()) {
                return {};  // "domain=" sets no domain, which is the default
            }
            if (fields[0] == "#") {
                // dnsmasq then takes the domain from resolv.conf's "search" line.
                config.warnings.push_back(ConfigWarning{
                    option.raw.where, option.raw.name,
                    "domain=# (the search domain of resolv.conf) is not supported yet; ignored"});
                return {};
            }
            return map_domain(fields, config);
        }
        if (name == "host-record") {
            return map_host_record(fields, config);
        }
        if (name == "cname") {
            return map_cname(fields, config);
        }
        if (name == "srv-host") {
            return map_srv(fields, config);
        }
        if (name == "mx-host") {
            return map_mx(fields, config);
        }
        if (name == "txt-record" || name == "ptr-record" || name == "naptr-record" ||
            name == "caa-record" || name == "dns-rr" || name == "interface-name" ||
            name == "synth-domain") {
            return map_record(name, fields, config);
        }
        return fail("internal: option has no mapping");
    }
    return {};
}

}  // namespace nfv::dnsvizor::config
