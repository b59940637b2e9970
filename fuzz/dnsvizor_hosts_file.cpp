// Fuzz target: the hosts-file parser (apps/dnsvizor/src/dns/hosts_file.hpp) and what the
// resolver builds from its output.
//
// Properties: every entry has at least one name; every name is valid, lower case, without a
// trailing dot and parses as a DNS name; line numbers lie inside the text; and a LocalResolver
// fed the entries answers each name's A/AAAA query with the entry's address.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dns/hosts_file.hpp"
#include "dns/local_resolver.hpp"

namespace dns = nfv::dnsvizor::dns;
namespace wire = nfv::net::dns;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto content = dns::parse_hosts_file(text);
    const std::size_t lines =
        static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    for (const auto& problem : content.problems) {
        if (problem.line == 0 || problem.line > lines || problem.message.empty()) {
            std::abort();
        }
    }
    for (const auto& entry : content.entries) {
        if (entry.names.empty() || entry.line == 0 || entry.line > lines) {
            std::abort();
        }
        for (const auto& name : entry.names) {
            if (!dns::is_valid_hosts_name(name) || name.back() == '.' ||
                std::any_of(name.begin(), name.end(),
                            [](char c) { return c >= 'A' && c <= 'Z'; }) ||
                !wire::Name::parse_text(name)) {
                std::abort();
            }
        }
    }

    dns::DnsSettings settings;
    settings.local.expand_hosts = true;
    settings.local.domains.push_back({"lan", std::nullopt, std::nullopt, false, ""});
    dns::HostsData hosts;
    hosts.files.push_back({"fuzz", content.entries});
    dns::LocalResolver resolver(settings, hosts);
    std::size_t checked = 0;
    for (const auto& entry : content.entries) {
        for (const auto& name : entry.names) {
            if (++checked > 64) {
                return 0;  // bound the work per input
            }
            wire::Message query;
            const auto type = entry.address.is_v4() ? wire::RrType::kA : wire::RrType::kAaaa;
            query.questions.push_back({*wire::Name::parse_text(name), type, wire::RrClass::kIn});
            const auto decision = resolver.resolve(query, dns::ClientInfo{}, {});
            const auto& answers = decision.reply.answers;
            const bool found = std::any_of(answers.begin(), answers.end(), [&](const auto& rr) {
                if (const auto* a = std::get_if<wire::rdata::A>(&rr.rdata)) {
                    return entry.address.is_v4() && a->address == entry.address.v4().octets();
                }
                if (const auto* aaaa = std::get_if<wire::rdata::Aaaa>(&rr.rdata)) {
                    return entry.address.is_v6() && aaaa->address == entry.address.v6().octets();
                }
                return false;
            });
            if (decision.kind != dns::Decision::Kind::kAnswer || !found) {
                std::abort();
            }
        }
    }
    return 0;
}
