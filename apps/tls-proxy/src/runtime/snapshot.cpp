#include "runtime/snapshot.hpp"

#include <array>
#include <chrono>

#include <sys/socket.h>

#include <ares.h>
#include <poll.h>

namespace nfv::tls_proxy {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr auto kResolveLimit = std::chrono::seconds(10);

struct AresQuery {
    bool done = false;
    int status = ARES_SUCCESS;
    std::vector<platform::io::SocketAddress> addresses;
};

void on_addrinfo(void* arg, int status, int /*timeouts*/, ares_addrinfo* result) {
    auto* query = static_cast<AresQuery*>(arg);
    query->done = true;
    query->status = status;
    if (result == nullptr) {
        return;
    }
    for (const ares_addrinfo_node* node = result->nodes; node != nullptr; node = node->ai_next) {
        if (auto a = platform::io::SocketAddress::from_sockaddr(
                node->ai_addr, static_cast<socklen_t>(node->ai_addrlen))) {
            query->addresses.push_back(*a);
        }
    }
    ares_freeaddrinfo(result);
}

}  // namespace

Result<std::vector<platform::io::SocketAddress>, std::string> resolve_endpoint(
    const Endpoint& endpoint) {
    if (auto numeric = platform::io::SocketAddress::parse(endpoint.host, endpoint.port)) {
        return std::vector<platform::io::SocketAddress>{*numeric};
    }
    // c-ares, like getaddrinfo, reads /etc/hosts and then asks the resolv.conf servers (A and
    // AAAA). The wait is bounded (kResolveLimit); this runs at start-up and on reload only.
    static const int library = ares_library_init(ARES_LIB_INIT_ALL);
    if (library != ARES_SUCCESS) {
        return Unexpected(std::string("c-ares: ") + ares_strerror(library));
    }
    ares_channel channel = nullptr;
    ares_options options{};
    options.timeout = 2000;  // ms per try
    options.tries = 2;
    if (const int rc = ares_init_options(&channel, &options, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
        rc != ARES_SUCCESS) {
        return Unexpected(std::string("c-ares: ") + ares_strerror(rc));
    }
    AresQuery query;
    ares_addrinfo_hints hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    const std::string port = std::to_string(endpoint.port);
    ares_getaddrinfo(channel, endpoint.host.c_str(), port.c_str(), &hints, on_addrinfo, &query);
    const auto give_up = SteadyClock::now() + kResolveLimit;
    while (!query.done && SteadyClock::now() < give_up) {
        std::array<ares_socket_t, ARES_GETSOCK_MAXNUM> sockets{};
        const int mask = ares_getsock(channel, sockets.data(), static_cast<int>(sockets.size()));
        std::array<pollfd, ARES_GETSOCK_MAXNUM> fds{};
        nfds_t count = 0;
        for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
            const bool readable = ARES_GETSOCK_READABLE(mask, i) != 0;
            const bool writable = ARES_GETSOCK_WRITABLE(mask, i) != 0;
            if (!readable && !writable) {
                continue;
            }
            fds[count].fd = sockets[static_cast<std::size_t>(i)];
            fds[count].events =
                static_cast<short>((readable ? POLLIN : 0) | (writable ? POLLOUT : 0));
            ++count;
        }
        timeval limit{1, 0};
        timeval wait{};
        const timeval* next = ares_timeout(channel, &limit, &wait);
        const int timeout_ms = static_cast<int>(next->tv_sec * 1000 + next->tv_usec / 1000);
        (void)::poll(fds.data(), count, timeout_ms);
        for (nfds_t i = 0; i < count; ++i) {
            const bool in = (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
            const bool out = (fds[i].revents & POLLOUT) != 0;
            ares_process_fd(channel, in ? fds[i].fd : ARES_SOCKET_BAD,
                            out ? fds[i].fd : ARES_SOCKET_BAD);
        }
        if (count == 0) {
            ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timeouts
        }
    }
    ares_destroy(channel);  // a query still running ends with ARES_EDESTRUCTION
    if (!query.done || query.status == ARES_EDESTRUCTION) {
        return Unexpected("cannot resolve \"" + endpoint.host + "\": no answer within " +
                          std::to_string(kResolveLimit.count()) + " s");
    }
    if (query.status != ARES_SUCCESS) {
        return Unexpected("cannot resolve \"" + endpoint.host +
                          "\": " + ares_strerror(query.status));
    }
    std::vector<platform::io::SocketAddress> out = std::move(query.addresses);
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
