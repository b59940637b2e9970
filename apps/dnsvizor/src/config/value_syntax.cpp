#include "config/value_syntax.hpp"

#include <algorithm>
#include <cctype>

namespace nfv::dnsvizor::config {

std::vector<std::string> split_fields(std::string_view text, const std::vector<bool>& quoted,
                                      char separator) {
    auto is_quoted = [&](std::size_t i) { return i < quoted.size() && quoted[i]; };
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && (text[i] != separator || is_quoted(i))) {
            continue;
        }
        std::size_t first = start;
        std::size_t last = i;
        while (first < last && text[first] == ' ' && !is_quoted(first)) {
            ++first;
        }
        while (last > first && text[last - 1] == ' ' && !is_quoted(last - 1)) {
            --last;
        }
        fields.emplace_back(text.substr(first, last - first));
        start = i + 1;
    }
    return fields;
}

std::optional<std::uint64_t> parse_decimal(std::string_view text, std::uint64_t max) {
    if (text.empty() || text.size() > 20) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (value > (max - digit) / 10) {
            return std::nullopt;
        }
        value = value * 10 + digit;
    }
    return value;
}

std::optional<std::string> normalise_domain(std::string_view text, bool allow_wildcard) {
    if (!text.empty() && text.back() == '.') {
        text.remove_suffix(1);
    }
    if (text.empty() || text.size() > 253) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(text.size());
    std::size_t label_length = 0;
    for (const char c : text) {
        if (c == '.') {
            if (label_length == 0) {
                return std::nullopt;
            }
            label_length = 0;
            out += c;
            continue;
        }
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) == 0 && c != '-' && c != '_' && !(allow_wildcard && c == '*')) {
            return std::nullopt;
        }
        if (++label_length > 63) {
            return std::nullopt;
        }
        out += static_cast<char>(std::tolower(u));
    }
    if (label_length == 0) {
        return std::nullopt;
    }
    return out;
}

bool is_interface_name(std::string_view text) {
    return !text.empty() && text.size() <= 15 && std::none_of(text.begin(), text.end(), [](char c) {
        return c == '/' || std::isspace(static_cast<unsigned char>(c)) != 0 || c == '\0';
    });
}

std::optional<AddressPort> parse_address_port(std::string_view text) {
    AddressPort result;
    const std::size_t hash = text.find('#');
    if (hash != std::string_view::npos) {
        const auto port = parse_decimal(text.substr(hash + 1), 65535);
        if (!port) {
            return std::nullopt;
        }
        result.port = static_cast<std::uint16_t>(*port);
        text = text.substr(0, hash);
    }
    const auto address = net::IpAddress::parse(text);
    if (!address) {
        return std::nullopt;
    }
    result.address = *address;
    return result;
}

}  // namespace nfv::dnsvizor::config
