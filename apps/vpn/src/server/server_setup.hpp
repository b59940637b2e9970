// Turns a parsed server configuration into what the server runtime needs before it listens:
// the TLS settings (server role, CA/cert/key, crl-verify, verify-client-cert, remote-cert-tls,
// tls-version-min/max, tls-groups, tls-ciphersuites), the listener's stateless first-packet
// authentication, the expanded server plan (server/server-ipv6/keepalive), the OCC options
// string, the data ciphers we offer, and the settings of the server's own TUN device.
//
// Reference: OpenVPN 2.6 init.c do_init_crypto_tls_c1 (key files are read once at startup,
// before privileges are dropped: a server running as `user nobody` can still wrap every new
// client's control channel), ssl_ncp.c (data-ciphers / data-ciphers-fallback), helper.c.
// Contract: every error names the directive (and file) it comes from; options the server
// cannot honour are errors or named warnings, never ignored.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nfv/platform/result.hpp"

#include "client/push_tunnel.hpp"
#include "config/config_loader.hpp"
#include "config/server_plan.hpp"
#include "config/vpn_config.hpp"
#include "proto/control_wrap.hpp"
#include "proto/data_channel.hpp"
#include "proto/tls_crypt_v2.hpp"
#include "proto/tls_engine.hpp"
#include "session/reset_cookie.hpp"

namespace nfv::vpn::server {

/// A FileReader that keeps what it read: key material is read once as root and reused for
/// every client after privileges are dropped.
class CachingFileReader final : public config::FileReader {
public:
    explicit CachingFileReader(config::FileReader& inner) : inner_(&inner) {}
    [[nodiscard]] Result<std::string, std::string> read(const std::string& path) override;

private:
    config::FileReader* inner_;
    std::map<std::string, std::string> cache_;
};

struct ServerMaterials {
    proto::TlsEngineConfig tls;
    session::ListenerAuth listener;
    config::ServerPlan plan;
    client::TunnelSettings tunnel;
    // The OCC options string (occ_options.hpp) of a client on a UDP or a TCP socket: it names
    // the transport and counts the TCP length prefix in link-mtu.
    std::string udp_options_string;
    std::string tcp_options_string;
    std::vector<proto::DataCipher> data_ciphers;  // supported subset of data-ciphers, in order
    std::optional<proto::DataCipher> data_ciphers_fallback;
    proto::DataDigest digest = proto::DataDigest::kSha1;
    std::vector<std::string> warnings;  // named: "<directive>: why"
};

/// Reads every file the config names (through `reader`) and builds the materials.
[[nodiscard]] Result<ServerMaterials, std::string> prepare_server(const config::VpnConfig& config,
                                                                  config::FileReader& reader);

/// The control-channel wrap of one new client session: tls-auth / tls-crypt from the config's
/// key (server direction), or tls-crypt with the client key Kc the listener unwrapped from a
/// tls-crypt-v2 client's WKc.
[[nodiscard]] Result<proto::ControlWrap, std::string> session_wrap(
    const config::VpnConfig& config, config::FileReader& reader,
    const std::optional<proto::UnwrappedClientKey>& client_key);

}  // namespace nfv::vpn::server
