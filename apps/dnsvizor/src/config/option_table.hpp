// The table of every dnsmasq 2.90 option (long name, short form, argument kind, group) and
// what nfv-dnsvizor does with it. It is the single source for option lookup in the reader, for
// routing in the mapper, for `--help` and for the compatibility docs.
//
// Status:
//  * kMapped  - typed into DnsSettings / ProcessSettings (validated, errors name the option);
//  * kDhcp    - DHCP group: passed verbatim to DnsmasqConfig::dhcp for the DHCP side;
//  * kReader  - handled by the reader itself (conf-file, conf-dir, test, help, version);
//  * kWarning - accepted but not implemented: a ConfigWarning carrying `note`;
//  * kError   - rejected: a ConfigError carrying `note`.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace nfv::dnsvizor::config {

/// getopt's has_arg: whether the option takes a value. Optional values only with '=' on the
/// command line.
enum class ArgKind : std::uint8_t { kNone, kRequired, kOptional };

/// dnsmasq's repetition rule: kFlag may repeat; kOnce may be given once on the command line and
/// once in the files (the file overrides); kMany accumulates.
enum class Repeat : std::uint8_t { kFlag, kOnce, kMany };

enum class OptionGroup : std::uint8_t {
    kProcess,   // Listening / process
    kUpstream,  // Upstream / forwarding
    kLocal,     // Local data
    kCache,     // Cache / logging / DNSSEC
    kDhcp,      // DHCPv4, DHCPv6, RA, PXE, TFTP
    kAuth,      // authoritative mode
    kOther,     // OS integration (D-Bus, ipset, ...)
};

enum class OptionStatus : std::uint8_t { kMapped, kDhcp, kReader, kWarning, kError };

struct OptionSpec {
    std::string_view name;   // long name, e.g. "dhcp-range"
    char short_name = '\0';  // '\0' = no short form
    ArgKind arg = ArgKind::kNone;
    Repeat repeat = Repeat::kFlag;
    OptionGroup group = OptionGroup::kOther;
    OptionStatus status = OptionStatus::kWarning;
    std::string_view syntax;   // value syntax for --help, "" for flags
    std::string_view summary;  // one line for --help
    std::string_view note;     // warning/error text for kWarning/kError; else ""
};

/// Every option, in the order of dnsmasq's option list.
[[nodiscard]] std::span<const OptionSpec> all_options();
/// The option with this exact long name (case-sensitive, as dnsmasq); nullptr if unknown.
[[nodiscard]] const OptionSpec* find_option(std::string_view long_name);
/// The option with this short form; nullptr if none.
[[nodiscard]] const OptionSpec* find_short_option(char short_name);
/// Usage text listing every option from the table: short form, long form and syntax, summary
/// and, for options that are not mapped, what happens to them.
[[nodiscard]] std::string help_text();
/// "mapped", "dhcp", "reader", "warning" or "error".
[[nodiscard]] std::string_view to_string(OptionStatus status);
/// "process", "upstream", "local", "cache", "dhcp", "auth" or "other".
[[nodiscard]] std::string_view to_string(OptionGroup group);

}  // namespace nfv::dnsvizor::config
