// Fuzz target: LocalResolver::resolve (apps/dnsvizor/src/dns/local_resolver.hpp) on queries
// parsed from fuzz bytes with the net DNS codec, against a fixed configuration that uses every
// kind of local data.
//
// Properties: no crash; an answer keeps the query's id, opcode and question, has QR and RA
// set, and serializes; a forward decision names at least one upstream.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "dns/hosts_file.hpp"
#include "dns/local_resolver.hpp"

namespace dns = nfv::dnsvizor::dns;
namespace wire = nfv::net::dns;

namespace {

nfv::net::IpAddress ip(std::string_view text) {
    return *nfv::net::IpAddress::parse(text);
}

dns::LocalResolver make_resolver() {
    dns::DnsSettings s;
    auto& local = s.local;
    local.expand_hosts = true;
    local.domains.push_back({"lan", std::nullopt, std::nullopt, false, ""});
    local.domains.push_back({"corp.test", ip("10.5.0.0"), ip("10.5.255.255"), true, ""});
    local.addresses.push_back({{"ads.test"}, dns::AddressRule::Kind::kAddress, {ip("1.2.3.4")}});
    local.addresses.push_back({{"block.test"}, dns::AddressRule::Kind::kNxdomain, {}});
    local.addresses.push_back({{"null.test"}, dns::AddressRule::Kind::kNullAddress, {}});
    local.host_records.push_back({{"hr.test"}, {ip("10.1.1.1"), ip("2001:db8::1")}, 60U});
    local.cnames.push_back({{"c.test"}, "alpha.lan", std::nullopt});
    local.cnames.push_back({{"loop1.test"}, "loop2.test", std::nullopt});
    local.cnames.push_back({{"loop2.test"}, "loop1.test", std::nullopt});
    local.txt_records.push_back({"t.test", {"hello", "world"}});
    local.srv_records.push_back({"_x._tcp.s.test", "alpha", 389, 0, 0});
    local.mx_records.push_back({"m.test", "", 1});
    local.mx_target = "mail.test";
    local.selfmx = true;
    local.ptr_records.push_back({"p.test", std::nullopt});
    local.naptr_records.push_back({"n.test", 1, 2, "U", "E2U+sip", "!^.*$!x!", ""});
    local.caa_records.push_back({"caa.test", 0, "issue", "ca.test"});
    local.raw_records.push_back({"raw.test", 65534, {std::byte{1}}});
    local.interface_names.push_back({"lo.test", "lo", true, true});
    local.synth_domains.push_back({"synth.test", ip("192.168.50.0"), ip("192.168.50.255"), "h-"});
    s.upstream.bogus_priv = true;
    s.upstream.domain_needed = true;
    dns::ServerRule fwd;
    fwd.domains = {"fwd.test"};
    fwd.address = ip("192.0.2.53");
    s.upstream.servers.push_back(fwd);
    dns::ServerRule local_rule;
    local_rule.domains = {"local.test"};
    local_rule.kind = dns::ServerRule::Kind::kLocalOnly;
    s.upstream.servers.push_back(local_rule);
    dns::HostsData hosts;
    hosts.files.push_back(
        {"fuzz", dns::parse_hosts_file("192.168.1.10 alpha\n2001:db8::10 alpha\n").entries});
    dns::LocalResolver resolver(s, hosts, [](std::string_view name) {
        return name == "lo" ? std::vector<nfv::net::IpAddress>{ip("127.0.0.1"), ip("::1")}
                            : std::vector<nfv::net::IpAddress>{};
    });
    resolver.set_lease_name("laptop", nfv::net::Ipv4Address({192, 168, 1, 50}));
    resolver.set_host_name("vm");
    return resolver;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static dns::LocalResolver resolver = make_resolver();
    const auto query = wire::parse_message(std::as_bytes(std::span(data, size)));
    if (!query) {
        return 0;
    }
    const auto decision = resolver.resolve(*query, dns::ClientInfo{}, {});
    if (decision.kind == dns::Decision::Kind::kForward) {
        if (decision.upstreams.empty()) {
            std::abort();
        }
        return 0;
    }
    const auto& reply = decision.reply;
    if (reply.header.id != query->header.id || !reply.header.qr || !reply.header.ra ||
        reply.header.opcode != query->header.opcode || reply.questions != query->questions) {
        std::abort();
    }
    if (!wire::serialize(reply)) {
        std::abort();
    }
    return 0;
}
