// Snapshot: everything a connection needs from the configuration, immutable once built: the TLS
// contexts and router, each route's resolved backend addresses and its metrics. A reload builds
// a new Snapshot; connections keep the one they started with (shared_ptr), so SIGHUP never
// disturbs an established connection.
//
// Host names of backends are resolved once, when the snapshot is built, with c-ares (/etc/hosts,
// then DNS; blocking with a bound, at start-up and on reload only). Not yet: resolution on the
// event loop, and re-resolution when the records' TTL expires (a SIGHUP re-resolves).
#pragma once

#include <cstddef>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "nfv/platform/io/socket_address.hpp"
#include "nfv/platform/metrics.hpp"
#include "nfv/platform/result.hpp"

#include "backend_health.hpp"
#include "config.hpp"
#include "tls_context.hpp"

namespace nfv::tls_proxy {

/// Per-route counters (label route="<name>"); they live in the proxy's registry and so survive
/// reloads.
struct RouteMetrics {
    platform::Counter* connections = nullptr;        // handshakes completed on this route
    platform::Gauge* active = nullptr;               // connections currently relayed
    platform::Counter* bytes_from_client = nullptr;  // plaintext client -> backend
    platform::Counter* bytes_to_client = nullptr;    // plaintext backend -> client
    platform::Counter* backend_failures = nullptr;   // connect attempts that failed or timed out
    platform::Counter* unavailable = nullptr;        // connections closed (or 502) for no backend
};

struct RouteRuntime {
    std::vector<platform::io::SocketAddress> backends;
    std::vector<std::string> backend_names;  // as configured, for logs
    RouteMetrics metrics;
    // Routes with a health_check: one state and one tls_proxy_backend_up gauge per address.
    std::vector<BackendHealth> health;
    std::vector<platform::Gauge*> up;
};

class Snapshot {
public:
    /// Loads certificates, resolves backends and registers metrics. Errors name the file and
    /// the JSON path (a backend that does not resolve: "/routes/0/backends/1").
    /// `tickets` (optional) are the process's session ticket keys (see TlsContext::create).
    [[nodiscard]] static Result<std::shared_ptr<Snapshot>, ConfigError> build(
        Config config, std::time_t now, platform::MetricsRegistry& metrics,
        TicketKeys* tickets = nullptr);

    [[nodiscard]] const std::shared_ptr<const TlsContext>& tls() const { return tls_; }
    [[nodiscard]] const Config& config() const { return tls_->config(); }
    [[nodiscard]] RouteRuntime& route(std::size_t index) { return routes_[index]; }
    /// Round-robin: the backend index to try first for the next connection on `route`. Down
    /// backends (health checks) are passed over unless every one is down.
    [[nodiscard]] std::size_t next_backend(std::size_t route);
    /// Records a probe or connect outcome for a backend of a health-checked route (no-op on
    /// other routes); true if the backend went up or down.
    bool record_health(std::size_t route, std::size_t backend, bool ok);

private:
    std::shared_ptr<const TlsContext> tls_;
    std::vector<RouteRuntime> routes_;
    std::vector<std::size_t> round_robin_;
};

/// Numeric address first, then c-ares ares_getaddrinfo(AF_UNSPEC, SOCK_STREAM), waiting at
/// most 10 s. Every address returned is kept (in resolver order).
[[nodiscard]] Result<std::vector<platform::io::SocketAddress>, std::string> resolve_endpoint(
    const Endpoint& endpoint);

}  // namespace nfv::tls_proxy
