#include "dhcp/option_mapper.hpp"

#include <gtest/gtest.h>

#include "dhcp/option_values.hpp"

namespace nfv::dnsvizor::dhcp {
namespace {

using net::Ipv4Address;

config::RawOption opt(std::string name, std::string value = {}, std::size_t line = 1) {
    config::RawOption o;
    o.name = std::move(name);
    o.has_value = !value.empty();
    o.value = std::move(value);
    o.where = {"/etc/dnsmasq.conf", line};
    return o;
}

Result<DhcpImport, std::string> map(std::vector<config::RawOption> options) {
    return map_dhcp_options(options);
}

DhcpImport map_ok(std::vector<config::RawOption> options) {
    auto mapped = map(std::move(options));
    EXPECT_TRUE(mapped.has_value()) << (mapped ? "" : mapped.error());
    return mapped ? std::move(*mapped) : DhcpImport{};
}

std::string map_error(std::vector<config::RawOption> options) {
    auto mapped = map(std::move(options));
    EXPECT_FALSE(mapped.has_value());
    return mapped ? std::string{} : mapped.error();
}

std::vector<std::byte> bytes(std::initializer_list<int> values) {
    std::vector<std::byte> out;
    for (const int v : values)
        out.push_back(static_cast<std::byte>(v));
    return out;
}

ServedOption option_of(std::string value) {
    auto parsed = parse_dhcp_option_line(value, false);
    EXPECT_TRUE(parsed.has_value()) << value << ": " << (parsed ? "" : parsed.error());
    if (!parsed || !parsed->option)
        return {};
    return *parsed->option;
}

// ---- dhcp-range ----

TEST(DhcpOptionMapper, RangeWithStartEndAndLeaseTime) {
    const auto out = map_ok({opt("dhcp-range", "192.168.1.50,192.168.1.150,12h")});
    ASSERT_EQ(out.settings.ranges.size(), 1U);
    const auto& r = out.settings.ranges[0];
    EXPECT_EQ(r.start, Ipv4Address({192, 168, 1, 50}));
    EXPECT_EQ(r.end, Ipv4Address({192, 168, 1, 150}));
    EXPECT_EQ(r.lease_seconds, 12U * 3600);
    EXPECT_FALSE(r.netmask.has_value());
    EXPECT_TRUE(out.enabled());
}

TEST(DhcpOptionMapper, RangeDefaultsToOneHour) {
    const auto out = map_ok({opt("dhcp-range", "10.0.0.10,10.0.0.20")});
    EXPECT_EQ(out.settings.ranges.at(0).lease_seconds, 3600U);
}

TEST(DhcpOptionMapper, RangeLeaseUnitsAndInfinite) {
    const std::vector<std::pair<std::string, std::uint32_t>> cases{{"300", 300},
                                                                   {"300s", 300},
                                                                   {"5m", 300},
                                                                   {"2h", 7200},
                                                                   {"1d", 86400},
                                                                   {"1w", 604800},
                                                                   {"infinite", kInfiniteLease}};
    for (const auto& [text, seconds] : cases) {
        const auto out = map_ok({opt("dhcp-range", "10.0.0.10,10.0.0.20," + text)});
        EXPECT_EQ(out.settings.ranges.at(0).lease_seconds, seconds) << text;
    }
}

TEST(DhcpOptionMapper, RangeLeaseBelowTwoMinutesIsClamped) {
    const auto out = map_ok({opt("dhcp-range", "10.0.0.10,10.0.0.20,30s")});
    EXPECT_EQ(out.settings.ranges.at(0).lease_seconds, 120U);
}

TEST(DhcpOptionMapper, RangeStartAfterEndIsSwapped) {
    const auto out = map_ok({opt("dhcp-range", "10.0.0.20,10.0.0.10")});
    EXPECT_EQ(out.settings.ranges.at(0).start, Ipv4Address({10, 0, 0, 10}));
    EXPECT_EQ(out.settings.ranges.at(0).end, Ipv4Address({10, 0, 0, 20}));
}

TEST(DhcpOptionMapper, RangeNetmaskBroadcastAndLease) {
    const auto out =
        map_ok({opt("dhcp-range", "10.1.0.10,10.1.0.20,255.255.0.0,10.1.255.255,45m")});
    const auto& r = out.settings.ranges.at(0);
    EXPECT_EQ(r.netmask, Ipv4Address({255, 255, 0, 0}));
    EXPECT_EQ(r.broadcast, Ipv4Address({10, 1, 255, 255}));
    EXPECT_EQ(r.lease_seconds, 45U * 60);
}

TEST(DhcpOptionMapper, RangeTagsSetAndLegacyForms) {
    auto out = map_ok({opt("dhcp-range", "tag:lab,tag:!guest,set:red,10.0.0.10,10.0.0.20")});
    auto r = out.settings.ranges.at(0);
    ASSERT_EQ(r.match.size(), 2U);
    EXPECT_EQ(r.match[0].name, "lab");
    EXPECT_FALSE(r.match[0].negated);
    EXPECT_EQ(r.match[1].name, "guest");
    EXPECT_TRUE(r.match[1].negated);
    EXPECT_EQ(r.set_tag, "red");

    out = map_ok({opt("dhcp-range", "lan,10.0.0.10,10.0.0.20")});
    EXPECT_EQ(out.settings.ranges.at(0).set_tag, "lan");
    out = map_ok({opt("dhcp-range", "net:wan,10.0.0.10,10.0.0.20")});
    EXPECT_EQ(out.settings.ranges.at(0).set_tag, "wan");
}

TEST(DhcpOptionMapper, RangeStaticMode) {
    const auto out = map_ok({opt("dhcp-range", "192.168.7.0,static,255.255.255.0,infinite")});
    const auto& r = out.settings.ranges.at(0);
    EXPECT_TRUE(r.static_only);
    EXPECT_EQ(r.start, r.end);
    EXPECT_EQ(r.netmask, Ipv4Address({255, 255, 255, 0}));
    EXPECT_EQ(r.lease_seconds, kInfiniteLease);
}

TEST(DhcpOptionMapper, RangeErrorsNameFileLineAndOption) {
    const auto e = map_error({opt("dhcp-range", "10.0.0.1", 17)});
    EXPECT_EQ(e.rfind("/etc/dnsmasq.conf:17: dhcp-range: bad dhcp-range", 0), 0U) << e;
}

TEST(DhcpOptionMapper, RangeRejectsDnsmasqsBadForms) {
    for (const std::string bad :
         {"10.0.0.1,1h", "10.0.0.1,10.0.0.9,255.255.255.0,10.0.0.255,12h,foo",
          "10.0.0.1,10.0.0.9,5x", "10.0.0.1,10.0.0.9,255.0.255.0", "set:a,set:b,10.0.0.1,10.0.0.9",
          "tag:x", ""}) {
        const auto e = map_error({opt("dhcp-range", bad)});
        EXPECT_NE(e.find("dhcp-range"), std::string::npos) << bad << " -> " << e;
    }
    EXPECT_NE(map_error({opt("dhcp-range", "10.0.0.1,10.1.0.9,255.255.255.0")})
                  .find("inconsistent DHCP range"),
              std::string::npos);
    EXPECT_NE(map_error({opt("dhcp-range", "10.0.0.1,10.0.0.9,10.0.0.9.9")}).find("netmask"),
              std::string::npos);
    EXPECT_NE(map_error({opt("dhcp-range", "10.0.0.1,proxy")}).find("proxy"), std::string::npos);
}

TEST(DhcpOptionMapper, Ipv6RangeAndRaAreNamedWarningsThatDoNotStopTheStart) {
    const auto out = map_ok({opt("dhcp-range", "::100,::1ff,constructor:eth0,ra-names,12h", 3),
                             opt("enable-ra", "", 4), opt("ra-param", "eth0,high,30", 5),
                             opt("dhcp-range", "10.0.0.10,10.0.0.20", 6)});
    ASSERT_EQ(out.warnings.size(), 3U);
    EXPECT_EQ(out.warnings[0],
              "/etc/dnsmasq.conf:3: dhcp-range: DHCPv6/RA is not supported yet; ignored");
    EXPECT_NE(out.warnings[1].find("enable-ra"), std::string::npos);
    EXPECT_TRUE(out.ipv6_requested);
    EXPECT_EQ(out.settings.ranges.size(), 1U);
}

TEST(DhcpOptionMapper, NoRangeMeansDisabled) {
    const auto out = map_ok({opt("dhcp-authoritative")});
    EXPECT_FALSE(out.enabled());
    EXPECT_TRUE(out.settings.authoritative);
}

// ---- dhcp-host ----

TEST(DhcpOptionMapper, HostWithMacAddressNameAndLease) {
    const auto out = map_ok({opt("dhcp-host", "52:54:00:12:34:56,192.168.1.5,printer,2h")});
    ASSERT_EQ(out.settings.hosts.size(), 1U);
    const auto& h = out.settings.hosts[0];
    ASSERT_EQ(h.hardware.size(), 1U);
    EXPECT_EQ(h.hardware[0].bytes, (std::vector<int>{0x52, 0x54, 0, 0x12, 0x34, 0x56}));
    EXPECT_FALSE(h.hardware[0].type.has_value());
    EXPECT_EQ(h.address, Ipv4Address({192, 168, 1, 5}));
    EXPECT_EQ(h.hostname, "printer");
    EXPECT_EQ(h.lease_seconds, 7200U);
}

TEST(DhcpOptionMapper, HostMacListsWildcardsAndTypePrefix) {
    const auto out =
        map_ok({opt("dhcp-host", "11:22:33:*:*:*,06-aa:bb:cc:dd:ee:ff,laptop,infinite")});
    const auto& h = out.settings.hosts.at(0);
    ASSERT_EQ(h.hardware.size(), 2U);
    EXPECT_EQ(h.hardware[0].bytes, (std::vector<int>{0x11, 0x22, 0x33, -1, -1, -1}));
    EXPECT_EQ(h.hardware[1].type, 6);
    EXPECT_EQ(h.hardware[1].bytes.size(), 6U);
    EXPECT_EQ(h.lease_seconds, kInfiniteLease);
}

TEST(DhcpOptionMapper, HostClientIdTagsAndIgnore) {
    auto out = map_ok({opt("dhcp-host", "id:01:02:03:04,set:red,tag:lab,10.0.0.9")});
    auto h = out.settings.hosts.at(0);
    EXPECT_EQ(h.client_id, (std::vector<std::uint8_t>{1, 2, 3, 4}));
    EXPECT_EQ(h.set_tag, "red");
    ASSERT_EQ(h.match.size(), 1U);
    EXPECT_EQ(h.match[0].name, "lab");

    out = map_ok({opt("dhcp-host", "id:marvin,10.0.0.8")});
    EXPECT_EQ(out.settings.hosts.at(0).client_id,
              (std::vector<std::uint8_t>{'m', 'a', 'r', 'v', 'i', 'n'}));

    out = map_ok({opt("dhcp-host", "00:11:22:33:44:55,id:*,ignore")});
    EXPECT_TRUE(out.settings.hosts.at(0).client_id_any);
    EXPECT_TRUE(out.settings.hosts.at(0).ignore);
}

TEST(DhcpOptionMapper, HostShortLeaseIsClampedAndQualifiedNameIsShortened) {
    const auto out = map_ok({opt("dhcp-host", "00:11:22:33:44:55,nas.home.lan,60")});
    EXPECT_EQ(out.settings.hosts.at(0).lease_seconds, 120U);
    EXPECT_EQ(out.settings.hosts.at(0).hostname, "nas");
}

TEST(DhcpOptionMapper, HostErrors) {
    EXPECT_NE(map_error({opt("dhcp-host", "11:22:33:44:55:zz,10.0.0.3", 9)})
                  .find("/etc/dnsmasq.conf:9: dhcp-host: bad hex constant"),
              std::string::npos);
    EXPECT_NE(map_error({opt("dhcp-host", "00:11:22:33:44:55,bad!name")}).find("bad DHCP host"),
              std::string::npos);
    EXPECT_NE(map_error({opt("dhcp-host", "00:11:22:33:44:55,10.0.0.1,10.0.0.2")})
                  .find("more than one IPv4"),
              std::string::npos);
    EXPECT_NE(map_error({opt("dhcp-host", "laptop,10.0.0.5")}).find("not supported"),
              std::string::npos);
}

TEST(DhcpOptionMapper, HostIpv6PartIsAWarning) {
    const auto out = map_ok({opt("dhcp-host", "00:11:22:33:44:55,10.0.0.5,[fd00::5]")});
    EXPECT_EQ(out.settings.hosts.size(), 1U);
    ASSERT_EQ(out.warnings.size(), 1U);
    EXPECT_NE(out.warnings[0].find("DHCPv6/RA is not supported yet"), std::string::npos);
}

// ---- dhcp-option ----

TEST(DhcpOptionValues, NumberedAndNamedAddressLists) {
    auto o = option_of("3,10.0.0.1");
    EXPECT_EQ(o.code, 3);
    EXPECT_EQ(o.value, bytes({10, 0, 0, 1}));
    o = option_of("option:dns-server,1.1.1.1,9.9.9.9");
    EXPECT_EQ(o.code, 6);
    EXPECT_EQ(o.value, bytes({1, 1, 1, 1, 9, 9, 9, 9}));
    o = option_of("option:ntp-server,0.0.0.0,10.0.0.5");
    EXPECT_EQ(o.code, 42);
    EXPECT_EQ(o.server_address_at, (std::vector<std::size_t>{0}));
}

TEST(DhcpOptionValues, TextIntegersBooleansAndTimes) {
    EXPECT_EQ(option_of("option:domain-name,home.lan").value,
              bytes({'h', 'o', 'm', 'e', '.', 'l', 'a', 'n'}));
    EXPECT_EQ(option_of("option:mtu,1400").value, bytes({0x05, 0x78}));
    EXPECT_EQ(option_of("option:default-ttl,64").value, bytes({64}));
    EXPECT_EQ(option_of("option:ip-forward-enable,1").value, bytes({1}));
    EXPECT_EQ(option_of("option:arp-timeout,70000").value, bytes({0, 1, 0x11, 0x70}));
    EXPECT_EQ(option_of("option:T1,1h").value, bytes({0, 0, 0x0e, 0x10}));
    EXPECT_EQ(option_of("option:bootfile-name,pxelinux.0,x").value.size(), 12U);
}

TEST(DhcpOptionValues, DomainSearchUsesRfc3397Encoding) {
    const auto o = option_of("option:domain-search,a.lan,b.lan");
    EXPECT_EQ(o.code, 119);
    // a.lan uncompressed, then b + pointer to "lan" at offset 2.
    EXPECT_EQ(o.value, bytes({1, 'a', 3, 'l', 'a', 'n', 0, 1, 'b', 0xc0, 2}));
}

TEST(DhcpOptionValues, ClasslessRoutesUseRfc3442Encoding) {
    const auto o = option_of(
        "option:classless-static-route,10.20.0.0/16,10.67.0.1,0.0.0.0/0,"
        "10.67.0.254");
    EXPECT_EQ(o.code, 121);
    EXPECT_EQ(o.value, bytes({16, 10, 20, 10, 67, 0, 1, 0, 10, 67, 0, 254}));
    EXPECT_EQ(option_of("121,192.168.9.0/24,10.0.0.1").value,
              bytes({24, 192, 168, 9, 10, 0, 0, 1}));
}

TEST(DhcpOptionValues, SipServerNamesOrAddresses) {
    EXPECT_EQ(option_of("option:sip-server,10.0.0.7").value, bytes({1, 10, 0, 0, 7}));
    EXPECT_EQ(option_of("option:sip-server,s.io").value, bytes({0, 1, 's', 2, 'i', 'o', 0}));
}

TEST(DhcpOptionValues, UntypedOptionsAreInferred) {
    EXPECT_EQ(option_of("252,\"http://wpad/wpad.dat\"").value.size(), 22U);
    EXPECT_EQ(option_of("224,01:02:ff").value, bytes({1, 2, 0xff}));
    EXPECT_EQ(option_of("225,300").value, bytes({1, 0x2c}));
    EXPECT_EQ(option_of("226,10.0.0.1,10.0.0.2").value, bytes({10, 0, 0, 1, 10, 0, 0, 2}));
}

TEST(DhcpOptionValues, EmptyValueSuppressesTheDefault) {
    auto o = option_of("3");
    EXPECT_EQ(o.code, 3);
    EXPECT_TRUE(o.value.empty());
    o = option_of("option:dns-server");
    EXPECT_EQ(o.code, 6);
    EXPECT_TRUE(o.value.empty());
}

TEST(DhcpOptionValues, TagConditionsIncludingLegacyForms) {
    const auto o = option_of("tag:lab,tag:!guest,net:red,blue,#green,3,10.0.0.1");
    ASSERT_EQ(o.match.size(), 5U);
    EXPECT_EQ(o.match[0].name, "lab");
    EXPECT_TRUE(o.match[1].negated);
    EXPECT_EQ(o.match[2].name, "red");
    EXPECT_EQ(o.match[3].name, "blue");
    EXPECT_EQ(o.match[4].name, "green");
    EXPECT_TRUE(o.match[4].negated);
}

TEST(DhcpOptionValues, ForceFlagFollowsTheOptionName) {
    const auto out = map_ok({opt("dhcp-option-force", "option:mtu,1500")});
    ASSERT_EQ(out.settings.options.size(), 1U);
    EXPECT_TRUE(out.settings.options[0].force);
}

TEST(DhcpOptionValues, BadValuesAreErrors) {
    for (const std::string bad :
         {"router,1.2.3.4", "option:foo,1", "3,1.2.3", "option:mtu,99999", "option:mtu,abc", "0,1",
          "255,1", "option:ip-forward-enable,2", "121,10.0.0.0/8", "121,10.0.0.0/33,1.2.3.4",
          "53,1", "option:client-id,1", "option:domain-search,a..b"}) {
        const auto parsed = parse_dhcp_option_line(bad, false);
        EXPECT_FALSE(parsed.has_value()) << bad;
    }
    const auto e = map_error({opt("dhcp-option", "option:foo,1", 12)});
    EXPECT_EQ(e,
              "/etc/dnsmasq.conf:12: dhcp-option: bad dhcp-option: unknown DHCP option name 'foo'");
}

TEST(DhcpOptionValues, EncapVendorAndOption6AreNamedWarnings) {
    const auto out =
        map_ok({opt("dhcp-option", "encap:175,190,user"), opt("dhcp-option", "vendor:MSFT,2,1i"),
                opt("dhcp-option", "vi-encap:2,3,1.2.3.4"),
                opt("dhcp-option", "option6:dns-server,[::]")});
    EXPECT_TRUE(out.settings.options.empty());
    ASSERT_EQ(out.warnings.size(), 4U);
    EXPECT_NE(out.warnings[0].find("encap:"), std::string::npos);
    EXPECT_NE(out.warnings[1].find("vendor:"), std::string::npos);
    EXPECT_NE(out.warnings[3].find("DHCPv6"), std::string::npos);
}

// ---- flags and the rest ----

TEST(DhcpOptionMapper, FlagsAndScalars) {
    const auto out =
        map_ok({opt("dhcp-authoritative"), opt("dhcp-rapid-commit"), opt("dhcp-sequential-ip"),
                opt("dhcp-lease-max", "150"), opt("domain", "home.lan"),
                opt("dhcp-leasefile", "/tmp/x.leases"), opt("leasefile-ro"), opt("log-dhcp"),
                opt("quiet-dhcp"), opt("no-ping")});
    EXPECT_TRUE(out.settings.authoritative);
    EXPECT_TRUE(out.settings.rapid_commit);
    EXPECT_TRUE(out.settings.sequential_ip);
    EXPECT_EQ(out.settings.lease_max, 150U);
    EXPECT_EQ(out.settings.domain, "home.lan");
    EXPECT_EQ(out.lease_file, "/tmp/x.leases");
    EXPECT_TRUE(out.lease_file_readonly);
    EXPECT_TRUE(out.log_dhcp);
    EXPECT_TRUE(out.quiet_dhcp);
    EXPECT_TRUE(out.no_ping);
    EXPECT_TRUE(out.warnings.empty());
}

TEST(DhcpOptionMapper, DefaultLeaseFileIsDnsmasqs) {
    EXPECT_EQ(map_ok({}).lease_file, "/var/lib/misc/dnsmasq.leases");
}

TEST(DhcpOptionMapper, DomainForARangeAppliesToRangesInside) {
    const auto out =
        map_ok({opt("dhcp-range", "10.0.0.10,10.0.0.20"), opt("dhcp-range", "10.9.0.10,10.9.0.20"),
                opt("domain", "lab.lan,10.9.0.0/24"), opt("domain", "home.lan")});
    EXPECT_EQ(out.settings.domain, "home.lan");
    EXPECT_EQ(out.settings.ranges.at(0).domain, "");
    EXPECT_EQ(out.settings.ranges.at(1).domain, "lab.lan");
}

TEST(DhcpOptionMapper, FlagWithValueAndBadNumbersAreErrors) {
    EXPECT_NE(map_error({opt("dhcp-authoritative", "yes")}).find("extraneous parameter"),
              std::string::npos);
    EXPECT_NE(map_error({opt("dhcp-lease-max", "abc")}).find("bad number"), std::string::npos);
    EXPECT_NE(map_error({opt("dhcp-leasefile")}).find("missing parameter"), std::string::npos);
}

TEST(DhcpOptionMapper, UnsupportedOptionsAreNamedErrorsOrWarnings) {
    const auto e = map_error({opt("dhcp-mac", "set:phone,3c:07:54:*:*:*", 4)});
    EXPECT_EQ(e.rfind("/etc/dnsmasq.conf:4: dhcp-mac: not supported yet", 0), 0U) << e;
    EXPECT_NE(map_error({opt("dhcp-optsfile", "/etc/opts.dhcp")}).find("dhcp-optsfile"),
              std::string::npos);
    EXPECT_NE(map_error({opt("dhcp-frobnicate", "1")}).find("unsupported DHCP option"),
              std::string::npos);
    const auto out = map_ok({opt("dhcp-broadcast", "tag:needs-broadcast", 8)});
    ASSERT_EQ(out.warnings.size(), 1U);
    EXPECT_EQ(out.warnings[0], "/etc/dnsmasq.conf:8: dhcp-broadcast: not supported yet; ignored");
}

TEST(DhcpOptionMapper, IgnoreRulesWithTagsAndLegacyForms) {
    const auto out =
        map_ok({opt("dhcp-ignore", "tag:!known"), opt("dhcp-ignore", "tag:guest,#vip")});
    ASSERT_EQ(out.settings.ignore.size(), 2U);
    ASSERT_EQ(out.settings.ignore[0].size(), 1U);
    EXPECT_EQ(out.settings.ignore[0][0].name, "known");
    EXPECT_TRUE(out.settings.ignore[0][0].negated);
    ASSERT_EQ(out.settings.ignore[1].size(), 2U);
    EXPECT_EQ(out.settings.ignore[1][1].name, "vip");
    EXPECT_TRUE(out.settings.ignore[1][1].negated);
    EXPECT_NE(map_error({opt("dhcp-ignore", "")}).find("missing tag"), std::string::npos);
    EXPECT_NE(map_error({opt("dhcp-ignore", "tag:")}).find("missing tag"), std::string::npos);
}

TEST(DhcpOptionMapper, CommandLineLocationIsNamed) {
    config::RawOption o = opt("dhcp-range", "10.0.0.1");
    o.where = {"", 3};
    EXPECT_EQ(map_error({o}).rfind("command line argument 3: dhcp-range: ", 0), 0U);
}

// dnsmasq(8) --no-dhcp-interface: DNS still answers there, DHCP does not (the runtime filters).
TEST(DhcpOptionMapper, NoDhcpInterfaceListsInterfaces) {
    const auto out =
        map_ok({opt("dhcp-range", "10.0.0.10,10.0.0.20"), opt("no-dhcp-interface", "eth1"),
                opt("no-dhcp-interface", "wan,lan2")});
    EXPECT_EQ(out.no_dhcp_interfaces, (std::vector<std::string>{"eth1", "wan", "lan2"}));
    EXPECT_TRUE(out.warnings.empty());
}

TEST(DhcpOptionMapper, NoDhcpv4InterfaceIsTheSameAndV6IsAnIpv6Warning) {
    const auto out =
        map_ok({opt("dhcp-range", "10.0.0.10,10.0.0.20"), opt("no-dhcpv4-interface", "eth2"),
                opt("no-dhcpv6-interface", "eth3")});
    EXPECT_EQ(out.no_dhcp_interfaces, (std::vector<std::string>{"eth2"}));
    ASSERT_EQ(out.warnings.size(), 1U);
    EXPECT_NE(out.warnings[0].find("DHCPv6/RA is not supported yet"), std::string::npos);
}

TEST(DhcpOptionMapper, NoDhcpInterfaceNeedsAName) {
    const auto error = map_error({opt("no-dhcp-interface", "")});
    EXPECT_NE(error.find("no-dhcp-interface"), std::string::npos) << error;
}

TEST(DhcpOptionMapper, MatchClassAndTagIfLines) {
    const auto out =
        map_ok({opt("dhcp-match", "set:efi,option:client-arch,7"), opt("dhcp-match", "ipxe,175"),
                opt("dhcp-vendorclass", "set:msft,MSFT 5.0"),
                opt("dhcp-userclass", "set:acc,accounts,dept"),
                opt("tag-if", "set:a,set:b,tag:efi,tag:!msft")});
    const auto& m = out.settings.client_matches;
    ASSERT_EQ(m.size(), 4U);
    EXPECT_EQ(m[0].set_tag, "efi");
    EXPECT_EQ(m[0].code, 93);
    EXPECT_EQ(m[0].value.size(), 2U);  // client-arch items are 16-bit
    EXPECT_EQ(m[0].step, 2U);
    EXPECT_EQ(m[1].set_tag, "ipxe");
    EXPECT_TRUE(m[1].value.empty());
    EXPECT_EQ(m[2].kind, ClientMatch::Kind::kVendorClass);
    EXPECT_EQ(m[2].value.size(), 8U);
    EXPECT_EQ(m[3].kind, ClientMatch::Kind::kUserClass);
    EXPECT_EQ(m[3].value.size(), 13U);  // the rest of the line, commas included
    ASSERT_EQ(out.settings.tag_ifs.size(), 1U);
    EXPECT_EQ(out.settings.tag_ifs[0].set_tags, (std::vector<std::string>{"a", "b"}));
    ASSERT_EQ(out.settings.tag_ifs[0].match.size(), 2U);
    EXPECT_TRUE(out.settings.tag_ifs[0].match[1].negated);
}

TEST(DhcpOptionMapper, BadMatchClassAndTagIfLinesAreNamedErrors) {
    EXPECT_EQ(map_error({opt("dhcp-match", "set:x", 3)}),
              "/etc/dnsmasq.conf:3: dhcp-match: missing parameter (set:<tag>,<option>[,<value>])");
    EXPECT_NE(map_error({opt("dhcp-match", "set:x,option:frobnicate")}).find("unknown DHCP option"),
              std::string::npos);
    EXPECT_NE(map_error({opt("dhcp-match", "set:x,vi-encap:311,1")}).find("not supported yet"),
              std::string::npos);
    EXPECT_NE(
        map_error({opt("dhcp-vendorclass", "set:x,enterprise:311,foo")}).find("not supported yet"),
        std::string::npos);
    EXPECT_NE(map_error({opt("dhcp-userclass", "set:x")}).find("missing parameter"),
              std::string::npos);
    EXPECT_NE(map_error({opt("tag-if", "tag:a,set:b")}).find("set: after tag:"), std::string::npos);
    EXPECT_NE(map_error({opt("tag-if", "tag:a")}).find("missing set: tag"), std::string::npos);
}

}  // namespace
}  // namespace nfv::dnsvizor::dhcp
