// DnsService: nfv-dnsvizor's DNS runtime on platform_io (dnsmasq 2.90 DNS listeners; DNS over
// UDP RFC 1035 §4.2.1, over TCP RFC 1035 §4.2.2 and RFC 7766 §6.2.1 pipelining).
//
// It only moves bytes: UDP datagrams (batched receive and send) and TCP frames go to the
// sans-I/O QueryEngine, and the engine's actions come back out of the right socket.
//   * Listeners: a UDP socket and a TCP listener per planned address (listen_plan.hpp) on
//     `port`; port 0 means no DNS service at all.
//   * Upstream: one UDP socket per address family on a kernel-chosen port, used for every
//     upstream server. (`server=...@source` binding is not supported: named warning.)
//     Queries the forwarder marks over_tcp (the client asked over TCP) go on a new TCP
//     connection each: one framed query, one framed reply (RFC 1035 §4.2.2), then close. At most
//     kMaxUpstreamTcp such connections are open (more are dropped and counted; the forwarder's
//     retry timer tries again); one still open after kUpstreamTcpTimeout is closed.
//   * TCP: at most max-tcp-connections connections (more are closed at once); each carries any
//     number of pipelined queries, answered in completion order; a connection idle for
//     kTcpIdleTimeout is closed; a peer's FIN closes the connection after its answers are out.
//   * local-service: queries from outside the host's subnets (net) or from other hosts (host)
//     are dropped and counted.
// Threading: everything runs on the EventLoop's thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "nfv/net/dns/tcp_framing.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/tcp_listener.hpp"
#include "nfv/platform/io/tcp_stream.hpp"
#include "nfv/platform/io/udp_socket.hpp"
#include "nfv/platform/log.hpp"
#include "nfv/platform/metrics.hpp"
#include "nfv/platform/random.hpp"
#include "nfv/platform/result.hpp"

#include "dns/query_resolver.hpp"
#include "dns/settings.hpp"
#include "server/listen_plan.hpp"
#include "server/query_engine.hpp"

namespace nfv::dnsvizor::server {

inline constexpr std::chrono::seconds kTcpIdleTimeout{10};
inline constexpr std::size_t kMaxUpstreamTcp = 64;
inline constexpr std::chrono::seconds kUpstreamTcpTimeout{10};  // dnsmasq's give-up time

struct DnsServiceStats {
    std::uint64_t udp_send_drops = 0;   // answers lost to a full send queue
    std::uint64_t tcp_refused = 0;      // connections over max-tcp-connections
    std::uint64_t tcp_idle_closed = 0;  // connections closed for idleness
    std::uint64_t local_service_drops = 0;
    std::uint64_t upstream_tcp_refused = 0;    // over kMaxUpstreamTcp, or connect() failed
    std::uint64_t upstream_tcp_errors = 0;     // reset, refused, closed before a reply
    std::uint64_t upstream_tcp_timed_out = 0;  // no reply within kUpstreamTcpTimeout
};

class DnsService {
public:
    /// Binds every listener and the upstream sockets and starts serving. `interfaces` is the
    /// host's address list (system_interface_addresses() in production). Everything passed by
    /// reference must outlive the service. Fails with a one-line reason ("bind 10.0.0.1#53:
    /// Address already in use") if a listener cannot be created.
    [[nodiscard]] static Result<std::unique_ptr<DnsService>, std::string> start(
        platform::io::EventLoop& loop, const dns::DnsSettings& settings,
        dns::QueryResolver& resolver, platform::Random& random, platform::MetricsRegistry& metrics,
        platform::Logger& log, std::span<const InterfaceAddress> interfaces);

    DnsService(const DnsService&) = delete;
    DnsService& operator=(const DnsService&) = delete;
    ~DnsService();

    /// Addresses actually bound (ports filled in), for logs and tests.
    [[nodiscard]] std::vector<platform::io::SocketAddress> udp_addresses() const;
    [[nodiscard]] std::vector<platform::io::SocketAddress> tcp_addresses() const;
    /// Start-up limits worth a warning line (from the listen plan and unsupported options).
    [[nodiscard]] const std::vector<std::string>& warnings() const { return warnings_; }

