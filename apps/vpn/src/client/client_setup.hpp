// Turns a parsed client configuration into what a ClientSession needs: the TLS settings with
// the PEM material read from files or inline blocks, the control-channel wrapping (tls-auth with
// its key direction and digest, tls-crypt), the credentials, the OCC options string and the
// peer-info text.
//
// Reference: OpenVPN 2.6 options.c options_string() (the OCC string; a mismatch only makes the
// peer log a warning), ssl.c push_peer_info() (IV_ variables), init.c do_init_tls_wrap_key.
// Peer info tells the truth about nfv-vpn's client: IV_PROTO announces DATA_V2 (peer-id),
// REQUEST_PUSH and TLS_KEY_EXPORT (EKM) only; IV_CIPHERS lists the data-ciphers we implement.
#pragma once

#include <optional>
#include <string>

#include "nfv/platform/result.hpp"

#include "config/config_loader.hpp"
#include "config/vpn_config.hpp"
#include "proto/control_wrap.hpp"
#include "proto/key_method2.hpp"
#include "proto/tls_engine.hpp"

namespace nfv::vpn::client {

/// IV_PROTO bits we announce (ssl.h): 1 DATA_V2, 2 REQUEST_PUSH, 3 TLS_KEY_EXPORT,
/// 9 DYN_TLS_CRYPT (renegotiations under the dynamic tls-crypt key, proto/control_wrap.hpp).
inline constexpr unsigned kPeerInfoProto = (1U << 1U) | (1U << 2U) | (1U << 3U) | (1U << 9U);

struct ClientMaterials {
    proto::TlsEngineConfig tls;
    proto::ControlWrap wrap;
    std::optional<proto::UserPass> credentials;
    std::string options_string;
    std::string peer_info;
    std::vector<std::string> data_ciphers;  // supported subset of data-ciphers, in order
};

/// Reads every file the config names and builds the materials. Errors name the directive, the
/// file and what is wrong ("tls-crypt-v2 client keys are not supported yet" included).
[[nodiscard]] Result<ClientMaterials, std::string> prepare_client(const config::VpnConfig& config,
                                                                  config::FileReader& reader,
                                                                  std::string_view version);

/// The OCC options string of a client with this config.
[[nodiscard]] std::string occ_options_string(const config::VpnConfig& config);
/// The peer-info block ("IV_VER=...\nIV_PLAT=linux\n...").
[[nodiscard]] std::string peer_info_text(const std::vector<std::string>& data_ciphers,
                                         std::string_view version);

}  // namespace nfv::vpn::client
