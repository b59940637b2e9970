// LocalResolver against dnsmasq 2.90. Each expectation was first observed with the real
// dnsmasq on loopback in a private network namespace:
//   unshare -rn sh -c 'ip link set lo up; dnsmasq --no-daemon --port=5399 --conf-file=x.conf &
//                      sleep 0.5; dig @127.0.0.1 -p 5399 +norec NAME TYPE'
// with x.conf holding the options named in each test (plus no-resolv).
#include "dns/local_resolver.hpp"

#include <gtest/gtest.h>

#include "dns/hosts_file.hpp"

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

Message make_query(std::string_view name, RrType type, bool edns = true,
                   RrClass rclass = RrClass::kIn) {
    Message query;
    query.header.id = 0x1234;
    query.header.rd = true;
    query.questions.push_back({*Name::parse_text(name), type, rclass});
    if (edns) {
        net::dns::Edns options;
        options.udp_payload_size = 4096;
        query.edns = options;
    }
    return query;
}

std::vector<std::string> answer_texts(const Message& reply) {
    std::vector<std::string> texts;
    for (const auto& record : reply.answers) {
        texts.push_back(net::dns::to_text(record));
    }
    return texts;
}

HostsData hosts_from(std::string_view text) {
    HostsData data;
    data.files.push_back({"/test/hosts", parse_hosts_file(text).entries});
    return data;
}

ServerRule server(std::vector<std::string> domains, std::string_view address) {
    ServerRule rule;
    rule.domains = std::move(domains);
    rule.kind = ServerRule::Kind::kForward;
    rule.address = ip(address);
    return rule;
}

ServerRule local_only(std::vector<std::string> domains) {
    ServerRule rule;
    rule.domains = std::move(domains);
    rule.kind = ServerRule::Kind::kLocalOnly;
    return rule;
}

class LocalResolverTest : public ::testing::Test {
protected:
    Decision ask(std::string_view name, RrType type, bool edns = true,
                 RrClass rclass = RrClass::kIn) {
        if (!resolver_) {
            resolver_.emplace(settings_, hosts_, interfaces_);
        }
        return resolver_->resolve(make_query(name, type, edns, rclass),
                                  ClientInfo{ip("127.0.0.1"), 5000, false, "lo"},
                                  platform::Instant{});
    }
    LocalResolver& resolver() {
        if (!resolver_) {
            resolver_.emplace(settings_, hosts_, interfaces_);
        }
        return *resolver_;
    }

    DnsSettings settings_;
    HostsData hosts_;
    InterfaceAddresses interfaces_;
    std::optional<LocalResolver> resolver_;
};

constexpr std::string_view kHosts =
    "192.168.1.10 alpha alpha-alias\n192.168.1.11 beta.example.com beta\n"
    "2001:db8::10 alpha\n10.0.0.1 gamma\n";

// hosts + expand-hosts + domain=lan: `dig alpha A` -> aa, TTL 0, EDNS udp 1232.
TEST_F(LocalResolverTest, HostsNameAnswersWithAaTtlZeroAndEdns) {
    hosts_ = hosts_from(kHosts);
    const auto decision = ask("alpha", RrType::kA);
    ASSERT_EQ(decision.kind, Decision::Kind::kAnswer);
    const auto& reply = decision.reply;
    EXPECT_EQ(reply.header.id, 0x1234);
    EXPECT_TRUE(reply.header.qr);
    EXPECT_TRUE(reply.header.aa);
    EXPECT_TRUE(reply.header.ra);
    EXPECT_TRUE(reply.header.rd);
    EXPECT_EQ(reply.rcode(), 0);
    EXPECT_EQ(answer_texts(reply), (std::vector<std::string>{"alpha. 0 IN A 192.168.1.10"}));
    ASSERT_TRUE(reply.edns.has_value());
    EXPECT_EQ(reply.edns->udp_payload_size, 1232);
    ASSERT_EQ(reply.questions.size(), 1U);
}

