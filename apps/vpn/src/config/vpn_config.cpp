#include "config/vpn_config.hpp"

#include <algorithm>
#include <optional>
#include <string_view>

#include "config/directive_handlers.hpp"
#include "config/listen_sockets.hpp"
#include "config/options.hpp"

namespace nfv::vpn::config {
namespace detail {

FileOrInline file_or_inline(const Directive& directive) {
    FileOrInline out;
    out.origin = Origin{directive.file, directive.line};
    if (directive.is_inline) {
        out.is_inline = true;
        out.inline_text = directive.args.front();
    } else {
        out.path = directive.args.front();
    }
    return out;
}

namespace {

std::vector<std::string> split_colon_list(std::string_view text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t colon = text.find(':', start);
        const std::size_t end = colon == std::string_view::npos ? text.size() : colon;
        if (end > start) {
            out.emplace_back(text.substr(start, end - start));
        }
        if (colon == std::string_view::npos) {
            break;
        }
        start = colon + 1;
    }
    return out;
}

std::string upper(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'a' && c <= 'z') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    return out;
}

// The data channel ciphers nfv-vpn implements (issue 5: AEAD, and legacy CBC with HMAC) in
// OpenVPN's canonical spelling; names compare case-insensitively as in OpenVPN.
std::optional<std::string> canonical_cipher(std::string_view name) {
    static constexpr std::string_view kCiphers[] = {
        "AES-128-GCM", "AES-192-GCM", "AES-256-GCM", "CHACHA20-POLY1305",
        "AES-128-CBC", "AES-192-CBC", "AES-256-CBC",
    };
    const std::string wanted = upper(name);
    if (wanted == "NONE") {
        return std::string("none");
    }
    for (const std::string_view known : kCiphers) {
        if (known == wanted) {
            return std::string(known);
        }
    }
    return std::nullopt;
}

void set_control_key(const Directive& directive, VpnConfig& config, DirectiveContext& context,
                     ControlWrap wrap) {
    if (config.control_key.wrap != ControlWrap::kNone && config.control_key.wrap != wrap) {
        context.error(directive,
                      "only one of tls-auth, tls-crypt and tls-crypt-v2 may be used at a time");
        return;
    }
    ControlChannelKey key;
    key.wrap = wrap;
    key.key = file_or_inline(directive);
    if (wrap == ControlWrap::kTlsAuth && !directive.is_inline && directive.args.size() == 2) {
        auto direction = parse_key_direction(directive.args[1]);
        if (!direction) {
            context.error(directive, direction.error());
            return;
        }
        key.direction = *direction;
    }
    if (wrap == ControlWrap::kTlsCryptV2 && !directive.is_inline && directive.args.size() == 2) {
        if (directive.args[1] == "force-cookie") {
            key.force_cookie = true;
        } else if (directive.args[1] != "allow-noncookie") {
            context.error(directive, "second parameter must be force-cookie or allow-noncookie");
            return;
        }
    }
    config.control_key = std::move(key);
}

bool apply_crypto_directive(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    const std::string& name = d.name;
    if (name == "ca") {
        config.ca = file_or_inline(d);
    } else if (name == "cert") {
        config.cert = file_or_inline(d);
    } else if (name == "key") {
        config.key = file_or_inline(d);
    } else if (name == "extra-certs") {
        config.extra_certs = file_or_inline(d);
    } else if (name == "pkcs12") {
        config.pkcs12 = file_or_inline(d);
    } else if (name == "peer-fingerprint") {
        // One fingerprint as a parameter, or one per line in the inline block.
        const auto lines = d.is_inline ? d.args.front() : d.args.front() + "\n";
        std::size_t start = 0;
        while (start < lines.size()) {
            std::size_t end = lines.find('\n', start);
            end = end == std::string::npos ? lines.size() : end;
            std::string line = lines.substr(start, end - start);
            start = end + 1;
            while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
                line.pop_back();
            }
            if (line.empty() || line.front() == '#' || line.front() == ';') {
                continue;
            }
            if (line.size() != 95) {
                context.error(d,
                              "expected a SHA-256 fingerprint AB:CD:...:EF, got \"" + line + "\"");
                continue;
            }
            config.peer_fingerprints.push_back(upper(line));
        }
    } else if (name == "tls-auth") {
        set_control_key(d, config, context, ControlWrap::kTlsAuth);
    } else if (name == "tls-crypt") {
        set_control_key(d, config, context, ControlWrap::kTlsCrypt);
    } else if (name == "tls-crypt-v2") {
        set_control_key(d, config, context, ControlWrap::kTlsCryptV2);
    } else if (name == "key-direction") {
        auto direction = parse_key_direction(d.args[0]);
        if (!direction) {
            context.error(d, direction.error());
        } else {
            config.key_direction = *direction;
        }
    } else if (name == "auth") {
        config.auth = upper(d.args[0]);
    } else if (name == "cipher") {
        if (auto cipher = canonical_cipher(d.args[0])) {
            config.cipher = std::move(*cipher);
        } else {
            context.error(d, "data channel cipher " + d.args[0] +
                                 " is not supported (AES-128/192/256-GCM, CHACHA20-POLY1305, "
                                 "AES-128/192/256-CBC)");
        }
    } else if (name == "data-ciphers" || name == "ncp-ciphers") {
        std::vector<std::string> ciphers;
        for (const std::string& cipher : split_colon_list(d.args[0])) {
            // OpenVPN drops unknown ciphers from the list with a warning; a "?" prefix marks
            // an optional one (2.6 tls_item_in_cipher_list / mutate_ncp_cipher_list).
            const bool optional = cipher.starts_with('?');
            const std::string bare = optional ? cipher.substr(1) : cipher;
            auto canonical = canonical_cipher(bare);
            if (!canonical) {
                if (optional) {
                    context.warning(d, "optional cipher " + bare + " is not supported (skipped)");
                } else {
                    context.error(d, "data channel cipher " + bare + " is not supported");
                }
                continue;
            }
            ciphers.push_back(std::move(*canonical));
        }
        if (ciphers.empty()) {
            context.error(d, "no usable cipher in the list");
        } else {
            config.data_ciphers = std::move(ciphers);
        }
    } else if (name == "data-ciphers-fallback") {
        if (auto cipher = canonical_cipher(d.args[0])) {
            config.data_ciphers_fallback = std::move(*cipher);
        } else {
            context.error(d, "data channel cipher " + d.args[0] + " is not supported");
        }
    } else if (name == "tls-version-min") {
        if (d.args[0] != "1.0" && d.args[0] != "1.1" && d.args[0] != "1.2" && d.args[0] != "1.3") {
            context.error(d, "expected 1.0, 1.1, 1.2 or 1.3");
        } else if (d.args.size() == 2 && d.args[1] != "or-highest") {
            context.error(d, "second parameter must be or-highest");
        } else {
            config.tls_version_min = d.args[0];
            config.tls_version_min_or_highest = d.args.size() == 2;
        }
    } else if (name == "tls-version-max") {
        if (d.args[0] != "1.0" && d.args[0] != "1.1" && d.args[0] != "1.2" && d.args[0] != "1.3") {
            context.error(d, "expected 1.0, 1.1, 1.2 or 1.3");
        } else {
            config.tls_version_max = d.args[0];
        }
    } else if (name == "tls-cipher") {
        config.tls_cipher = d.args[0];
    } else if (name == "tls-ciphersuites") {
        config.tls_ciphersuites = d.args[0];
    } else if (name == "tls-groups") {
        config.tls_groups = d.args[0];
    } else if (name == "tls-cert-profile") {
        const std::string& profile = d.args[0];
        if (profile != "insecure" && profile != "legacy" && profile != "preferred" &&
            profile != "suiteb") {
            context.error(d, "expected insecure, legacy, preferred or suiteb");
        } else {
            config.tls_cert_profile = profile;
        }
    } else if (name == "remote-cert-tls") {
        if (d.args[0] == "server") {
            config.remote_cert_tls = RemoteCertTls::kServer;
        } else if (d.args[0] == "client") {
            config.remote_cert_tls = RemoteCertTls::kClient;
        } else {
            context.error(d, "expected client or server");
        }
    } else if (name == "verify-x509-name") {
        VerifyX509Name verify;
        verify.name = d.args[0];
        if (d.args.size() == 2) {
            if (d.args[1] == "subject") {
                verify.type = VerifyX509Name::Type::kSubject;
            } else if (d.args[1] == "name") {
                verify.type = VerifyX509Name::Type::kName;
            } else if (d.args[1] == "name-prefix") {
                verify.type = VerifyX509Name::Type::kNamePrefix;
            } else {
                context.error(d, "type must be subject, name or name-prefix");
                return true;
            }
        }
        config.verify_x509_name = std::move(verify);
    } else if (name == "tls-verify") {
        config.tls_verify = d.args[0];
    } else if (name == "comp-lzo") {
        if (d.args.empty() || d.args[0] == "yes" || d.args[0] == "adaptive") {
            context.error(d,
                          "LZO compression is not supported (it weakens encryption and "
                          "OpenVPN 2.6 refuses it by default); use \"comp-lzo no\" or remove "
                          "compression on both sides");
        } else if (d.args[0] == "no") {
            config.compression = Compression::kLzoStub;
            context.warning(d, "compression framing only: nothing is compressed");
        } else {
            context.error(d, "bad comp-lzo option: must be yes, no or adaptive");
        }
    } else if (name == "compress") {
        const std::string algorithm = d.args.empty() ? "stub" : d.args[0];
        if (algorithm == "stub") {
            config.compression = Compression::kStub;
        } else if (algorithm == "stub-v2") {
            config.compression = Compression::kStubV2;
        } else if (algorithm == "migrate") {
            config.compression = Compression::kMigrate;
        } else if (algorithm == "lzo" || algorithm == "lz4" || algorithm == "lz4-v2") {
            context.error(d, "compression algorithm " + algorithm +
                                 " is not supported; use \"compress stub-v2\" or remove "
                                 "compression on both sides");
            return true;
        } else {
            context.error(d, "bad compress option: " + algorithm);
            return true;
        }
        context.warning(d, "compression framing only: nothing is compressed");
    } else if (name == "allow-compression") {
        if (d.args[0] == "no" || d.args[0] == "asym") {
            config.allow_compression = d.args[0];
        } else if (d.args[0] == "yes") {
            context.error(d, "sending compressed packets is not supported; use no or asym");
        } else {
            context.error(d, "expected no, asym or yes");
        }
    } else {
        return false;
    }
    return true;
}

