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
                // The server unwraps each client's WKc with its server key (ssl_pkt.c
                // tls_crypt_v2_extract_client_key); that path does not exist yet.
                return Unexpected(
                    std::string("tls-crypt-v2: not supported on the server side by nfv-vpn yet"));
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
    const char* directive = key.wrap == config::ControlWrap::kTlsAuth ? "tls-auth" : "tls-crypt";
    auto text = read_material(config, key.key, directive, reader);
    if (!text) {
        return Unexpected(text.error());
    }
    auto parsed = proto::StaticKey::parse(*text);
    if (!parsed) {
        return Unexpected(std::string(directive) + ": not an OpenVPN static key");
    }
    if (key.wrap == config::ControlWrap::kTlsAuth) {
        auto auth = proto::TlsAuth::create(*parsed, key_direction(config), config.auth);
        if (!auth) {
            return Unexpected("tls-auth: digest '" + config.auth + "' is not available");
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

}  // namespace nfv::vpn::setup
