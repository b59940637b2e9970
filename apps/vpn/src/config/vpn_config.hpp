// The typed nfv-vpn configuration: what an OpenVPN 2.6 client or server config means, after
// lexing (config_lexer.hpp), `config` expansion (config_loader.hpp) and the option table
// (options.hpp).
//
// Semantics follow OpenVPN 2.6 options.c add_option() and the man page (openvpn(8), sections
// "Client Options", "Server Options", "Data Channel Encryption Options", "TLS Mode Options",
// "Link Options", "Virtual Network Adapter (VPN interface)", "Log output options"):
//  * a later directive overrides an earlier one, except the repeatable ones (remote, route,
//    route-ipv6, push, pull-filter, dhcp-option, setenv, peer-fingerprint, iroute ...);
//  * `client` = `pull` + `tls-client`; `server` / `mode server` + `tls-server` make a server;
//  * `keepalive N M` sets ping N / ping-restart M (a server applies 2*M to itself and pushes
//    N/M, helper.c helper_keepalive());
//  * file-or-inline directives (ca, cert, key, tls-auth, tls-crypt, tls-crypt-v2,
//    extra-certs, pkcs12, dh, crl-verify, auth-user-pass, peer-fingerprint) keep either the
//    path or the inline text; files are only read by check_config.hpp and the runtime.
// Defaults are OpenVPN 2.6's (data-ciphers AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305, auth SHA1,
// tun-mtu 1500, port 1194, proto udp, reneg-sec 3600, hand-window 60, tls-timeout 2 ...).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nfv/net/ip_address.hpp"

#include "config/config_error.hpp"
#include "config/config_lexer.hpp"

namespace nfv::vpn::config {

enum class Role : std::uint8_t {
    kPointToPoint,  // neither client nor server: OpenVPN's default p2p mode
    kClient,        // `client`, or `tls-client` + `pull`
    kServer,        // `server`, `mode server` (with tls-server)
};

enum class Transport : std::uint8_t { kUdp, kTcp };
enum class AddressFamily : std::uint8_t { kAny, kIpv4, kIpv6 };

/// proto udp|udp4|udp6|tcp|tcp4|tcp6|tcp-client|tcp4-client|tcp6-client|tcp-server|...
struct Protocol {
    Transport transport = Transport::kUdp;
    AddressFamily family = AddressFamily::kAny;
    bool operator==(const Protocol&) const = default;
};

/// Where a directive came from, for messages that come later (check-config, runtime).
struct Origin {
    std::string file;
    std::size_t line = 0;
    bool operator==(const Origin&) const = default;
};

/// One `local` directive: HOST alone (OpenVPN 2.6: the bind address; the last one wins), or
/// HOST PORT [PROTO] (OpenVPN 2.7 multi-socket form: every such line is one more listening
/// socket). config/listen_sockets.hpp turns the lines into sockets.
struct LocalLine {
    std::string host;
    std::optional<std::uint16_t> port;
    std::optional<Protocol> protocol;
    Origin origin;
    /// True for the OpenVPN 2.7 form (a port or protocol was given).
    [[nodiscard]] bool multi_socket() const { return port.has_value() || protocol.has_value(); }
};

/// A file path or inline text (<ca>...</ca>).
struct FileOrInline {
    std::string path;         // empty for inline
    std::string inline_text;  // empty for a path
    bool is_inline = false;
    Origin origin;

