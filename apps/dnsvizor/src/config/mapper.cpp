#include "config/mapper.hpp"

#include <algorithm>
#include <array>

#include "config/reverse_zone.hpp"
#include "config/value_syntax.hpp"

namespace nfv::dnsvizor::config {
namespace {

using MapResult = Result<void, std::string>;

MapResult fail(std::string message) {
    return Unexpected(std::move(message));
}

std::vector<std::string> fields_of(const ReadOption& option, char separator = ',') {
    return split_fields(option.raw.value, option.quoted, separator);
}

template <typename T>
MapResult set_number(const ReadOption& option, std::uint64_t max, T& out) {
    const auto value = parse_decimal(option.raw.value, max);
    if (!value) {
        return fail("'" + option.raw.value + "' is not a number from 0 to " + std::to_string(max));
    }
    out = static_cast<T>(*value);
    return {};
}

MapResult map_interfaces(const ReadOption& option, std::vector<std::string>& out,
                         std::vector<ConfigWarning>& warnings) {
    for (auto& name : fields_of(option)) {
        if (name.empty()) {
            // dnsmasq accepts "interface=" and "interface=eth0," without saying what it means.
            warnings.push_back(
                ConfigWarning{option.raw.where, option.raw.name, "empty interface name; ignored"});
            continue;
        }
        if (!is_interface_name(name)) {
            return fail("bad interface name '" + name + "'");
        }
        out.push_back(std::move(name));
    }
    return {};
}

// server=/dom/.../[ip[#port][@source[#port]]|#], local= and rev-server's server part.
MapResult parse_server_target(std::string_view spec, dns::ServerRule& rule) {
    if (spec.empty()) {
        rule.kind = dns::ServerRule::Kind::kLocalOnly;
        return {};
    }
    if (spec == "#") {
        rule.kind = dns::ServerRule::Kind::kUseDefault;
        return {};
    }
    std::string_view address_text = spec;
    std::string_view source_text;
    if (const std::size_t at = spec.find('@'); at != std::string_view::npos) {
        address_text = spec.substr(0, at);
        source_text = spec.substr(at + 1);
    }
    const auto target = parse_address_port(address_text);
    if (!target) {
        return fail("bad server address '" + std::string(address_text) + "'");
    }
    rule.kind = dns::ServerRule::Kind::kForward;
    rule.address = target->address;
    rule.port = target->port.value_or(dns::kDefaultPort);
    if (!source_text.empty()) {
        if (const auto source = parse_address_port(source_text)) {
            if (source->address.is_v4() != target->address.is_v4()) {
                return fail("source address family differs from the server's");
            }
            rule.source_address = source->address;
        } else if (is_interface_name(source_text)) {
            rule.source_interface = std::string(source_text);
        } else {
            return fail("bad source '" + std::string(source_text) + "'");
        }
    }
    return {};
}

MapResult map_server(const ReadOption& option, DnsmasqConfig& config) {
    std::string_view value = option.raw.value;
    dns::ServerRule rule;
    if (!value.empty() && value.front() == '/') {
        const std::size_t last = value.rfind('/');
        if (last == 0) {
            return fail("missing '/' after the domain list");
        }
        const std::string_view list = value.substr(1, last - 1);
        std::size_t start = 0;
        while (true) {
            const std::size_t slash = list.find('/', start);
            const std::string_view name =
                list.substr(start, slash == std::string_view::npos ? list.npos : slash - start);
            if (name.empty()) {
                rule.domains.emplace_back();  // "//": names without a dot
            } else if (name == "#") {
                // "/#/" matches every name, i.e. a default server.
            } else if (const auto domain = normalise_domain(name, true)) {
                rule.domains.push_back(*domain);
            } else {
                return fail("bad domain '" + std::string(name) + "'");
            }
            if (slash == std::string_view::npos) {
                break;
            }
            start = slash + 1;
        }
        value = value.substr(last + 1);
    } else if (value.empty() || value == "#") {
        // dnsmasq accepts a server= with neither domain nor address and does nothing with it.
        config.warnings.push_back(ConfigWarning{option.raw.where, option.raw.name,
                                                "no domain and no address: has no effect"});
        return {};
    }
    if (auto parsed = parse_server_target(value, rule); !parsed) {
        return parsed;
    }
    if (rule.domains.empty() && rule.kind != dns::ServerRule::Kind::kForward) {
        return {};  // "/#/" with no address: nothing to do (dnsmasq agrees)
    }
    config.dns.upstream.servers.push_back(std::move(rule));
    return {};
}

MapResult map_rev_server(const ReadOption& option, DnsmasqConfig& config) {
    const auto fields = fields_of(option);
    if (fields.size() > 2) {
        return fail("expected <prefix>[,<server>]");
    }
    const auto cidr = net::IpCidr::parse(fields[0]);
    if (!cidr || cidr->prefix_length() == 0) {
        return fail("bad prefix '" + fields[0] + "'");
    }
    dns::ServerRule rule;
    rule.domains = reverse_zones(*cidr);
    if (auto parsed = parse_server_target(fields.size() == 2 ? fields[1] : "", rule); !parsed) {
        return parsed;
    }
    config.dns.upstream.servers.push_back(std::move(rule));
    return {};
}

MapResult map_log_facility(const ReadOption& option, DnsmasqConfig& config) {
    const std::string& value = option.raw.value;
    if (value.find('/') != std::string::npos || value == "-") {
        config.dns.log.log_facility = value;
        return {};
    }
    static constexpr std::array kFacilities = {
        "auth",   "authpriv", "cron",     "daemon", "ftp",    "kern",  "lpr",    "mail",
        "mark",   "news",     "security", "syslog", "user",   "uucp",  "local0", "local1",
        "local2", "local3",   "local4",   "local5", "local6", "local7"};
    std::string lower;
    std::transform(value.begin(), value.end(), std::back_inserter(lower), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    });
    if (std::find(kFacilities.begin(), kFacilities.end(), lower) == kFacilities.end()) {
        return fail("bad log facility '" + value + "'");
    }
    config.dns.log.log_facility = lower;
    return {};
}

MapResult map_rebind_domain_ok(const ReadOption& option, DnsmasqConfig& config) {
    std::string_view value = option.raw.value;
    if (!value.empty() && value.front() == '/') {
        value.remove_prefix(1);
    }
    std::size_t start = 0;
    while (start < value.size()) {
        const std::size_t slash = value.find('/', start);
        const std::string_view name =
            value.substr(start, slash == std::string_view::npos ? value.npos : slash - start);
        const auto domain = normalise_domain(name);
        if (!domain) {
            return fail("bad domain '" + std::string(name) + "'");
        }
        config.dns.upstream.rebind_domain_ok.push_back(*domain);
        if (slash == std::string_view::npos) {
            break;
        }
        start = slash + 1;
    }
    if (start == 0 && value.empty()) {
        return fail("missing domain");
    }
    return {};
}

// Options of the process, listening, upstream and cache/logging groups.
MapResult map_general(const ReadOption& option, DnsmasqConfig& config) {
    const std::string_view name = option.spec->name;
    const std::string& value = option.raw.value;
    auto& dns = config.dns;
    auto& process = config.process;

    // Process.
    if (name == "user") {
        process.user = value;
    } else if (name == "group") {
        process.group = value;
    } else if (name == "pid-file") {
        process.pid_file = value;  // "" (pid-file without a value) = no PID file
    } else if (name == "keep-in-foreground") {
        process.keep_in_foreground = true;
    } else if (name == "no-daemon") {
        process.no_daemon = true;
    } else if (name == "log-async") {
        std::uint32_t queue = 5;
        if (option.raw.has_value) {
            if (auto set = set_number(option, 0x7fffffff, queue); !set) {
                return set;
            }
        }
        process.log_async = std::min<std::uint32_t>(queue, 100);
    } else if (name == "log-debug") {
        process.log_debug = true;
        // Listening.
    } else if (name == "port") {
        return set_number(option, 65535, dns.listen.port);
    } else if (name == "interface") {
        return map_interfaces(option, dns.listen.interfaces, config.warnings);
    } else if (name == "except-interface") {
        return map_interfaces(option, dns.listen.except_interfaces, config.warnings);
    } else if (name == "listen-address") {
        for (const auto& text : fields_of(option)) {
            const auto address = net::IpAddress::parse(text);
            if (!address) {
                return fail("bad address '" + text + "'");
            }
            dns.listen.listen_addresses.push_back(*address);
        }
    } else if (name == "bind-interfaces") {
        dns.listen.bind_interfaces = true;
    } else if (name == "bind-dynamic") {
        dns.listen.bind_dynamic = true;
    } else if (name == "local-service") {
        if (!option.raw.has_value || value == "net") {
            dns.listen.local_service = dns::LocalService::kNet;
        } else if (value == "host") {
            dns.listen.local_service = dns::LocalService::kHost;
        } else {
            return fail("expected 'net' or 'host', got '" + value + "'");
        }
    } else if (name == "max-tcp-connections") {
        if (auto set = set_number(option, 0x7fffffff, dns.listen.max_tcp_connections); !set) {
            return set;
        }
        if (dns.listen.max_tcp_connections < 1) {
            return fail("must be at least 1");
        }
        // Upstream.
    } else if (name == "server" || name == "local") {
        return map_server(option, config);
    } else if (name == "rev-server") {
        return map_rev_server(option, config);
    } else if (name == "no-resolv") {
        dns.upstream.no_resolv = true;
    } else if (name == "resolv-file") {
        if (!option.raw.has_value || value.empty()) {
            dns.upstream.resolv_file.clear();  // "resolv-file=" with nothing: no resolv file
        } else if (dns.upstream.resolv_file == dns::UpstreamSettings{}.resolv_file) {
            dns.upstream.resolv_file = value;  // the first one replaces the default
        } else {
            config.warnings.push_back(
                ConfigWarning{option.raw.where, option.raw.name,
                              "only the first resolv-file is used; '" + value + "' is ignored"});
        }
    } else if (name == "strict-order") {
        dns.upstream.strict_order = true;
    } else if (name == "all-servers") {
        dns.upstream.all_servers = true;
    } else if (name == "domain-needed") {
        dns.upstream.domain_needed = true;
    } else if (name == "bogus-priv") {
        dns.upstream.bogus_priv = true;
    } else if (name == "stop-dns-rebind") {
        dns.upstream.stop_dns_rebind = true;
    } else if (name == "rebind-localhost-ok") {
        dns.upstream.rebind_localhost_ok = true;
    } else if (name == "rebind-domain-ok") {
        return map_rebind_domain_ok(option, config);
    } else if (name == "dns-forward-max") {
        return set_number(option, 0x7fffffff, dns.upstream.dns_forward_max);
        // Cache and logging.
    } else if (name == "cache-size") {
        std::uint64_t size = 0;
        if (auto set = set_number(option, 0x7fffffff, size); !set) {
            return set;
        }
        dns.cache.size = static_cast<std::size_t>(std::min<std::uint64_t>(size, 5'000'000));
    } else if (name == "no-negcache") {
        dns.cache.no_negcache = true;
    } else if (name == "min-cache-ttl") {
        std::uint32_t ttl = 0;
        if (auto set = set_number(option, 0x7fffffff, ttl); !set) {
            return set;
        }
        dns.cache.min_cache_ttl = std::min<std::uint32_t>(ttl, 3600);  // dnsmasq's cap
    } else if (name == "max-cache-ttl") {
        std::uint32_t ttl = 0;
        if (auto set = set_number(option, 0x7fffffff, ttl); !set) {
            return set;
        }
        dns.cache.max_cache_ttl = ttl;
    } else if (name == "edns-packet-max") {
        return set_number(option, 65535, dns.cache.edns_packet_max);
    } else if (name == "no-round-robin") {
        dns.cache.no_round_robin = true;
    } else if (name == "log-queries") {
        dns.log.log_queries = true;
        if (option.raw.has_value && value == "extra") {
            dns.log.log_queries_extra = true;
        } else if (option.raw.has_value) {
            config.warnings.push_back(
                ConfigWarning{option.raw.where, option.raw.name,
                              "unknown value '" + value + "' ignored; only 'extra' is known"});
        }
    } else if (name == "log-facility") {
        return map_log_facility(option, config);
    } else if (name == "no-ident") {
        dns.log.no_ident = true;
    } else {
        return map_local_data(option, config);
    }
    return {};
}

}  // namespace