bool apply_timer_directive(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    const std::string& name = d.name;
    if (name == "ping") {
        set_number(d, 0, config.ping, context);
    } else if (name == "ping-restart") {
        set_number(d, 0, config.ping_restart, context);
    } else if (name == "ping-exit") {
        set_number(d, 0, config.ping_exit, context);
    } else if (name == "keepalive") {
        std::uint32_t interval = 0;
        std::uint32_t timeout = 0;
        if (set_number(d, 0, interval, context) && set_number(d, 1, timeout, context)) {
            if (interval == 0 || timeout == 0 || timeout < interval * 2U) {
                context.error(d,
                              "the second parameter must be at least twice the first, both "
                              "non-zero");
            } else {
                config.keepalive = std::make_pair(interval, timeout);
            }
        }
    } else if (name == "reneg-sec") {
        set_number(d, 0, config.reneg_sec, context);
    } else if (name == "reneg-bytes") {
        set_number(d, 0, config.reneg_bytes, context);
    } else if (name == "reneg-pkts") {
        set_number(d, 0, config.reneg_pkts, context);
    } else if (name == "hand-window") {
        set_number(d, 0, config.hand_window, context, 1);
    } else if (name == "tran-window") {
        set_number(d, 0, config.tran_window, context, 1);
    } else if (name == "tls-timeout") {
        set_number(d, 0, config.tls_timeout, context, 1);
    } else if (name == "replay-window") {
        set_number(d, 0, config.replay_window, context, 1, 65536);
        if (d.args.size() == 2) {
            set_number(d, 1, config.replay_window_seconds, context, 1);
        }
    } else if (name == "inactive") {
        set_number(d, 0, config.inactive, context);
    } else if (name == "explicit-exit-notify") {
        config.explicit_exit_notify = 1;
        if (!d.args.empty()) {
            set_number(d, 0, config.explicit_exit_notify, context, 0, 255);
        }
    } else if (name == "tls-exit") {
        config.tls_exit = true;
    } else {
        return false;
    }
    return true;
}

