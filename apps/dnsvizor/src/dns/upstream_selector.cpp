#include "dns/upstream_selector.hpp"

#include <algorithm>
#include <optional>

#include "dns/domain_match.hpp"

namespace nfv::dnsvizor::dns {
namespace {

void append_unique(std::vector<Upstream>& out, const Upstream& upstream) {
    if (std::find(out.begin(), out.end(), upstream) == out.end()) {
        out.push_back(upstream);
    }
}

Upstream to_upstream(const ServerRule& rule) {
    return Upstream{*rule.address, rule.port, rule.source_interface};
}

/// The best rank with which any of `rule`'s domains matches `key`.
std::optional<std::size_t> rule_rank(const ServerRule& rule, std::string_view key) {
    std::optional<std::size_t> best;
    for (const auto& domain : rule.domains) {
        const auto rank = match_domain(key, domain);
        if (rank && (!best || *rank > *best)) {
            best = rank;
        }
    }
    return best;
}

}  // namespace

UpstreamSelector::UpstreamSelector(std::vector<ServerRule> rules) : rules_(std::move(rules)) {}

void UpstreamSelector::set_default_upstreams(std::vector<Upstream> upstreams) {
    resolv_upstreams_ = std::move(upstreams);
}

std::vector<Upstream> UpstreamSelector::defaults() const {
    std::vector<Upstream> out;
    for (const auto& rule : rules_) {
        if (rule.domains.empty() && rule.kind == ServerRule::Kind::kForward && rule.address) {
            append_unique(out, to_upstream(rule));
        }
    }
    for (const auto& upstream : resolv_upstreams_) {
        append_unique(out, upstream);
    }
    return out;
}

bool UpstreamSelector::has_domain_rule(std::string_view key) const {
    return std::any_of(rules_.begin(), rules_.end(),
                       [&](const ServerRule& rule) { return rule_rank(rule, key).has_value(); });
}

UpstreamChoice UpstreamSelector::select(std::string_view key) const {
    std::optional<std::size_t> best;
    for (const auto& rule : rules_) {
        const auto rank = rule_rank(rule, key);
        if (rank && (!best || *rank > *best)) {
            best = rank;
        }
    }
    UpstreamChoice choice;
    if (!best) {
        choice.upstreams = defaults();
        choice.kind = choice.upstreams.empty() ? UpstreamChoice::Kind::kNoServer
                                               : UpstreamChoice::Kind::kForward;
        return choice;
    }
    choice.domain_specific = true;
    bool local_only = false;
    for (const auto& rule : rules_) {
        if (rule_rank(rule, key) != best) {
            continue;
        }
        switch (rule.kind) {
            case ServerRule::Kind::kForward:
                if (rule.address) {
                    append_unique(choice.upstreams, to_upstream(rule));
                }
                break;
            case ServerRule::Kind::kUseDefault:
                for (const auto& upstream : defaults()) {
                    append_unique(choice.upstreams, upstream);
                }
                break;
            case ServerRule::Kind::kLocalOnly:
                local_only = true;
                break;
        }
    }
    if (!choice.upstreams.empty()) {
        choice.kind = UpstreamChoice::Kind::kForward;
    } else {
        choice.kind =
            local_only ? UpstreamChoice::Kind::kLocalOnly : UpstreamChoice::Kind::kNoServer;
    }
    return choice;
}

}  // namespace nfv::dnsvizor::dns
