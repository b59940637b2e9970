#include "server/server_setup.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include <unistd.h>

#include "config/occ_options.hpp"
#include "proto/static_key.hpp"
#include "proto/tls_crypt.hpp"
#include "server/server_tunnel.hpp"
#include "setup/key_material.hpp"

namespace nfv::vpn::server {
namespace {

int tls_version(const std::string& text) {
    if (text == "1.3") {
        return 0x0304;
    }
    if (text == "1.1") {
        return 0x0302;
    }
    return 0x0303;
}

Result<void, std::string> fill_tls(const config::VpnConfig& config, config::FileReader& reader,
                                   ServerMaterials& out) {
    if (config.ca.empty()) {
        return Unexpected(std::string("ca: a server needs the CA that signed its clients"));
    }
    if (config.cert.empty() || config.key.empty()) {
        return Unexpected(std::string("cert/key: a server needs its certificate and key"));
    }
    if (!config.pkcs12.empty()) {
        return Unexpected(std::string("pkcs12: not supported by nfv-vpn yet (use ca/cert/key)"));
    }
    if (!config.peer_fingerprints.empty()) {
        return Unexpected(
            std::string("peer-fingerprint: not supported by the nfv-vpn server yet (use ca)"));
    }
    auto ca = setup::read_material(config, config.ca, "ca", reader);
    auto cert = setup::read_material(config, config.cert, "cert", reader);
    auto key = setup::read_material(config, config.key, "key", reader);
    for (auto* result : {&ca, &cert, &key}) {
        if (!*result) {
            return Unexpected(result->error());
        }
    }
    out.tls.is_server = true;
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
    if (!config.server.crl_verify.empty()) {
        if (config.server.crl_verify_dir) {
            return Unexpected(std::string(
                "crl-verify DIR dir: the directory form is not supported yet (use a CRL file)"));
        }
        auto crl = setup::read_material(config, config.server.crl_verify, "crl-verify", reader);
        if (!crl) {
            return Unexpected(crl.error());
        }
        out.tls.crl_pem = *crl;
    }
    // verify-client-cert none|optional|require: only `require` insists on a certificate.
    out.tls.require_peer_certificate =
        config.server.verify_client_cert == config::ServerConfig::VerifyClientCert::kRequire;
    if (config.remote_cert_tls == config::RemoteCertTls::kClient) {
        out.tls.remote_cert_tls = proto::RemoteCertTls::kClient;
    } else if (config.remote_cert_tls == config::RemoteCertTls::kServer) {
        out.tls.remote_cert_tls = proto::RemoteCertTls::kServer;
    }
    if (config.verify_x509_name) {
        return Unexpected(std::string(
            "verify-x509-name: not supported on the nfv-vpn server yet (it checks clients with "
            "ca, crl-verify and remote-cert-tls)"));
    }
    if (!config.tls_version_min.empty()) {
        out.tls.min_protocol_version = tls_version(config.tls_version_min);
    }
    if (!config.tls_version_max.empty()) {
        out.tls.max_protocol_version = tls_version(config.tls_version_max);
    }
    out.tls.groups = config.tls_groups;
    out.tls.ciphersuites = config.tls_ciphersuites;
    if (!config.tls_cipher.empty()) {
        // OpenVPN translates its IANA-style "TLS-ECDHE-..." names to OpenSSL's; we pass OpenSSL
        // names through and keep OpenSSL's TLS 1.2 defaults for the IANA spelling.
        if (config.tls_cipher.rfind("TLS-", 0) == 0) {
            out.warnings.emplace_back(
                "tls-cipher: OpenVPN-style (IANA) cipher names are not translated yet; "
                "OpenSSL's default TLS 1.2 cipher list is used");
        } else {
            out.tls.cipher_list = config.tls_cipher;
        }
    }
    return {};
}

Result<void, std::string> fill_ciphers(const config::VpnConfig& config, ServerMaterials& out) {
    for (const auto& name : config.data_ciphers) {
        if (auto cipher = proto::parse_data_cipher(name)) {
            out.data_ciphers.push_back(*cipher);
        } else {
            out.warnings.push_back("data-ciphers: " + name +
                                   " is not implemented by nfv-vpn and is not offered");
        }
    }
    if (out.data_ciphers.empty()) {
        return Unexpected(std::string("data-ciphers: none of the listed ciphers is supported"));
    }
    if (!config.data_ciphers_fallback.empty()) {
        out.data_ciphers_fallback = proto::parse_data_cipher(config.data_ciphers_fallback);
        if (!out.data_ciphers_fallback) {
            return Unexpected("data-ciphers-fallback " + config.data_ciphers_fallback +
                              ": not a supported cipher");
        }
    }
    if (auto digest = proto::parse_data_digest(config.auth)) {
        out.digest = *digest;
    } else if (config.auth != "none") {
        return Unexpected("auth " + config.auth + ": not a supported digest");
    }
    return {};
}

}  // namespace

Result<std::string, std::string> CachingFileReader::read(const std::string& path) {
    if (auto found = cache_.find(path); found != cache_.end()) {
        return found->second;
    }
    auto text = inner_->read(path);
    if (text) {
        cache_.emplace(path, *text);
    }
    return text;
}

Result<ServerMaterials, std::string> prepare_server(const config::VpnConfig& config,
                                                    config::FileReader& reader) {
    ServerMaterials out;
    if (config.role != config::Role::kServer) {
        return Unexpected(std::string("not a server configuration"));
    }
    if (config.dev_type != "tun") {
        return Unexpected("dev-type " + config.dev_type +
                          ": only tun devices are supported (no TAP bridging)");
    }
    if (config.compression != config::Compression::kNotConfigured) {
        return Unexpected(
            std::string("comp-lzo/compress: compression framing is not supported yet; remove the "
                        "directive (OpenVPN 2.6 does not compress by default)"));
    }
    if (!config.server.network) {
        return Unexpected(std::string(
            "mode server without `server NETWORK NETMASK`: nfv-vpn needs the `server` helper "
            "directive to size its address pool"));
    }
    if (!config.server.client_config_dir.empty()) {
        // options.c: OpenVPN refuses to start when the directory cannot be read.
        const auto dir = setup::resolve_path(config, config.server.client_config_dir);
        if (::access(dir.c_str(), R_OK | X_OK) != 0) {
            return Unexpected("client-config-dir: cannot read the directory " + dir + ": " +
                              std::strerror(errno));
        }
    }
    if (auto tls = fill_tls(config, reader, out); !tls) {
        return Unexpected(tls.error());
    }
    if (auto ciphers = fill_ciphers(config, out); !ciphers) {
        return Unexpected(ciphers.error());
    }
    auto listener = setup::load_listener_auth(config, reader);
    if (!listener) {
        return Unexpected(listener.error());
    }
    out.listener = std::move(*listener);
    // Check the session wrap once now, so a bad key fails at start and not per client.
    if (config.control_key.wrap != config::ControlWrap::kTlsCryptV2) {
        if (auto wrap = session_wrap(config, reader, std::nullopt); !wrap) {
            return Unexpected(wrap.error());
        }
    }
    auto plan = config::plan_server(config);
    if (!plan) {
        return Unexpected(plan.error());
    }
    out.plan = std::move(*plan);
    if (!out.plan.pool) {
        return Unexpected(std::string(
            "server ... nopool: clients without ifconfig-push would get no address; nfv-vpn "
            "needs the pool"));
    }
    auto tunnel = server_tunnel_settings(config, out.plan);
    if (!tunnel) {
        return Unexpected(tunnel.error());
    }
    out.tunnel = std::move(*tunnel);
    config::VpnConfig per_transport = config;
    per_transport.protocol.transport = config::Transport::kUdp;
    out.udp_options_string = config::occ_options_string(per_transport, /*remote=*/false);
    per_transport.protocol.transport = config::Transport::kTcp;
    out.tcp_options_string = config::occ_options_string(per_transport, /*remote=*/false);
    return out;
}

Result<proto::ControlWrap, std::string> session_wrap(
    const config::VpnConfig& config, config::FileReader& reader,
    const std::optional<proto::UnwrappedClientKey>& client_key) {
    if (config.control_key.wrap != config::ControlWrap::kTlsCryptV2) {
        return setup::load_control_wrap(config, reader, setup::Role::kServer);
    }
    if (!client_key) {
        return Unexpected(std::string("tls-crypt-v2: the client sent no wrapped client key"));
    }
    const proto::StaticKey key(client_key->key);
    auto crypt = proto::TlsCrypt::create(key, /*is_server=*/true);
    if (!crypt) {
        return Unexpected(std::string("tls-crypt-v2: cannot initialise the client key"));
    }
    proto::ReplayWindowConfig replay;
    replay.seq_backtrack = config.replay_window;
    replay.time_backtrack = std::chrono::seconds(config.replay_window_seconds);
    proto::ControlWrap wrap(std::move(*crypt), replay);
    wrap.set_original_key(key);
    return wrap;
}

}  // namespace nfv::vpn::server