bool apply_process_directive(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    const std::string& name = d.name;
    const auto arg = [&](std::size_t i) { return i < d.args.size() ? d.args[i] : std::string(); };
    if (name == "verb") {
        set_number(d, 0, config.verb, context, 0, 15);
    } else if (name == "mute") {
        set_number(d, 0, config.mute, context);
    } else if (name == "log" || name == "log-append") {
        config.log = d.args[0];
        config.log_append = name == "log-append";
    } else if (name == "syslog") {
        config.syslog = true;
        config.syslog_name = arg(0);
    } else if (name == "daemon") {
        config.daemon = true;
        config.daemon_name = arg(0);
    } else if (name == "writepid") {
        config.writepid = d.args[0];
    } else if (name == "status") {
        config.status = d.args[0];
        if (d.args.size() == 2) {
            set_number(d, 1, config.status_seconds, context);
        }
    } else if (name == "user") {
        config.user = d.args[0];
    } else if (name == "group") {
        config.group = d.args[0];
    } else if (name == "cd") {
        // OpenVPN chdir()s at each `cd`: a relative one is relative to the previous.
        const bool relative = !d.args[0].empty() && d.args[0].front() != '/';
        config.cd = relative && !config.cd.empty() ? config.cd + "/" + d.args[0] : d.args[0];
    } else if (name == "tmp-dir") {
        config.tmp_dir = d.args[0];
    } else if (name == "persist-key") {
        config.persist_key = true;
    } else if (name == "persist-tun") {
        config.persist_tun = true;
    } else if (name == "script-security") {
        set_number(d, 0, config.script_security, context, 0, 3);
        if (d.args.size() == 2) {
            context.error(d, "the second parameter (execve/system) was removed in OpenVPN 2.3");
        }
    } else if (name == "up") {
        config.up = d.args[0];
    } else if (name == "down") {
        config.down = d.args[0];
    } else if (name == "down-pre") {
        config.down_pre = true;
    } else if (name == "route-up") {
        config.route_up = d.args[0];
    } else if (name == "route-pre-down") {
        config.route_pre_down = d.args[0];
    } else if (name == "setenv" || name == "setenv-safe") {
        const std::string variable = name == "setenv-safe" ? "OPENVPN_" + d.args[0] : d.args[0];
        config.setenv.emplace_back(variable, arg(1));
    } else if (name == "ignore-unknown-option" || name == "config") {
        // Already applied by filter_directives() / the loader.
    } else {
        return false;
    }
    return true;
}

}  // namespace

