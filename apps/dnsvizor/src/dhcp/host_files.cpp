#include "dhcp/host_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include "nfv/net/ip_address.hpp"

namespace nfv::dnsvizor::dhcp {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r'))
        text.remove_suffix(1);
    return text;
}

// A '#' at the start of a line or after a blank starts a comment (dnsmasq's file reader).
std::string_view strip_comment(std::string_view line) {
    for (std::size_t i = 0; i < line.size(); ++i) {
        if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t'))
            return line.substr(0, i);
    }
    return line;
}

// Calls `each(line, number)` for every non-blank, non-comment line of `text`.
template <typename F>
void for_each_line(std::string_view text, F&& each) {
    std::size_t number = 0;
    while (!text.empty()) {
        const auto newline = text.find('\n');
        const auto raw = text.substr(0, newline);
        text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
        ++number;
        const auto line = trim(strip_comment(raw));
        if (!line.empty())
            each(line, number);
    }
}

// An Ethernet address as /etc/ethers writes it: six hex bytes of one or two digits, ':' between.
bool ethernet_address(std::string_view text) {
    std::size_t bytes = 0;
    std::size_t digits = 0;
    for (const char c : text) {
        if (c == ':') {
            if (digits == 0)
                return false;
            ++bytes;
            digits = 0;
        } else if (std::isxdigit(static_cast<unsigned char>(c)) != 0 && digits < 2) {
            ++digits;
        } else {
            return false;
        }
    }
    return digits > 0 && bytes == 5;
}

// A host name /etc/ethers may give: letters, digits, '-', '_' and '.', not all of it a word that a
// dhcp-host value would read as something else (a lease time, `ignore`).
bool ethers_name(std::string_view text) {
    if (text.empty() || text == "ignore" || text == "infinite" || text.front() == '-')
        return false;
    if (text.front() >= '0' && text.front() <= '9')
        return false;  // would read as a lease time; dnsmasq needs an IPv4 address here
    return std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
    });
}

std::string location(const std::string& file, std::size_t line) {
    return file + ":" + std::to_string(line);
}

bool read_whole_file(const std::string& path, std::string& text) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return false;
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = std::move(buffer).str();
    return !in.bad();
}

// Regular files of `dir`, sorted; editor leftovers ('.' prefix, '~' or '#' suffix) skipped.
std::vector<std::string> directory_files(const std::string& dir, std::error_code& error) {
    std::vector<std::string> files;
    for (std::filesystem::directory_iterator it(dir, error), end; !error && it != end;
         it.increment(error)) {
        const std::string name = it->path().filename().string();
        if (name.empty() || name.front() == '.' || name.back() == '~' || name.back() == '#')
            continue;
        std::error_code type_error;
        if (it->is_regular_file(type_error))
            files.push_back(it->path().string());
    }
    std::sort(files.begin(), files.end());
    return files;
}

void read_source(const DhcpImport::HostSource& source, DhcpImport& out,
                 std::vector<std::string>& warnings) {
    std::vector<std::string> files;
    std::error_code error;
    const bool is_dir = std::filesystem::is_directory(source.path, error);
    if (source.option == "dhcp-hostsdir" || is_dir) {
        files = directory_files(source.path, error);
        if (error) {
            warnings.push_back(source.option + ": cannot read directory " + source.path + ": " +
                               error.message());
            return;
        }
    } else {
        files.push_back(source.path);
    }
    for (const auto& file : files) {
        std::string text;
        if (!read_whole_file(file, text)) {
            warnings.push_back(source.option + ": cannot read " + file);
            continue;
        }
        const std::size_t warnings_before = out.warnings.size();
        if (source.option == "read-ethers")
            add_ethers_lines(text, file, out);
        else
            add_host_lines(text, file, source.option, out);
        // The per-line warnings went to out.warnings; move them where the caller wants them.
        if (&warnings != &out.warnings) {
            warnings.insert(warnings.end(),
                            std::make_move_iterator(out.warnings.begin() +
                                                    static_cast<std::ptrdiff_t>(warnings_before)),
                            std::make_move_iterator(out.warnings.end()));
            out.warnings.resize(warnings_before);
        }
    }
}

}  // namespace

void add_host_lines(std::string_view text, const std::string& file, std::string_view option,
                    DhcpImport& out) {
    for_each_line(text, [&](std::string_view line, std::size_t number) {
        config::RawOption host;
        host.name = std::string(option);
        host.value = std::string(line);
        host.has_value = true;
        host.where = {file, number};
        if (auto mapped = map_dhcp_host(host, out); !mapped)
            out.warnings.push_back(mapped.error() + " (line skipped)");
    });
}

void add_ethers_lines(std::string_view text, const std::string& file, DhcpImport& out) {
    for_each_line(text, [&](std::string_view line, std::size_t number) {
        const auto blank = line.find_first_of(" \t");
        const auto mac = line.substr(0, blank);
        const auto rest =
            blank == std::string_view::npos ? std::string_view{} : trim(line.substr(blank));
        const std::string where = location(file, number) + ": read-ethers: ";
        if (!ethernet_address(mac)) {
            out.warnings.push_back(where + "bad hardware address '" + std::string(mac) +
                                   "' (line skipped)");
            return;
        }
        if (rest.empty() || rest.find_first_of(" \t") != std::string_view::npos ||
            (!net::Ipv4Address::parse(rest) && !ethers_name(rest))) {
            out.warnings.push_back(where + "bad name or address '" + std::string(rest) +
                                   "' (line skipped)");
            return;
        }
        config::RawOption host;
        host.name = "read-ethers";
        host.value = std::string(mac) + "," + std::string(rest);
        host.has_value = true;
        host.where = {file, number};
        if (auto mapped = map_dhcp_host(host, out); !mapped)
            out.warnings.push_back(mapped.error() + " (line skipped)");
    });
}

void reload_host_sources(DhcpImport& out, std::vector<std::string>& warnings) {
    out.settings.hosts.resize(std::min(out.settings.hosts.size(), out.config_host_count));
    for (const auto& source : out.host_sources)
        read_source(source, out, warnings);
}

}  // namespace nfv::dnsvizor::dhcp
