// Diagnostics of the OpenVPN config reader: every error and warning names the file, the line
// and the directive it is about, in the shape OpenVPN prints them
// ("Options error: ... in client.ovpn:12: remote").
//
// The command line is reported as file "[CMD-LINE]" line 1, as OpenVPN's add_option() does.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace nfv::vpn::config {

/// The file name OpenVPN uses for directives given as command-line options.
inline constexpr const char* kCommandLineFile = "[CMD-LINE]";

/// One problem found in a config: where (file, 1-based line), which directive (empty when the
/// line could not be split into a directive at all) and what.
struct ConfigError {
    std::string file;
    std::size_t line = 0;
    std::string directive;
    std::string message;

    /// "file:line: directive: message" (the directive part is left out when empty).
    [[nodiscard]] std::string to_string() const;
    bool operator==(const ConfigError&) const = default;
};

/// Same shape as an error; a warning never stops the config from being used.
using ConfigWarning = ConfigError;

/// Everything a validation pass found; `errors` empty means the config is usable.
struct Diagnostics {
    std::vector<ConfigError> errors;
    std::vector<ConfigWarning> warnings;

    [[nodiscard]] bool ok() const { return errors.empty(); }
};

}  // namespace nfv::vpn::config
