// Lexer for OpenVPN 2.6 configuration text and command lines: splits input into directives
// (name + arguments) with their file:line, without interpreting any directive.
//
// Behaviour follows OpenVPN 2.6 src/openvpn/options.c:
//  * parse_line(): arguments split on whitespace; a token that starts with '#' or ';' starts a
//    comment that runs to the end of the line ("remote a #x" has two arguments, "a#x" is one
//    token); "double quotes" group a token and honour \" and \\ inside; 'single quotes' group
//    a token verbatim (no escapes); outside single quotes a backslash may only escape '\',
//    '"' or whitespace ("Bad backslash ('\') usage" otherwise); a missing closing quote is an
//    error. At most 16 tokens per line (MAX_PARMS), each at most 255 characters.
//  * read_config_file(): one directive per line, lines at most 255 characters plus newline
//    (OPTION_LINE_SIZE), a UTF-8 byte order mark on the first line is skipped, a leading "--"
//    on the directive name is dropped (bypass_doubledash()).
//  * check_inline_file(): a line holding exactly one token "<tag>" opens an inline block that
//    runs to the first line which, after leading whitespace, starts with "</tag>"; the lines in
//    between are kept verbatim (each with its '\n') as the directive's single argument.
//    A missing end tag is an error.
//  * parse_argv(): "openvpn FILE" means "--config FILE"; otherwise every argument starting
//    with "--" begins a directive and the arguments up to the next "--" one are its
//    parameters.
// `config FILE` directives are not expanded here (see config_loader.hpp).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/platform/result.hpp"

#include "config/config_error.hpp"

namespace nfv::vpn::config {

/// MAX_PARMS: tokens on one line, directive name included.
inline constexpr std::size_t kMaxTokensPerLine = 16;
/// OPTION_PARM_SIZE - 1: characters in one token.
inline constexpr std::size_t kMaxTokenLength = 255;
/// OPTION_LINE_SIZE - 1: characters of a directive line, newline included.
inline constexpr std::size_t kMaxLineLength = 255;

/// One directive as written: `name` without a leading "--", then its arguments. For an inline
/// block (<ca>...</ca>) `is_inline` is set and `args` holds exactly the block's text.
struct Directive {
    std::string name;
    std::vector<std::string> args;
    bool is_inline = false;
    std::string file;      // the file name given to the lexer, or kCommandLineFile
    std::size_t line = 0;  // 1-based line of the directive (of the opening tag for a block)

    bool operator==(const Directive&) const = default;
};

/// Splits one line into tokens with OpenVPN's parse_line() rules (see the banner). An empty
/// vector means a blank or comment-only line. On failure returns the message OpenVPN would
/// print (without the file:line prefix).
[[nodiscard]] Result<std::vector<std::string>, std::string> split_line(std::string_view line);

/// Lexes a whole config text. `file_name` is only used in the directives and errors. Stops at
/// the first error, which names the file, the line and (when known) the directive.
[[nodiscard]] Result<std::vector<Directive>, ConfigError> lex_config(std::string_view text,
                                                                     std::string_view file_name);

/// Lexes command-line arguments (argv without the program name) into directives at
/// kCommandLineFile line 1, in order. A single argument without "--" is `config ARG`. An
/// argument where a "--name" is expected is an error.
[[nodiscard]] Result<std::vector<Directive>, ConfigError> lex_command_line(
    std::span<const std::string> args);

}  // namespace nfv::vpn::config
