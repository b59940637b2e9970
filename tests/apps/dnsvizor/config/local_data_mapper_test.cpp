// Mapping of the "Local data" options (local_data_mapper.cpp): each record type's happy path
// in dnsmasq's field order, and a bad value naming the option.
#include <string>

#include <gtest/gtest.h>

#include "config/invocation.hpp"

namespace nfv::dnsvizor::config {
namespace {

dns::LocalDataSettings local_ok(std::string_view text) {
    auto config = parse_config_text(text, "test.conf");
    EXPECT_TRUE(config.has_value()) << (config ? "" : format(config.error()));
    return config ? config->dns.local : dns::LocalDataSettings{};
}

std::string error_option(std::string_view text) {
    auto config = parse_config_text(text, "test.conf");
    EXPECT_FALSE(config.has_value()) << text;
    return config ? std::string() : config.error().option;
}

net::IpAddress ip(std::string_view text) {
    return *net::IpAddress::parse(text);
}

TEST(LocalDataMapper, HostsOptions) {
    const auto local = local_ok(
        "no-hosts\naddn-hosts=/etc/hosts.d\naddn-hosts=/tmp/h\nhostsdir=/run/h\n"
        "expand-hosts");
    EXPECT_TRUE(local.no_hosts);
    EXPECT_EQ(local.addn_hosts, (std::vector<std::string>{"/etc/hosts.d", "/tmp/h"}));
    EXPECT_EQ(local.hostsdirs, (std::vector<std::string>{"/run/h"}));
    EXPECT_TRUE(local.expand_hosts);
    const auto empty = parse_config_text("addn-hosts=");  // dnsmasq accepts it too
    ASSERT_TRUE(empty.has_value());
    EXPECT_TRUE(empty->dns.local.addn_hosts.empty());
    EXPECT_EQ(empty->warnings.size(), 1U);
}

TEST(LocalDataMapper, AddressForms) {
    const auto local = local_ok(
        "address=/ads.example/tracker.test/0.0.0.0\naddress=/v6.test/::1\n"
        "address=/blocked.test/\naddress=/null.test/#\naddress=/#/10.0.0.1");
    ASSERT_EQ(local.addresses.size(), 5U);
    EXPECT_EQ(local.addresses[0].domains,
              (std::vector<std::string>{"ads.example", "tracker.test"}));
    EXPECT_EQ(local.addresses[0].kind, dns::AddressRule::Kind::kAddress);
    EXPECT_EQ(local.addresses[0].addresses, (std::vector<net::IpAddress>{ip("0.0.0.0")}));
    EXPECT_EQ(local.addresses[1].addresses, (std::vector<net::IpAddress>{ip("::1")}));
    EXPECT_EQ(local.addresses[2].kind, dns::AddressRule::Kind::kNxdomain);
    EXPECT_EQ(local.addresses[3].kind, dns::AddressRule::Kind::kNullAddress);
    EXPECT_EQ(local.addresses[4].domains, (std::vector<std::string>{"#"}));
    EXPECT_EQ(error_option("address=/a/1.2.3.4,::1"), "address");
    EXPECT_EQ(error_option("address=/a.b"), "address");
}

TEST(LocalDataMapper, HostRecord) {
    const auto local = local_ok(
        "host-record=Router.lan,router,192.168.1.1,fd00::1,300\n"
        "host-record=nas.lan,192.168.1.2");
    ASSERT_EQ(local.host_records.size(), 2U);
    EXPECT_EQ(local.host_records[0].names, (std::vector<std::string>{"router.lan", "router"}));
    EXPECT_EQ(local.host_records[0].addresses,
              (std::vector<net::IpAddress>{ip("192.168.1.1"), ip("fd00::1")}));
    EXPECT_EQ(local.host_records[0].ttl, 300U);
    EXPECT_FALSE(local.host_records[1].ttl.has_value());
    EXPECT_EQ(error_option("host-record=a.b"), "host-record");
    EXPECT_EQ(error_option("host-record=1.2.3.4"), "host-record");
}

TEST(LocalDataMapper, CnameWithAliasesAndTtl) {
    const auto local = local_ok("cname=www.lan, web.lan,server.lan,600\ncname=a.lan,b.lan");
    ASSERT_EQ(local.cnames.size(), 2U);
    EXPECT_EQ(local.cnames[0].aliases, (std::vector<std::string>{"www.lan", "web.lan"}));
    EXPECT_EQ(local.cnames[0].target, "server.lan");
    EXPECT_EQ(local.cnames[0].ttl, 600U);
    EXPECT_FALSE(local.cnames[1].ttl.has_value());
    EXPECT_EQ(error_option("cname=a"), "cname");
    EXPECT_EQ(local_ok("cname=*.Apps.lan,ingress.lan").cnames[0].aliases[0], "*.apps.lan");
}

TEST(LocalDataMapper, TxtRecordKeepsQuotedCommas) {
    const auto local = local_ok(R"(txt-record=_spf.lan,"v=spf1 a, -all","second")");
    ASSERT_EQ(local.txt_records.size(), 1U);
    EXPECT_EQ(local.txt_records[0].name, "_spf.lan");
    EXPECT_EQ(local.txt_records[0].strings, (std::vector<std::string>{"v=spf1 a, -all", "second"}));
    EXPECT_EQ(error_option("txt-record=a," + std::string(256, 'x')), "txt-record");
}

TEST(LocalDataMapper, SrvHostFieldOrderIsTargetPortPriorityWeight) {
    const auto local = local_ok(
        "srv-host=_ldap._tcp.lan,ldap.lan,389,10,20\n"
        "srv-host=_none._tcp.lan");
    ASSERT_EQ(local.srv_records.size(), 2U);
    const auto& srv = local.srv_records[0];
    EXPECT_EQ(srv.target, "ldap.lan");
    EXPECT_EQ(srv.port, 389);
    EXPECT_EQ(srv.priority, 10);
    EXPECT_EQ(srv.weight, 20);
    EXPECT_TRUE(local.srv_records[1].target.empty());
    EXPECT_EQ(error_option("srv-host=_x._tcp.a,b,70000"), "srv-host");
    EXPECT_EQ(error_option("srv-host=_x._tcp.a,b,1,2,3,4"), "srv-host");
}

TEST(LocalDataMapper, MxHostForms) {
    const auto local =
        local_ok("mx-target=mail.lan\nmx-host=lan,mx.lan,5\nmx-host=other.lan,10\nmx-host=x.lan");
    ASSERT_EQ(local.mx_records.size(), 3U);
    EXPECT_EQ(local.mx_records[0].target, "mx.lan");
    EXPECT_EQ(local.mx_records[0].preference, 5);
    EXPECT_EQ(local.mx_records[1].target, "mail.lan");  // from mx-target
    EXPECT_EQ(local.mx_records[1].preference, 10);
    EXPECT_EQ(local.mx_records[2].preference, 1);
    EXPECT_EQ(error_option("mx-host=a.b,c.d,70000"), "mx-host");
}

TEST(LocalDataMapper, PtrNaptrCaaRecords) {
    const auto local = local_ok(
        "ptr-record=4.3.2.1.in-addr.arpa,host.lan\nptr-record=_svc._tcp.lan\n"
        "naptr-record=lan,100,10,U,E2U+sip,!^.*$!sip:info@lan!\n"
        "caa-record=lan,0,issue,letsencrypt.org");
    ASSERT_EQ(local.ptr_records.size(), 2U);
    EXPECT_EQ(local.ptr_records[0].target, "host.lan");
    EXPECT_FALSE(local.ptr_records[1].target.has_value());
    ASSERT_EQ(local.naptr_records.size(), 1U);
    EXPECT_EQ(local.naptr_records[0].order, 100);
    EXPECT_EQ(local.naptr_records[0].service, "E2U+sip");
    EXPECT_EQ(local.naptr_records[0].regexp, "!^.*$!sip:info@lan!");
    ASSERT_EQ(local.caa_records.size(), 1U);
    EXPECT_EQ(local.caa_records[0].tag, "issue");
    EXPECT_EQ(local.caa_records[0].value, "letsencrypt.org");
    EXPECT_EQ(error_option("naptr-record=a,1,2"), "naptr-record");
    EXPECT_EQ(error_option("caa-record=a,0,issue"), "caa-record");
    EXPECT_EQ(error_option("caa-record=a,300,issue,x"), "caa-record");
}

TEST(LocalDataMapper, DnsRrHex) {
    const auto local = local_ok("dns-rr=x.lan,51,00:01:0a\ndns-rr=y.lan,99,ABCD\ndns-rr=z.lan,10");
    ASSERT_EQ(local.raw_records.size(), 3U);
    EXPECT_EQ(local.raw_records[0].type, 51);
    EXPECT_EQ(local.raw_records[0].rdata,
              (std::vector<std::byte>{std::byte{0}, std::byte{1}, std::byte{0x0a}}));
    EXPECT_EQ(local.raw_records[1].rdata,
              (std::vector<std::byte>{std::byte{0xab}, std::byte{0xcd}}));
    EXPECT_TRUE(local.raw_records[2].rdata.empty());
    EXPECT_EQ(error_option("dns-rr=x.lan,51,001"), "dns-rr");
    EXPECT_EQ(error_option("dns-rr=x.lan,51,zz"), "dns-rr");
    EXPECT_EQ(error_option("dns-rr=x.lan,70000,00"), "dns-rr");
}

TEST(LocalDataMapper, InterfaceNameFamilies) {
    const auto local = local_ok(
        "interface-name=gw.lan,eth0\ninterface-name=gw4.lan,eth0/4\n"
        "interface-name=gw6.lan,eth0/6");
    ASSERT_EQ(local.interface_names.size(), 3U);
    EXPECT_TRUE(local.interface_names[0].ipv4 && local.interface_names[0].ipv6);
    EXPECT_TRUE(local.interface_names[1].ipv4 && !local.interface_names[1].ipv6);
    EXPECT_EQ(local.interface_names[1].interface, "eth0");
    EXPECT_TRUE(!local.interface_names[2].ipv4 && local.interface_names[2].ipv6);
    EXPECT_EQ(error_option("interface-name=a,eth0/5"), "interface-name");
}

TEST(LocalDataMapper, SynthDomainRanges) {
    const auto local = local_ok(
        "synth-domain=lan,192.168.0.0/24,host-\n"
        "synth-domain=lan,192.168.1.9,192.168.1.1\n"
        "synth-domain=v6.lan,fd00::/64");
    ASSERT_EQ(local.synth_domains.size(), 3U);
    EXPECT_EQ(local.synth_domains[0].first, ip("192.168.0.0"));
    EXPECT_EQ(local.synth_domains[0].last, ip("192.168.0.255"));
    EXPECT_EQ(local.synth_domains[0].prefix, "host-");
    EXPECT_EQ(local.synth_domains[1].first, ip("192.168.1.1"));  // swapped into order
    EXPECT_EQ(local.synth_domains[1].last, ip("192.168.1.9"));
    EXPECT_EQ(local.synth_domains[2].last, ip("fd00::ffff:ffff:ffff:ffff"));
    EXPECT_EQ(error_option("synth-domain=lan,bogus"), "synth-domain");
}

TEST(LocalDataMapper, DomainForms) {
    const auto config = parse_config_text(
        "domain=lan\ndomain=guest.lan,192.168.2.0/24,local\ndomain=iot.lan,10.0.0.10,10.0.0.50\n"
        "domain=wg.lan,wg0");
    ASSERT_TRUE(config.has_value()) << format(config.error());
    const auto& domains = config->dns.local.domains;
    ASSERT_EQ(domains.size(), 4U);
    EXPECT_FALSE(domains[0].first.has_value());
    EXPECT_EQ(domains[1].first, ip("192.168.2.0"));
    EXPECT_EQ(domains[1].last, ip("192.168.2.255"));
    EXPECT_TRUE(domains[1].local);
    EXPECT_EQ(domains[2].last, ip("10.0.0.50"));
    EXPECT_EQ(domains[3].interface, "wg0");
    // ",local" also makes the domain and its reverse zone local-only, as dnsmasq does.
    const auto& servers = config->dns.upstream.servers;
    ASSERT_EQ(servers.size(), 2U);
    EXPECT_EQ(servers[0].domains, (std::vector<std::string>{"guest.lan"}));
    EXPECT_EQ(servers[1].domains, (std::vector<std::string>{"2.168.192.in-addr.arpa"}));
    EXPECT_EQ(error_option("domain=lan,192.168.1.0/24,foo"), "domain");
    EXPECT_EQ(error_option("domain=bad domain"), "domain");
    const auto from_resolv = parse_config_text("domain=#");
    ASSERT_TRUE(from_resolv.has_value());
    EXPECT_TRUE(from_resolv->dns.local.domains.empty());
    EXPECT_EQ(from_resolv->warnings.size(), 1U);
    EXPECT_EQ(from_resolv->dhcp.size(), 1U);  // still passed on verbatim
}

TEST(LocalDataMapper, TtlOptions) {
    const auto local = local_ok("local-ttl=2\ndhcp-ttl=60\nneg-ttl=30\nmax-ttl=3600");
    EXPECT_EQ(local.local_ttl, 2U);
    EXPECT_EQ(local.dhcp_ttl, 60U);
    EXPECT_EQ(local.neg_ttl, 30U);
    EXPECT_EQ(local.max_ttl, 3600U);
    EXPECT_EQ(error_option("local-ttl=-3"), "local-ttl");
    EXPECT_EQ(error_option("neg-ttl=abc"), "neg-ttl");
}

TEST(LocalDataMapper, MxFlags) {
    const auto local = local_ok("selfmx\nlocalmx\nmx-target=Mail.LAN.");
    EXPECT_TRUE(local.selfmx);
    EXPECT_TRUE(local.localmx);
    EXPECT_EQ(local.mx_target, "mail.lan");
}

}  // namespace
}  // namespace nfv::dnsvizor::config