    [[nodiscard]] bool empty() const { return path.empty() && !is_inline; }
    bool operator==(const FileOrInline&) const = default;
};

/// `remote HOST [PORT [PROTO]]`; a missing port or protocol uses `port`/`rport` and `proto`.
struct Remote {
    std::string host;
    std::optional<std::uint16_t> port;
    std::optional<Protocol> protocol;
    Origin origin;
    bool operator==(const Remote&) const = default;
};

/// Key direction of tls-auth/secret: none (bidirectional), 0 (NORMAL) or 1 (INVERSE).
enum class KeyDirection : std::uint8_t { kBidirectional, kNormal, kInverse };

enum class ControlWrap : std::uint8_t { kNone, kTlsAuth, kTlsCrypt, kTlsCryptV2 };

struct ControlChannelKey {
    ControlWrap wrap = ControlWrap::kNone;
    FileOrInline key;
    std::optional<KeyDirection> direction;  // tls-auth: from its 2nd parameter or key-direction
    bool force_cookie = false;              // tls-crypt-v2 server: force-cookie
};

/// auth-user-pass: no parameter means "prompt on the terminal", which nfv-vpn cannot do.
struct AuthUserPass {
    enum class Source : std::uint8_t { kPrompt, kFile, kInline };
    Source source = Source::kPrompt;
    FileOrInline credentials;
};

/// remote-cert-tls client|server.
enum class RemoteCertTls : std::uint8_t { kNone, kClient, kServer };

/// verify-x509-name NAME [subject|name|name-prefix].
struct VerifyX509Name {
    enum class Type : std::uint8_t { kSubject, kName, kNamePrefix };
    std::string name;
    Type type = Type::kSubject;
};

/// pull-filter accept|ignore|reject TEXT: applied to pushed options in order, first match wins.
struct PullFilter {
    enum class Action : std::uint8_t { kAccept, kIgnore, kReject };
    Action action = Action::kAccept;
    std::string prefix;
    bool operator==(const PullFilter&) const = default;
};

/// route NETWORK [NETMASK [GATEWAY [METRIC]]] (GATEWAY may be a keyword such as vpn_gateway).
struct Route {
    std::string network;  // address, or a host name / keyword resolved by the runtime
    net::Ipv4Address netmask = net::Ipv4Address({255, 255, 255, 255});
    std::string gateway;  // empty: route-gateway / the VPN gateway
    std::optional<std::uint32_t> metric;
    bool operator==(const Route&) const = default;
};

/// route-ipv6 NETWORK/BITS [GATEWAY [METRIC]].
struct RouteIpv6 {
    std::string network;
    std::string gateway;
    std::optional<std::uint32_t> metric;
    bool operator==(const RouteIpv6&) const = default;
};

/// redirect-gateway / redirect-private flags.
struct RedirectGateway {
    bool enabled = false;
    bool is_private = false;  // redirect-private: routes without changing the default
    bool local = false;
    bool autolocal = false;
    bool def1 = false;
    bool bypass_dhcp = false;
    bool bypass_dns = false;
    bool block_local = false;
    bool ipv4 = true;
    bool ipv6 = false;
    bool operator==(const RedirectGateway&) const = default;
};

/// dhcp-option TYPE [VALUE ...] (DNS, DNS6, DOMAIN, DOMAIN-SEARCH, ...).
struct DhcpOption {
    std::string type;
    std::vector<std::string> values;
    bool operator==(const DhcpOption&) const = default;
};

/// Compression as OpenVPN 2.6 handles it. nfv-vpn never compresses; the stub forms only add a
/// framing byte to data packets.
enum class Compression : std::uint8_t {
    kNotConfigured,  // no comp-lzo/compress: no framing
    kLzoStub,        // comp-lzo no: 0xFA framing byte, nothing compressed
    kStub,           // compress / compress stub: swap framing, nothing compressed
    kStubV2,         // compress stub-v2
    kMigrate,        // compress migrate: accept the server's decision to drop compression
};

enum class Topology : std::uint8_t { kNet30, kP2p, kSubnet };

struct ServerConfig {
    std::optional<net::Ipv4Address> network;  // server NETWORK NETMASK [nopool]
    net::Ipv4Address netmask;
    bool nopool = false;
    std::optional<std::string> network_ipv6;  // server-ipv6 ADDR/BITS
    std::optional<std::pair<net::Ipv4Address, net::Ipv4Address>> ifconfig_pool;
    std::optional<std::string> ifconfig_ipv6_pool;
    std::string ifconfig_pool_persist;  // file; empty when unset
    std::uint32_t ifconfig_pool_persist_seconds = 600;
    std::string client_config_dir;
    bool ccd_exclusive = false;
    std::vector<std::string> push;  // in order; push-reset/push-remove already applied
    bool client_to_client = false;
    bool duplicate_cn = false;
    std::uint32_t max_clients = 1024;
    FileOrInline dh;  // "none" for ECDH only: path "none"
    enum class VerifyClientCert : std::uint8_t { kNone, kOptional, kRequire };
    VerifyClientCert verify_client_cert = VerifyClientCert::kRequire;
    std::string auth_user_pass_verify;
    bool auth_user_pass_via_file = false;  // via-file (true) or via-env
    bool username_as_common_name = false;
    FileOrInline crl_verify;
    bool crl_verify_dir = false;
    std::string client_connect;
    std::string client_disconnect;
    std::string tls_crypt_v2_verify;
    std::uint8_t status_version = 1;
    std::string management_address;        // "unix" socket path or host
    std::string management_port;           // port, or "unix"
    std::string management_password_file;  // first line is the password; empty = none
};

struct ClientConfig {
    std::vector<Remote> remotes;
    bool remote_random = false;
    std::uint32_t connect_retry_seconds = 1;  // connect-retry N [MAX]
    std::uint32_t connect_retry_max_seconds = 300;
    std::optional<std::uint32_t> connect_retry_max;     // attempts; nullopt = unlimited
    std::optional<std::uint32_t> resolv_retry_seconds;  // nullopt = infinite
    std::uint32_t server_poll_timeout = 120;
    bool nobind = false;
    bool pull = false;
    std::optional<AuthUserPass> auth_user_pass;
    bool auth_nocache = false;
    std::string auth_retry = "none";
    bool route_nopull = false;
    std::vector<PullFilter> pull_filters;
};

/// How `mssfix N` counts (OpenVPN 2.6): the UDP/TCP payload, the whole IP datagram ("mtu",
/// the default), or N - 40 as the MSS itself ("fixed").
enum class MssfixMode : std::uint8_t { kPayload, kMtu, kFixed };

struct VpnConfig {
    Role role = Role::kPointToPoint;
    bool tls_client = false;
    bool tls_server = false;

