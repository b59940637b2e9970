#include "server/server_scripts.hpp"

#include <ctime>

namespace nfv::vpn::server {
namespace {

std::string ascii_time(std::uint32_t unix_seconds) {
    const std::time_t seconds = unix_seconds;
    std::tm local{};
    if (::localtime_r(&seconds, &local) == nullptr) {
        return {};
    }
    char text[32];
    const auto length = std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &local);
    return std::string(text, length);
}

// IV_ and UV_ lines of the peer-info text (multi.c sets them for the scripts).
void add_peer_info(std::vector<std::string>& env, std::string_view peer_info) {
    while (!peer_info.empty()) {
        const auto end = peer_info.find('\n');
        const auto line = peer_info.substr(0, end);
        peer_info = end == std::string_view::npos ? std::string_view() : peer_info.substr(end + 1);
        const auto equals = line.find('=');
        if (equals == std::string_view::npos || equals == 0) {
            continue;
        }
        if (line.starts_with("IV_") || line.starts_with("UV_")) {
            env.emplace_back(line);
        }
    }
}

}  // namespace

std::string_view server_script_type(ServerScript script) {
    switch (script) {
        case ServerScript::kTlsVerify:
            return "tls-verify";
        case ServerScript::kUserPassVerify:
            return "user-pass-verify";
        case ServerScript::kClientConnect:
            return "client-connect";
        case ServerScript::kClientDisconnect:
            return "client-disconnect";
    }
    return "unknown";
}

std::vector<std::string> server_script_environment(const config::VpnConfig& config,
                                                   ServerScript script,
                                                   const ClientScriptInfo& client,
                                                   const ServerScriptContext& server) {
    std::vector<std::string> env;
    auto set = [&env](std::string_view name, std::string_view value) {
        env.push_back(std::string(name) + "=" + std::string(value));
    };
    set("script_type", server_script_type(script));
    set("script_context", "init");
    set("verb", std::to_string(config.verb));
    set("daemon", config.daemon ? "1" : "0");
    set("dev", server.dev);
    set("dev_type", "tun");
    set("proto_1", client.tcp ? "tcp-server" : "udp");
    if (server.ifconfig_local) {
        set("ifconfig_local", server.ifconfig_local->to_string());
    }
    if (server.ifconfig_netmask) {
        set("ifconfig_netmask", server.ifconfig_netmask->to_string());
    }
    set("common_name", client.common_name);
    if (!client.common_name.empty()) {
        set("X509_0_CN", client.common_name);
    }
    if (!client.username.empty()) {
        set("username", client.username);
    }
    if (script == ServerScript::kUserPassVerify && !config.server.auth_user_pass_via_file) {
        set("password", client.password);
    }
    // Before authentication the address is "untrusted" (ssl_verify.c), afterwards "trusted".
    const bool trusted =
        script != ServerScript::kUserPassVerify && script != ServerScript::kTlsVerify;
    const std::string prefix = trusted ? "trusted_" : "untrusted_";
    set(prefix + (client.real_ipv6 ? "ip6" : "ip"), client.real_ip);
    set(prefix + "port", std::to_string(client.real_port));
    if (client.addresses) {
        const auto& a = *client.addresses;
        set("ifconfig_pool_remote_ip", a.ifconfig.first.to_string());
        if (server.topology_subnet) {
            set("ifconfig_pool_netmask", a.ifconfig.second.to_string());
        } else {
            set("ifconfig_pool_local_ip", a.ifconfig.second.to_string());
        }
        if (a.ipv6) {
            set("ifconfig_pool_remote_ip6", a.ipv6->to_string());
            set("ifconfig_pool_ip6_netbits", std::to_string(a.ipv6_prefix));
        }
    }
    set("time_unix",
        std::to_string(client.connected_since != 0 ? client.connected_since : client.now));
    set("time_ascii",
        ascii_time(client.connected_since != 0 ? client.connected_since : client.now));
    if (script == ServerScript::kClientDisconnect) {
        set("bytes_received", std::to_string(client.bytes_received));
        set("bytes_sent", std::to_string(client.bytes_sent));
        const auto duration =
            client.now >= client.connected_since ? client.now - client.connected_since : 0U;
        set("time_duration", std::to_string(duration));
    }
    add_peer_info(env, client.peer_info);
    for (const auto& [name, value] : config.setenv) {
        set(name, value);
    }
    return env;
}

std::vector<std::string> tls_verify_environment(const config::VpnConfig& config,
                                                const ClientScriptInfo& client,
                                                std::span<const proto::PeerCertificate> chain,
                                                int depth) {
    std::vector<std::string> env;
    auto set = [&env](std::string_view name, std::string_view value) {
        env.push_back(std::string(name) + "=" + std::string(value));
    };
    set("script_type", "tls-verify");
    set("verb", std::to_string(config.verb));
    set("daemon", config.daemon ? "1" : "0");
    set("proto_1", client.tcp ? "tcp-server" : "udp");
    set(client.real_ipv6 ? "untrusted_ip6" : "untrusted_ip", client.real_ip);
    set("untrusted_port", std::to_string(client.real_port));
    for (const auto& cert : chain) {
        if (cert.depth < depth) {
            continue;
        }
        const std::string n = std::to_string(cert.depth);
        set("tls_id_" + n, cert.subject);
        set("tls_serial_" + n, cert.serial);
        set("tls_serial_hex_" + n, cert.serial_hex);
        set("tls_digest_" + n, cert.sha1);
        set("tls_digest_sha256_" + n, cert.sha256);
        for (const auto& [field, value] : cert.fields) {
            set("X509_" + n + "_" + field, value);
        }
    }
    for (const auto& [name, value] : config.setenv) {
        set(name, value);
    }
    return env;
}

std::optional<std::string> check_server_scripts(const config::VpnConfig& config) {
    const std::pair<const std::string*, const char*> hooks[] = {
        {&config.tls_verify, "tls-verify"},
        {&config.server.tls_crypt_v2_verify, "tls-crypt-v2-verify"},
        {&config.server.auth_user_pass_verify, "auth-user-pass-verify"},
        {&config.server.client_connect, "client-connect"},
        {&config.server.client_disconnect, "client-disconnect"},
    };
    for (const auto& [command, name] : hooks) {
        if (!command->empty() && config.script_security < 2) {
            return std::string(name) +
                   ": needs script-security 2 or higher (OpenVPN would refuse every client: "
                   "\"External program may not be called\")";
        }
    }
    if (!config.server.auth_user_pass_verify.empty() && !config.server.auth_user_pass_via_file &&
        config.script_security < 3) {
        return std::string(
            "auth-user-pass-verify via-env: passwords in the environment need script-security "
            "3 (use via-file with script-security 2)");
    }
    return std::nullopt;
}

}  // namespace nfv::vpn::server
