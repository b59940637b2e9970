#include "setup/key_material.hpp"

#include <chrono>
#include <optional>
#include <utility>

#include "proto/static_key.hpp"
#include "proto/tls_auth.hpp"
#include "proto/tls_crypt.hpp"
#include "proto/tls_crypt_v2.hpp"

namespace nfv::vpn::setup {

std::string resolve_path(const config::VpnConfig& config, const std::string& path) {
    if (config.cd.empty() || path.empty() || path.front() == '/') {
        return path;
    }
    return config.cd + "/" + path;
}

Result<std::string, std::string> read_material(const config::VpnConfig& config,
                                               const config::FileOrInline& source,
                                               std::string_view directive,
                                               config::FileReader& reader) {
    if (source.is_inline) {
        return source.inline_text;
    }
    auto text = reader.read(resolve_path(config, source.path));
    if (!text) {
        return Unexpected(std::string(directive) + " " + source.path + ": " + text.error() + " (" +
                          source.origin.file + ":" + std::to_string(source.origin.line) + ")");
    }
    return std::move(*text);
}

namespace {

proto::KeyDirection key_direction(const config::VpnConfig& config) {
    const auto direction =
        config.control_key.direction ? config.control_key.direction : config.key_direction;
    if (!direction) {
        return proto::KeyDirection::kBidirectional;
    }
    switch (*direction) {
        case config::KeyDirection::kNormal:
            return proto::KeyDirection::kNormal;
        case config::KeyDirection::kInverse:
            return proto::KeyDirection::kInverse;
        case config::KeyDirection::kBidirectional:
            break;
    }
    return proto::KeyDirection::kBidirectional;
}

// The tls-auth / tls-crypt static key file.
Result<proto::StaticKey, std::string> static_key(const config::VpnConfig& config,
                                                 config::FileReader& reader) {
    const auto& key = config.control_key;
    const char* directive = key.wrap == config::ControlWrap::kTlsAuth ? "tls-auth" : "tls-crypt";
    auto text = read_material(config, key.key, directive, reader);
    if (!text) {
        return Unexpected(text.error());
    }
    auto parsed = proto::StaticKey::parse(*text);
    if (!parsed) {
        return Unexpected(std::string(directive) + ": not an OpenVPN static key");
    }
    return *parsed;
}

Result<proto::TlsAuth, std::string> tls_auth(const config::VpnConfig& config,
                                             const proto::StaticKey& key) {
    auto auth = proto::TlsAuth::create(key, key_direction(config), config.auth);
    if (!auth) {
        return Unexpected("tls-auth: digest '" + config.auth + "' is not available");
    }
    return std::move(*auth);
}

}  // namespace

Result<proto::ControlWrap, std::string> load_control_wrap(const config::VpnConfig& config,
                                                          config::FileReader& reader, Role role) {
    const bool is_server = role == Role::kServer;
    proto::ReplayWindowConfig replay;
    // The control-channel wrap keeps the --replay-window backtrack over TCP too: openvpn 2.6
    // initialises its TLS_WRAP packet_id with replay_window/replay_time whatever the transport
    // (its TCP server logs "PID_TEST [TLS_WRAP] ... r=[..,64,15,..]"), and a tls-crypt-v2 peer's
    // ids start at EARLY_NEG_START + 1, which strict (id == 1 first) TCP ordering would reject.
    replay.seq_backtrack = config.replay_window;
    replay.time_backtrack = std::chrono::seconds(config.replay_window_seconds);
    const auto& key = config.control_key;
    switch (key.wrap) {
        case config::ControlWrap::kNone:
            return proto::ControlWrap();
        case config::ControlWrap::kTlsCryptV2: {
            if (is_server) {
                // A server session is wrapped with the client key Kc that the listener unwrapped
                // from the client's WKc (ssl_pkt.c tls_crypt_v2_extract_client_key), never with
                // a key from the config: see load_listener_auth.
                return Unexpected(std::string(
                    "tls-crypt-v2: a server session's wrap comes from the client's key, not the "
                    "config"));
            }
            auto text = read_material(config, key.key, "tls-crypt-v2", reader);
            if (!text) {
                return Unexpected(text.error());
            }
            auto client_key = proto::TlsCryptV2ClientKey::parse(*text);
            if (!client_key) {
                return Unexpected(std::string(
                    "tls-crypt-v2: not a valid OpenVPN tls-crypt-v2 client key (a server key, a "
                    "truncated file or bad base64)"));
            }
            auto crypt = proto::TlsCrypt::create(client_key->key(), /*is_server=*/false);
            if (!crypt) {
                return Unexpected(std::string("tls-crypt-v2: cannot initialise the key"));
            }
            const auto wkc = client_key->wkc();
            proto::ControlWrap wrap(std::move(*crypt), replay, {wkc.begin(), wkc.end()});
            wrap.set_original_key(client_key->key());
            return wrap;
        }
        case config::ControlWrap::kTlsAuth:
        case config::ControlWrap::kTlsCrypt:
            break;
    }
    auto parsed = static_key(config, reader);
    if (!parsed) {
        return Unexpected(parsed.error());
    }
    if (key.wrap == config::ControlWrap::kTlsAuth) {
        auto auth = tls_auth(config, *parsed);
        if (!auth) {
            return Unexpected(auth.error());
        }
        proto::ControlWrap wrap(std::move(*auth), replay);
        wrap.set_original_key(*parsed);
        return wrap;
    }
    auto crypt = proto::TlsCrypt::create(*parsed, is_server);
    if (!crypt) {
        return Unexpected(std::string("tls-crypt: cannot initialise the key"));
    }
    proto::ControlWrap wrap(std::move(*crypt), replay);
    wrap.set_original_key(*parsed);
    return wrap;
}

// GCC 12 at -O1/-O2 reports the unique_ptr members of the variant's other alternatives as
// "may be used uninitialized" when a monostate ListenerAuth is moved into the Result (a false
// positive inside libstdc++'s variant move constructor; clang and GCC -O0 do not see it).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
Result<session::ListenerAuth, std::string> load_listener_auth(const config::VpnConfig& config,
                                                              config::FileReader& reader) {
    switch (config.control_key.wrap) {
        case config::ControlWrap::kNone:
            return session::ListenerAuth{};
        case config::ControlWrap::kTlsCryptV2: {
            auto text = read_material(config, config.control_key.key, "tls-crypt-v2", reader);
            if (!text) {
                return Unexpected(text.error());
            }
            auto server_key = proto::TlsCryptV2ServerKey::parse(*text);
            if (!server_key) {
                return Unexpected(std::string(
                    "tls-crypt-v2: not a valid OpenVPN tls-crypt-v2 server key (a client key, a "
                    "truncated file or bad base64)"));
            }
            return session::ListenerAuth{*server_key};
        }
        case config::ControlWrap::kTlsAuth:
        case config::ControlWrap::kTlsCrypt:
            break;
    }
    auto parsed = static_key(config, reader);
    if (!parsed) {
        return Unexpected(parsed.error());
    }
    if (config.control_key.wrap == config::ControlWrap::kTlsAuth) {
        auto auth = tls_auth(config, *parsed);
        if (!auth) {
            return Unexpected(auth.error());
        }
        return session::ListenerAuth{std::move(*auth)};
    }
    auto crypt = proto::TlsCrypt::create(*parsed, /*is_server=*/true);
    if (!crypt) {
        return Unexpected(std::string("tls-crypt: cannot initialise the key"));
    }
    return session::ListenerAuth{std::move(*crypt)};
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace nfv::vpn::setup
