// to_json(DnsmasqConfig) for --print-config: every typed setting under stable keys, addresses in
// canonical text, optional values as null when unset.
#include <nlohmann/json.hpp>

#include "config/invocation.hpp"

namespace nfv::dnsvizor::config {
namespace {

using nlohmann::json;

template <typename T>
json optional_value(const std::optional<T>& value) {
    return value ? json(*value) : json(nullptr);
}

json addresses(const std::vector<net::IpAddress>& list) {
    json out = json::array();
    for (const auto& address : list) {
        out.push_back(address.to_string());
    }
    return out;
}

json location(const SourceLocation& where) {
    return where.from_command_line() ? json{{"file", nullptr}, {"argument", where.line}}
                                     : json{{"file", where.file}, {"line", where.line}};
}

std::string_view kind_name(dns::ServerRule::Kind kind) {
    switch (kind) {
        case dns::ServerRule::Kind::kForward:
            return "forward";
        case dns::ServerRule::Kind::kLocalOnly:
            return "local";
        case dns::ServerRule::Kind::kUseDefault:
            return "use-default";
    }
    return "forward";
}

std::string_view kind_name(dns::AddressRule::Kind kind) {
    switch (kind) {
        case dns::AddressRule::Kind::kAddress:
            return "address";
        case dns::AddressRule::Kind::kNxdomain:
            return "nxdomain";
        case dns::AddressRule::Kind::kNullAddress:
            return "null";
    }
    return "address";
}

std::string_view local_service_name(dns::LocalService service) {
    switch (service) {
        case dns::LocalService::kOff:
            return "off";
        case dns::LocalService::kNet:
            return "net";
        case dns::LocalService::kHost:
            return "host";
    }
    return "off";
}

std::string hex(const std::vector<std::byte>& bytes) {
    static constexpr std::string_view kDigits = "0123456789abcdef";
    std::string out;
    for (const auto byte : bytes) {
        const auto value = std::to_integer<unsigned>(byte);
        out += kDigits[value >> 4U];
        out += kDigits[value & 0xfU];
    }
    return out;
}

json optional_address(const std::optional<net::IpAddress>& address) {
    return address ? json(address->to_string()) : json(nullptr);
}

json local_json(const dns::LocalDataSettings& local) {
    json out;
    out["no_hosts"] = local.no_hosts;
    out["hosts_file"] = local.hosts_file;
    out["addn_hosts"] = local.addn_hosts;
    out["hostsdirs"] = local.hostsdirs;
    out["expand_hosts"] = local.expand_hosts;
    out["domains"] = json::array();
    for (const auto& rule : local.domains) {
        out["domains"].push_back({{"domain", rule.domain},
                                  {"first", optional_address(rule.first)},
                                  {"last", optional_address(rule.last)},
                                  {"local", rule.local},
                                  {"interface", rule.interface}});
    }
    out["addresses"] = json::array();
    for (const auto& rule : local.addresses) {
        out["addresses"].push_back({{"domains", rule.domains},
                                    {"kind", kind_name(rule.kind)},
                                    {"addresses", addresses(rule.addresses)}});
    }
    out["host_records"] = json::array();
    for (const auto& record : local.host_records) {
        out["host_records"].push_back({{"names", record.names},
                                       {"addresses", addresses(record.addresses)},
                                       {"ttl", optional_value(record.ttl)}});
    }
    out["cnames"] = json::array();
    for (const auto& record : local.cnames) {
        out["cnames"].push_back({{"aliases", record.aliases},
                                 {"target", record.target},
                                 {"ttl", optional_value(record.ttl)}});
    }
    out["txt_records"] = json::array();
    for (const auto& record : local.txt_records) {
        out["txt_records"].push_back({{"name", record.name}, {"strings", record.strings}});
    }
    out["srv_records"] = json::array();
    for (const auto& record : local.srv_records) {
        out["srv_records"].push_back({{"name", record.name},
                                      {"target", record.target},
                                      {"port", record.port},
                                      {"priority", record.priority},
                                      {"weight", record.weight}});
    }
    out["mx_records"] = json::array();
    for (const auto& record : local.mx_records) {
        out["mx_records"].push_back(
            {{"name", record.name}, {"target", record.target}, {"preference", record.preference}});
    }
    out["mx_target"] = local.mx_target;
    out["selfmx"] = local.selfmx;
    out["localmx"] = local.localmx;
    out["ptr_records"] = json::array();
    for (const auto& record : local.ptr_records) {
        out["ptr_records"].push_back(
            {{"name", record.name}, {"target", optional_value(record.target)}});
    }
    out["naptr_records"] = json::array();
    for (const auto& record : local.naptr_records) {
        out["naptr_records"].push_back({{"name", record.name},
                                        {"order", record.order},
                                        {"preference", record.preference},
                                        {"flags", record.flags},
                                        {"service", record.service},
                                        {"regexp", record.regexp},
                                        {"replacement", record.replacement}});
    }
    out["caa_records"] = json::array();
    for (const auto& record : local.caa_records) {
        out["caa_records"].push_back({{"name", record.name},
                                      {"flags", record.flags},
                                      {"tag", record.tag},
                                      {"value", record.value}});
    }
    out["raw_records"] = json::array();
    for (const auto& record : local.raw_records) {
        out["raw_records"].push_back(
            {{"name", record.name}, {"type", record.type}, {"rdata", hex(record.rdata)}});
    }
    out["interface_names"] = json::array();
    for (const auto& record : local.interface_names) {
        out["interface_names"].push_back({{"name", record.name},
                                          {"interface", record.interface},
                                          {"ipv4", record.ipv4},
                                          {"ipv6", record.ipv6}});
    }
    out["synth_domains"] = json::array();
    for (const auto& synth : local.synth_domains) {
        out["synth_domains"].push_back({{"domain", synth.domain},
                                        {"first", synth.first.to_string()},
                                        {"last", synth.last.to_string()},
                                        {"prefix", synth.prefix}});
    }
    out["local_ttl"] = local.local_ttl;
    out["dhcp_ttl"] = optional_value(local.dhcp_ttl);
    out["neg_ttl"] = optional_value(local.neg_ttl);
    out["max_ttl"] = optional_value(local.max_ttl);
    return out;
}

json dns_json(const dns::DnsSettings& dns) {
    json out;
    const auto& listen = dns.listen;
    out["listen"] = {{"port", listen.port},
                     {"interfaces", listen.interfaces},
                     {"except_interfaces", listen.except_interfaces},
                     {"listen_addresses", addresses(listen.listen_addresses)},
                     {"bind_interfaces", listen.bind_interfaces},
                     {"bind_dynamic", listen.bind_dynamic},
                     {"local_service", local_service_name(listen.local_service)},
                     {"max_tcp_connections", listen.max_tcp_connections}};
    const auto& upstream = dns.upstream;
    json servers = json::array();
    for (const auto& rule : upstream.servers) {
        json server = {{"domains", rule.domains}, {"kind", kind_name(rule.kind)}};
        if (rule.kind == dns::ServerRule::Kind::kForward) {
            server["address"] = optional_address(rule.address);
            server["port"] = rule.port;
            server["source_interface"] = rule.source_interface;
            server["source_address"] = optional_address(rule.source_address);
        }
        servers.push_back(std::move(server));
    }
    out["upstream"] = {{"servers", servers},
                       {"no_resolv", upstream.no_resolv},
                       {"resolv_file", upstream.resolv_file},
                       {"strict_order", upstream.strict_order},
                       {"all_servers", upstream.all_servers},
                       {"domain_needed", upstream.domain_needed},
                       {"bogus_priv", upstream.bogus_priv},
                       {"stop_dns_rebind", upstream.stop_dns_rebind},
                       {"rebind_localhost_ok", upstream.rebind_localhost_ok},
                       {"rebind_domain_ok", upstream.rebind_domain_ok},
                       {"dns_forward_max", upstream.dns_forward_max}};
    out["local"] = local_json(dns.local);
    out["cache"] = {{"size", dns.cache.size},
                    {"no_negcache", dns.cache.no_negcache},
                    {"min_cache_ttl", optional_value(dns.cache.min_cache_ttl)},
                    {"max_cache_ttl", optional_value(dns.cache.max_cache_ttl)},
                    {"edns_packet_max", dns.cache.edns_packet_max},
                    {"no_round_robin", dns.cache.no_round_robin}};
    out["log"] = {{"log_queries", dns.log.log_queries},
                  {"log_queries_extra", dns.log.log_queries_extra},
                  {"log_facility", dns.log.log_facility},
                  {"no_ident", dns.log.no_ident}};
    return out;
}

}  // namespace

std::string to_json(const DnsmasqConfig& config) {
    json out;
    const auto& process = config.process;
    out["process"] = {{"user", process.user},
                      {"group", process.group},
                      {"pid_file", process.pid_file},
                      {"keep_in_foreground", process.keep_in_foreground},
                      {"no_daemon", process.no_daemon},
                      {"log_dhcp", process.log_dhcp},
                      {"quiet_dhcp", process.quiet_dhcp},
                      {"quiet_dhcp6", process.quiet_dhcp6},
                      {"quiet_ra", process.quiet_ra},
                      {"log_debug", process.log_debug},
                      {"log_async", optional_value(process.log_async)},
                      {"config_files", process.config_files}};
    out["dns"] = dns_json(config.dns);
    out["dhcp"] = json::array();
    for (const auto& option : config.dhcp) {
        json entry = {{"name", option.name}, {"where", location(option.where)}};
        entry["value"] = option.has_value ? json(option.value) : json(nullptr);
        out["dhcp"].push_back(std::move(entry));
    }
    out["warnings"] = json::array();
    for (const auto& warning : config.warnings) {
        out["warnings"].push_back({{"option", warning.option},
                                   {"message", warning.message},
                                   {"where", location(warning.where)},
                                   {"text", format(warning)}});
    }
    // Invalid UTF-8 in option text (possible in files) is replaced rather than thrown on.
    return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace nfv::dnsvizor::config
