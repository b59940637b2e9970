// Mapping of the process, listening, upstream and cache/logging options onto typed settings,
// and the routing of DHCP, warning and error options (mapper.cpp).
#include "config/mapper.hpp"

#include <string>

#include <gtest/gtest.h>

#include "config/invocation.hpp"

namespace nfv::dnsvizor::config {
namespace {

DnsmasqConfig parse_ok(std::string_view text) {
    auto config = parse_config_text(text, "test.conf");
    EXPECT_TRUE(config.has_value()) << (config ? "" : format(config.error()));
    return config ? *config : DnsmasqConfig{};
}

ConfigError parse_error(std::string_view text) {
    auto config = parse_config_text(text, "test.conf");
    EXPECT_FALSE(config.has_value()) << text;
    return config ? ConfigError{} : config.error();
}

net::IpAddress ip(std::string_view text) {
    return *net::IpAddress::parse(text);
}

TEST(Mapper, DefaultsAreDnsmasqs) {
    const auto config = parse_ok("");
    EXPECT_EQ(config.dns.listen.port, 53);
    EXPECT_EQ(config.dns.cache.size, 150U);
    EXPECT_EQ(config.dns.cache.edns_packet_max, 1232);
    EXPECT_EQ(config.dns.upstream.dns_forward_max, 150U);
    EXPECT_EQ(config.dns.listen.max_tcp_connections, 20U);
    EXPECT_EQ(config.dns.upstream.resolv_file, "/etc/resolv.conf");
    EXPECT_EQ(config.process.pid_file, "/var/run/dnsmasq.pid");
}

TEST(Mapper, Port) {
    EXPECT_EQ(parse_ok("port=5353").dns.listen.port, 5353);
    EXPECT_EQ(parse_ok("port=0").dns.listen.port, 0);
    const auto error = parse_error("\nport=70000");
    EXPECT_EQ(error.where.line, 2U);
    EXPECT_EQ(error.option, "port");
    EXPECT_FALSE(parse_config_text("port=-1").has_value());
    EXPECT_FALSE(parse_config_text("port=5x").has_value());
}

TEST(Mapper, InterfacesAccumulateAndSplitOnCommas) {
    const auto config = parse_ok("interface=eth0,eth1\ninterface=wlan*\nexcept-interface=lo");
    EXPECT_EQ(config.dns.listen.interfaces, (std::vector<std::string>{"eth0", "eth1", "wlan*"}));
    EXPECT_EQ(config.dns.listen.except_interfaces, (std::vector<std::string>{"lo"}));
    EXPECT_EQ(parse_error("interface=averyveryverylongname").option, "interface");
    const auto trailing_comma = parse_config_text("interface=eth0,");
    ASSERT_TRUE(trailing_comma.has_value());
    EXPECT_EQ(trailing_comma->dns.listen.interfaces, (std::vector<std::string>{"eth0"}));
    EXPECT_EQ(trailing_comma->warnings.size(), 1U);
}

TEST(Mapper, ListenAddresses) {
    const auto config = parse_ok("listen-address=127.0.0.1, ::1\nlisten-address=192.0.2.1");
    EXPECT_EQ(config.dns.listen.listen_addresses,
              (std::vector<net::IpAddress>{ip("127.0.0.1"), ip("::1"), ip("192.0.2.1")}));
    EXPECT_EQ(parse_error("listen-address=1.2.3").option, "listen-address");
}

TEST(Mapper, BindModesAndLocalService) {
    const auto config = parse_ok("bind-interfaces\nbind-dynamic\nlocal-service");
    EXPECT_TRUE(config.dns.listen.bind_interfaces);
    EXPECT_TRUE(config.dns.listen.bind_dynamic);
    EXPECT_EQ(config.dns.listen.local_service, dns::LocalService::kNet);
    EXPECT_EQ(parse_ok("local-service=host").dns.listen.local_service, dns::LocalService::kHost);
    EXPECT_EQ(parse_ok("local-service=net").dns.listen.local_service, dns::LocalService::kNet);
    EXPECT_EQ(parse_error("local-service=foo").option, "local-service");
}

TEST(Mapper, MaxTcpConnectionsMustBePositive) {
    EXPECT_EQ(parse_ok("max-tcp-connections=5").dns.listen.max_tcp_connections, 5U);
    EXPECT_FALSE(parse_config_text("max-tcp-connections=0").has_value());
}

TEST(Mapper, ProcessSettings) {
    const auto config = parse_ok(
        "user=dnsmasq\ngroup=dip\npid-file=/run/x.pid\nkeep-in-foreground\nno-daemon\n"
        "log-async=500\nlog-debug");
    EXPECT_EQ(config.process.user, "dnsmasq");
    EXPECT_EQ(config.process.group, "dip");
    EXPECT_EQ(config.process.pid_file, "/run/x.pid");
    EXPECT_TRUE(config.process.keep_in_foreground);
    EXPECT_TRUE(config.process.no_daemon);
    EXPECT_EQ(config.process.log_async, 100U);  // capped like dnsmasq
    EXPECT_TRUE(config.process.log_debug);
    EXPECT_EQ(parse_ok("log-async").process.log_async, 5U);
    EXPECT_EQ(parse_error("log-async=x").option, "log-async");
}

TEST(Mapper, PlainServerWithPortAndSource) {
    const auto config = parse_ok(
        "server=192.0.2.53#5353@eth0\nserver=2001:db8::1\n"
        "server=10.0.0.1@10.0.0.2");
    ASSERT_EQ(config.dns.upstream.servers.size(), 3U);
    const auto& first = config.dns.upstream.servers[0];
    EXPECT_TRUE(first.domains.empty());
    EXPECT_EQ(first.kind, dns::ServerRule::Kind::kForward);
    EXPECT_EQ(first.address, ip("192.0.2.53"));
    EXPECT_EQ(first.port, 5353);
    EXPECT_EQ(first.source_interface, "eth0");
    EXPECT_EQ(config.dns.upstream.servers[1].address, ip("2001:db8::1"));
    EXPECT_EQ(config.dns.upstream.servers[1].port, 53);
    EXPECT_EQ(config.dns.upstream.servers[2].source_address, ip("10.0.0.2"));
}

TEST(Mapper, DomainServerForms) {
    const auto config = parse_ok(
        "server=/Example.COM/lan./10.0.0.1\nserver=/local.test/\n"
        "server=/www.example.com/#\nserver=//10.0.0.2\n"
        "server=/*.wild.test/10.0.0.3\nlocal=/home.arpa/");
    const auto& servers = config.dns.upstream.servers;
    ASSERT_EQ(servers.size(), 6U);
    EXPECT_EQ(servers[0].domains, (std::vector<std::string>{"example.com", "lan"}));
    EXPECT_EQ(servers[0].address, ip("10.0.0.1"));
    EXPECT_EQ(servers[1].kind, dns::ServerRule::Kind::kLocalOnly);
    EXPECT_EQ(servers[2].kind, dns::ServerRule::Kind::kUseDefault);
    EXPECT_EQ(servers[3].domains, (std::vector<std::string>{""}));
    EXPECT_EQ(servers[4].domains, (std::vector<std::string>{"*.wild.test"}));
    EXPECT_EQ(servers[5].kind, dns::ServerRule::Kind::kLocalOnly);
    EXPECT_EQ(servers[5].domains, (std::vector<std::string>{"home.arpa"}));
}

TEST(Mapper, BadServerValues) {
    EXPECT_EQ(parse_error("server=/ex/1.2.3.4#99999").option, "server");
    EXPECT_EQ(parse_error("server=1.2.3").option, "server");
    EXPECT_EQ(parse_error("server=/bad domain!/1.2.3.4").option, "server");
    EXPECT_EQ(parse_error("server=/nodelimiter").option, "server");
    EXPECT_EQ(parse_error("server=1.2.3.4@bad/if").option, "server");
}

TEST(Mapper, EmptyServerIsAcceptedWithAWarning) {
    const auto config = parse_ok("server=");
    EXPECT_TRUE(config.dns.upstream.servers.empty());
    ASSERT_EQ(config.warnings.size(), 1U);
    EXPECT_EQ(config.warnings[0].option, "server");
}

TEST(Mapper, RevServerBecomesReverseZones) {
    const auto config = parse_ok(
        "rev-server=192.168.0.0/16,10.0.0.1\nrev-server=fd00::/8\n"
        "rev-server=10.0.0.0/15,10.0.0.1#5353");
    const auto& servers = config.dns.upstream.servers;
    ASSERT_EQ(servers.size(), 3U);
    EXPECT_EQ(servers[0].domains, (std::vector<std::string>{"168.192.in-addr.arpa"}));
    EXPECT_EQ(servers[0].address, ip("10.0.0.1"));
    EXPECT_EQ(servers[1].domains, (std::vector<std::string>{"d.f.ip6.arpa"}));
    EXPECT_EQ(servers[1].kind, dns::ServerRule::Kind::kLocalOnly);
    EXPECT_EQ(servers[2].domains,
              (std::vector<std::string>{"0.10.in-addr.arpa", "1.10.in-addr.arpa"}));
    EXPECT_EQ(servers[2].port, 5353);
    EXPECT_EQ(parse_error("rev-server=10.0.0.0/33,1.2.3.4").option, "rev-server");
    EXPECT_EQ(parse_error("rev-server=10.0.0.0/0,1.2.3.4").option, "rev-server");
}

TEST(Mapper, UpstreamFlags) {
    const auto config = parse_ok(
        "no-resolv\nstrict-order\nall-servers\ndomain-needed\nbogus-priv\n"
        "stop-dns-rebind\nrebind-localhost-ok\nrebind-domain-ok=/Plex.direct/lan/\n"
        "dns-forward-max=300");
    const auto& upstream = config.dns.upstream;
    EXPECT_TRUE(upstream.no_resolv);
    EXPECT_TRUE(upstream.strict_order);
    EXPECT_TRUE(upstream.all_servers);
    EXPECT_TRUE(upstream.domain_needed);
    EXPECT_TRUE(upstream.bogus_priv);
    EXPECT_TRUE(upstream.stop_dns_rebind);
    EXPECT_TRUE(upstream.rebind_localhost_ok);
    EXPECT_EQ(upstream.rebind_domain_ok, (std::vector<std::string>{"plex.direct", "lan"}));
    EXPECT_EQ(upstream.dns_forward_max, 300U);
    EXPECT_EQ(parse_error("dns-forward-max=lots").option, "dns-forward-max");
    EXPECT_EQ(parse_error("rebind-domain-ok=/bad domain/").option, "rebind-domain-ok");
}

TEST(Mapper, ResolvFileFirstOneWins) {
    const auto config = parse_ok("resolv-file=/a\nresolv-file=/b");
    EXPECT_EQ(config.dns.upstream.resolv_file, "/a");
    ASSERT_EQ(config.warnings.size(), 1U);
    EXPECT_NE(config.warnings[0].message.find("/b"), std::string::npos);
}

TEST(Mapper, CacheSettings) {
    const auto config = parse_ok(
        "cache-size=10000\nno-negcache\nmin-cache-ttl=99999\n"
        "max-cache-ttl=600\nedns-packet-max=4096\nno-round-robin");
    EXPECT_EQ(config.dns.cache.size, 10000U);
    EXPECT_TRUE(config.dns.cache.no_negcache);
    EXPECT_EQ(config.dns.cache.min_cache_ttl, 3600U);  // dnsmasq's cap
    EXPECT_EQ(config.dns.cache.max_cache_ttl, 600U);
    EXPECT_EQ(config.dns.cache.edns_packet_max, 4096);
    EXPECT_TRUE(config.dns.cache.no_round_robin);
    EXPECT_EQ(parse_ok("cache-size=0").dns.cache.size, 0U);
    EXPECT_EQ(parse_ok("cache-size=99999999").dns.cache.size, 5000000U);
    EXPECT_EQ(parse_error("cache-size=-1").option, "cache-size");
    EXPECT_EQ(parse_error("cache-size").option, "cache-size");  // dnsmasq: "error"
    EXPECT_EQ(parse_error("edns-packet-max=100000").option, "edns-packet-max");
    EXPECT_EQ(parse_error("min-cache-ttl=x").option, "min-cache-ttl");
}

TEST(Mapper, Logging) {
    const auto config = parse_ok("log-queries=extra\nlog-facility=LOCAL0\nno-ident");
    EXPECT_TRUE(config.dns.log.log_queries);
    EXPECT_TRUE(config.dns.log.log_queries_extra);
    EXPECT_EQ(config.dns.log.log_facility, "local0");
    EXPECT_TRUE(config.dns.log.no_ident);
    EXPECT_EQ(parse_ok("log-facility=/var/log/dnsmasq.log").dns.log.log_facility,
              "/var/log/dnsmasq.log");
    EXPECT_EQ(parse_ok("log-facility=-").dns.log.log_facility, "-");
    EXPECT_EQ(parse_error("log-facility=bogus").option, "log-facility");
    const auto plain = parse_ok("log-queries");
    EXPECT_TRUE(plain.dns.log.log_queries);
    EXPECT_FALSE(plain.dns.log.log_queries_extra);
    EXPECT_EQ(parse_ok("log-queries=what").warnings.size(), 1U);
}

TEST(Mapper, DhcpOptionsAreKeptVerbatimInOrder) {
    const auto config = parse_ok(
        "dhcp-range=192.168.1.100,192.168.1.200,12h\nport=53\ndhcp-option=3,192.168.1.1\n"
        "read-ethers\nno-ping\nenable-ra\nleasefile-ro\nlog-dhcp\nquiet-dhcp\nquiet-dhcp6\n"
        "quiet-ra\npxe-prompt=\"Boot, now\",5\nenable-tftp\ntftp-root=/srv");
    ASSERT_EQ(config.dhcp.size(), 13U);
    EXPECT_EQ(config.dhcp[0].name, "dhcp-range");
    EXPECT_EQ(config.dhcp[0].value, "192.168.1.100,192.168.1.200,12h");
    EXPECT_EQ(config.dhcp[0].where.line, 1U);
    EXPECT_EQ(config.dhcp[1].name, "dhcp-option");
    EXPECT_EQ(config.dhcp[2].name, "read-ethers");
    EXPECT_FALSE(config.dhcp[2].has_value);
    EXPECT_EQ(config.dhcp[10].value, "Boot, now,5");
    EXPECT_TRUE(config.process.log_dhcp);
    EXPECT_TRUE(config.process.quiet_dhcp);
    EXPECT_TRUE(config.process.quiet_dhcp6);
    EXPECT_TRUE(config.process.quiet_ra);
}

TEST(Mapper, OldDhcpSpellingsArePassedUnderTheCurrentName) {
    const auto config = parse_ok("dhcp-lease=/var/lib/x.leases\ndomain-suffix=lan");
    ASSERT_EQ(config.dhcp.size(), 2U);
    EXPECT_EQ(config.dhcp[0].name, "dhcp-leasefile");
    EXPECT_EQ(config.dhcp[1].name, "domain");
    EXPECT_EQ(config.dns.local.domains.size(), 1U);
}

TEST(Mapper, DomainGoesToDhcpAndToLocalDomains) {
    const auto config = parse_ok("domain=lan");
    ASSERT_EQ(config.dhcp.size(), 1U);
    EXPECT_EQ(config.dhcp[0].name, "domain");
    ASSERT_EQ(config.dns.local.domains.size(), 1U);
    EXPECT_EQ(config.dns.local.domains[0].domain, "lan");
}

TEST(Mapper, UnsupportedOptionsGiveNamedWarnings) {
    const auto config = parse_ok("dnssec\ntrust-anchor=.,20326,8,2,E06D44B8\nno-poll\nipset=/a/b");
    ASSERT_EQ(config.warnings.size(), 4U);
    EXPECT_EQ(config.warnings[0].option, "dnssec");
    EXPECT_EQ(config.warnings[0].message,
              "option 'dnssec' is not supported yet; DNSSEC validation is off");
    EXPECT_EQ(config.warnings[0].where.line, 1U);
    EXPECT_EQ(config.warnings[3].option, "ipset");
}

TEST(Mapper, RejectedOptionsAreErrorsNamingTheOption) {
    const auto error = parse_error("no-resolv\nconf-script=/bin/gen");
    EXPECT_EQ(error.option, "conf-script");
    EXPECT_EQ(error.where.line, 2U);
    EXPECT_NE(error.message.find("conf-script"), std::string::npos);
}

TEST(Mapper, EveryMappedOptionHasAMapping) {
    // A mapped option that reached no mapping code would report "internal: ..."; feed each a
    // value of the right shape and check that never happens.
    for (const auto& spec : all_options()) {
        if (spec.status != OptionStatus::kMapped) {
            continue;
        }
        const std::string line =
            spec.arg == ArgKind::kNone ? std::string(spec.name) : std::string(spec.name) + "=1";
        auto config = parse_config_text(line);
        if (!config) {
            EXPECT_EQ(config.error().message.find("internal"), std::string::npos) << line;
        }
    }
}

TEST(Mapper, BadServerInServersFileIsOnlyAWarning) {
    ReadOption option{
        RawOption{"server", "/a/not-an-address", true, {"/s", 4}}, find_option("server"), {}, true};
    DnsmasqConfig config;
    ASSERT_TRUE(apply_option(option, config).has_value());
    EXPECT_TRUE(config.dns.upstream.servers.empty());
    ASSERT_EQ(config.warnings.size(), 1U);
    EXPECT_EQ(config.warnings[0].where.line, 4U);
}

}  // namespace
}  // namespace nfv::dnsvizor::config
