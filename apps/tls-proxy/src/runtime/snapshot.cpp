#include "runtime/snapshot.hpp"

#include <netdb.h>

namespace nfv::tls_proxy {

Result<std::vector<platform::io::SocketAddress>, std::string> resolve_endpoint(
    const Endpoint& endpoint) {
    if (auto numeric = platform::io::SocketAddress::parse(endpoint.host, endpoint.port)) {
        return std::vector<platform::io::SocketAddress>{*numeric};
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    const std::string port = std::to_string(endpoint.port);
    const int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &list);
    if (rc != 0) {
        return Unexpected(std::string("cannot resolve \"") + endpoint.host +
                          "\": " + ::gai_strerror(rc));
    }
    std::vector<platform::io::SocketAddress> out;
    for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
        if (auto a = platform::io::SocketAddress::from_sockaddr(ai->ai_addr, ai->ai_addrlen)) {
            out.push_back(*a);
        }
    }
    ::freeaddrinfo(list);
    if (out.empty()) {
        return Unexpected("\"" + endpoint.host + "\" has no IPv4 or IPv6 address");
    }
    return out;
}

Result<std::shared_ptr<Snapshot>, ConfigError> Snapshot::build(Config config, std::time_t now,
                                                               platform::MetricsRegistry& metrics,
                                                               TicketKeys* tickets) {
    auto snapshot = std::make_shared<Snapshot>();
    std::vector<RouteRuntime> routes;
    for (std::size_t r = 0; r < config.routes.size(); ++r) {
        const RouteConfig& route = config.routes[r];
        RouteRuntime rt;
        for (std::size_t b = 0; b < route.backends.size(); ++b) {
            auto resolved = resolve_endpoint(route.backends[b]);
            if (!resolved) {
                return Unexpected(ConfigError{config.source + ": /routes/" + std::to_string(r) +
                                              "/backends/" + std::to_string(b) + ": " +
                                              resolved.error()});
            }
            for (const auto& address : *resolved) {
                rt.backends.push_back(address);
                rt.backend_names.push_back(route.backends[b].host + ":" +
                                           std::to_string(route.backends[b].port));
            }
        }
        const platform::MetricLabels labels = {{"route", route.name}};
        rt.metrics.connections = &metrics.counter("tls_proxy_route_connections_total",
                                                  "TLS handshakes completed per route", labels);
        rt.metrics.active = &metrics.gauge("tls_proxy_route_active_connections",
                                           "Connections currently relayed per route", labels);
        rt.metrics.bytes_from_client =
            &metrics.counter("tls_proxy_route_client_bytes_total",
                             "Plaintext bytes relayed from clients to backends", labels);
        rt.metrics.bytes_to_client =
            &metrics.counter("tls_proxy_route_backend_bytes_total",
                             "Plaintext bytes relayed from backends to clients", labels);
        rt.metrics.backend_failures =
            &metrics.counter("tls_proxy_route_backend_failures_total",
                             "Backend connection attempts that failed or timed out", labels);
        rt.metrics.unavailable =
            &metrics.counter("tls_proxy_route_unavailable_total",
                             "Connections refused because no backend was reachable", labels);
        if (route.health_check) {
            for (std::size_t i = 0; i < rt.backends.size(); ++i) {
                rt.health.emplace_back(*route.health_check);
                platform::Gauge& up = metrics.gauge(
                    "tls_proxy_backend_up", "1 if the backend passes its health checks, else 0",
                    {{"route", route.name},
                     {"backend", rt.backend_names[i]},
                     {"address", rt.backends[i].to_string()}});
                up.set(1);
                rt.up.push_back(&up);
            }
        }
        routes.push_back(std::move(rt));
    }
    auto tls = TlsContext::create(std::move(config), now, tickets);
    if (!tls) {
        return Unexpected(tls.error());
    }
    snapshot->tls_ = std::move(*tls);
    snapshot->routes_ = std::move(routes);
    snapshot->round_robin_.assign(snapshot->routes_.size(), 0);
    return snapshot;
}

std::size_t Snapshot::next_backend(std::size_t route) {
    const RouteRuntime& rt = routes_[route];
    const std::size_t count = rt.backends.size();
    std::size_t index = round_robin_[route] % count;
    for (std::size_t tried = 0; tried < count && !rt.health.empty(); ++tried) {
        if (rt.health[(index + tried) % count].up()) {
            index = (index + tried) % count;
            break;
        }
    }
    round_robin_[route] = (index + 1) % count;
    return index;
}

bool Snapshot::record_health(std::size_t route, std::size_t backend, bool ok) {
    RouteRuntime& rt = routes_[route];
    if (rt.health.empty() || !rt.health[backend].record(ok)) {
        return false;
    }
    rt.up[backend]->set(rt.health[backend].up() ? 1 : 0);
    return true;
}

}  // namespace nfv::tls_proxy