    /// SIGUSR1: writes dnsmasq's statistics lines to the log.
    void log_statistics();
    /// SIGHUP: forgets cached answers.
    void clear_cache() { engine_.clear_cache(); }

    [[nodiscard]] std::size_t tcp_connections() const { return tcp_.size(); }
    [[nodiscard]] std::size_t upstream_tcp_connections() const { return upstream_tcp_.size(); }
    [[nodiscard]] const QueryEngine& engine() const { return engine_; }
    [[nodiscard]] const DnsServiceStats& stats() const { return stats_; }

private:
    struct TcpConnection {
        std::unique_ptr<platform::io::TcpStream> stream;
        net::dns::TcpFrameSplitter splitter;
        ClientAddress client;
        platform::Instant last_activity;
        std::uint32_t outstanding = 0;
        bool peer_closed = false;
    };

    struct UpstreamTcp {
        std::unique_ptr<platform::io::TcpStream> stream;
        net::dns::TcpFrameSplitter splitter;
        dns::Upstream upstream;
        platform::Instant opened;
    };

    DnsService(platform::io::EventLoop& loop, const dns::DnsSettings& settings,
               dns::QueryResolver& resolver, platform::Random& random,
               platform::MetricsRegistry& metrics, platform::Logger& log);

    void on_udp_batch(std::uint32_t listener,
                      std::span<const platform::io::ReceivedDatagram> batch);
    void on_upstream_batch(std::span<const platform::io::ReceivedDatagram> batch);
    void on_accept(std::uint32_t listener, platform::io::UniqueFd fd,
                   const platform::io::SocketAddress& peer);
    void on_tcp_data(std::uint64_t id, std::span<const std::byte> data);
    void on_tcp_peer_closed(std::uint64_t id);
    void maybe_finish_tcp(std::uint64_t id);
    void close_tcp(std::uint64_t id);
    void dispatch();
    void rearm_timer();
    void sweep_tcp();
    void arm_sweep();
    void send_upstream_tcp(const UpstreamQuery& query);
    void on_upstream_tcp_data(std::uint64_t id, std::span<const std::byte> data);
    void close_upstream_tcp(std::uint64_t id);
    [[nodiscard]] bool client_allowed(const net::IpAddress& address) const;

    platform::io::EventLoop& loop_;
    platform::Logger& log_;
    dns::LocalService local_service_;
    std::vector<net::IpCidr> local_subnets_;
    std::uint32_t max_tcp_connections_;
    QueryEngine engine_;
    EngineOutput out_;
    std::vector<std::unique_ptr<platform::io::UdpSocket>> udp_;
    std::vector<std::unique_ptr<platform::io::TcpListener>> listeners_;
    std::unique_ptr<platform::io::UdpSocket> upstream4_;
    std::unique_ptr<platform::io::UdpSocket> upstream6_;
    std::unordered_map<std::uint64_t, std::unique_ptr<TcpConnection>> tcp_;
    // Answers framed per TCP connection during one dispatch() (written once at its end).
    std::unordered_map<std::uint64_t, std::vector<std::byte>> tcp_batches_;
    std::vector<std::unique_ptr<TcpConnection>> graveyard_;  // closed inside their callbacks
    std::unordered_map<std::uint64_t, std::unique_ptr<UpstreamTcp>> upstream_tcp_;
    std::vector<std::unique_ptr<UpstreamTcp>> upstream_graveyard_;
    std::uint64_t next_connection_ = 1;
    std::optional<platform::io::TimerId> engine_timer_;
    std::optional<platform::Instant> engine_deadline_;
    std::optional<platform::io::TimerId> sweep_timer_;
    std::optional<platform::io::TimerId> reaper_timer_;
    std::vector<std::string> warnings_;
    DnsServiceStats stats_;
};

/// SocketAddress <-> (IpAddress, port) at the OS boundary.
[[nodiscard]] net::IpAddress ip_of(const platform::io::SocketAddress& address);
[[nodiscard]] platform::io::SocketAddress socket_address(const net::IpAddress& address,
                                                         std::uint16_t port);

}  // namespace nfv::dnsvizor::server
