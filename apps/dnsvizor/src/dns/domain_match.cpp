#include "dns/domain_match.hpp"

namespace nfv::dnsvizor::dns {

std::string name_key(const net::dns::Name& name) {
    std::string key;
    key.reserve(name.wire_size());
    const std::size_t count = name.label_count();
    for (std::size_t i = 0; i < count; ++i) {
        if (i != 0) {
            key.push_back('.');
        }
        for (const char c : name.label(i)) {
            if (c == '.' || c == '\\') {
                key.push_back('\\');
                key.push_back(c);
            } else if (c >= 'A' && c <= 'Z') {
                key.push_back(static_cast<char>(c - 'A' + 'a'));
            } else {
                key.push_back(c);
            }
        }
    }
    return key;
}

std::string normalize_key(std::string_view text) {
    if (!text.empty() && text.back() == '.') {
        text.remove_suffix(1);
    }
    std::string key(text);
    for (char& c : key) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return key;
}

bool is_in_domain(std::string_view key, std::string_view domain) {
    if (domain.empty()) {
        return true;
    }
    if (key.size() == domain.size()) {
        return key == domain;
    }
    return key.size() > domain.size() && key.ends_with(domain) &&
           key[key.size() - domain.size() - 1] == '.';
}

std::optional<std::size_t> match_domain(std::string_view key, std::string_view pattern) {
    if (pattern == "#") {
        return 0;
    }
    if (pattern.empty()) {
        if (key.empty() || key.find('.') != std::string_view::npos) {
            return std::nullopt;
        }
        return 1;
    }
    if (pattern.front() == '*') {
        const std::string_view suffix = pattern.substr(1);
        if (key.ends_with(suffix)) {
            return suffix.size() + 1;
        }
        return std::nullopt;
    }
    if (is_in_domain(key, pattern)) {
        return pattern.size() + 2;
    }
    return std::nullopt;
}

}  // namespace nfv::dnsvizor::dns
