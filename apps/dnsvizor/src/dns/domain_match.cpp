#include "dns/domain_match.hpp"

namespace nfv::dnsvizor::dns {

std::string name_key(const net::dns::Name& name) {
    // Walks the wire form (length-prefixed labels) once; sized for the worst case (every byte
    // escaped), then cut to what was written.
    const std::string_view wire = name.wire_without_root();
    std::string key(wire.size() * 2, '\0');
    std::size_t n = 0;
    for (std::size_t pos = 0; pos < wire.size();) {
        const std::size_t end = pos + 1 + static_cast<unsigned char>(wire[pos]);
        ++pos;
        if (n != 0) {
            key[n++] = '.';
        }
        for (; pos < end; ++pos) {
            const char c = wire[pos];
            if (c == '.' || c == '\\') {
                key[n++] = '\\';
                key[n++] = c;
            } else {
                key[n++] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
            }
        }
    }
    key.resize(n);
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
