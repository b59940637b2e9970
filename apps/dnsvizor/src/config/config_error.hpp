// Errors and warnings of the dnsmasq config import, and their one-line text forms.
//
// Every error names where it happened (file and line, or the command line), the option and a
// message, so `nfv-dnsvizor --test` can print "FILE:LINE: option 'NAME': message" the way an
// operator can act on it. A warning is an accepted option we do not implement (yet); it never
// stops the program but must be shown, so nothing a user wrote is silently ignored.
#pragma once

#include <string>

#include "config/raw_option.hpp"

namespace nfv::dnsvizor::config {

struct ConfigError {
    SourceLocation where;
    std::string option;  // long option name; "" when the error is not about one option
    std::string message;
};

struct ConfigWarning {
    SourceLocation where;
    std::string option;
    std::string message;
};

/// "FILE:LINE: option 'NAME': message"; "command line: option 'NAME': message" for options
/// from argv; the "option 'NAME': " part is left out when `option` is empty, and ":LINE" when
/// the line is 0 (e.g. a file that cannot be read at all).
[[nodiscard]] std::string format(const ConfigError& error);
/// Same layout as for errors, with "warning: " before the message.
[[nodiscard]] std::string format(const ConfigWarning& warning);

}  // namespace nfv::dnsvizor::config
