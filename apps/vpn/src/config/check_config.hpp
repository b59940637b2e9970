// --check-config: everything that can be verified about an OpenVPN configuration without
// connecting (DESIGN.md "Observability and operations").
//
// On top of parse_vpn_config() (syntax, directives, values, combinations) it reads every
// referenced file through the FileReader, as OpenVPN does at start-up (ssl_openssl.c
// tls_ctx_load_ca/cert/priv_file, crypto.c read_key_file, tls_crypt.c
// tls_crypt_v2_init_client_key/server_key, misc.c get_user_pass):
//  * ca, cert, extra-certs: PEM certificates that OpenSSL can parse (one or more);
//  * key: an unencrypted PEM private key (encrypted keys would need askpass);
//  * dh: "none" or PEM DH parameters; crl-verify: a PEM CRL (unless "dir");
//  * tls-auth, tls-crypt: an "OpenVPN Static key V1" block (proto/static_key.hpp);
//  * tls-crypt-v2: a client key on a client, a server key on a server (PEM label checked);
//  * pkcs12: readable (inline: base64);
//  * auth-user-pass: a username line and a password line.
// Relative paths are taken relative to `cd` when it is set. Each problem names the file and
// line of the directive that referenced the file.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "config/config_error.hpp"
#include "config/config_loader.hpp"
#include "config/vpn_config.hpp"

namespace nfv::vpn::config {

/// Checks the files and inline blocks a parsed config refers to; returns only the new
/// problems.
[[nodiscard]] Diagnostics check_config_files(const VpnConfig& config, FileReader& reader);

struct CheckedConfig {
    std::optional<VpnConfig> config;  // set when there are no errors
    Diagnostics diagnostics;
};

/// The whole --check-config pipeline for a command line (argv without the program name):
/// load (with `config` expansion), parse, check files. A lexer or loader error is the only
/// error that stops the pipeline early.
[[nodiscard]] CheckedConfig check_command_line(std::span<const std::string> args,
                                               FileReader& reader);

}  // namespace nfv::vpn::config
