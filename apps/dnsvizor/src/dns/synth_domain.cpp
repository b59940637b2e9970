#include "dns/synth_domain.hpp"

#include <algorithm>

#include "dns/domain_match.hpp"

namespace nfv::dnsvizor::dns {
namespace {

bool in_range(const SynthDomain& rule, const net::IpAddress& address) {
    return address.is_v4() == rule.first.is_v4() && rule.first <= address && address <= rule.last;
}

}  // namespace

std::optional<net::IpAddress> synth_address(const SynthDomain& rule, std::string_view key) {
    const std::string domain = normalize_key(rule.domain);
    const std::string prefix = normalize_key(rule.prefix);
    if (domain.empty() || key.size() <= domain.size() + 1 || !key.ends_with(domain) ||
        key[key.size() - domain.size() - 1] != '.') {
        return std::nullopt;
    }
    std::string_view label = key.substr(0, key.size() - domain.size() - 1);
    if (label.find('.') != std::string_view::npos || !label.starts_with(prefix)) {
        return std::nullopt;
    }
    label.remove_prefix(prefix.size());
    std::string text(label);
    std::replace(text.begin(), text.end(), '-', rule.first.is_v4() ? '.' : ':');
    const auto address = net::IpAddress::parse(text);
    if (!address || !in_range(rule, *address)) {
        return std::nullopt;
    }
    return address;
}

std::optional<std::string> synth_name(const SynthDomain& rule, const net::IpAddress& address) {
    if (!in_range(rule, address)) {
        return std::nullopt;
    }
    std::string text = address.to_string();
    std::replace(text.begin(), text.end(), address.is_v4() ? '.' : ':', '-');
    return normalize_key(rule.prefix) + text + "." + normalize_key(rule.domain);
}

}  // namespace nfv::dnsvizor::dns
