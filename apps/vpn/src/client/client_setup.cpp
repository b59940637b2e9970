#include "client/client_setup.hpp"

#include <algorithm>

#include "proto/data_channel.hpp"
#include "proto/static_key.hpp"
#include "proto/tls_auth.hpp"
#include "proto/tls_crypt.hpp"
#include "proto/tls_crypt_v2.hpp"

namespace nfv::vpn::client {
namespace {

std::string resolve_path(const config::VpnConfig& config, const std::string& path) {
    if (config.cd.empty() || path.empty() || path.front() == '/') {
        return path;
    }
    return config.cd + "/" + path;
}

Result<std::string, std::string> material(const config::VpnConfig& config,
                                          const config::FileOrInline& source,
                                          std::string_view directive, config::FileReader& reader) {
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

Result<proto::ControlWrap, std::string> control_wrap(const config::VpnConfig& config,
                                                     config::FileReader& reader) {
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
            auto text = material(config, key.key, "tls-crypt-v2", reader);
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
    auto text = material(config, key.key, directive, reader);
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
    auto crypt = proto::TlsCrypt::create(*parsed, /*is_server=*/false);
    if (!crypt) {
        return Unexpected(std::string("tls-crypt: cannot initialise the key"));
    }
    proto::ControlWrap wrap(std::move(*crypt), replay);
    wrap.set_original_key(*parsed);
    return wrap;
}

Result<std::optional<proto::UserPass>, std::string> credentials(const config::VpnConfig& config,
                                                                config::FileReader& reader) {
    if (!config.client.auth_user_pass) {
        return std::optional<proto::UserPass>{};
    }
    const auto& auth = *config.client.auth_user_pass;
    if (auth.source == config::AuthUserPass::Source::kPrompt) {
        return Unexpected(std::string(
            "auth-user-pass without a file: nfv-vpn cannot prompt; give a file with the "
            "username and password lines"));
    }
    auto text = material(config, auth.credentials, "auth-user-pass", reader);
    if (!text) {
        return Unexpected(text.error());
    }
    const auto first_end = text->find('\n');
    std::string user = text->substr(0, first_end);
    std::string pass;
    if (first_end != std::string::npos) {
        pass = text->substr(first_end + 1);
        pass = pass.substr(0, pass.find('\n'));
    }
    for (auto* field : {&user, &pass}) {
        if (!field->empty() && field->back() == '\r') {
            field->pop_back();
        }
    }
    if (user.empty()) {
        return Unexpected(std::string("auth-user-pass: the file has no username line"));
    }
    return std::optional<proto::UserPass>(proto::UserPass(std::move(user), std::move(pass)));
}

int tls_version(const std::string& text) {
    if (text == "1.3") {
        return 0x0304;
    }
    if (text == "1.1") {
        return 0x0302;
    }
    return 0x0303;
}

}  // namespace

std::string occ_options_string(const config::VpnConfig& config) {
    const bool tcp = config.protocol.transport == config::Transport::kTcp;
    std::string text = "V4,dev-type " + config.dev_type;
    text += ",link-mtu " + std::to_string(config.tun_mtu + 41);
    text += ",tun-mtu " + std::to_string(config.tun_mtu);
    text += tcp ? ",proto TCPv4_CLIENT" : ",proto UDPv4";
    if (!config.cipher.empty()) {
        text += ",cipher " + config.cipher;
    }
    text += ",auth " + config.auth;
    text += ",keysize 128";
    if (config.control_key.wrap == config::ControlWrap::kTlsAuth) {
        text += ",tls-auth";
    }
    text += ",key-method 2,tls-client";
    return text;
}

std::string peer_info_text(const std::vector<std::string>& data_ciphers, std::string_view version) {
    std::string ciphers;
    for (const auto& cipher : data_ciphers) {
        ciphers += (ciphers.empty() ? "" : ":") + cipher;
    }
    std::string text;
    text += "IV_VER=2.6.14\n";  // the OpenVPN protocol level we implement
    text += "IV_PLAT=linux\n";
    text += "IV_PROTO=" + std::to_string(kPeerInfoProto) + "\n";
    text += "IV_NCP=2\n";
    text += "IV_CIPHERS=" + ciphers + "\n";
    text += "IV_MTU=1600\n";
    text += "IV_GUI_VER=nfv-vpn_" + std::string(version) + "\n";
    return text;
}

Result<ClientMaterials, std::string> prepare_client(const config::VpnConfig& config,
                                                    config::FileReader& reader,
                                                    std::string_view version) {
    ClientMaterials out;
    auto ca = material(config, config.ca, "ca", reader);
    auto cert = material(config, config.cert, "cert", reader);
    auto key = material(config, config.key, "key", reader);
    for (auto* result : {&ca, &cert, &key}) {
        if (!*result) {
            return Unexpected(result->error());
        }
    }
    if (config.ca.empty()) {
        return Unexpected(std::string("ca: a CA certificate is required"));
    }
    if (!config.pkcs12.empty()) {
        return Unexpected(std::string("pkcs12: not supported by nfv-vpn yet (use ca/cert/key)"));
    }
    out.tls.is_server = false;
    out.tls.ca_pem = *ca;
    out.tls.cert_pem = *cert;
    out.tls.key_pem = *key;
    if (!config.extra_certs.empty()) {
        auto extra = material(config, config.extra_certs, "extra-certs", reader);
        if (!extra) {
            return Unexpected(extra.error());
        }
        out.tls.cert_pem += "\n" + *extra;
    }
    if (config.remote_cert_tls == config::RemoteCertTls::kServer) {
        out.tls.remote_cert_tls = proto::RemoteCertTls::kServer;
    } else if (config.remote_cert_tls == config::RemoteCertTls::kClient) {
        out.tls.remote_cert_tls = proto::RemoteCertTls::kClient;
    }
    if (config.verify_x509_name) {
        proto::X509NameCheck check;
        check.value = config.verify_x509_name->name;
        switch (config.verify_x509_name->type) {
            case config::VerifyX509Name::Type::kSubject:
                check.type = proto::X509NameType::kSubject;
                break;
            case config::VerifyX509Name::Type::kName:
                check.type = proto::X509NameType::kName;
                break;
            case config::VerifyX509Name::Type::kNamePrefix:
                check.type = proto::X509NameType::kNamePrefix;
                break;
        }
        out.tls.verify_x509_name = check;
    }
    out.tls.min_protocol_version = tls_version(config.tls_version_min);
    if (!config.tls_version_max.empty()) {
        out.tls.max_protocol_version = tls_version(config.tls_version_max);
    }
    auto wrap = control_wrap(config, reader);
    if (!wrap) {
        return Unexpected(wrap.error());
    }
    out.wrap = std::move(*wrap);
    auto creds = credentials(config, reader);
    if (!creds) {
        return Unexpected(creds.error());
    }
    out.credentials = std::move(*creds);
    for (const auto& name : config.data_ciphers) {
        if (auto cipher = proto::parse_data_cipher(name)) {
            out.data_ciphers.emplace_back(proto::data_cipher_name(*cipher));
        }
    }
    if (!config.data_ciphers_fallback.empty() &&
        !proto::parse_data_cipher(config.data_ciphers_fallback)) {
        return Unexpected("data-ciphers-fallback " + config.data_ciphers_fallback +
                          ": not a supported cipher");
    }
    if (out.data_ciphers.empty()) {
        return Unexpected(std::string("data-ciphers: none of the listed ciphers is supported"));
    }
    out.options_string = occ_options_string(config);
    out.peer_info = peer_info_text(out.data_ciphers, version);
    return out;
}

}  // namespace nfv::vpn::client