    // Link
    Protocol protocol;
    std::uint16_t port = 1194;
    std::optional<std::uint16_t> lport;
    std::optional<std::uint16_t> rport;
    std::vector<LocalLine> locals;  // `local` lines in order (see LocalLine)
    bool bind = true;
    bool bind_ipv6only = false;  // `bind ipv6only`: an IPv6 listener refuses IPv4 (mapped) peers
    bool float_peer = false;

    // Virtual network adapter
    std::string dev = "tun";
    std::string dev_type = "tun";
    Topology topology = Topology::kNet30;
    std::uint32_t tun_mtu = 1500;
    std::optional<std::uint32_t> mssfix;  // nullopt: OpenVPN default (1492, mtu mode)
    MssfixMode mssfix_mode = MssfixMode::kMtu;
    std::optional<std::pair<std::string, std::string>> ifconfig;
    std::optional<std::pair<std::string, std::string>> ifconfig_ipv6;
    bool ifconfig_noexec = false;
    std::vector<Route> routes;
    std::vector<RouteIpv6> routes_ipv6;
    std::string route_gateway;
    std::string route_ipv6_gateway;
    std::optional<std::uint32_t> route_metric;
    bool route_noexec = false;
    RedirectGateway redirect_gateway;
    std::vector<DhcpOption> dhcp_options;
    bool block_ipv6 = false;

    // TLS and crypto
    FileOrInline ca;
    FileOrInline cert;
    FileOrInline key;
    FileOrInline extra_certs;
    FileOrInline pkcs12;
    std::vector<std::string> peer_fingerprints;  // SHA-256, "AB:CD:..." upper case
    ControlChannelKey control_key;
    std::optional<KeyDirection> key_direction;  // key-direction
    std::string auth = "SHA1";
    std::string cipher;  // empty: not set (OpenVPN 2.6 default BF-CBC is only a fallback)
    std::vector<std::string> data_ciphers{"AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"};
    std::string data_ciphers_fallback;
    std::string tls_version_min;  // "1.2", "1.3", or empty
    bool tls_version_min_or_highest = false;
    std::string tls_version_max;
    std::string tls_cipher;
    std::string tls_ciphersuites;
    std::string tls_groups;
    std::string tls_cert_profile;
    RemoteCertTls remote_cert_tls = RemoteCertTls::kNone;
    std::optional<VerifyX509Name> verify_x509_name;
    std::string tls_verify;
    Compression compression = Compression::kNotConfigured;
    std::string allow_compression = "no";

    // Timers (seconds unless named otherwise)
    std::uint32_t ping = 0;
    std::uint32_t ping_restart = 0;
    std::uint32_t ping_exit = 0;
    std::optional<std::pair<std::uint32_t, std::uint32_t>> keepalive;
    std::uint32_t reneg_sec = 3600;
    std::uint64_t reneg_bytes = 0;
    std::uint64_t reneg_pkts = 0;
    std::uint32_t hand_window = 60;
    std::uint32_t tran_window = 3600;
    std::uint32_t tls_timeout = 2;
    std::uint32_t replay_window = 64;
    std::uint32_t replay_window_seconds = 15;
    std::uint32_t inactive = 0;
    std::uint32_t explicit_exit_notify = 0;  // 0 = off
    bool tls_exit = false;

    // Process and logging
    std::uint32_t verb = 1;
    std::uint32_t mute = 0;
    std::string log;
    bool log_append = false;
    bool syslog = false;
    std::string syslog_name;
    bool daemon = false;
    // Not an OpenVPN directive: nfv-vpn's --no-offload sets it false (plain TUN and UDP I/O
    // instead of TSO/GSO/GRO; see tunnel/offload_tun.hpp).
    bool offload = true;
    std::string daemon_name;
    std::string writepid;
    std::string status;
    std::uint32_t status_seconds = 60;
    std::string user;
    std::string group;
    std::string cd;
    std::string tmp_dir;
    bool persist_key = false;
    bool persist_tun = false;
    std::uint32_t script_security = 1;
    std::string up;
    std::string down;
    bool down_pre = false;
    std::string route_up;
    std::string route_pre_down;
    std::vector<std::pair<std::string, std::string>> setenv;  // setenv and setenv-safe

    ClientConfig client;
    ServerConfig server;
};

/// A parsed config and everything found while parsing it. Use `config` only when
/// `diagnostics.ok()`.
struct ParsedConfig {
    VpnConfig config;
    Diagnostics diagnostics;
};

/// Filters (options.hpp) and interprets directives in order, then checks the combination
/// (role and scope, key-direction, conflicting options). Pure: reads no files. Reports every
/// problem with file, line and directive.
[[nodiscard]] ParsedConfig parse_vpn_config(std::span<const Directive> directives);

}  // namespace nfv::vpn::config