Result<void, ConfigError> apply_option(const ReadOption& option, DnsmasqConfig& config) {
    const OptionSpec& spec = *option.spec;
    const auto error = [&](std::string message) {
        return ConfigError{option.raw.where, option.raw.name, std::move(message)};
    };
    switch (spec.status) {
        case OptionStatus::kReader:
            return {};  // already handled while reading
        case OptionStatus::kWarning:
            config.warnings.push_back(
                ConfigWarning{option.raw.where, option.raw.name,
                              "option '" + option.raw.name + "' " + std::string(spec.note)});
            return {};
        case OptionStatus::kError:
            return Unexpected(error("option '" + option.raw.name + "' " + std::string(spec.note)));
        case OptionStatus::kDhcp: {
            // Old spellings reach the DHCP side under their current names.
            RawOption raw = option.raw;
            raw.name = std::string(spec.name == "dhcp-lease"      ? "dhcp-leasefile"
                                   : spec.name == "domain-suffix" ? "domain"
                                                                  : spec.name);
            config.dhcp.push_back(std::move(raw));
            const std::string_view name = spec.name;
            if (name == "log-dhcp") {
                config.process.log_dhcp = true;
            } else if (name == "quiet-dhcp") {
                config.process.quiet_dhcp = true;
            } else if (name == "quiet-dhcp6") {
                config.process.quiet_dhcp6 = true;
            } else if (name == "quiet-ra") {
                config.process.quiet_ra = true;
            } else if (name == "domain" || name == "domain-suffix") {
                if (auto mapped = map_local_data(option, config); !mapped) {
                    return Unexpected(error(mapped.error()));
                }
            }
            return {};
        }
        case OptionStatus::kMapped:
            break;
    }
    if (auto mapped = map_general(option, config); !mapped) {
        if (option.errors_are_warnings) {
            config.warnings.push_back(ConfigWarning{option.raw.where, option.raw.name,
                                                    mapped.error() + "; line ignored"});
            return {};
        }
        return Unexpected(error(mapped.error()));
    }
    return {};
}

Result<void, ConfigError> finish_config(DnsmasqConfig& config) {
    auto& local = config.dns.local;
    for (auto& mx : local.mx_records) {
        if (mx.target.empty()) {
            mx.target = local.mx_target;  // still "" without mx-target: our host name
        }
    }
    return {};
}

}  // namespace nfv::dnsvizor::config
