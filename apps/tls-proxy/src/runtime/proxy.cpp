#include "runtime/proxy.hpp"

#include <optional>

#include <sys/socket.h>

#include "nfv/platform/metrics_format.hpp"

#include "http_redirect.hpp"

namespace nfv::tls_proxy {
namespace {

using platform::io::SocketAddress;
using platform::io::UniqueFd;

constexpr std::size_t kScratchSize = 64 * 1024;

// The address the client connected to (our side of the accepted socket).
SocketAddress local_address_of(int fd, const SocketAddress& fallback) {
    SocketAddress local;
    socklen_t length = SocketAddress::capacity();
    if (::getsockname(fd, local.data(), &length) != 0) {
        return fallback;
    }
    local.set_length(length);
    return local;
}

}  // namespace

Proxy::Proxy(platform::io::EventLoop& loop, platform::Logger logger,
             platform::MetricsRegistry& metrics, std::shared_ptr<Snapshot> snapshot,
             ProxyOptions options)
    : loop_(loop),
      logger_(std::move(logger)),
      metrics_(metrics),
      snapshot_(std::move(snapshot)),
      options_(options),
      scratch_(kScratchSize),
      accepted_(metrics.counter("tls_proxy_accepted_total", "TCP connections accepted")),
      rejected_(metrics.counter("tls_proxy_rejected_total",
                                "Connections closed at accept because of limits.max_connections")),
      open_(metrics.gauge("tls_proxy_open_connections", "Client connections currently open")),
      redirects_(metrics.counter("tls_proxy_http_requests_total",
                                 "Plain HTTP exchanges (redirects and metrics requests)")) {}

Proxy::~Proxy() {
    stop_health_checks();
    // Connections reference the loop's timers and streams; destroy them before the listeners.
    connections_.clear();
    plain_.clear();
}

platform::io::EventLoopOptions worker_loop_options() {
    platform::io::EventLoopOptions options;
    options.receive_buffers = 16;
    options.receive_buffer_size = 64 * 1024;
    options.completion_send = true;
    return options;
}

Result<std::unique_ptr<Proxy>, std::string> Proxy::start(platform::io::EventLoop& loop,
                                                         platform::Logger logger,
                                                         platform::MetricsRegistry& metrics,
                                                         std::shared_ptr<Snapshot> snapshot,
                                                         ProxyOptions options) {
    std::unique_ptr<Proxy> proxy(
        new Proxy(loop, std::move(logger), metrics, std::move(snapshot), options));
    if (auto r = proxy->listen_all(); !r) {
        return Unexpected(r.error());
    }
    proxy->start_health_checks();
    return proxy;
}

Result<void, std::string> Proxy::listen_all() {
    const Config& config = snapshot_->config();
    const auto bind_one = [this](const Endpoint& endpoint, bool http_redirect,
                                 bool metrics) -> Result<void, std::string> {
        const std::string text = endpoint.host + ":" + std::to_string(endpoint.port);
        auto address = SocketAddress::parse(endpoint.host, endpoint.port);
        if (!address) {
            return Unexpected("listener " + text + ": the address must be a numeric IP");
        }
        platform::io::TcpListenOptions options;
        options.backlog = 4096;
        options.reuse_port = options_.reuse_port;
        // A listener bound to one address and port accepts every connection on exactly that
        // address: no getsockname() per connection (the PROXY header needs it).
        const std::optional<SocketAddress> fixed_local =
            address->is_unspecified() || address->port() == 0 ? std::nullopt
                                                              : std::optional(*address);
        auto listener = platform::io::TcpListener::listen(
            loop_, *address, options,
            [this, http_redirect, metrics, fixed_local](UniqueFd fd, const SocketAddress& peer) {
                if (http_redirect || metrics) {
                    on_plain_accept(std::move(fd), metrics);
                } else {
                    const SocketAddress local =
                        fixed_local ? *fixed_local : local_address_of(fd.get(), peer);
                    on_tls_accept(std::move(fd), peer, local);
                }
            });
        if (!listener) {
            return Unexpected("listener " + text + ": " + listener.error().message());
        }
        logger_.info("listening", {{"address", (*listener)->local_address().to_string()},
                                   {"kind", metrics         ? "metrics"
                                            : http_redirect ? "http-redirect"
                                                            : "tls"}});
        listeners_.push_back(Listener{std::move(*listener), http_redirect, metrics});
        return {};
    };
    for (const auto& l : config.listeners) {
        if (auto r = bind_one(l.address, l.http_redirect, false); !r) {
            return r;
        }
    }
    if (config.metrics && options_.serve_metrics) {
        if (auto r = bind_one(*config.metrics, false, true); !r) {
            return r;
        }
    }
    return {};
}

std::vector<SocketAddress> Proxy::tls_addresses() const {
    std::vector<SocketAddress> out;
    for (const auto& l : listeners_) {
        if (!l.http_redirect && !l.metrics) {
            out.push_back(l.socket->local_address());
        }
    }
    return out;
}

void Proxy::on_tls_accept(UniqueFd fd, const SocketAddress& peer, const SocketAddress& local) {
    accepted_.inc();
    if (stopping_ || connections_.size() >= snapshot_->config().limits.max_connections) {
        rejected_.inc();
        return;  // fd closes here
    }
    const std::uint64_t id = next_id_++;
    auto connection = std::make_unique<Connection>(static_cast<ConnectionOwner&>(*this), loop_,
                                                   snapshot_, id, std::move(fd), peer, local);
    Connection* raw = connection.get();
    connections_.emplace(id, std::move(connection));
    open_.inc();
    (void)raw->start();
}

void Proxy::on_plain_accept(UniqueFd fd, bool metrics) {
    accepted_.inc();
    if (stopping_ || plain_.size() >= snapshot_->config().limits.max_connections) {
        rejected_.inc();
        return;
    }
    redirects_.inc();
    const std::uint64_t id = next_id_++;
    PlainHttpResponder responder;
    if (metrics) {
        responder = [this](std::string_view request) -> std::optional<std::string> {
            if (request.find("\r\n\r\n") == std::string_view::npos &&
                request.size() <= kMaxRequestHead) {
                return std::nullopt;
            }
            if (!request.starts_with("GET /metrics ")) {
                return http_simple_response(404, "Not Found", "text/plain", "not found\n");
            }
            return http_simple_response(200, "OK", platform::kPrometheusContentType,
                                        platform::to_prometheus_text(metrics_));
        };
    } else {
        std::uint16_t https_port = 443;
        if (const auto tls = tls_addresses(); !tls.empty()) {
            https_port = tls.front().port();
        }
        responder = [https_port](std::string_view request) {
            return http_redirect_response(request, https_port);
        };
    }
    plain_.emplace(
        id, std::make_unique<PlainHttpConnection>(loop_, id, std::move(fd), std::move(responder),
                                                  snapshot_->config().timeouts.handshake,
                                                  [this](std::uint64_t done) { retire(done); }));
}

void Proxy::retire(std::uint64_t id) {
    retired_.push_back(id);
    if (!collect_scheduled_) {
        collect_scheduled_ = true;
        loop_.add_timer_after(platform::Duration::zero(), [this] { collect_retired(); });
    }
}

void Proxy::collect_retired() {
    collect_scheduled_ = false;
    std::vector<std::uint64_t> ids;
    ids.swap(retired_);
    for (const auto id : ids) {
        if (connections_.erase(id) > 0) {
            open_.dec();
        }
        plain_.erase(id);
    }
    check_stopped();
}

void Proxy::count_handshake_failure(std::string_view reason) {
    metrics_
        .counter("tls_proxy_handshake_failures_total", "TLS handshakes that failed, by reason",
                 {{"reason", std::string(reason)}})
        .inc();
}

void Proxy::reload(std::shared_ptr<Snapshot> snapshot) {
    const auto& old_listeners = snapshot_->config().listeners;
    const auto& new_listeners = snapshot->config().listeners;
    bool same = old_listeners.size() == new_listeners.size() &&
                snapshot_->config().metrics == snapshot->config().metrics;
    for (std::size_t i = 0; same && i < old_listeners.size(); ++i) {
        same = old_listeners[i].address == new_listeners[i].address &&
               old_listeners[i].http_redirect == new_listeners[i].http_redirect;
    }
    if (!same) {
        logger_.warn("listener changes are applied only at restart; keeping the current ones");
    }
    snapshot_ = std::move(snapshot);
    start_health_checks();
    logger_.info("configuration reloaded", {{"routes", snapshot_->config().routes.size()},
                                            {"connections", connections_.size()}});
}

void Proxy::stop(std::function<void()> on_stopped) {
    stopping_ = true;
    on_stopped_ = std::move(on_stopped);
    stop_health_checks();
    listeners_.clear();
    for (auto& [id, connection] : connections_) {
        connection->shutdown();
    }
    for (auto& [id, plain] : plain_) {
        plain->abort();
    }
    check_stopped();
}

void Proxy::start_health_checks() {
    stop_health_checks();
    const Config& config = snapshot_->config();
    for (std::size_t r = 0; r < config.routes.size(); ++r) {
        if (!config.routes[r].health_check) {
            continue;
        }
        for (std::size_t b = 0; b < snapshot_->route(r).backends.size(); ++b) {
            auto probe = std::make_unique<HealthProbe>();
            probe->route = r;
            probe->backend = b;
            HealthProbe* p = probe.get();
            p->next = loop_.add_timer_after(platform::Duration::zero(), [this, p] {
                p->next = {};
                run_probe(*p);
            });
            probes_.push_back(std::move(probe));
        }
    }
}

void Proxy::stop_health_checks() {
    for (auto& probe : probes_) {
        for (auto* timer : {&probe->next, &probe->deadline}) {
            if (*timer != platform::io::TimerId{}) {
                loop_.cancel_timer(*timer);
            }
        }
    }
    probes_.clear();  // closes running probes' sockets; no callback fires afterwards
}

void Proxy::run_probe(HealthProbe& probe) {
    platform::io::TcpCallbacks cb;
    cb.on_connected = [this, &probe] { finish_probe(probe, true); };
    cb.on_error = [this, &probe](const platform::io::IoError&) { finish_probe(probe, false); };
    auto stream = platform::io::TcpStream::connect(
        loop_, snapshot_->route(probe.route).backends[probe.backend], std::move(cb));
    if (!stream) {
        finish_probe(probe, false);
        return;
    }
    probe.stream = std::move(*stream);
    const auto& check = *snapshot_->config().routes[probe.route].health_check;
    probe.deadline = loop_.add_timer_after(check.timeout, [this, &probe] {
        probe.deadline = {};
        finish_probe(probe, false);
    });
}

void Proxy::finish_probe(HealthProbe& probe, bool ok) {
    if (probe.deadline != platform::io::TimerId{}) {
        loop_.cancel_timer(probe.deadline);
        probe.deadline = {};
    }
    probe.stream.reset();  // may run inside the stream's own callback: allowed by TcpStream
    if (snapshot_->record_health(probe.route, probe.backend, ok)) {
        const RouteRuntime& route = snapshot_->route(probe.route);
        const bool up = route.health[probe.backend].up();
        const std::string address = route.backends[probe.backend].to_string();
        const std::string& name = snapshot_->config().routes[probe.route].name;
        if (up) {
            logger_.info("backend up", {{"route", name},
                                        {"backend", route.backend_names[probe.backend]},
                                        {"address", address}});
        } else {
            logger_.warn("backend down", {{"route", name},
                                          {"backend", route.backend_names[probe.backend]},
                                          {"address", address}});
        }
    }
    const auto& check = *snapshot_->config().routes[probe.route].health_check;
    probe.next = loop_.add_timer_after(check.interval, [this, &probe] {
        probe.next = {};
        run_probe(probe);
    });
}

void Proxy::check_stopped() {
    if (stopping_ && connections_.empty() && plain_.empty() && on_stopped_) {
        auto done = std::move(on_stopped_);
        on_stopped_ = nullptr;
        done();
    }
}

}  // namespace nfv::tls_proxy