// `dig +noedns ads.test A`: no OPT record in the reply.
TEST_F(LocalResolverTest, NoOptWithoutEdnsInQuery) {
    hosts_ = hosts_from(kHosts);
    const auto decision = ask("alpha", RrType::kAaaa, /*edns=*/false);
    EXPECT_FALSE(decision.reply.edns.has_value());
    EXPECT_EQ(answer_texts(decision.reply),
              (std::vector<std::string>{"alpha. 0 IN AAAA 2001:db8::10"}));
}

TEST_F(LocalResolverTest, LocalTtlIsUsed) {
    settings_.local.local_ttl = 300;
    hosts_ = hosts_from(kHosts);
    EXPECT_EQ(answer_texts(ask("ALPHA", RrType::kA).reply),
              (std::vector<std::string>{"ALPHA. 300 IN A 192.168.1.10"}));
}

TEST_F(LocalResolverTest, ExpandHostsAddsDomainAndPtrPrefersQualifiedName) {
    settings_.local.expand_hosts = true;
    settings_.local.domains.push_back(DomainRule{"lan", {}, {}, false, ""});
    hosts_ = hosts_from(kHosts);
    EXPECT_EQ(answer_texts(ask("alpha.lan", RrType::kA).reply),
              (std::vector<std::string>{"alpha.lan. 0 IN A 192.168.1.10"}));
    EXPECT_EQ(answer_texts(ask("10.1.168.192.in-addr.arpa", RrType::kPtr).reply),
              (std::vector<std::string>{"10.1.168.192.in-addr.arpa. 0 IN PTR alpha.lan."}));
    // A dotted name is not expanded: beta.example.com.lan does not exist.
    EXPECT_EQ(answer_texts(ask("11.1.168.192.in-addr.arpa", RrType::kPtr).reply),
              (std::vector<std::string>{"11.1.168.192.in-addr.arpa. 0 IN PTR beta.example.com."}));
    EXPECT_EQ(ask("beta.example.com.lan", RrType::kA).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kRefused));
}

TEST_F(LocalResolverTest, WithoutExpandHostsOnlyTheBareNameExists) {
    settings_.local.domains.push_back(DomainRule{"lan", {}, {}, false, ""});
    hosts_ = hosts_from(kHosts);
    EXPECT_EQ(ask("alpha.lan", RrType::kA).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kRefused));
    EXPECT_EQ(answer_texts(ask("10.1.168.192.in-addr.arpa", RrType::kPtr).reply),
              (std::vector<std::string>{"10.1.168.192.in-addr.arpa. 0 IN PTR alpha."}));
}

TEST_F(LocalResolverTest, Ipv6ReversePtrFromHosts) {
    hosts_ = hosts_from(kHosts);
    const auto reply =
        ask("0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa",
            RrType::kPtr)
            .reply;
    ASSERT_EQ(reply.answers.size(), 1U);
    EXPECT_EQ(std::get<net::dns::rdata::Ptr>(reply.answers[0].rdata).target.to_text(), "alpha.");
    EXPECT_TRUE(reply.header.aa);
}

// `dig beta AAAA` (hosts has only 192.168.1.11, no local=): dnsmasq 2.90 forwards it (its log:
// "query[AAAA] beta ... forwarded beta to 127.0.0.2"); it does not answer NODATA itself.
TEST_F(LocalResolverTest, OtherFamilyOnlyIsForwarded) {
    hosts_ = hosts_from(kHosts);
    settings_.upstream.servers.push_back(server({}, "192.0.2.53"));
    EXPECT_EQ(ask("beta", RrType::kAaaa).kind, Decision::Kind::kForward);
    EXPECT_EQ(ask("beta.example.com", RrType::kAaaa).kind, Decision::Kind::kForward);
    EXPECT_EQ(ask("beta", RrType::kA).kind, Decision::Kind::kAnswer);
}

