#include "dns/resolv_conf.hpp"

namespace nfv::dnsvizor::dns {
namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view next_token(std::string_view& line) {
    std::size_t i = 0;
    while (i < line.size() && is_blank(line[i])) {
        ++i;
    }
    const std::size_t start = i;
    while (i < line.size() && !is_blank(line[i])) {
        ++i;
    }
    const std::string_view token = line.substr(start, i - start);
    line = line.substr(i);
    return token;
}

}  // namespace

ResolvConf parse_resolv_conf_detailed(std::string_view text) {
    ResolvConf result;
    std::size_t line_number = 0;
    while (!text.empty()) {
        ++line_number;
        const std::size_t end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (const std::size_t comment = line.find_first_of("#;");
            comment != std::string_view::npos) {
            line = line.substr(0, comment);
        }
        if (next_token(line) != "nameserver") {
            continue;
        }
        const std::string_view address_text = next_token(line);
        if (address_text.empty()) {
            result.problems.push_back({line_number, "nameserver without an address"});
            continue;
        }
        if (address_text.find('%') != std::string_view::npos) {
            result.problems.push_back(
                {line_number, "scoped address '" + std::string(address_text) +
                                  "' is not supported (the zone needs an interface index)"});
            continue;
        }
        const auto address = net::IpAddress::parse(address_text);
        if (!address) {
            result.problems.push_back(
                {line_number, "bad nameserver address '" + std::string(address_text) + "'"});
            continue;
        }
        result.nameservers.push_back(*address);
    }
    return result;
}

std::vector<net::IpAddress> parse_resolv_conf(std::string_view text) {
    return parse_resolv_conf_detailed(text).nameservers;
}

}  // namespace nfv::dnsvizor::dns
