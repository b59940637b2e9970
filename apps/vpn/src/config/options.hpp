// The table of every OpenVPN 2.6 directive nfv-vpn knows, and the first validation pass over
// lexed directives: argument counts, inline blocks, and what happens to directives we do not
// implement.
//
// Sources: OpenVPN 2.6.14 src/openvpn/options.c add_option() (names, parameter counts, the
// "Unrecognized option or missing or extra parameter(s)" fallback) and the man page sections
// "Generic Options", "Client Options", "Server Options", "Inline files".
//
// OpenVPN's rules for optional directives, which filter_directives() follows:
//  * `setenv opt NAME ARGS...` is NAME ARGS..., except that an unrecognised NAME (or a wrong
//    parameter count) is a warning instead of an error.
//  * `ignore-unknown-option A B ...` makes A, B ... warnings instead of errors when they are
//    not recognised; it only affects directives that come after it. A leading "--" on a name
//    is dropped.
//  * `setenv FORWARD_COMPATIBLE 1` makes every later unrecognised directive a warning.
// OpenVPN applies these rules to directives it does not know. nfv-vpn applies them to the
// directives it does not implement as well (Support::kUnsupported, kRemoved): the user has
// declared them optional, so a warning naming the directive is the honest answer.
// Support::kIgnored directives are accepted everywhere with a warning that names them.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "config/config_error.hpp"
#include "config/config_lexer.hpp"

namespace nfv::vpn::config {

/// Where a directive has an effect.
enum class Scope : std::uint8_t { kClient, kServer, kBoth };

enum class Support : std::uint8_t {
    kSupported,    // parsed into the typed config
    kIgnored,      // accepted, has no effect in nfv-vpn; always a named warning
    kUnsupported,  // OpenVPN 2.6 has it, nfv-vpn does not implement it: an error
    kRemoved,      // OpenVPN 2.6 on Linux rejects it too (removed, or Windows only): an error
};

/// Marks an option whose parameter count has no upper bound below MAX_PARMS.
inline constexpr std::uint8_t kAnyArgs = 15;

struct OptionSpec {
    std::string_view name;
    std::uint8_t min_args;
    std::uint8_t max_args;
    Scope scope;
    Support support;
    bool inline_allowed;    // may be given as <name>...</name>
    std::string_view note;  // why, for unsupported/ignored/removed directives; docs otherwise
};

/// Every known directive, sorted by name.
[[nodiscard]] std::span<const OptionSpec> option_table();

/// The entry for `name`, or nullptr when neither OpenVPN 2.6 nor nfv-vpn knows it.
[[nodiscard]] const OptionSpec* find_option(std::string_view name);

/// "supported", "ignored", "unsupported" or "removed".
[[nodiscard]] std::string_view support_name(Support support);

/// Applies the table to lexed (and `config`-expanded) directives, in order:
///  * `setenv opt` prefixes are unwrapped, `ignore-unknown-option` and
///    `setenv FORWARD_COMPATIBLE 1` are recorded and applied to later directives (see the
///    banner);
///  * supported directives with a valid parameter count are kept (in order, including
///    `setenv` and `ignore-unknown-option` themselves);
///  * everything else becomes an error or a warning naming file, line and directive.
/// Never stops early: every problem is reported.
struct FilteredDirectives {
    std::vector<Directive> directives;
    Diagnostics diagnostics;
};
[[nodiscard]] FilteredDirectives filter_directives(std::span<const Directive> directives);

}  // namespace nfv::vpn::config