// `dig alpha MX`: hosts names answer only A/AAAA; MX is forwarded (REFUSED without upstream).
TEST_F(LocalResolverTest, OtherTypesOfHostsNamesAreForwarded) {
    hosts_ = hosts_from(kHosts);
    const auto refused = ask("alpha", RrType::kMx);
    ASSERT_EQ(refused.kind, Decision::Kind::kAnswer);
    EXPECT_EQ(refused.reply.rcode(), static_cast<std::uint16_t>(Rcode::kRefused));
    EXPECT_FALSE(refused.reply.header.aa);
    EXPECT_TRUE(refused.reply.header.ra);

    resolver().set_default_upstreams({Upstream{ip("192.0.2.53"), 53, ""}});
    const auto forwarded = ask("alpha", RrType::kMx);
    ASSERT_EQ(forwarded.kind, Decision::Kind::kForward);
    EXPECT_EQ(forwarded.upstreams, (std::vector<Upstream>{Upstream{ip("192.0.2.53"), 53, ""}}));
}

TEST_F(LocalResolverTest, SetHostsReplacesTheHostsData) {
    hosts_ = hosts_from(kHosts);
    EXPECT_EQ(ask("gamma", RrType::kA).reply.answers.size(), 1U);
    resolver().set_hosts(hosts_from("10.0.0.2 delta\n"));
    EXPECT_EQ(ask("gamma", RrType::kA).reply.rcode(), static_cast<std::uint16_t>(Rcode::kRefused));
    EXPECT_EQ(answer_texts(ask("delta", RrType::kA).reply),
              (std::vector<std::string>{"delta. 0 IN A 10.0.0.2"}));
}

// address=/ads.test/1.2.3.4 + address=/sub.ads.test/5.6.7.8.
TEST_F(LocalResolverTest, AddressRuleMatchesSubdomainsMostSpecificWins) {
    settings_.local.addresses.push_back(
        {{"ads.test"}, AddressRule::Kind::kAddress, {ip("1.2.3.4")}});
    settings_.local.addresses.push_back(
        {{"sub.ads.test"}, AddressRule::Kind::kAddress, {ip("5.6.7.8")}});
    EXPECT_EQ(answer_texts(ask("ads.test", RrType::kA).reply),
              (std::vector<std::string>{"ads.test. 0 IN A 1.2.3.4"}));
    EXPECT_EQ(answer_texts(ask("x.sub.ads.test", RrType::kA).reply),
              (std::vector<std::string>{"x.sub.ads.test. 0 IN A 5.6.7.8"}));
    EXPECT_EQ(answer_texts(ask("deep.x.ads.test", RrType::kA).reply),
              (std::vector<std::string>{"deep.x.ads.test. 0 IN A 1.2.3.4"}));
    EXPECT_TRUE(ask("ads.test", RrType::kA).reply.header.aa);
    // Not a label boundary: xads.test is not inside ads.test.
    EXPECT_EQ(ask("xads.test", RrType::kA).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kRefused));
}

// `dig ads.test AAAA` with an IPv4-only address= rule: forwarded (REFUSED without upstream).
TEST_F(LocalResolverTest, AddressRuleOtherTypesAreForwarded) {
    settings_.local.addresses.push_back(
        {{"ads.test"}, AddressRule::Kind::kAddress, {ip("1.2.3.4")}});
    settings_.local.addresses.push_back(
        {{"six.test"}, AddressRule::Kind::kAddress, {ip("2001:db8::99")}});
    EXPECT_EQ(ask("ads.test", RrType::kAaaa).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kRefused));
    EXPECT_EQ(ask("ads.test", RrType::kTxt).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kRefused));
    EXPECT_EQ(answer_texts(ask("six.test", RrType::kAaaa).reply),
              (std::vector<std::string>{"six.test. 0 IN AAAA 2001:db8::99"}));
    EXPECT_EQ(ask("six.test", RrType::kA).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kRefused));
}

// address=/block.test/: NXDOMAIN without aa for every type and subdomain.
TEST_F(LocalResolverTest, AddressWithoutIpIsNxdomainForAllTypes) {
    settings_.local.addresses.push_back({{"block.test"}, AddressRule::Kind::kNxdomain, {}});
    for (const auto type : {RrType::kA, RrType::kMx}) {
        const auto decision = ask("x.block.test", type);
        ASSERT_EQ(decision.kind, Decision::Kind::kAnswer);
        EXPECT_EQ(decision.reply.rcode(), static_cast<std::uint16_t>(Rcode::kNxDomain));
        EXPECT_FALSE(decision.reply.header.aa);
        EXPECT_TRUE(decision.reply.header.ra);
    }
}

