#include "dns/hosts_file.hpp"

#include <optional>

namespace nfv::dnsvizor::dns {
namespace {

constexpr std::size_t kMaxLabel = 63;
constexpr std::size_t kMaxNameText = 253;

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/// Splits one line (comment already removed) into blank-separated tokens.
std::vector<std::string_view> tokenize(std::string_view line) {
    std::vector<std::string_view> tokens;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_blank(line[i])) {
            ++i;
        }
        const std::size_t start = i;
        while (i < line.size() && !is_blank(line[i])) {
            ++i;
        }
        if (i > start) {
            tokens.push_back(line.substr(start, i - start));
        }
    }
    return tokens;
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

}  // namespace

bool is_valid_hosts_name(std::string_view name) {
    if (!name.empty() && name.back() == '.') {
        name.remove_suffix(1);
    }
    if (name.empty() || name.size() > kMaxNameText) {
        return false;
    }
    std::size_t label = 0;
    for (const char c : name) {
        if (c == '.') {
            if (label == 0) {
                return false;  // empty label
            }
            label = 0;
            continue;
        }
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || c == '#' || c == '\\' || c == '/') {
            return false;
        }
        if (++label > kMaxLabel) {
            return false;
        }
    }
    return label != 0;
}

HostsFileContent parse_hosts_file(std::string_view text) {
    HostsFileContent content;
    std::size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (const std::size_t hash = line.find('#'); hash != std::string_view::npos) {
            line = line.substr(0, hash);
        }
        const auto tokens = tokenize(line);
        if (tokens.empty()) {
            continue;
        }
        const auto address = net::IpAddress::parse(tokens[0]);
        if (!address) {
            content.problems.push_back(
                {line_number, "bad address '" + std::string(tokens[0]) + "'"});
            continue;
        }
        HostsEntry entry{*address, {}, line_number};
        for (std::size_t i = 1; i < tokens.size(); ++i) {
            if (!is_valid_hosts_name(tokens[i])) {
                content.problems.push_back(
                    {line_number, "bad name '" + std::string(tokens[i]) + "'"});
                continue;
            }
            std::string name = to_lower(tokens[i]);
            if (name.back() == '.') {
                name.pop_back();
            }
            entry.names.push_back(std::move(name));
        }
        if (!entry.names.empty()) {
            content.entries.push_back(std::move(entry));
        }
    }
    return content;
}

}  // namespace nfv::dnsvizor::dns
