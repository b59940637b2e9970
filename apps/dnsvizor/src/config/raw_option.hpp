// One option as dnsmasq reads it, before interpretation: the long name, the value text (quotes
// and escapes already processed by the reader) and where it came from. The config reader
// (config/reader.hpp) produces these from the command line and from files in dnsmasq's order;
// the typed mappers (DNS settings, DHCP settings) consume them and report errors with `where`.
#pragma once

#include <cstddef>
#include <string>

namespace nfv::dnsvizor::config {

/// Where an option came from: a file and a 1-based line, or the command line (file "",
/// line = argv index).
struct SourceLocation {
    std::string file;
    std::size_t line = 0;

    [[nodiscard]] bool from_command_line() const { return file.empty(); }
};

struct RawOption {
    std::string name;        // long option name without leading "--", e.g. "dhcp-range"
    std::string value;       // text after '=' with surrounding blanks trimmed; "" when absent
    bool has_value = false;  // true when '=' (or a command-line argument) was given
    SourceLocation where;
};

}  // namespace nfv::dnsvizor::config