// address=/null.test/#: 0.0.0.0 and ::, other types forwarded.
TEST_F(LocalResolverTest, NullAddressForm) {
    settings_.local.addresses.push_back({{"null.test"}, AddressRule::Kind::kNullAddress, {}});
    EXPECT_EQ(answer_texts(ask("null.test", RrType::kA).reply),
              (std::vector<std::string>{"null.test. 0 IN A 0.0.0.0"}));
    EXPECT_EQ(answer_texts(ask("null.test", RrType::kAaaa).reply),
              (std::vector<std::string>{"null.test. 0 IN AAAA ::"}));
    EXPECT_EQ(ask("null.test", RrType::kMx).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kRefused));
}

// address=/#/9.9.9.9 with hosts: hosts names keep their data, other names get 9.9.9.9.
TEST_F(LocalResolverTest, HashAddressMatchesEverythingButHostsWin) {
    hosts_ = hosts_from(kHosts);
    settings_.local.addresses.push_back({{"#"}, AddressRule::Kind::kAddress, {ip("9.9.9.9")}});
    EXPECT_EQ(answer_texts(ask("alpha", RrType::kA).reply),
              (std::vector<std::string>{"alpha. 0 IN A 192.168.1.10"}));
    EXPECT_EQ(answer_texts(ask("zzz.test", RrType::kA).reply),
              (std::vector<std::string>{"zzz.test. 0 IN A 9.9.9.9"}));
}

// address=/ads.test/1.2.3.4 + server=/x.ads.test/127.0.0.99: x.ads.test is forwarded;
// address=/y.fwd.test/5.5.5.5 + server=/fwd.test/127.0.0.98: y.fwd.test is answered.
TEST_F(LocalResolverTest, MoreSpecificServerRuleBeatsAddressRule) {
    settings_.local.addresses.push_back(
        {{"ads.test"}, AddressRule::Kind::kAddress, {ip("1.2.3.4")}});
    settings_.local.addresses.push_back(
        {{"y.fwd.test"}, AddressRule::Kind::kAddress, {ip("5.5.5.5")}});
    settings_.upstream.servers.push_back(server({"x.ads.test"}, "127.0.0.99"));
    settings_.upstream.servers.push_back(server({"fwd.test"}, "127.0.0.98"));
    const auto forwarded = ask("x.ads.test", RrType::kA);
    ASSERT_EQ(forwarded.kind, Decision::Kind::kForward);
    EXPECT_EQ(forwarded.upstreams, (std::vector<Upstream>{Upstream{ip("127.0.0.99"), 53, ""}}));
    EXPECT_EQ(answer_texts(ask("y.fwd.test", RrType::kA).reply),
              (std::vector<std::string>{"y.fwd.test. 0 IN A 5.5.5.5"}));
}

// local=/corp.test/: NXDOMAIN without aa for the domain and below.
TEST_F(LocalResolverTest, LocalDomainIsNeverForwarded) {
    settings_.upstream.servers.push_back(server({}, "192.0.2.53"));
    settings_.upstream.servers.push_back(local_only({"corp.test"}));
    for (const auto* name : {"corp.test", "x.corp.test"}) {
        const auto decision = ask(name, RrType::kA);
        ASSERT_EQ(decision.kind, Decision::Kind::kAnswer) << name;
        EXPECT_EQ(decision.reply.rcode(), static_cast<std::uint16_t>(Rcode::kNxDomain));
        EXPECT_FALSE(decision.reply.header.aa);
    }
    EXPECT_EQ(ask("other.test", RrType::kA).kind, Decision::Kind::kForward);
}

TEST_F(LocalResolverTest, LocalDomainStillAnswersLocalData) {
    settings_.upstream.servers.push_back(local_only({"lan"}));
    hosts_ = hosts_from("10.0.0.5 printer.lan\n");
    EXPECT_EQ(answer_texts(ask("printer.lan", RrType::kA).reply),
              (std::vector<std::string>{"printer.lan. 0 IN A 10.0.0.5"}));
    EXPECT_EQ(ask("printer.lan", RrType::kAaaa).reply.rcode(), 0);  // NODATA
    EXPECT_EQ(ask("scanner.lan", RrType::kA).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kNxDomain));
}