bool apply_common_directive(const Directive& directive, VpnConfig& config,
                            DirectiveContext& context) {
    return apply_crypto_directive(directive, config, context) ||
           apply_timer_directive(directive, config, context) ||
           apply_process_directive(directive, config, context);
}

}  // namespace detail

namespace {

using detail::DirectiveContext;

// Role from the whole config: OpenVPN's `client` is a macro for pull + tls-client, `server`
// implies mode server + tls-server.
void check_role(std::span<const Directive> directives, VpnConfig& config,
                DirectiveContext& context) {
    if (config.role == Role::kServer && (config.tls_client || config.client.pull)) {
        for (const Directive& d : directives) {
            if (d.name == "client" || d.name == "tls-client" || d.name == "pull") {
                context.error(d, "cannot be combined with server mode");
                return;
            }
        }
    }
    if (config.tls_client && config.tls_server) {
        for (const Directive& d : directives) {
            if (d.name == "tls-server" || d.name == "tls-client") {
                context.error(d, "tls-client and tls-server cannot both be set");
                return;
            }
        }
    }
    if (config.role != Role::kServer && config.tls_client && config.client.pull) {
        config.role = Role::kClient;
    }
    if (config.role == Role::kPointToPoint) {
        return;  // p2p configs keep both scopes' directives, as OpenVPN does
    }
    for (const Directive& d : directives) {
        const OptionSpec* spec = find_option(d.name);
        if (spec == nullptr) {
            continue;
        }
        if (config.role == Role::kClient && spec->scope == Scope::kServer) {
            context.error(d, "is a server option and cannot be used in client mode");
        } else if (config.role == Role::kServer && spec->scope == Scope::kClient) {
            context.error(d, "is a client option and cannot be used with mode server");
        }
    }
}

void check_combination(std::span<const Directive> directives, VpnConfig& config,
                       DirectiveContext& context) {
    // tls-auth takes its direction from key-direction when its own parameter is absent.
    if (config.control_key.wrap == ControlWrap::kTlsAuth && !config.control_key.direction) {
        config.control_key.direction = config.key_direction;
    }
    // Errors about something missing point at the directive that made the config a client,
    // a server or a TLS peer.
    Directive where{"tls-client", {}, false, "", 0};
    for (const Directive& d : directives) {
        if (d.name == "client" || d.name == "pull" || d.name == "server" ||
            d.name == "tls-client" || d.name == "tls-server" || d.name == "mode") {
            where = d;
            break;
        }
    }
    if (config.role == Role::kServer) {
        if (auto sockets = listen_sockets(config); !sockets) {
            context.error(Directive{"local", {}, false, sockets.error().file, sockets.error().line},
                          sockets.error().message);
        }
    } else {
        for (const Directive& d : directives) {
            if (d.name == "local" && d.args.size() > 1) {
                context.error(d,
                              "local HOST PORT [PROTO] adds a listening socket, which only a "
                              "server has; use lport/proto for the local end of a client");
            }
        }
    }
    if (config.role == Role::kClient && config.client.remotes.empty()) {
        context.error(where, "a client needs at least one remote");
    }
    // helper.c helper_keepalive(): keepalive replaces the ping directives.
    if (config.keepalive && (config.ping != 0 || config.ping_restart != 0)) {
        for (const Directive& d : directives) {
            if (d.name == "keepalive") {
                context.error(d,
                              "--keepalive conflicts with --ping, --ping-exit, or "
                              "--ping-restart; with --keepalive, you need none of them");
            }
        }
    }
    // options.c options_postprocess_verify_ce(): what TLS mode needs.
    if (config.tls_client || config.tls_server) {
        const bool pkcs12 = !config.pkcs12.empty();
        if (config.ca.empty() && !pkcs12 && config.peer_fingerprints.empty()) {
            context.error(where,
                          "You must define CA file (--ca) or peer fingerprint "
                          "verification (--peer-fingerprint)");
        }
        const int own = (config.cert.empty() ? 0 : 1) + (config.key.empty() ? 0 : 1);
        if (own == 1) {
            context.error(where, "If you use one of --cert or --key, you must use them both");
        } else if (own == 0 && !pkcs12) {
            if (config.tls_server || !config.client.pull) {
                context.error(where,
                              "certificate file (--cert) and private key file (--key) "
                              "or PKCS#12 file (--pkcs12) required");
            } else if (!config.client.auth_user_pass) {
                context.error(where,
                              "No client-side authentication method is specified. You "
                              "must use either --cert/--key, --pkcs12, or "
                              "--auth-user-pass");
            }
        }
    }
    if (config.role == Role::kClient && !config.tls_verify.empty()) {
        for (const Directive& d : directives) {
            if (d.name == "tls-verify") {
                context.error(d,
                              "tls-verify scripts are run by the server only; in client mode use "
                              "verify-x509-name, remote-cert-tls or peer-fingerprint");
            }
        }
    }
    if (config.role != Role::kServer && !config.server.management_address.empty()) {
        for (const Directive& d : directives) {
            if (d.name == "management") {
                context.warning(d,
                                "the management interface is implemented in server mode only "
                                "(no socket is opened in client mode)");
            }
        }
    }
    if (config.role != Role::kServer && !config.status.empty()) {
        for (const Directive& d : directives) {
            if (d.name == "status") {
                context.warning(d,
                                "a client's status file is not written yet (nfv-vpn writes it "
                                "in server mode only; the directive has no effect here)");
            }
        }
    }
    if (config.role == Role::kClient && config.client.auth_user_pass &&
        config.client.auth_user_pass->source == AuthUserPass::Source::kPrompt) {
        for (const Directive& d : directives) {
            if (d.name == "auth-user-pass") {
                context.error(d,
                              "asking for a username and password on a terminal is not "
                              "supported; give a file or an inline <auth-user-pass> block");
            }
        }
    }
}

}  // namespace

ParsedConfig parse_vpn_config(std::span<const Directive> directives) {
    ParsedConfig parsed;
    FilteredDirectives filtered = filter_directives(directives);
    parsed.diagnostics = std::move(filtered.diagnostics);
    DirectiveContext context(parsed.diagnostics);
    for (const Directive& directive : filtered.directives) {
        const bool handled = detail::apply_common_directive(directive, parsed.config, context) ||
                             detail::apply_network_directive(directive, parsed.config, context) ||
                             detail::apply_client_directive(directive, parsed.config, context) ||
                             detail::apply_server_directive(directive, parsed.config, context);
        if (!handled) {
            // A table entry marked supported without an interpreter is our bug: say so.
            context.error(directive, "supported in the option table but not interpreted");
        }
    }
    check_role(filtered.directives, parsed.config, context);
    check_combination(filtered.directives, parsed.config, context);
    return parsed;
}

}  // namespace nfv::vpn::config
