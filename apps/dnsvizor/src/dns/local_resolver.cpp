#include "dns/local_resolver.hpp"

#include <algorithm>

#include "nfv/net/dns/reverse.hpp"

#include "dns/domain_match.hpp"
#include "dns/hosts_file.hpp"
#include "dns/synth_domain.hpp"

namespace nfv::dnsvizor::dns {
namespace {

using net::dns::Message;
using net::dns::Name;
using net::dns::Question;
using net::dns::Rcode;
using net::dns::ResourceRecord;
using net::dns::RrClass;
using net::dns::RrType;

/// dnsmasq drops CNAME chains longer than this (cache.c).
constexpr std::size_t kMaxCnameChain = 10;

/// The skeleton of every reply: dnsmasq copies id, opcode, RD and CD and always sets RA.
Message make_reply(const Message& query, std::uint16_t edns_size) {
    Message reply;
    reply.header.id = query.header.id;
    reply.header.qr = true;
    reply.header.opcode = query.header.opcode;
    reply.header.rd = query.header.rd;
    reply.header.cd = query.header.cd;
    reply.header.ra = true;
    // The question is copied in by resolve() only when the reply is used (an answer).
    if (query.edns) {
        net::dns::Edns edns;
        edns.udp_payload_size = edns_size;
        edns.dnssec_ok = query.edns->dnssec_ok;  // dnsmasq echoes DO (`dig +dnssec` shows "do")
        reply.edns = edns;
    }
    return reply;
}

Decision answer(Message reply) {
    return Decision{Decision::Kind::kAnswer, std::move(reply), {}};
}

Decision with_rcode(Message reply, Rcode rcode, bool authoritative) {
    reply.set_rcode(static_cast<std::uint16_t>(rcode));
    reply.header.aa = authoritative;
    return answer(std::move(reply));
}

net::dns::Rdata address_rdata(const net::IpAddress& address) {
    if (address.is_v4()) {
        return net::dns::rdata::A{address.v4().octets()};
    }
    return net::dns::rdata::Aaaa{address.v6().octets()};
}

bool family_matches(const net::IpAddress& address, RrType type) {
    return (type == RrType::kA && address.is_v4()) || (type == RrType::kAaaa && address.is_v6());
}

/// dnsmasq 2.90 private_net() / private_net6() (util.c), the addresses `bogus-priv` covers.
bool is_bogus_private(const net::IpAddress& address) {
    if (address.is_v4()) {
        const std::uint32_t ip = address.v4().to_u32();
        return (ip & 0xff000000U) == 0x7f000000U ||  // 127/8
               (ip & 0xff000000U) == 0x00000000U ||  // 0/8
               (ip & 0xff000000U) == 0x0a000000U ||  // 10/8
               (ip & 0xfff00000U) == 0xac100000U ||  // 172.16/12
               (ip & 0xffff0000U) == 0xc0a80000U ||  // 192.168/16
               (ip & 0xffc00000U) == 0x64400000U ||  // 100.64/10
               (ip & 0xffff0000U) == 0xa9fe0000U ||  // 169.254/16
               (ip & 0xffffff00U) == 0xc0000200U ||  // 192.0.2/24
               (ip & 0xffffff00U) == 0xc6336400U ||  // 198.51.100/24
               (ip & 0xffffff00U) == 0xcb007100U ||  // 203.0.113/24
               ip == 0xffffffffU;
    }
    const auto& v6 = address.v6();
    if (const auto mapped = v6.to_v4_mapped()) {
        return is_bogus_private(*mapped);
    }
    const auto octets = v6.octets();
    return v6.is_unspecified() || v6.is_loopback() || v6.is_link_local() ||
           (octets[0] == 0xfe && (octets[1] & 0xc0U) == 0xc0U) ||  // site-local fec0::/10
           v6.is_unique_local();
}

std::optional<net::IpAddress> reverse_address(const Name& name) {
    if (const auto v4 = net::dns::parse_reverse_v4(name)) {
        return net::IpAddress(net::Ipv4Address(*v4));
    }
    if (const auto v6 = net::dns::parse_reverse_v6(name)) {
        return net::IpAddress(net::Ipv6Address(*v6));
    }
    return std::nullopt;
}

std::optional<Name> key_to_name(std::string_view key) {
    auto name = Name::parse_text(key.empty() ? std::string_view(".") : key);
    if (!name) {
        return std::nullopt;
    }
    return *name;
}

/// The reverse zone of an address range that is an octet-aligned IPv4 or nibble-aligned IPv6
/// prefix ("5.10.in-addr.arpa" for 10.5.0.0-10.5.255.255), or nullopt.
std::optional<std::string> reverse_zone(const net::IpAddress& first, const net::IpAddress& last) {
    if (first.is_v4() != last.is_v4()) {
        return std::nullopt;
    }
    if (first.is_v4()) {
        const auto a = first.v4().octets();
        const auto b = last.v4().octets();
        std::size_t fixed = 0;
        while (fixed < 4 && a[fixed] == b[fixed]) {
            ++fixed;
        }
        for (std::size_t i = fixed; i < 4; ++i) {
            if (a[i] != 0 || b[i] != 0xff) {
                return std::nullopt;
            }
        }
        std::string zone;
        for (std::size_t i = fixed; i > 0; --i) {
            zone += std::to_string(a[i - 1]) + ".";
        }
        return zone + "in-addr.arpa";
    }
    const auto a = first.v6().octets();
    const auto b = last.v6().octets();
    std::size_t fixed = 0;  // nibbles
    const auto nibble = [](const std::array<std::uint8_t, 16>& o, std::size_t i) {
        return (i % 2 == 0) ? (o[i / 2] >> 4U) : (o[i / 2] & 0xfU);
    };
    while (fixed < 32 && nibble(a, fixed) == nibble(b, fixed)) {
        ++fixed;
    }
    for (std::size_t i = fixed; i < 32; ++i) {
        if (nibble(a, i) != 0 || nibble(b, i) != 0xf) {
            return std::nullopt;
        }
    }
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string zone;
    for (std::size_t i = fixed; i > 0; --i) {
        zone.push_back(kHex[nibble(a, i - 1)]);
        zone.push_back('.');
    }
    return zone + "ip6.arpa";
}

/// The `server=` rules plus the `local=` rules implied by `domain=dom,range,local` (dnsmasq
/// logs "using only locally-known addresses for corp.test" and "... for 5.10.in-addr.arpa").
std::vector<ServerRule> server_rules(const DnsSettings& settings) {
    std::vector<ServerRule> rules = settings.upstream.servers;
    for (const auto& domain : settings.local.domains) {
        if (!domain.local) {
            continue;
        }
        ServerRule rule;
        rule.kind = ServerRule::Kind::kLocalOnly;
        rule.domains.push_back(normalize_key(domain.domain));
        if (domain.first) {
            if (auto zone = reverse_zone(*domain.first, domain.last.value_or(*domain.first))) {
                rule.domains.push_back(std::move(*zone));
            }
        }
        rules.push_back(std::move(rule));
    }
    return rules;
}

}  // namespace

LocalResolver::LocalResolver(const DnsSettings& settings, const HostsData& hosts,
                             InterfaceAddresses interface_addresses)
    : settings_(settings),
      interface_addresses_(std::move(interface_addresses)),
      selector_(server_rules(settings)),
      records_(settings.local) {
    for (const auto& record : settings_.local.host_records) {
        const std::uint32_t ttl = record.ttl.value_or(settings_.local.local_ttl);
        // dnsmasq: every name answers A/AAAA, the first name answers PTR for the addresses.
        bool first = true;
        for (const auto& name : record.names) {
            const std::string key = normalize_key(name);
            for (const auto& address : record.addresses) {
                host_records_.add(key, address, ttl, first);
            }
            first = false;
        }
    }
    add_hosts_entries(hosts);
}

std::optional<std::uint64_t> LocalResolver::decision_generation() const {
    if (interface_addresses_ && !settings_.local.interface_names.empty()) {
        return std::nullopt;  // interface addresses change without telling us
    }
    return generation_;
}

void LocalResolver::set_hosts(const HostsData& hosts) {
    ++generation_;
    hosts_.clear();
    add_hosts_entries(hosts);
}

void LocalResolver::add_hosts_entries(const HostsData& hosts) {
    const std::uint32_t ttl = settings_.local.local_ttl;
    for (const auto& file : hosts.files) {
        for (const auto& entry : file.entries) {
            const auto domain = domain_for(entry.address);
            for (const auto& name : entry.names) {
                // expand-hosts: the qualified form is added first, so it wins the PTR
                // (dnsmasq answers "alpha.lan" for the address of a dotless "alpha").
                if (settings_.local.expand_hosts && domain && !domain->empty() &&
                    name.find('.') == std::string::npos) {
                    hosts_.add(name + "." + *domain, entry.address, ttl, true);
                }
                hosts_.add(name, entry.address, ttl, true);
            }
        }
    }
}

std::optional<std::string> LocalResolver::domain_for(const net::IpAddress& address) const {
    std::optional<std::string> fallback;
    for (const auto& rule : settings_.local.domains) {
        if (!rule.interface.empty()) {
            continue;  // `domain=dom,IF` needs interface addresses; not a plain default
        }
        if (!rule.first) {
            if (!fallback) {
                fallback = normalize_key(rule.domain);
            }
            continue;
        }
        const net::IpAddress last = rule.last.value_or(*rule.first);
        if (address.is_v4() == rule.first->is_v4() && *rule.first <= address && address <= last) {
            return normalize_key(rule.domain);
        }
    }
    return fallback;
}

void LocalResolver::set_lease_name(std::string_view hostname, net::Ipv4Address address) {
    ++generation_;
    const std::string name = normalize_key(hostname);
    if (name.empty() || !is_valid_hosts_name(name)) {
        return;
    }
    const std::uint32_t ttl = settings_.local.dhcp_ttl.value_or(settings_.local.local_ttl);
    // A name that is already qualified is used as it is; the DHCP side strips a matching domain
    // from client FQDNs before calling us, as dnsmasq does.
    const auto domain = domain_for(address);
    if (domain && !domain->empty() && name.find('.') == std::string::npos) {
        leases_.add(name + "." + *domain, address, ttl, true);
    }
    leases_.add(name, address, ttl, true);
}

void LocalResolver::remove_lease_name(std::string_view hostname, net::Ipv4Address address) {
    ++generation_;
    const std::string name = normalize_key(hostname);
    const auto domain = domain_for(address);
    if (domain && !domain->empty() && name.find('.') == std::string::npos) {
        leases_.remove(name + "." + *domain, address);
    }
    leases_.remove(name, address);
}

void LocalResolver::set_host_name(std::string host_name) {
    ++generation_;
    host_name_ = std::move(host_name);
}

bool LocalResolver::is_table_name(std::string_view key) const {
    return host_records_.find(key) != nullptr || hosts_.find(key) != nullptr ||
           leases_.find(key) != nullptr;
}

void LocalResolver::set_default_upstreams(std::vector<Upstream> upstreams) {
    ++generation_;
    selector_.set_default_upstreams(std::move(upstreams));
}

std::size_t LocalResolver::append_addresses(const Name& owner, std::string_view key, RrType type,
                                            std::vector<ResourceRecord>& out,
                                            bool& other_family) const {
    std::vector<net::IpAddress> seen;
    const auto emit = [&](const net::IpAddress& address, std::uint32_t ttl) {
        if (type != RrType::kAny && !family_matches(address, type)) {
            other_family = true;
            return;
        }
        if (std::find(seen.begin(), seen.end(), address) != seen.end()) {
            return;
        }
        seen.push_back(address);
        out.push_back(ResourceRecord{owner, RrClass::kIn, ttl, address_rdata(address)});
    };
    for (const AddressTable* table : {&host_records_, &hosts_, &leases_}) {
        if (const auto* addresses = table->find(key)) {
            for (const auto& entry : *addresses) {
                emit(entry.address, entry.ttl);
            }
        }
    }
    const std::uint32_t ttl = settings_.local.local_ttl;
    if (interface_addresses_) {
        for (const auto& rule : settings_.local.interface_names) {
            if (normalize_key(rule.name) != key) {
                continue;
            }
            for (const auto& address : interface_addresses_(rule.interface)) {
                if ((address.is_v4() && rule.ipv4) || (address.is_v6() && rule.ipv6)) {
                    emit(address, ttl);
                }
            }
        }
    }
    for (const auto& rule : settings_.local.synth_domains) {
        if (const auto address = synth_address(rule, key)) {
            emit(*address, ttl);
        }
    }
    return seen.size();
}

bool LocalResolver::answer_reverse(const Name& owner, const net::IpAddress& address,
                                   Message& reply) const {
    const auto emit = [&](std::string_view key, std::uint32_t ttl) {
        auto target = key_to_name(key);
        if (!target) {
            return false;
        }
        reply.answers.push_back(
            ResourceRecord{owner, RrClass::kIn, ttl, net::dns::rdata::Ptr{std::move(*target)}});
        return true;
    };
    for (const AddressTable* table : {&host_records_, &hosts_, &leases_}) {
        if (const auto* entry = table->find_reverse(address)) {
            if (emit(entry->name, entry->ttl)) {
                return true;
            }
        }
    }
    const std::uint32_t ttl = settings_.local.local_ttl;
    if (interface_addresses_) {
        for (const auto& rule : settings_.local.interface_names) {
            if ((address.is_v4() && !rule.ipv4) || (address.is_v6() && !rule.ipv6)) {
                continue;
            }
            const auto addresses = interface_addresses_(rule.interface);
            if (std::find(addresses.begin(), addresses.end(), address) != addresses.end() &&
                emit(normalize_key(rule.name), ttl)) {
                return true;
            }
        }
    }
    for (const auto& rule : settings_.local.synth_domains) {
        if (const auto name = synth_name(rule, address)) {
            if (emit(*name, ttl)) {
                return true;
            }
        }
    }
    return false;
}

bool LocalResolver::is_local_machine(std::string_view key) const {
    return hosts_.find(key) != nullptr || leases_.find(key) != nullptr;
}

std::size_t LocalResolver::append_mx(const Name& owner, std::string_view key,
                                     Message& reply) const {
    const std::string& mx_target = settings_.local.mx_target;
    const std::string default_target = mx_target.empty() ? host_name_ : mx_target;
    std::size_t count = records_.append(owner, key, RrType::kMx, default_target, reply.answers);
    const std::uint32_t ttl = settings_.local.local_ttl;
    const auto add = [&](std::uint16_t preference, std::string_view target_text) {
        if (auto target = Name::parse_text(target_text); target && !target_text.empty()) {
            reply.answers.push_back(
                ResourceRecord{owner, RrClass::kIn, ttl, net::dns::rdata::Mx{preference, *target}});
            ++count;
        }
    };
    if (count == 0 && !mx_target.empty() && !host_name_.empty() &&
        normalize_key(host_name_) == key) {
        add(0, mx_target);  // dnsmasq: mx-target answers MX queries for the machine's name
    } else if (count == 0 && settings_.local.selfmx && is_local_machine(key)) {
        add(1, key);
    } else if (count == 0 && settings_.local.localmx && is_local_machine(key)) {
        add(1, default_target);
    }
    return count;
}

std::size_t LocalResolver::append_typed(const Name& owner, std::string_view key, RrType type,
                                        Message& reply) const {
    std::size_t count = 0;
    if (type == RrType::kA || type == RrType::kAaaa || type == RrType::kAny) {
        bool other_family = false;
        count += append_addresses(owner, key, type, reply.answers, other_family);
    }
    if (type == RrType::kMx || type == RrType::kAny) {
        count += append_mx(owner, key, reply);
    }
    if (type != RrType::kA && type != RrType::kAaaa && type != RrType::kMx) {
        // kAny here also repeats MX from records_; drop those duplicates below.
        const std::size_t before = reply.answers.size();
        count += records_.append(owner, key, type, {}, reply.answers);
        if (type == RrType::kAny) {
            for (std::size_t i = reply.answers.size(); i > before; --i) {
                if (reply.answers[i - 1].type() == RrType::kMx) {
                    reply.answers.erase(reply.answers.begin() + static_cast<std::ptrdiff_t>(i - 1));
                    --count;
                }
            }
        }
    }
    if ((type == RrType::kPtr || type == RrType::kAny) && count == 0) {
        if (const auto address = reverse_address(owner)) {
            if (answer_reverse(owner, *address, reply)) {
                ++count;
            }
        }
    }
    return count;
}

void LocalResolver::append_additionals(Message& reply) const {
    // dnsmasq adds the local addresses of MX and SRV targets to the additional section.
    std::vector<std::string> done;
    for (const auto& record : reply.answers) {
        const Name* target = nullptr;
        if (const auto* mx = std::get_if<net::dns::rdata::Mx>(&record.rdata)) {
            target = &mx->exchange;
        } else if (const auto* srv = std::get_if<net::dns::rdata::Srv>(&record.rdata)) {
            target = &srv->target;
        }
        if (target == nullptr || target->is_root()) {
            continue;
        }
        std::string key = name_key(*target);
        if (std::find(done.begin(), done.end(), key) != done.end()) {
            continue;
        }
        bool other_family = false;
        append_addresses(*target, key, RrType::kAny, reply.additionals, other_family);
        done.push_back(std::move(key));
    }
}

LocalResolver::Lookup LocalResolver::answer_address_rule(const Question& question,
                                                         std::string_view key,
                                                         Message& reply) const {
    const AddressRule* best = nullptr;
    std::size_t best_rank = 0;
    for (const auto& rule : settings_.local.addresses) {
        for (const auto& domain : rule.domains) {
            const auto rank = match_domain(key, domain);
            if (rank && (best == nullptr || *rank > best_rank)) {
                best = &rule;
                best_rank = *rank;
            }
        }
    }
    if (best == nullptr) {
        return {};
    }
    // A `server=` rule for a more specific domain overrides the address rule.
    for (const auto& rule : settings_.upstream.servers) {
        for (const auto& domain : rule.domains) {
            const auto rank = match_domain(key, domain);
            if (rank && *rank > best_rank) {
                return {};
            }
        }
    }
    if (best->kind == AddressRule::Kind::kNxdomain) {
        return {Outcome::kNxDomain, false};
    }
    if (question.type != RrType::kA && question.type != RrType::kAaaa) {
        return {};  // since dnsmasq 2.86 other types are forwarded
    }
    const std::uint32_t ttl = settings_.local.local_ttl;
    if (best->kind == AddressRule::Kind::kNullAddress) {
        const net::IpAddress null_address = question.type == RrType::kA
                                                ? net::IpAddress(net::Ipv4Address())
                                                : net::IpAddress(net::Ipv6Address());
        reply.answers.push_back(
            ResourceRecord{question.name, RrClass::kIn, ttl, address_rdata(null_address)});
        return {Outcome::kAnswered, true};
    }
    for (const auto& address : best->addresses) {
        if (family_matches(address, question.type)) {
            reply.answers.push_back(
                ResourceRecord{question.name, RrClass::kIn, ttl, address_rdata(address)});
        }
    }
    if (reply.answers.empty()) {
        return {};  // rule has only the other family: forwarded (dnsmasq 2.86+)
    }
    return {Outcome::kAnswered, true};
}

bool LocalResolver::answer_chaos(const Question& question, Message& reply) const {
    if (settings_.log.no_ident ||
        (question.type != RrType::kTxt && question.type != RrType::kAny)) {
        return false;
    }
    const std::string key = name_key(question.name);
    std::string text;
    if (key == "version.bind") {
        text = std::string(kVersionText);
    } else if (key == "authors.bind") {
        text = "nfv authors";
    } else if (key == "copyright.bind") {
        text = "nfv; dnsmasq-compatible";
    } else if (key == "cachesize.bind") {
        text = std::to_string(settings_.cache.size);
    } else {
        return false;
    }
    reply.answers.push_back(
        ResourceRecord{question.name, RrClass::kCh, 0, net::dns::rdata::Txt{{std::move(text)}}});
    return true;
}

LocalResolver::Lookup LocalResolver::lookup_local(const Question& question, std::string_view key,
                                                  Message& reply) const {
    // cname=: answered for every type; the chain is followed through local data only. The
    // owner is copied only when there is an alias (most questions have none).
    if (records_.find_cname(key) != nullptr) {
        return lookup_aliased(question, key, reply);
    }
    if (append_typed(question.name, key, question.type, reply) > 0) {
        append_additionals(reply);
        return {Outcome::kAnswered, true};
    }
    return lookup_unanswered(question, key, reply);
}

// `key` has a cname= alias: the chain (at most kMaxCnameChain links, through local data only),
// then the records of its last target.
LocalResolver::Lookup LocalResolver::lookup_aliased(const Question& question, std::string_view key,
                                                    Message& reply) const {
    Name owner = question.name;
    std::string owner_key(key);
    for (std::size_t depth = 0; depth < kMaxCnameChain; ++depth) {
        const LocalCname* cname = records_.find_cname(owner_key);
        if (cname == nullptr) {
            break;
        }
        reply.answers.push_back(
            ResourceRecord{owner, RrClass::kIn, cname->ttl, net::dns::rdata::Cname{cname->target}});
        if (question.type == RrType::kCname) {
            return {Outcome::kAnswered, true};
        }
        owner = cname->target;
        owner_key = cname->target_key;
    }
    append_typed(owner, owner_key, question.type, reply);
    append_additionals(reply);
    return {Outcome::kAnswered, true};
}

LocalResolver::Lookup LocalResolver::lookup_unanswered(const Question& question,
                                                       std::string_view key, Message& reply) const {
    // A hosts-file or host-record name that holds only the other address family is not answered
    // here: dnsmasq 2.90 forwards the question (checked with dnsmasq 2.90: `hf.test AAAA` for a
    // hosts line "192.0.2.2 hf.test" is forwarded); under local=/dom/ the local-only rule
    // below answers NODATA.
    if (question.type == RrType::kPtr && settings_.upstream.bogus_priv) {
        if (const auto address = reverse_address(question.name);
            address && is_bogus_private(*address) && !selector_.has_domain_rule(key)) {
            return {Outcome::kNxDomain, true};
        }
    }
    return answer_address_rule(question, key, reply);
}

Decision LocalResolver::resolve(const Message& query, const ClientInfo& /*client*/,
                                platform::Instant /*now*/) {
    Decision decision = decide(query);
    if (decision.kind == Decision::Kind::kAnswer) {
        decision.reply.questions = query.questions;
    }
    return decision;
}

Decision LocalResolver::decide(const Message& query) const {
    Message reply = make_reply(query, settings_.cache.edns_packet_max);
    if (query.header.opcode != net::dns::Opcode::kQuery) {
        return with_rcode(std::move(reply), Rcode::kNotImp, false);
    }
    if (query.questions.size() != 1) {
        return with_rcode(std::move(reply), Rcode::kFormErr, false);
    }
    const Question& question = query.questions.front();
    if (question.rclass == RrClass::kCh) {
        if (answer_chaos(question, reply)) {
            reply.header.aa = true;
            return answer(std::move(reply));
        }
        return with_rcode(std::move(reply), Rcode::kRefused, false);
    }
    const std::string key = name_key(question.name);
    if (question.rclass == RrClass::kIn || question.rclass == RrClass::kAny) {
        const Lookup lookup = lookup_local(question, key, reply);
        switch (lookup.outcome) {
            case Outcome::kAnswered:
            case Outcome::kNoData:
                reply.header.aa = lookup.authoritative;
                return answer(std::move(reply));
            case Outcome::kNxDomain:
                return with_rcode(std::move(reply), Rcode::kNxDomain, lookup.authoritative);
            case Outcome::kNone:
                break;
        }
    }
    const UpstreamChoice choice = selector_.select(key);
    if (choice.kind == UpstreamChoice::Kind::kLocalOnly) {
        // A local-only name that holds other local data is NODATA, an unknown one NXDOMAIN
        // (dnsmasq with local=/lan/: `alpha.lan MX` NOERROR, `nothere.lan MX` NXDOMAIN).
        if (is_table_name(key) || records_.has_name(key)) {
            return answer(std::move(reply));
        }
        return with_rcode(std::move(reply), Rcode::kNxDomain, false);
    }
    if (settings_.upstream.domain_needed && !choice.domain_specific && !key.empty() &&
        key.find('.') == std::string::npos &&
        (question.type == RrType::kA || question.type == RrType::kAaaa)) {
        return with_rcode(std::move(reply), Rcode::kNxDomain, false);
    }
    if (choice.kind == UpstreamChoice::Kind::kNoServer) {
        return with_rcode(std::move(reply), Rcode::kRefused, false);
    }
    return Decision{Decision::Kind::kForward, {}, choice.upstreams};
}

}  // namespace nfv::dnsvizor::dns
