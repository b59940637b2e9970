#include "config/peer_info.hpp"

#include <algorithm>

#include "config/config_values.hpp"

namespace nfv::vpn::config {
namespace {

bool valid_name(std::string_view name) {
    return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '_';
    });
}

bool printable(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

std::string join(const std::vector<std::string>& items, char separator) {
    std::string out;
    for (const std::string& item : items) {
        if (!out.empty()) {
            out += separator;
        }
        out += item;
    }
    return out;
}

}  // namespace

std::uint32_t PeerInfoCapabilities::iv_proto() const {
    std::uint32_t bits = 0;
    bits |= data_v2 ? kIvProtoDataV2 : 0U;
    bits |= request_push ? kIvProtoRequestPush : 0U;
    bits |= tls_key_export ? kIvProtoTlsKeyExport : 0U;
    bits |= auth_pending_kw ? kIvProtoAuthPendingKw : 0U;
    bits |= ncp_p2p ? kIvProtoNcpP2p : 0U;
    bits |= dns_option ? kIvProtoDnsOption : 0U;
    bits |= cc_exit_notify ? kIvProtoCcExitNotify : 0U;
    bits |= auth_fail_temp ? kIvProtoAuthFailTemp : 0U;
    bits |= dyn_tls_crypt ? kIvProtoDynTlsCrypt : 0U;
    return bits;
}

PeerInfoParams peer_info_params(const VpnConfig& config, const PeerInfoCapabilities& capabilities) {
    PeerInfoParams params;
    params.pull = config.client.pull;
    params.tun_mtu_max = config.tun_mtu + 100;  // OpenVPN's tun-mtu-max default
    params.ciphers = config.data_ciphers;
    params.capabilities = capabilities;
    // Without pull OpenVPN negotiates p2p-style and announces NCP_P2P instead of IV_NCP.
    if (config.client.pull) {
        params.capabilities.ncp_p2p = false;
    }
    for (const auto& [name, value] : config.setenv) {
        if (name.starts_with("UV_") || name == "IV_GUI_VER" || name == "IV_SSO") {
            params.extra.emplace_back(name, value);
        }
    }
    return params;
}

std::string build_peer_info(const PeerInfoParams& params) {
    std::string out;
    const auto add = [&](std::string_view name, std::string_view value) {
        out += name;
        out += '=';
        out += value;
        out += '\n';
    };
    add("IV_VER", params.version);
    add("IV_PLAT", params.platform);
    add("IV_TCPNL", "1");  // no strict packet-id sequence required over TCP
    if (params.pull) {
        add("IV_MTU", std::to_string(params.tun_mtu_max));
        const auto has = [&](std::string_view cipher) {
            return std::find(params.ciphers.begin(), params.ciphers.end(), cipher) !=
                   params.ciphers.end();
        };
        if (has("AES-128-GCM") && has("AES-256-GCM")) {
            add("IV_NCP", "2");
        }
    }
    add("IV_CIPHERS", join(params.ciphers, ':'));
    add("IV_PROTO", std::to_string(params.capabilities.iv_proto()));
    if (params.capabilities.compression_stubs) {
        add("IV_LZO_STUB", "1");
        add("IV_COMP_STUB", "1");
        add("IV_COMP_STUBv2", "1");
    }
    for (const auto& [name, value] : params.extra) {
        add(name, value);
    }
    return out;
}

std::optional<std::string_view> PeerInfo::get(std::string_view name) const {
    for (const auto& [key, value] : variables) {
        if (key == name) {
            return std::string_view(value);
        }
    }
    return std::nullopt;
}

Result<PeerInfo, std::string> parse_peer_info(std::string_view text) {
    if (text.size() > kMaxPeerInfoSize) {
        return Unexpected(std::string("peer-info is too large"));
    }
    PeerInfo info;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        end = end == std::string_view::npos ? text.size() : end;
        const std::string_view line = text.substr(start, end - start);
        start = end + 1;
        if (line.empty()) {
            continue;
        }
        if (!printable(line)) {
            return Unexpected(std::string("non-printable character in peer-info"));
        }
        const std::size_t equals = line.find('=');
        if (equals == std::string_view::npos || !valid_name(line.substr(0, equals))) {
            return Unexpected("bad peer-info line \"" + std::string(line.substr(0, 80)) + "\"");
        }
        if (info.variables.size() == kMaxPeerInfoVariables) {
            return Unexpected(std::string("too many peer-info variables"));
        }
        const std::string name(line.substr(0, equals));
        const std::string value(line.substr(equals + 1));
        if (name == "IV_PROTO") {
            auto bits = parse_number(value, 0, UINT32_MAX);
            if (!bits) {
                return Unexpected("bad IV_PROTO: " + bits.error());
            }
            info.iv_proto = static_cast<std::uint32_t>(*bits);
        } else if (name == "IV_NCP") {
            auto ncp = parse_number(value, 0, UINT32_MAX);
            if (!ncp) {
                return Unexpected("bad IV_NCP: " + ncp.error());
            }
            info.iv_ncp = static_cast<std::uint32_t>(*ncp);
        } else if (name == "IV_MTU") {
            auto mtu = parse_number(value, 0, 65535);
            if (!mtu) {
                return Unexpected("bad IV_MTU: " + mtu.error());
            }
            info.mtu = static_cast<std::uint32_t>(*mtu);
        } else if (name == "IV_CIPHERS") {
            info.ciphers.clear();
            std::size_t from = 0;
            while (from <= value.size()) {
                std::size_t colon = value.find(':', from);
                colon = colon == std::string::npos ? value.size() : colon;
                if (colon > from) {
                    info.ciphers.push_back(value.substr(from, colon - from));
                }
                from = colon + 1;
            }
        } else if (name == "IV_VER") {
            info.version = value;
        } else if (name == "IV_PLAT") {
            info.platform = value;
        }
        info.variables.emplace_back(name, value);
    }
    return info;
}

}  // namespace nfv::vpn::config
