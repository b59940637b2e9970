// Proxy: the nfv-tls-proxy runtime. Owns the listeners (TLS, HTTP redirect, metrics), every
// live connection and the current configuration Snapshot, all on one io_uring EventLoop.
//
// Contract:
//   * start() binds every listener of the snapshot's config or fails naming the address.
//   * Accepted TLS connections beyond limits.max_connections are closed at once (counted).
//   * reload() swaps the snapshot used by NEW connections; established ones keep theirs. Listener
//     changes are not applied by a reload (logged as a warning; restart to apply).
//   * stop() closes the listeners and asks every connection to close gracefully (close_notify);
//     `on_stopped` runs once no connection is left.
//   * Health checks: for routes with health_check, every backend address of the CURRENT
//     snapshot is probed (TCP connect within the timeout) every interval, the first probe at
//     once; outcomes go to Snapshot::record_health (up/down changes are logged). A reload or
//     stop() cancels every probe; a reload starts them again for the new snapshot.
//   * Metrics: tls_proxy_* families in the registry passed in; per route ones in Snapshot.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/tcp_listener.hpp"
#include "nfv/platform/io/tcp_stream.hpp"
#include "nfv/platform/log.hpp"
#include "nfv/platform/metrics.hpp"

#include "runtime/connection.hpp"
#include "runtime/plain_http.hpp"
#include "runtime/snapshot.hpp"

namespace nfv::tls_proxy {

/// The event loop a Proxy runs best on (nfv-tls-proxy's workers and the tests use it):
/// completion receives through the loop's buffer ring where the kernel has it (6.12+; the
/// bytes come with the completion, no read() per TLS record; 16 x 64 KiB: small receives share
/// a buffer, consumed incrementally, a bulk receive takes up to 64 KiB) and completion sends
/// (small sends go to the kernel with the loop's next wait: one system call for the sends of a
/// whole iteration instead of one each).
[[nodiscard]] platform::io::EventLoopOptions worker_loop_options();

/// How this process shares the listeners with other worker processes.
struct ProxyOptions {
    bool reuse_port = false;    // SO_REUSEPORT on every listener (several workers)
    bool serve_metrics = true;  // bind the metrics listener (the first worker only)
};

class Proxy final : private ConnectionOwner {
public:
    /// Binds the listeners and starts accepting. The error names the listener that failed.
    [[nodiscard]] static Result<std::unique_ptr<Proxy>, std::string> start(
        platform::io::EventLoop& loop, platform::Logger logger, platform::MetricsRegistry& metrics,
        std::shared_ptr<Snapshot> snapshot, ProxyOptions options = {});
    Proxy(const Proxy&) = delete;
    Proxy& operator=(const Proxy&) = delete;
    ~Proxy();

    /// New connections use `snapshot` from now on.
    void reload(std::shared_ptr<Snapshot> snapshot);
    /// Graceful stop; `on_stopped` runs (once) when the last connection is gone.
    void stop(std::function<void()> on_stopped);

    [[nodiscard]] std::size_t connection_count() const { return connections_.size(); }
    /// Bound addresses of the TLS listeners, in config order (useful with port 0 in tests).
    [[nodiscard]] std::vector<platform::io::SocketAddress> tls_addresses() const;
    [[nodiscard]] const Snapshot& snapshot() const { return *snapshot_; }

private:
    struct HealthProbe {
        std::size_t route = 0;
        std::size_t backend = 0;
        platform::io::TimerId next{};                     // the next probe
        platform::io::TimerId deadline{};                 // the running probe's timeout
        std::unique_ptr<platform::io::TcpStream> stream;  // the running probe
    };
    struct Listener {
        std::unique_ptr<platform::io::TcpListener> socket;
        bool http_redirect = false;
        bool metrics = false;
    };

    Proxy(platform::io::EventLoop& loop, platform::Logger logger,
          platform::MetricsRegistry& metrics, std::shared_ptr<Snapshot> snapshot,
          ProxyOptions options);
    Result<void, std::string> listen_all();
    void on_tls_accept(platform::io::UniqueFd fd, const platform::io::SocketAddress& peer,
                       const platform::io::SocketAddress& local);
    void on_plain_accept(platform::io::UniqueFd fd, bool metrics);
    void collect_retired();
    void start_health_checks();
    void stop_health_checks();
    void run_probe(HealthProbe& probe);
    void finish_probe(HealthProbe& probe, bool ok);
    void check_stopped();

    // ConnectionOwner
    void retire(std::uint64_t id) override;
    std::span<std::byte> scratch() override { return scratch_; }
    platform::Logger& logger() override { return logger_; }
    void count_handshake_failure(std::string_view reason) override;

    platform::io::EventLoop& loop_;
    platform::Logger logger_;
    platform::MetricsRegistry& metrics_;
    std::shared_ptr<Snapshot> snapshot_;
    ProxyOptions options_;
    std::vector<Listener> listeners_;
    std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;
    std::unordered_map<std::uint64_t, std::unique_ptr<PlainHttpConnection>> plain_;
    std::vector<std::uint64_t> retired_;
    std::vector<std::unique_ptr<HealthProbe>> probes_;
    bool collect_scheduled_ = false;
    std::uint64_t next_id_ = 1;
    std::vector<std::byte> scratch_;
    bool stopping_ = false;
    std::function<void()> on_stopped_;
    platform::Counter& accepted_;
    platform::Counter& rejected_;
    platform::Gauge& open_;
    platform::Counter& redirects_;
};

}  // namespace nfv::tls_proxy
