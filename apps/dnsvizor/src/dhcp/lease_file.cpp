#include "dhcp/lease_file.hpp"

#include <charconv>
#include <cstdio>

namespace nfv::dnsvizor::dhcp {

namespace {

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t')
            ++i;
        if (i > start)
            fields.push_back(line.substr(start, i - start));
    }
    return fields;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

}  // namespace

bool parse_hex_bytes(std::string_view text, std::vector<std::uint8_t>& out) {
    out.clear();
    std::size_t i = 0;
    while (i < text.size()) {
        int value = 0;
        std::size_t digits = 0;
        while (i < text.size() && text[i] != ':' && digits < 3) {
            const int v = hex_value(text[i]);
            if (v < 0)
                return false;
            value = value * 16 + v;
            ++digits;
            ++i;
        }
        if (digits == 0 || digits > 2)
            return false;
        out.push_back(static_cast<std::uint8_t>(value));
        if (i < text.size()) {
            ++i;  // the ':'
            if (i == text.size())
                return false;  // trailing colon
        }
    }
    return !out.empty();
}

std::string format_hex_bytes(const std::vector<std::uint8_t>& bytes) {
    std::string text;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        std::array<char, 4> part{};
        std::snprintf(part.data(), part.size(), i == 0 ? "%02x" : ":%02x", bytes[i]);
        text += part.data();
    }
    return text;
}

std::string HardwareAddress::to_text() const {
    std::string text;
    if (type != kHardwareTypeEthernet) {
        std::array<char, 4> prefix{};
        std::snprintf(prefix.data(), prefix.size(), "%02x-", type);
        text = prefix.data();
    }
    return text + format_hex_bytes(bytes);
}

LeaseFileContent parse_lease_file(std::string_view text) {
    LeaseFileContent content;
    int line_number = 0;
    bool in_ipv6 = false;
    std::size_t position = 0;
    while (position < text.size()) {
        const std::size_t end = text.find('\n', position);
        const std::string_view line = text.substr(
            position, end == std::string_view::npos ? std::string_view::npos : end - position);
        position = end == std::string_view::npos ? text.size() : end + 1;
        ++line_number;
        const auto fields = split_fields(line);
        if (fields.empty())
            continue;
        if (fields[0] == "duid")
            in_ipv6 = true;
        if (in_ipv6) {
            content.ipv6_lines.emplace_back(line);
            continue;
        }
        const auto problem = [&](std::string message) {
            content.problems.push_back(LeaseFileProblem{line_number, std::move(message)});
        };
        if (fields.size() < 4) {
            problem("expected: expiry hwaddr address hostname [client-id]");
            continue;
        }
        Lease lease;
        std::int64_t expiry = 0;
        const auto [ptr, ec] =
            std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), expiry);
        if (ec != std::errc{} || ptr != fields[0].data() + fields[0].size() || expiry < 0) {
            problem("bad expiry time '" + std::string(fields[0]) + "'");
            continue;
        }
        lease.expires = platform::WallTime{expiry};
        std::string_view hw = fields[1];
        // "TT-aa:bb..." carries a hardware type other than Ethernet.
        if (hw.size() > 3 && hw[2] == '-') {
            std::vector<std::uint8_t> type;
            if (!parse_hex_bytes(hw.substr(0, 2), type)) {
                problem("bad hardware type in '" + std::string(hw) + "'");
                continue;
            }
            lease.hardware.type = type[0];
            hw = hw.substr(3);
        }
        if (!parse_hex_bytes(hw, lease.hardware.bytes) || lease.hardware.bytes.size() > 16) {
            problem("bad hardware address '" + std::string(fields[1]) + "'");
            continue;
        }
        const auto address = net::Ipv4Address::parse(fields[2]);
        if (!address) {
            problem("bad IPv4 address '" + std::string(fields[2]) + "'");
            continue;
        }
        lease.address = *address;
        if (fields[3] != "*")
            lease.hostname = std::string(fields[3]);
        if (fields.size() >= 5 && fields[4] != "*" &&
            !parse_hex_bytes(fields[4], lease.client_id)) {
            problem("bad client id '" + std::string(fields[4]) + "'");
            continue;
        }
        content.leases.push_back(std::move(lease));
    }
    return content;
}

std::string format_lease_line(const Lease& lease) {
    std::string line = std::to_string(lease.expires.unix_seconds);
    line += ' ';
    line += lease.hardware.to_text();
    line += ' ';
    line += lease.address.to_string();
    line += ' ';
    line += lease.hostname.empty() ? std::string("*") : lease.hostname;
    line += ' ';
    line += lease.client_id.empty() ? std::string("*") : format_hex_bytes(lease.client_id);
    return line;
}

std::string format_lease_file(const std::vector<Lease>& leases,
                              const std::vector<std::string>& ipv6_lines) {
    std::string text;
    // About 80 bytes a line (expiry, MAC, address, name, client id): one allocation instead of
    // repeated regrowth copies of a multi-megabyte text when tens of thousands of leases are held.
    text.reserve(leases.size() * 80 + ipv6_lines.size() * 100);
    for (const auto& lease : leases) {
        text += format_lease_line(lease);
        text += '\n';
    }
    for (const auto& line : ipv6_lines) {
        text += line;
        text += '\n';
    }
    return text;
}

}  // namespace nfv::dnsvizor::dhcp
