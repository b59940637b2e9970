// nfv-tls-proxy configuration: a JSON file (schema: configs/tls-proxy/schema.json) parsed into a
// typed Config.
//
// Contract:
// - parse_config() is pure: it reads no files and resolves no names. It checks structure and
//   values: every key of every object must be known (an unknown key is an error naming its JSON
//   path, e.g. "/routes/1/backend"), types and ranges, SNI patterns (exact host names or a
//   single leading "*." wildcard label), host:port endpoints, ALPN identifiers (RFC 7301 §3.1:
//   1..255 bytes), and cross references (default_route names a route, no SNI pattern twice).
// - load_config() reads the file and calls parse_config(); relative certificate paths are made
//   relative to the directory of the config file.
// - Certificates and keys are loaded (and their expiry checked) by TlsContext::create(), so that
//   `--check-config` proves the whole set loads.
// - Errors are values: ConfigError::message is one line "<file>: <json path>: <what>".
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/platform/log.hpp"
#include "nfv/platform/result.hpp"
#include "nfv/platform/time.hpp"

#include "backend_health.hpp"

namespace nfv::tls_proxy {

struct ConfigError {
    std::string message;
};

/// "host:port", "1.2.3.4:port" or "[v6]:port". `host` has no brackets.
struct Endpoint {
    std::string host;
    std::uint16_t port = 0;
    friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

/// Parses an endpoint; nullopt if the port is missing, zero or out of range, or the host empty.
[[nodiscard]] std::optional<Endpoint> parse_endpoint(std::string_view text);

/// Canonical SNI pattern (lower case, no trailing dot) if `text` is a valid exact host name or
/// "*.<host name>" wildcard; nullopt otherwise. Labels are 1..63 of [a-z0-9-_], names <= 253.
[[nodiscard]] std::optional<std::string> canonical_host_pattern(std::string_view text);

struct ListenerConfig {
    Endpoint address;
    bool http_redirect = false;  // plain HTTP listener answering 301 to https://<host><path>
};

/// One certificate chain and its private key, served for every name in `names` (exact or
/// wildcard patterns). A name may appear in two entries: one RSA and one ECDSA key.
struct CertificateConfig {
    std::vector<std::string> names;  // canonical patterns
    std::string chain_path;          // PEM: leaf first, then intermediates
    std::string key_path;            // PEM private key
};

enum class ProxyProtocol : std::uint8_t { kNone, kV1, kV2 };

struct RouteConfig {
    std::string name;
    std::vector<std::string> sni;    // canonical patterns; may be empty for a default-only route
    std::vector<Endpoint> backends;  // round-robin
    ProxyProtocol proxy_protocol = ProxyProtocol::kNone;
    std::vector<std::string> alpn;  // server preference order; empty: no ALPN negotiated
    bool http = false;              // backend failure answers an HTTP 502 page
    // PEM bundle of CAs; non-empty: the handshake requires a client certificate that verifies
    // against them (RFC 8446 §4.3.2 CertificateRequest; RFC 5246 §7.4.4), else it fails.
    std::string client_ca_path;
    // Active TCP health checks of every backend address; down ones are skipped by round-robin
    // (all down: every one is still tried in turn).
    std::optional<HealthCheckConfig> health_check;
};

struct Timeouts {
    platform::Duration handshake = std::chrono::seconds(10);
    platform::Duration idle = std::chrono::seconds(300);
    platform::Duration connect = std::chrono::seconds(5);
};

/// Session tickets (RFC 8446 §4.6.1, RFC 5077): the key that encrypts them is replaced every
/// `rotation`; tickets stay valid for one to two periods (see TicketKeys).
struct SessionTickets {
    bool enabled = true;  // false: nginx's `ssl_session_tickets off` (no resumption)
    platform::Duration rotation = std::chrono::hours(1);
};

/// The TLS policy of every handshake (RFC 8446, RFC 5246; TLS 1.0/1.1 are never offered).
/// Defaults: TLS 1.2 and 1.3; TLS 1.2 suites ECDHE with AES-GCM or ChaCha20-Poly1305 only
/// (forward secrecy, AEAD); OpenSSL's TLS 1.3 suites (all AEAD); groups X25519, P-256, P-384.
struct TlsPolicy {
    bool tls13_only = false;  // "min_version": "1.3"
    std::string ciphers =     // TLS 1.2, OpenSSL cipher-list syntax
        "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
        "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
        "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
    std::string ciphersuites;  // TLS 1.3 (OpenSSL syntax); empty: OpenSSL's defaults
    std::string groups = "X25519:P-256:P-384";  // key exchange groups, in preference order
};

struct Limits {
    std::size_t max_connections = 10000;
    // Flow control: once this many bytes wait to be written to one side of a connection,
    // reading from the other side stops until that side has taken them all (nginx's stream
    // proxy stops at its 16 KiB proxy_buffer_size; more keeps bulk transfers streaming).
    std::size_t buffer_bytes = 256 * 1024;
};

struct Config {
    std::string source;  // the file name, for messages
    std::vector<ListenerConfig> listeners;
    std::vector<CertificateConfig> certificates;
    std::vector<RouteConfig> routes;
    std::optional<std::size_t> default_route;  // index into routes
    Timeouts timeouts;
    Limits limits;
    SessionTickets session_tickets;
    TlsPolicy tls;
    // Worker processes sharing the listeners (SO_REUSEPORT), like nginx's worker_processes;
    // 0 = "auto" (one per online CPU). Only the first worker serves the metrics endpoint.
    std::size_t workers = 1;
    std::optional<Endpoint> metrics;  // plain HTTP endpoint serving Prometheus text
    platform::LogLevel log_level = platform::LogLevel::kInfo;
    // nginx's `user USER [GROUP]`: started as root, every process drops to this user once its
    // sockets are bound, keeping only CAP_NET_BIND_SERVICE (a reload may add a port below 1024).
    // Empty: no change. `group` empty: the user's primary group.
    std::string user;
    std::string group;
};

/// Parses and validates config text. `source` names the file in error messages; `base_dir`
/// (may be empty) is prefixed to relative certificate paths.
[[nodiscard]] Result<Config, ConfigError> parse_config(std::string_view text,
                                                       std::string_view source,
                                                       std::string_view base_dir = {});

/// Reads `path` and parses it; a missing or unreadable file is an error naming it.
[[nodiscard]] Result<Config, ConfigError> load_config(const std::string& path);

}  // namespace nfv::tls_proxy
