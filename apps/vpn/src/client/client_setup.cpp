#include "client/client_setup.hpp"

#include <algorithm>

#include "proto/data_channel.hpp"
#include "setup/key_material.hpp"

namespace nfv::vpn::client {
namespace {

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
    auto text = setup::read_material(config, auth.credentials, "auth-user-pass", reader);
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
    auto ca = setup::read_material(config, config.ca, "ca", reader);
    auto cert = setup::read_material(config, config.cert, "cert", reader);
    auto key = setup::read_material(config, config.key, "key", reader);
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
        auto extra = setup::read_material(config, config.extra_certs, "extra-certs", reader);
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
    auto wrap = setup::load_control_wrap(config, reader, setup::Role::kClient);
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
