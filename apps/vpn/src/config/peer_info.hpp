// Peer-info: the "IV_VAR=value\n" text a client sends in its key-method 2 message to tell the
// server what it supports, and the bounded parser a server uses on that untrusted text.
//
// Built like OpenVPN 2.6.14 ssl.c push_peer_info() (push_peer_info_detail 2, the client
// default), in the same order: IV_VER, IV_PLAT, IV_TCPNL, IV_MTU (pull only), IV_NCP=2 (only
// when data-ciphers has both AES-128-GCM and AES-256-GCM), IV_CIPHERS, IV_PROTO, compression
// stubs, then extra variables. What Debian's openvpn 2.6.14 client sends with the defaults:
//   IV_VER=2.6.14 IV_PLAT=linux IV_TCPNL=1 IV_MTU=1600 IV_NCP=2
//   IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305 IV_PROTO=990 IV_LZO_STUB=1
//   IV_COMP_STUB=1 IV_COMP_STUBv2=1
// IV_PROTO must tell the truth: the bits come from PeerInfoCapabilities, which the caller
// fills with what its protocol core really implements (ssl.h IV_PROTO_* bit numbers).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nfv/platform/result.hpp"

#include "config/vpn_config.hpp"

namespace nfv::vpn::config {

/// IV_PROTO bits (OpenVPN 2.6 ssl.h).
inline constexpr std::uint32_t kIvProtoDataV2 = 1U << 1U;
inline constexpr std::uint32_t kIvProtoRequestPush = 1U << 2U;
inline constexpr std::uint32_t kIvProtoTlsKeyExport = 1U << 3U;
inline constexpr std::uint32_t kIvProtoAuthPendingKw = 1U << 4U;
inline constexpr std::uint32_t kIvProtoNcpP2p = 1U << 5U;
inline constexpr std::uint32_t kIvProtoDnsOption = 1U << 6U;
inline constexpr std::uint32_t kIvProtoCcExitNotify = 1U << 7U;
inline constexpr std::uint32_t kIvProtoAuthFailTemp = 1U << 8U;
inline constexpr std::uint32_t kIvProtoDynTlsCrypt = 1U << 9U;

/// What the protocol core implements; each flag turns on one IV_PROTO bit.
struct PeerInfoCapabilities {
    bool data_v2 = false;            // P_DATA_V2 with a pushed peer-id
    bool request_push = false;       // accepts PUSH_REPLY without sending PUSH_REQUEST first
    bool tls_key_export = false;     // data keys from the TLS exporter (EKM)
    bool auth_pending_kw = false;    // AUTH_PENDING keywords
    bool ncp_p2p = false;            // p2p cipher negotiation (only without pull)
    bool dns_option = false;         // the --dns option
    bool cc_exit_notify = false;     // EXIT over the control channel, protocol-flags
    bool auth_fail_temp = false;     // AUTH_FAILED,TEMP
    bool dyn_tls_crypt = false;      // dynamic tls-crypt on renegotiation
    bool compression_stubs = false;  // the data channel handles stub framing bytes

    [[nodiscard]] std::uint32_t iv_proto() const;
};

struct PeerInfoParams {
    std::string version = "2.6.14";    // IV_VER: the OpenVPN version whose behaviour we follow
    std::string platform = "linux";    // IV_PLAT
    bool pull = true;                  // a client that pulls (sends IV_MTU and IV_NCP)
    std::uint32_t tun_mtu_max = 1600;  // IV_MTU: largest tun-mtu the server may push
    std::vector<std::string> ciphers;  // IV_CIPHERS, in order
    PeerInfoCapabilities capabilities;
    std::vector<std::pair<std::string, std::string>> extra;  // IV_GUI_VER, UV_* ...
};

/// Parameters from a parsed config (ciphers, pull, tun-mtu-max = tun-mtu + 100, setenv
/// UV_* / IV_GUI_VER variables) and the core's capabilities.
[[nodiscard]] PeerInfoParams peer_info_params(const VpnConfig& config,
                                              const PeerInfoCapabilities& capabilities);

/// The peer-info text, one "NAME=value\n" per variable.
[[nodiscard]] std::string build_peer_info(const PeerInfoParams& params);

/// Largest peer-info text accepted from a peer, and most variables kept.
inline constexpr std::size_t kMaxPeerInfoSize = 4096;
inline constexpr std::size_t kMaxPeerInfoVariables = 64;

/// What a server learns from a client's peer-info.
struct PeerInfo {
    std::vector<std::pair<std::string, std::string>> variables;  // in order, as received
    std::optional<std::uint32_t> iv_proto;
    std::optional<std::uint32_t> iv_ncp;
    std::vector<std::string> ciphers;  // IV_CIPHERS split on ':'
    std::optional<std::uint32_t> mtu;  // IV_MTU
    std::string version;               // IV_VER
    std::string platform;              // IV_PLAT

    /// The value of `name`, or nullopt.
    [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const;
};

/// Parses untrusted peer-info text: lines "NAME=value" (NAME of letters, digits and '_'),
/// separated by '\n'; empty lines are skipped. Oversized input, too many variables, a line
/// without '=' or a non-printable character is an error (message in the error).
[[nodiscard]] Result<PeerInfo, std::string> parse_peer_info(std::string_view text);

}  // namespace nfv::vpn::config
