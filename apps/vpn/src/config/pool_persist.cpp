#include "config/pool_persist.hpp"

namespace nfv::vpn::config {
namespace {

// The next comma-separated field of `line`, advancing it; nullopt when nothing is left
// (OpenVPN's buf_parse() fails at the end of the buffer).
std::optional<std::string_view> next_field(std::string_view& line, bool& exhausted) {
    if (exhausted) {
        return std::nullopt;
    }
    const std::size_t comma = line.find(',');
    const std::string_view field = line.substr(0, comma);
    if (comma == std::string_view::npos) {
        exhausted = true;
        line = {};
    } else {
        line.remove_prefix(comma + 1);
    }
    return field;
}

}  // namespace

PoolPersistFile parse_pool_persist(std::string_view text) {
    PoolPersistFile file;
    std::size_t start = 0;
    std::size_t number = 0;
    while (start < text.size() && file.entries.size() < kMaxPoolEntries) {
        std::size_t end = text.find('\n', start);
        end = end == std::string_view::npos ? text.size() : end;
        std::string_view line = text.substr(start, end - start);
        start = end + 1;
        ++number;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.empty() || line.front() == '#' || line.front() == ';') {
            continue;
        }
        const auto warn = [&](std::string why) {
            file.warnings.push_back("line " + std::to_string(number) + ": " + std::move(why));
        };
        bool exhausted = false;
        const auto name = next_field(line, exhausted);
        const auto ipv4_text = next_field(line, exhausted);
        if (!name || !ipv4_text || name->empty()) {
            warn("expected CN,IPv4[,IPv6]");
            continue;
        }
        if (name->size() > kMaxPoolCommonName) {
            warn("common name is too long");
            continue;
        }
        PoolEntry entry;
        entry.common_name = std::string(*name);
        if (!ipv4_text->empty()) {
            entry.ipv4 = net::Ipv4Address::parse(*ipv4_text);
            if (!entry.ipv4) {
                warn("invalid IPv4 (" + std::string(ipv4_text->substr(0, 64)) +
                     ") for CN=" + entry.common_name);
            }
        }
        if (const auto ipv6_text = next_field(line, exhausted); ipv6_text && !ipv6_text->empty()) {
            entry.ipv6 = net::Ipv6Address::parse(*ipv6_text);
            if (!entry.ipv6) {
                warn("invalid IPv6 (" + std::string(ipv6_text->substr(0, 64)) +
                     ") for CN=" + entry.common_name);
            }
        }
        if (!entry.ipv4 && !entry.ipv6) {
            continue;  // nothing usable; the warning (if any) says why
        }
        file.entries.push_back(std::move(entry));
    }
    return file;
}

std::string format_pool_persist(std::span<const PoolEntry> entries) {
    std::string out;
    for (const PoolEntry& entry : entries) {
        out += entry.common_name;
        out += ',';
        if (entry.ipv4) {
            out += entry.ipv4->to_string();
        }
        out += ',';
        if (entry.ipv6) {
            out += entry.ipv6->to_string();
        }
        out += '\n';
    }
    return out;
}

}  // namespace nfv::vpn::config
