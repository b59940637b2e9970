// dnsmasq's config file and command-line syntax (dnsmasq 2.90 option.c, man page "CONFIG FILE"),
// producing RawOptions in the order dnsmasq applies them.
//
// File lines: one long option per line without "--"; leading/trailing blanks trimmed; blanks
// allowed around '='; '#' starts a comment only at line start or after a blank, outside quotes;
// "..." hides ',', ':', '.', blanks and hex digits from value splitting and knows the escapes
// \\ \" \t \e \b \r \n; an unterminated quote is an error. An unknown name is "bad option", a
// flag with a value "extraneous parameter", a required value missing "missing parameter".
// Includes: conf-file=F is read in place; the same file (by identity) is never read twice;
// conf-dir=D[,suffix...] reads D's regular files in path order, skipping "*~", ".*", "#*#",
// files ending in a listed suffix and, when "*suffix" patterns are given, files matching none.
//
// Command line: "--name=value", "--name value" for required values, optional values only
// with '=', unique prefixes of long names (getopt_long), and dnsmasq's short options including
// clusters ("-kd", "-p5353", "-p 5353"). The first -C file is read after the command line, the
// others in place; without -C the default file is read if it exists.
//
// Repetition (dnsmasq's ARG_ONE rule): a single-valued option may appear once on the command
// line and once in the files, the file value overriding; a second use in the same place is an
// error ("illegal repeated flag" / "illegal repeated keyword").
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/platform/result.hpp"

#include "config/config_error.hpp"
#include "config/config_files.hpp"
#include "config/option_table.hpp"
#include "config/raw_option.hpp"

namespace nfv::dnsvizor::config {

/// An option as read plus what the mapper needs beyond RawOption: its table entry and which
/// value characters came from inside quotes (those never split or get trimmed).
struct ReadOption {
    RawOption raw;
    const OptionSpec* spec = nullptr;
    std::vector<bool> quoted;  // same length as raw.value
    /// From a servers-file: dnsmasq only logs bad lines there, so mapping errors become
    /// warnings.
    bool errors_are_warnings = false;
};

/// One non-blank line after quote, escape and comment processing.
struct LexedLine {
    std::string name;
    bool name_quoted = false;  // a quoted meta character in the name: never a valid option
    bool has_value = false;
    std::string value;
    std::vector<bool> quoted;
};

/// Lexes one line (without its newline) the way dnsmasq's read_file does. Returns nullopt for
/// a blank or comment line, an error message ("missing \"") for an unterminated quote.
[[nodiscard]] Result<std::optional<LexedLine>, std::string> lex_config_line(std::string_view line);

/// Special command-line requests seen while reading argv.
struct CommandLineModes {
    bool test = false;
    bool print_config = false;
    bool help = false;
    bool version = false;
};

/// Reads options from files and the command line into one ordered list.
class ConfigReader {
public:
    explicit ConfigReader(ConfigFiles& files) : files_(files) {}

    /// Reads `path` (conf-file semantics). A missing file is fine when `missing_ok`. `from`
    /// is where the request came from, used for "cannot read" errors.
    [[nodiscard]] Result<void, ConfigError> read_file(const std::string& path, bool missing_ok,
                                                      const SourceLocation& from);
    /// Reads `text` as the contents of a file called `name` (no identity check for it).
    [[nodiscard]] Result<void, ConfigError> read_text(std::string_view text,
                                                      const std::string& name);
    /// conf-dir=VALUE as given at `from`.
    [[nodiscard]] Result<void, ConfigError> read_directory(std::string_view value,
                                                           const SourceLocation& from);
    /// Reads the servers-file, if one was named: only server= and rev-server= lines, read after
    /// everything else; like dnsmasq, problems there are warnings, not errors. Called by
    /// read_command_line; call it after read_text.
    void read_servers_file();
    /// Parses argv (without argv[0]) and everything it pulls in, then the main config file
    /// (the first -C, or `default_conf_file` if it exists). Stops early after --help/--version.
    [[nodiscard]] Result<CommandLineModes, ConfigError> read_command_line(
        std::span<const std::string_view> args, const std::string& default_conf_file);

    [[nodiscard]] const std::vector<ReadOption>& options() const { return options_; }
    [[nodiscard]] const std::vector<ConfigWarning>& warnings() const { return warnings_; }
    /// Every file read, in order.
    [[nodiscard]] const std::vector<std::string>& files_read() const { return files_read_; }

private:
    enum class OnceState : std::uint8_t { kUnused, kUsedOnCommandLine, kUsedInFile };

    [[nodiscard]] Result<void, ConfigError> add_option(ReadOption option);
    [[nodiscard]] Result<void, ConfigError> read_contents(std::string_view text,
                                                          const std::string& name);

    ConfigFiles& files_;
    std::vector<ReadOption> options_;
    std::vector<ConfigWarning> warnings_;
    std::vector<std::string> files_read_;
    std::set<std::string> identities_;
    std::vector<std::pair<std::string, OnceState>> once_;  // key -> state
    std::size_t depth_ = 0;
    std::optional<std::pair<std::string, SourceLocation>> servers_file_;
};

}  // namespace nfv::dnsvizor::config
