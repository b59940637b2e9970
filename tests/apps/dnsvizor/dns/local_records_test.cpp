// Local record types (cname, txt-record, srv-host, mx-host, ptr-record, naptr-record,
// caa-record, dns-rr, interface-name, synth-domain, host-record) and DHCP lease names, answered
// through LocalResolver. Expectations observed with dnsmasq 2.90:
//   unshare -rn sh -c 'ip link set lo up; dnsmasq --no-daemon --port=5399 --conf-file=z.conf &
//                      sleep 0.5; dig @127.0.0.1 -p 5399 +norec NAME TYPE'
// where z.conf holds no-hosts, no-resolv, addn-hosts=hosts1 (alpha 192.168.1.10 +
// 2001:db8::10, beta 192.168.1.11, gamma 10.0.0.1) and the options named in each test.
#include "dns/local_records.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "dns/hosts_file.hpp"
#include "dns/local_resolver.hpp"

namespace nfv::dnsvizor::dns {
namespace {

using net::dns::Message;
using net::dns::Name;
using net::dns::Rcode;
using net::dns::RrClass;
using net::dns::RrType;

net::IpAddress ip(std::string_view text) {
    return *net::IpAddress::parse(text);
}

constexpr std::string_view kHosts =
    "192.168.1.10 alpha\n2001:db8::10 alpha\n192.168.1.11 beta\n10.0.0.1 gamma\n";

std::vector<std::string> texts(const std::vector<net::dns::ResourceRecord>& records) {
    std::vector<std::string> out;
    for (const auto& record : records) {
        out.push_back(net::dns::to_text(record));
    }
    return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

class LocalRecordsTest : public ::testing::Test {
protected:
    LocalResolver& resolver() {
        if (!resolver_) {
            HostsData hosts;
            hosts.files.push_back({"/test/hosts1", parse_hosts_file(kHosts).entries});
            resolver_.emplace(settings_, hosts, interfaces_);
        }
        return *resolver_;
    }
    Decision ask(std::string_view name, RrType type) {
        Message query;
        query.header.id = 7;
        query.questions.push_back({*Name::parse_text(name), type, RrClass::kIn});
        return resolver().resolve(query, ClientInfo{}, platform::Instant{});
    }
    std::vector<std::string> answers(std::string_view name, RrType type) {
        return texts(ask(name, type).reply.answers);
    }
    std::uint16_t rcode(std::string_view name, RrType type) {
        return ask(name, type).reply.rcode();
    }

    DnsSettings settings_;
    InterfaceAddresses interfaces_;
    std::optional<LocalResolver> resolver_;
};

constexpr auto kRefused = static_cast<std::uint16_t>(Rcode::kRefused);

// host-record=hr.test,hr2.test,10.1.1.1,2001:db8::1
TEST_F(LocalRecordsTest, HostRecordAnswersAllNamesAndPtrForFirstName) {
    settings_.local.host_records.push_back(
        {{"hr.test", "hr2.test"}, {ip("10.1.1.1"), ip("2001:db8::1")}, std::nullopt});
    EXPECT_EQ(answers("hr.test", RrType::kA),
              (std::vector<std::string>{"hr.test. 0 IN A 10.1.1.1"}));
    EXPECT_EQ(answers("hr.test", RrType::kAaaa),
              (std::vector<std::string>{"hr.test. 0 IN AAAA 2001:db8::1"}));
    EXPECT_EQ(answers("hr2.test", RrType::kA),
              (std::vector<std::string>{"hr2.test. 0 IN A 10.1.1.1"}));
    EXPECT_EQ(answers("1.1.1.10.in-addr.arpa", RrType::kPtr),
              (std::vector<std::string>{"1.1.1.10.in-addr.arpa. 0 IN PTR hr.test."}));
    EXPECT_EQ(rcode("hr.test", RrType::kMx), kRefused);  // other types forwarded
}

TEST_F(LocalRecordsTest, HostRecordTtl) {
    settings_.local.host_records.push_back({{"hr.test"}, {ip("10.1.1.1")}, 60U});
    EXPECT_EQ(answers("hr.test", RrType::kA),
              (std::vector<std::string>{"hr.test. 60 IN A 10.1.1.1"}));
}

// cname=c.test,alpha ; cname=cc.test,c.test ; cname=cext.test,www.google.com
TEST_F(LocalRecordsTest, CnameFollowsLocalDataForEveryType) {
    settings_.local.cnames.push_back({{"c.test"}, "alpha", std::nullopt});
    settings_.local.cnames.push_back({{"cc.test"}, "c.test", std::nullopt});
    settings_.local.cnames.push_back({{"cext.test"}, "www.google.com", std::nullopt});
    EXPECT_EQ(
        answers("c.test", RrType::kA),
        (std::vector<std::string>{"c.test. 0 IN CNAME alpha.", "alpha. 0 IN A 192.168.1.10"}));
    EXPECT_EQ(answers("cc.test", RrType::kA),
              (std::vector<std::string>{"cc.test. 0 IN CNAME c.test.", "c.test. 0 IN CNAME alpha.",
                                        "alpha. 0 IN A 192.168.1.10"}));
    EXPECT_EQ(answers("c.test", RrType::kCname),
              (std::vector<std::string>{"c.test. 0 IN CNAME alpha."}));
    EXPECT_EQ(answers("c.test", RrType::kMx),
              (std::vector<std::string>{"c.test. 0 IN CNAME alpha."}));
    const auto external = ask("cext.test", RrType::kA);
    EXPECT_EQ(texts(external.reply.answers),
              (std::vector<std::string>{"cext.test. 0 IN CNAME www.google.com."}));
    EXPECT_TRUE(external.reply.header.aa);
    EXPECT_EQ(external.kind, Decision::Kind::kAnswer);
}

TEST_F(LocalRecordsTest, CnameLoopIsBounded) {
    settings_.local.cnames.push_back({{"a.test"}, "b.test", std::nullopt});
    settings_.local.cnames.push_back({{"b.test"}, "a.test", std::nullopt});
    const auto reply = ask("a.test", RrType::kA).reply;
    EXPECT_EQ(reply.answers.size(), 10U);
}

// txt-record=t.test,"a b",c ; txt-record=empty.test
TEST_F(LocalRecordsTest, TxtRecords) {
    settings_.local.txt_records.push_back({"t.test", {"a b", "c"}});
    settings_.local.txt_records.push_back({"empty.test", {}});
    EXPECT_EQ(answers("t.test", RrType::kTxt),
              (std::vector<std::string>{"t.test. 0 IN TXT \"a b\" \"c\""}));
    EXPECT_EQ(answers("empty.test", RrType::kTxt),
              (std::vector<std::string>{"empty.test. 0 IN TXT \"\""}));
    EXPECT_TRUE(ask("t.test", RrType::kTxt).reply.header.aa);
    EXPECT_EQ(rcode("t.test", RrType::kA), kRefused);  // forwarded, not NODATA
}

// srv-host=_ldap._tcp.s.test ; srv-host=_x._tcp.s2.test,alpha,389 ;
// srv-host=_x._tcp.s2.test,beta,390,2,3 -> later line first, targets' addresses as additionals.
TEST_F(LocalRecordsTest, SrvRecordsWithAdditionalAddresses) {
    settings_.local.srv_records.push_back({"_ldap._tcp.s.test", "", 1, 0, 0});
    settings_.local.srv_records.push_back({"_x._tcp.s2.test", "alpha", 389, 0, 0});
    settings_.local.srv_records.push_back({"_x._tcp.s2.test", "beta", 390, 2, 3});
    EXPECT_EQ(answers("_ldap._tcp.s.test", RrType::kSrv),
              (std::vector<std::string>{"_ldap._tcp.s.test. 0 IN SRV 0 0 1 ."}));
    const auto reply = ask("_x._tcp.s2.test", RrType::kSrv).reply;
    EXPECT_EQ(texts(reply.answers),
              (std::vector<std::string>{"_x._tcp.s2.test. 0 IN SRV 2 3 390 beta.",
                                        "_x._tcp.s2.test. 0 IN SRV 0 0 389 alpha."}));
    EXPECT_EQ(
        sorted(texts(reply.additionals)),
        (std::vector<std::string>{"alpha. 0 IN A 192.168.1.10", "alpha. 0 IN AAAA 2001:db8::10",
                                  "beta. 0 IN A 192.168.1.11"}));
}

// mx-host=m.test,alpha,10 ; mx-host=m2.test ; mx-host=m3.test,mail.test ; mx-target=mt.test
TEST_F(LocalRecordsTest, MxHostTargetsAndDefaults) {
    settings_.local.mx_records.push_back({"m.test", "alpha", 10});
    settings_.local.mx_records.push_back({"m2.test", "", 1});
    settings_.local.mx_records.push_back({"m3.test", "mail.test", 1});
    settings_.local.mx_target = "mt.test";
    const auto reply = ask("m.test", RrType::kMx).reply;
    EXPECT_EQ(texts(reply.answers), (std::vector<std::string>{"m.test. 0 IN MX 10 alpha."}));
    EXPECT_EQ(reply.additionals.size(), 2U);
    EXPECT_EQ(answers("m2.test", RrType::kMx),
              (std::vector<std::string>{"m2.test. 0 IN MX 1 mt.test."}));
    EXPECT_EQ(answers("m3.test", RrType::kMx),
              (std::vector<std::string>{"m3.test. 0 IN MX 1 mail.test."}));
    EXPECT_EQ(rcode("m.test", RrType::kA), kRefused);
    EXPECT_EQ(rcode("gamma", RrType::kMx), kRefused);  // neither selfmx nor localmx
}

// `dig vm MX` on host "vm" with mx-target=mt.test -> "vm. 0 IN MX 0 mt.test.".
TEST_F(LocalRecordsTest, MxTargetAnswersForTheMachineName) {
    settings_.local.mx_target = "mt.test";
    resolver().set_host_name("vm");
    EXPECT_EQ(answers("vm", RrType::kMx), (std::vector<std::string>{"vm. 0 IN MX 0 mt.test."}));
}

TEST_F(LocalRecordsTest, MxWithoutTargetUsesHostName) {
    settings_.local.mx_records.push_back({"m2.test", "", 1});
    EXPECT_EQ(rcode("m2.test", RrType::kMx), kRefused);  // no target known yet
    resolver().set_host_name("vm");
    EXPECT_EQ(answers("m2.test", RrType::kMx),
              (std::vector<std::string>{"m2.test. 0 IN MX 1 vm."}));
}

// selfmx + localmx: `dig alpha MX` -> "1 alpha."; `dig nohost MX` forwarded.
TEST_F(LocalRecordsTest, SelfMxPointsEachLocalMachineAtItself) {
    settings_.local.selfmx = true;
    settings_.local.localmx = true;
    settings_.local.mx_target = "mt.test";
    EXPECT_EQ(answers("alpha", RrType::kMx), (std::vector<std::string>{"alpha. 0 IN MX 1 alpha."}));
    EXPECT_EQ(rcode("nohost", RrType::kMx), kRefused);
}

TEST_F(LocalRecordsTest, LocalMxPointsAtMxTarget) {
    settings_.local.localmx = true;
    settings_.local.mx_target = "mt.test";
    EXPECT_EQ(answers("gamma", RrType::kMx),
              (std::vector<std::string>{"gamma. 0 IN MX 1 mt.test."}));
}

// ptr-record=p.test ; ptr-record=1.2.0.192.in-addr.arpa,ptrtarget.test
TEST_F(LocalRecordsTest, PtrRecords) {
    settings_.local.ptr_records.push_back({"p.test", std::nullopt});
    settings_.local.ptr_records.push_back(
        {"1.2.0.192.in-addr.arpa", std::string("ptrtarget.test")});
    EXPECT_EQ(answers("p.test", RrType::kPtr), (std::vector<std::string>{"p.test. 0 IN PTR ."}));
    EXPECT_EQ(answers("1.2.0.192.in-addr.arpa", RrType::kPtr),
              (std::vector<std::string>{"1.2.0.192.in-addr.arpa. 0 IN PTR ptrtarget.test."}));
}

// naptr-record=n.test,100,10,"U","E2U+sip","!^.*$!sip:info@example.com!",
TEST_F(LocalRecordsTest, NaptrRecord) {
    settings_.local.naptr_records.push_back(
        {"n.test", 100, 10, "U", "E2U+sip", "!^.*$!sip:info@example.com!", ""});
    EXPECT_EQ(
        answers("n.test", RrType::kNaptr),
        (std::vector<std::string>{
            "n.test. 0 IN NAPTR 100 10 \"U\" \"E2U+sip\" \"!^.*$!sip:info@example.com!\" ."}));
    EXPECT_EQ(rcode("n.test", RrType::kA), kRefused);
}

// caa-record=caa.test,0,issue,letsencrypt.org
TEST_F(LocalRecordsTest, CaaRecord) {
    settings_.local.caa_records.push_back({"caa.test", 0, "issue", "letsencrypt.org"});
    EXPECT_EQ(answers("caa.test", RrType::kCaa),
              (std::vector<std::string>{"caa.test. 0 IN CAA 0 issue \"letsencrypt.org\""}));
    EXPECT_EQ(rcode("caa.test", RrType::kTxt), kRefused);
}

// dns-rr=raw.test,65534,0102ff ; dns-rr=raw2.test,16,03616263
TEST_F(LocalRecordsTest, RawRecords) {
    settings_.local.raw_records.push_back(
        {"raw.test", 65534, {std::byte{1}, std::byte{2}, std::byte{0xff}}});
    settings_.local.raw_records.push_back(
        {"raw2.test", 16, {std::byte{3}, std::byte{'a'}, std::byte{'b'}, std::byte{'c'}}});
    const auto raw = ask("raw.test", static_cast<RrType>(65534)).reply;
    ASSERT_EQ(raw.answers.size(), 1U);
    EXPECT_EQ(raw.answers[0].type(), static_cast<RrType>(65534));
    EXPECT_EQ(std::get<net::dns::rdata::Opaque>(raw.answers[0].rdata).data.size(), 3U);
    const auto txt = ask("raw2.test", RrType::kTxt).reply;
    ASSERT_EQ(txt.answers.size(), 1U);
    const auto wire = net::dns::serialize(txt);
    ASSERT_TRUE(wire.has_value());
    const auto parsed = net::dns::parse_message(*wire);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(texts(parsed->answers), (std::vector<std::string>{"raw2.test. 0 IN TXT \"abc\""}));
    EXPECT_EQ(rcode("raw.test", RrType::kA), kRefused);
}

// `dig m.test ANY` and `dig alpha ANY` (with selfmx): every local type.
TEST_F(LocalRecordsTest, AnyCollectsEveryLocalType) {
    settings_.local.selfmx = true;
    EXPECT_EQ(
        sorted(answers("alpha", RrType::kAny)),
        (std::vector<std::string>{"alpha. 0 IN A 192.168.1.10", "alpha. 0 IN AAAA 2001:db8::10",
                                  "alpha. 0 IN MX 1 alpha."}));
}

// interface-name=lo.test,lo/4: A and PTR from the interface, AAAA forwarded.
TEST_F(LocalRecordsTest, InterfaceName) {
    settings_.local.interface_names.push_back({"lo.test", "lo", true, false});
    interfaces_ = [](std::string_view name) {
        return name == "lo" ? std::vector<net::IpAddress>{ip("127.0.0.1"), ip("::1")}
                            : std::vector<net::IpAddress>{};
    };
    EXPECT_EQ(answers("lo.test", RrType::kA),
              (std::vector<std::string>{"lo.test. 0 IN A 127.0.0.1"}));
    EXPECT_EQ(rcode("lo.test", RrType::kAaaa), kRefused);
    EXPECT_EQ(answers("1.0.0.127.in-addr.arpa", RrType::kPtr),
              (std::vector<std::string>{"1.0.0.127.in-addr.arpa. 0 IN PTR lo.test."}));
}

// synth-domain=synth.test,192.168.50.0/24,host- ; synth-domain=synth6.test,2001:db8:5::/64
TEST_F(LocalRecordsTest, SynthDomain) {
    settings_.local.synth_domains.push_back(
        {"synth.test", ip("192.168.50.0"), ip("192.168.50.255"), "host-"});
    settings_.local.synth_domains.push_back(
        {"synth6.test", ip("2001:db8:5::"), ip("2001:db8:5::ffff:ffff:ffff:ffff"), ""});
    EXPECT_EQ(answers("host-192-168-50-7.synth.test", RrType::kA),
              (std::vector<std::string>{"host-192-168-50-7.synth.test. 0 IN A 192.168.50.7"}));
    EXPECT_EQ(answers("7.50.168.192.in-addr.arpa", RrType::kPtr),
              (std::vector<std::string>{
                  "7.50.168.192.in-addr.arpa. 0 IN PTR host-192-168-50-7.synth.test."}));
    EXPECT_EQ(answers("2001-db8-5--1.synth6.test", RrType::kAaaa),
              (std::vector<std::string>{"2001-db8-5--1.synth6.test. 0 IN AAAA 2001:db8:5::1"}));
    EXPECT_EQ(rcode("host-192-168-51-7.synth.test", RrType::kA), kRefused);  // out of range
    EXPECT_EQ(rcode("192-168-50-7.synth.test", RrType::kA), kRefused);       // prefix missing
}

// DHCP lease names: name and name.domain, A + PTR to the qualified name (dnsmasq lease.c).
TEST_F(LocalRecordsTest, LeaseNamesWithDomain) {
    settings_.local.domains.push_back({"lan", std::nullopt, std::nullopt, false, ""});
    resolver().set_lease_name("Laptop", net::Ipv4Address({192, 168, 1, 50}));
    EXPECT_EQ(answers("laptop", RrType::kA),
              (std::vector<std::string>{"laptop. 0 IN A 192.168.1.50"}));
    EXPECT_EQ(answers("laptop.lan", RrType::kA),
              (std::vector<std::string>{"laptop.lan. 0 IN A 192.168.1.50"}));
    EXPECT_EQ(answers("50.1.168.192.in-addr.arpa", RrType::kPtr),
              (std::vector<std::string>{"50.1.168.192.in-addr.arpa. 0 IN PTR laptop.lan."}));
    // No AAAA for the lease name: not answered locally (dnsmasq forwards; no server here).
    EXPECT_EQ(rcode("laptop", RrType::kAaaa), kRefused);
    resolver().remove_lease_name("laptop", net::Ipv4Address({192, 168, 1, 50}));
    EXPECT_EQ(rcode("laptop", RrType::kA), kRefused);
    EXPECT_EQ(rcode("laptop.lan", RrType::kA), kRefused);
    EXPECT_EQ(rcode("50.1.168.192.in-addr.arpa", RrType::kPtr), kRefused);
}

TEST_F(LocalRecordsTest, LeaseNamesUseDhcpTtlAndRangeDomain) {
    settings_.local.dhcp_ttl = 30;
    settings_.local.domains.push_back({"lan", std::nullopt, std::nullopt, false, ""});
    settings_.local.domains.push_back({"guest", ip("10.9.0.0"), ip("10.9.0.255"), false, ""});
    resolver().set_lease_name("phone", net::Ipv4Address({10, 9, 0, 5}));
    EXPECT_EQ(answers("phone.guest", RrType::kA),
              (std::vector<std::string>{"phone.guest. 30 IN A 10.9.0.5"}));
    EXPECT_EQ(rcode("phone.lan", RrType::kA), kRefused);
    resolver().set_lease_name("bad name", net::Ipv4Address({10, 9, 0, 6}));  // ignored
    EXPECT_EQ(rcode("6.0.9.10.in-addr.arpa", RrType::kPtr), kRefused);
}

TEST_F(LocalRecordsTest, LeaseNameWithoutDomainIsBare) {
    resolver().set_lease_name("printer", net::Ipv4Address({192, 168, 1, 60}));
    EXPECT_EQ(answers("60.1.168.192.in-addr.arpa", RrType::kPtr),
              (std::vector<std::string>{"60.1.168.192.in-addr.arpa. 0 IN PTR printer."}));
}

TEST_F(LocalRecordsTest, QualifiedLeaseNameGetsNoSecondDomain) {
    settings_.local.domains.push_back({"lan", std::nullopt, std::nullopt, false, ""});
    resolver().set_lease_name("box.lan", net::Ipv4Address({192, 168, 1, 70}));
    EXPECT_EQ(answers("box.lan", RrType::kA),
              (std::vector<std::string>{"box.lan. 0 IN A 192.168.1.70"}));
    EXPECT_EQ(rcode("box.lan.lan", RrType::kA), kRefused);
    resolver().remove_lease_name("box.lan", net::Ipv4Address({192, 168, 1, 70}));
    EXPECT_EQ(rcode("box.lan", RrType::kA), kRefused);
}

TEST(LocalRecords, BadNamesAreReported) {
    LocalDataSettings local;
    local.txt_records.push_back({"a..b", {"x"}});
    local.srv_records.push_back({"_s._tcp.ok", "bad..target", 1, 0, 0});
    local.txt_records.push_back({"long.test", {std::string(256, 'x')}});
    const LocalRecords records(local);
    EXPECT_EQ(records.problems().size(), 3U);
}

}  // namespace
}  // namespace nfv::dnsvizor::dns
