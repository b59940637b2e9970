#include "config/config_error.hpp"

namespace nfv::dnsvizor::config {
namespace {

std::string prefix(const SourceLocation& where, const std::string& option) {
    std::string text;
    if (where.from_command_line()) {
        text = "command line";
    } else {
        text = where.file;
        if (where.line != 0) {
            text += ':';
            text += std::to_string(where.line);
        }
    }
    text += ": ";
    if (!option.empty()) {
        text += "option '" + option + "': ";
    }
    return text;
}

}  // namespace

std::string format(const ConfigError& error) {
    return prefix(error.where, error.option) + error.message;
}

std::string format(const ConfigWarning& warning) {
    return prefix(warning.where, warning.option) + "warning: " + warning.message;
}

}  // namespace nfv::dnsvizor::config
