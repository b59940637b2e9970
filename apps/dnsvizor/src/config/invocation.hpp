// nfv-dnsvizor's command line: dnsmasq 2.90's options and config files turned into typed
// settings, plus what the program was asked to do (run, --test, --print-config, --help,
// --version). The caller (main.cpp) does the printing and picks the exit code: for --test it
// prints "dnsmasq: syntax check OK." on stdout and exits 0, or prints format(error) on stderr
// and exits 1, as dnsmasq does.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "nfv/platform/result.hpp"

#include "config/config_error.hpp"
#include "config/config_files.hpp"
#include "config/dnsmasq_config.hpp"

namespace nfv::dnsvizor::config {

enum class Mode { kRun, kTest, kPrintConfig, kHelp, kVersion };

struct Invocation {
    Mode mode = Mode::kRun;
    DnsmasqConfig config;
};

/// dnsmasq's default config file, read when no -C/--conf-file is given and it exists.
inline constexpr std::string_view kDefaultConfFile = "/etc/dnsmasq.conf";

/// Parses argv without argv[0], reads the config files it names (or the default one) from the
/// real file system and maps every option. --help/--version stop at once and return a default
/// config. Any bad option, value or file is an error naming file, line and option.
[[nodiscard]] Result<Invocation, ConfigError> parse_invocation(
    std::span<const std::string_view> args);
/// As above with injected file access and default config file path ("" = none).
[[nodiscard]] Result<Invocation, ConfigError> parse_invocation(
    std::span<const std::string_view> args, ConfigFiles& files,
    const std::string& default_conf_file);

/// Maps `text` as the contents of one config file called `name`, with no command line and no
/// file system access (conf-file/conf-dir lines then fail as unreadable). For tests and fuzzing.
[[nodiscard]] Result<DnsmasqConfig, ConfigError> parse_config_text(
    std::string_view text, const std::string& name = "dnsmasq.conf");

/// The typed configuration as JSON for --print-config: normalised values (lower-case domains,
/// canonical addresses), every DNS and process setting, the DHCP options verbatim and the
/// warnings.
[[nodiscard]] std::string to_json(const DnsmasqConfig& config);

/// --help text (from the option table).
[[nodiscard]] std::string help_text();

}  // namespace nfv::dnsvizor::config
