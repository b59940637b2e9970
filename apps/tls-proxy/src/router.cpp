#include "router.hpp"

#include <algorithm>

#include "config.hpp"

namespace nfv::tls_proxy {

bool Router::add(std::string_view pattern, std::size_t value) {
    const auto canonical = canonical_host_pattern(pattern);
    if (!canonical || *canonical != pattern) {
        return false;
    }
    if (pattern.starts_with("*.")) {
        return wildcard_.emplace(std::string(pattern.substr(2)), value).second;
    }
    return exact_.emplace(std::string(pattern), value).second;
}

std::optional<std::size_t> Router::match_explicit(std::string_view server_name) const {
    if (server_name.empty() || server_name.size() > 254) {
        return std::nullopt;
    }
    std::string name(server_name);
    std::transform(name.begin(), name.end(), name.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    if (name.back() == '.') {
        name.pop_back();
    }
    if (const auto it = exact_.find(name); it != exact_.end()) {
        return it->second;
    }
    const auto dot = name.find('.');
    if (dot != std::string::npos && dot > 0) {
        if (const auto it = wildcard_.find(name.substr(dot + 1)); it != wildcard_.end()) {
            return it->second;
        }
    }
    return std::nullopt;
}

std::optional<std::size_t> Router::match(std::string_view server_name) const {
    if (auto found = match_explicit(server_name)) {
        return found;
    }
    return default_;
}

}  // namespace nfv::tls_proxy