// server=/fwd.test/9.9.9.9 plus default 127.0.0.97; server=/usedef.test/# uses the defaults.
TEST_F(LocalResolverTest, ServerChoiceByMostSpecificDomain) {
    settings_.upstream.servers.push_back(server({}, "127.0.0.97"));
    settings_.upstream.servers.push_back(server({"fwd.test"}, "9.9.9.9"));
    settings_.upstream.servers.push_back(server({"a.fwd.test"}, "9.9.9.10"));
    settings_.upstream.servers.push_back(server({"a.fwd.test"}, "9.9.9.11"));
    ServerRule use_default;
    use_default.domains = {"usedef.fwd.test"};
    use_default.kind = ServerRule::Kind::kUseDefault;
    settings_.upstream.servers.push_back(use_default);
    resolver().set_default_upstreams({Upstream{ip("192.0.2.1"), 53, ""}});

    EXPECT_EQ(ask("x.fwd.test", RrType::kA).upstreams,
              (std::vector<Upstream>{Upstream{ip("9.9.9.9"), 53, ""}}));
    EXPECT_EQ(ask("b.a.fwd.test", RrType::kA).upstreams,
              (std::vector<Upstream>{Upstream{ip("9.9.9.10"), 53, ""},
                                     Upstream{ip("9.9.9.11"), 53, ""}}));
    const std::vector<Upstream> defaults{Upstream{ip("127.0.0.97"), 53, ""},
                                         Upstream{ip("192.0.2.1"), 53, ""}};
    EXPECT_EQ(ask("usedef.fwd.test", RrType::kA).upstreams, defaults);
    EXPECT_EQ(ask("example.com", RrType::kA).upstreams, defaults);
}

TEST_F(LocalResolverTest, UnqualifiedNamesRule) {
    settings_.upstream.servers.push_back(server({}, "127.0.0.97"));
    settings_.upstream.servers.push_back(server({""}, "10.0.0.53"));
    EXPECT_EQ(ask("printer", RrType::kA).upstreams,
              (std::vector<Upstream>{Upstream{ip("10.0.0.53"), 53, ""}}));
    EXPECT_EQ(ask("printer.example", RrType::kA).upstreams,
              (std::vector<Upstream>{Upstream{ip("127.0.0.97"), 53, ""}}));
}

TEST_F(LocalResolverTest, WildcardServerRule) {
    settings_.upstream.servers.push_back(server({"*.example.com"}, "10.0.0.1"));
    EXPECT_EQ(ask("www.example.com", RrType::kA).kind, Decision::Kind::kForward);
    EXPECT_EQ(ask("example.com", RrType::kA).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kRefused));
}

// No upstream at all: REFUSED with ra, no aa (`dig fwd.test A` in the no-resolv setup).
TEST_F(LocalResolverTest, NoUpstreamIsRefused) {
    const auto decision = ask("example.com", RrType::kA);
    ASSERT_EQ(decision.kind, Decision::Kind::kAnswer);
    EXPECT_EQ(decision.reply.rcode(), static_cast<std::uint16_t>(Rcode::kRefused));
    EXPECT_TRUE(decision.reply.header.ra);
    EXPECT_FALSE(decision.reply.header.aa);
    EXPECT_TRUE(decision.reply.edns.has_value());
}

// domain-needed: `dig dotless A` -> NXDOMAIN (no aa); `dig dotless MX` is forwarded.
TEST_F(LocalResolverTest, DomainNeededBlocksDotlessAddressQueries) {
    settings_.upstream.domain_needed = true;
    settings_.upstream.servers.push_back(server({}, "127.0.0.97"));
    const auto a = ask("dotless", RrType::kA);
    ASSERT_EQ(a.kind, Decision::Kind::kAnswer);
    EXPECT_EQ(a.reply.rcode(), static_cast<std::uint16_t>(Rcode::kNxDomain));
    EXPECT_FALSE(a.reply.header.aa);
    EXPECT_EQ(ask("dotless", RrType::kMx).kind, Decision::Kind::kForward);
    EXPECT_EQ(ask("dotted.name", RrType::kA).kind, Decision::Kind::kForward);
}

