// Key material shared by the client and the server runtime: reading PEM/key files named by the
// config (or their inline <ca>/<tls-crypt>... blocks) and building the control-channel wrapping
// (tls-auth with its key direction and digest, tls-crypt, tls-crypt-v2 on the client side).
//
// Reference: OpenVPN 2.6 init.c do_init_tls_wrap_key (key direction from the tls-auth argument
// or key-direction, bidirectional by default; tls-crypt keys are split by role, the server
// using the halves the client does not); options.c --cd (relative paths start there).
// Contract: every error names the directive and the file; nothing is silently ignored: a
// server config with tls-crypt-v2 gets its listener here, but a per-session wrap only from the
// client key the listener unwrapped, so load_control_wrap refuses it for the server role.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "nfv/platform/result.hpp"

#include "config/config_loader.hpp"
#include "config/vpn_config.hpp"
#include "proto/control_wrap.hpp"
#include "session/reset_cookie.hpp"

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

/// The server's stateless first-packet authentication (session/reset_cookie.hpp) for the
/// config's wrapping: tls-auth or tls-crypt in the server direction without replay state, or
/// the tls-crypt-v2 server key that unwraps each client's WKc.
[[nodiscard]] Result<session::ListenerAuth, std::string> load_listener_auth(
    const config::VpnConfig& config, config::FileReader& reader);

}  // namespace nfv::vpn::setup
