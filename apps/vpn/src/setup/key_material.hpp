// Key material shared by the client and the server runtime: reading PEM/key files named by the
// config (or their inline <ca>/<tls-crypt>... blocks) and building the control-channel wrapping
// (tls-auth with its key direction and digest, tls-crypt, tls-crypt-v2 on the client side).
//
// Reference: OpenVPN 2.6 init.c do_init_tls_wrap_key (key direction from the tls-auth argument
// or key-direction, bidirectional by default; tls-crypt keys are split by role, the server
// using the halves the client does not); options.c --cd (relative paths start there).
// Contract: every error names the directive and the file; nothing is silently ignored: a
// server config with tls-crypt-v2 is an error until the server-side key unwrap exists.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "nfv/platform/result.hpp"

#include "config/config_loader.hpp"
#include "config/vpn_config.hpp"
#include "proto/control_wrap.hpp"

namespace nfv::vpn::setup {

enum class Role : std::uint8_t { kClient, kServer };

/// `path` relative to the config's --cd directory (unchanged when absolute or no --cd).
[[nodiscard]] std::string resolve_path(const config::VpnConfig& config, const std::string& path);

/// The text of `source`: its inline block or the file it names. Errors read
/// "<directive> <path>: <reason> (<config file>:<line>)".
[[nodiscard]] Result<std::string, std::string> read_material(const config::VpnConfig& config,
                                                             const config::FileOrInline& source,
                                                             std::string_view directive,
                                                             config::FileReader& reader);

/// The control-channel wrapping the config asks for, keyed for `role`.
[[nodiscard]] Result<proto::ControlWrap, std::string> load_control_wrap(
    const config::VpnConfig& config, config::FileReader& reader, Role role);

}  // namespace nfv::vpn::setup
