// Internal to the config layer: the per-directive interpretation used by parse_vpn_config()
// (vpn_config.cpp), split by where a directive applies. Each apply_* returns false when the
// directive is not one of its own, true when it handled it (successfully or with an error
// reported through the context).
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "config/config_error.hpp"
#include "config/config_lexer.hpp"
#include "config/config_values.hpp"
#include "config/vpn_config.hpp"

namespace nfv::vpn::config::detail {

class DirectiveContext {
public:
    explicit DirectiveContext(Diagnostics& diagnostics) : diagnostics_(diagnostics) {}

    void error(const Directive& directive, std::string message) {
        diagnostics_.errors.push_back(
            ConfigError{directive.file, directive.line, directive.name, std::move(message)});
    }
    void warning(const Directive& directive, std::string message) {
        diagnostics_.warnings.push_back(
            ConfigWarning{directive.file, directive.line, directive.name, std::move(message)});
    }

private:
    Diagnostics& diagnostics_;
};

/// Parses parameter `index` of `directive` as a number in [min, max] into `field`; reports an
/// error and leaves `field` alone otherwise.
template <typename T>
bool set_number(const Directive& directive, std::size_t index, T& field, DirectiveContext& context,
                std::uint64_t min = 0, std::uint64_t max = std::numeric_limits<T>::max()) {
    auto value = parse_number(directive.args.at(index), min, max);
    if (!value) {
        context.error(directive, value.error());
        return false;
    }
    field = static_cast<T>(*value);
    return true;
}

/// The path or inline text of a file-or-inline directive's first parameter.
FileOrInline file_or_inline(const Directive& directive);

bool apply_common_directive(const Directive& directive, VpnConfig& config,
                            DirectiveContext& context);
bool apply_network_directive(const Directive& directive, VpnConfig& config,
                             DirectiveContext& context);
bool apply_client_directive(const Directive& directive, VpnConfig& config,
                            DirectiveContext& context);
bool apply_server_directive(const Directive& directive, VpnConfig& config,
                            DirectiveContext& context);

}  // namespace nfv::vpn::config::detail