// bogus-priv: `dig -x 192.168.77.1` and `-x 10.0.0.99` -> NXDOMAIN with aa; `-x 8.8.8.8`
// forwarded; a hosts address still answers.
TEST_F(LocalResolverTest, BogusPrivAnswersPrivateReverseNxdomain) {
    settings_.upstream.bogus_priv = true;
    settings_.upstream.servers.push_back(server({}, "127.0.0.97"));
    hosts_ = hosts_from(kHosts);
    const auto priv = ask("1.77.168.192.in-addr.arpa", RrType::kPtr);
    ASSERT_EQ(priv.kind, Decision::Kind::kAnswer);
    EXPECT_EQ(priv.reply.rcode(), static_cast<std::uint16_t>(Rcode::kNxDomain));
    EXPECT_TRUE(priv.reply.header.aa);
    EXPECT_EQ(ask("99.0.0.10.in-addr.arpa", RrType::kPtr).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kNxDomain));
    EXPECT_EQ(ask("8.8.8.8.in-addr.arpa", RrType::kPtr).kind, Decision::Kind::kForward);
    EXPECT_EQ(ask("1.0.0.10.in-addr.arpa", RrType::kPtr).reply.answers.size(), 1U);
    EXPECT_EQ(ask("1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.d.f.ip6.arpa",
                  RrType::kPtr)
                  .reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kNxDomain));
}

TEST_F(LocalResolverTest, BogusPrivYieldsToAReverseServerRule) {
    settings_.upstream.bogus_priv = true;
    settings_.upstream.servers.push_back(server({"168.192.in-addr.arpa"}, "192.168.0.1"));
    EXPECT_EQ(ask("1.77.168.192.in-addr.arpa", RrType::kPtr).kind, Decision::Kind::kForward);
}

// `dig version.bind TXT CH` -> aa, TTL 0, CH TXT; no-ident disables it.
TEST_F(LocalResolverTest, ChaosVersionBind) {
    const auto decision = ask("version.bind", RrType::kTxt, true, RrClass::kCh);
    ASSERT_EQ(decision.reply.answers.size(), 1U);
    EXPECT_EQ(decision.reply.answers[0].rclass, RrClass::kCh);
    EXPECT_EQ(std::get<net::dns::rdata::Txt>(decision.reply.answers[0].rdata).strings,
              (std::vector<std::string>{std::string(kVersionText)}));
    EXPECT_TRUE(decision.reply.header.aa);
    settings_.log.no_ident = true;
    resolver_.reset();
    EXPECT_EQ(ask("version.bind", RrType::kTxt, true, RrClass::kCh).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kRefused));
}

TEST_F(LocalResolverTest, NonQueryOpcodeIsNotImp) {
    auto query = make_query("alpha", RrType::kA);
    query.header.opcode = net::dns::Opcode::kNotify;
    const auto decision = resolver().resolve(query, ClientInfo{}, platform::Instant{});
    EXPECT_EQ(decision.reply.rcode(), static_cast<std::uint16_t>(Rcode::kNotImp));
    EXPECT_EQ(decision.reply.header.opcode, net::dns::Opcode::kNotify);
}

TEST_F(LocalResolverTest, QuestionCountOtherThanOneIsFormErr) {
    auto query = make_query("alpha", RrType::kA);
    query.questions.clear();
    EXPECT_EQ(resolver().resolve(query, ClientInfo{}, platform::Instant{}).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kFormErr));
}

