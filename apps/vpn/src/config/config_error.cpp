#include "config/config_error.hpp"

namespace nfv::vpn::config {

std::string ConfigError::to_string() const {
    std::string out = file;
    out += ':';
    out += std::to_string(line);
    out += ": ";
    if (!directive.empty()) {
        out += directive;
        out += ": ";
    }
    out += message;
    return out;
}

}  // namespace nfv::vpn::config