// local=/lan/ + expand-hosts + domain=lan: `alpha.lan MX` NOERROR (no aa), `beta.lan AAAA`
// NOERROR, `nothere.lan MX` NXDOMAIN.
TEST_F(LocalResolverTest, LocalOnlyDomainKnownNameIsNodata) {
    settings_.upstream.servers.push_back(local_only({"lan"}));
    settings_.local.domains.push_back(DomainRule{"lan", {}, {}, false, ""});
    settings_.local.expand_hosts = true;
    hosts_ = hosts_from(kHosts);
    const auto mx = ask("alpha.lan", RrType::kMx);
    ASSERT_EQ(mx.kind, Decision::Kind::kAnswer);
    EXPECT_EQ(mx.reply.rcode(), 0);
    EXPECT_TRUE(mx.reply.answers.empty());
    EXPECT_FALSE(mx.reply.header.aa);
    EXPECT_EQ(ask("beta.lan", RrType::kAaaa).reply.rcode(), 0);
    EXPECT_EQ(ask("nothere.lan", RrType::kMx).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kNxDomain));
}

// domain=corp.test,10.5.0.0/16,local: dnsmasq logs "using only locally-known addresses for
// corp.test" and "... for 5.10.in-addr.arpa"; `x.corp.test A` and `-x 10.5.1.1` are NXDOMAIN,
// `-x 10.6.1.1` is forwarded.
TEST_F(LocalResolverTest, DomainWithLocalFlagIsLocalOnlyWithReverseZone) {
    settings_.local.domains.push_back(
        DomainRule{"corp.test", ip("10.5.0.0"), ip("10.5.255.255"), true, ""});
    settings_.upstream.servers.push_back(server({}, "127.0.0.97"));
    EXPECT_EQ(ask("x.corp.test", RrType::kA).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kNxDomain));
    EXPECT_EQ(ask("1.1.5.10.in-addr.arpa", RrType::kPtr).reply.rcode(),
              static_cast<std::uint16_t>(Rcode::kNxDomain));
    EXPECT_EQ(ask("1.1.6.10.in-addr.arpa", RrType::kPtr).kind, Decision::Kind::kForward);
}

// `dig +dnssec alpha.lan A`: the reply's OPT carries the DO flag.
TEST_F(LocalResolverTest, DnssecOkBitIsEchoed) {
    hosts_ = hosts_from(kHosts);
    auto query = make_query("alpha", RrType::kA);
    query.edns->dnssec_ok = true;
    const auto reply = resolver().resolve(query, ClientInfo{}, platform::Instant{}).reply;
    ASSERT_TRUE(reply.edns.has_value());
    EXPECT_TRUE(reply.edns->dnssec_ok);
}

// The decision generation lets the server reuse "forward" decisions: it stays put while nothing
// changes and moves with every change of local data; with interface-name rules (live interface
// addresses) there is none.
TEST_F(LocalResolverTest, DecisionGenerationMovesWithEveryChangeOfLocalData) {
    const auto first = resolver().decision_generation();
    ASSERT_TRUE(first.has_value());
    EXPECT_NE(*first, 0U);
    (void)ask("www.example.com", RrType::kA);
    EXPECT_EQ(resolver().decision_generation(), first);

    std::optional<std::uint64_t> last = first;
    const auto moved = [&] {
        const auto now = resolver().decision_generation();
        const bool changed = now.has_value() && now != last;
        last = now;
        return changed;
    };
    resolver().set_lease_name("laptop", net::Ipv4Address({192, 168, 1, 50}));
    EXPECT_TRUE(moved());
    resolver().remove_lease_name("laptop", net::Ipv4Address({192, 168, 1, 50}));
    EXPECT_TRUE(moved());
    resolver().set_hosts(hosts_from(kHosts));
    EXPECT_TRUE(moved());
    resolver().set_default_upstreams({Upstream{ip("192.0.2.53"), 53, ""}});
    EXPECT_TRUE(moved());
    resolver().set_host_name("router");
    EXPECT_TRUE(moved());
}

TEST_F(LocalResolverTest, InterfaceNamesHaveNoDecisionGeneration) {
    settings_.local.interface_names.push_back({"router.lan", "eth0", true, true});
    interfaces_ = [](std::string_view) { return std::vector<net::IpAddress>{ip("10.1.1.1")}; };
    EXPECT_FALSE(resolver().decision_generation().has_value());
}

}  // namespace
}  // namespace nfv::dnsvizor::dns
