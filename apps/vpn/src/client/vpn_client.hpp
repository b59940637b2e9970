// VpnClient: the nfv-vpn client process around a ClientSession. It owns the UDP socket, the TUN
// device, the timers and the host's addresses and routes, and moves bytes between them and the
// sans-I/O session:
//   UDP datagram from the server -> control: session; data: decrypt -> TUN
//   TUN packet                   -> encrypt -> UDP
//   session events               -> PUSH_REPLY assembly, data-channel activation, tunnel
//                                   addresses and routes, restarts, exit
//
// Behaviour as OpenVPN 2.6's client (init.c, forward.c): "Initialization Sequence Completed" is
// logged once the tunnel is configured; a ping-restart, a server RESTART or a TLS failure
// restarts the connection after connect-retry seconds (doubling up to connect-retry's max),
// moving to the next `remote`; AUTH_FAILED and HALT end the process with status 1; SIGTERM/SIGINT
// send the explicit-exit-notify message when configured, undo the routes and exit 0; SIGHUP and
// SIGUSR1 restart the connection.
//
// Transports: UDP (one packet per datagram) and TCP (each packet after a 16-bit big-endian
// length, doc_protocol_overview.h); over TCP the replay windows are strict (no reordering).
// Not yet supported (refused at start with a named error): tls-crypt-v2 client keys,
// compression framing (comp-lzo / compress stubs).
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/route_table.hpp"
#include "nfv/platform/io/socket_address.hpp"
#include "nfv/platform/io/tcp_stream.hpp"
#include "nfv/platform/io/tun_device.hpp"
#include "nfv/platform/io/udp_socket.hpp"
#include "nfv/platform/log.hpp"
#include "nfv/platform/random.hpp"

#include "client/client_setup.hpp"
#include "client/push_tunnel.hpp"
#include "client/scripts.hpp"
#include "config/push_reply.hpp"
#include "config/vpn_config.hpp"
#include "session/client_session.hpp"
#include "tunnel/mss_clamp.hpp"
#include "tunnel/offload_tun.hpp"
#include "tunnel/tunnel_setup.hpp"

namespace nfv::vpn::client {

struct ClientStats {
    std::uint64_t connects = 0;
    std::uint64_t restarts = 0;
    std::uint64_t packets_to_tun = 0;
    std::uint64_t packets_from_tun = 0;
    std::uint64_t dropped_foreign = 0;   // datagrams not from the server we talk to
    std::uint64_t dropped_no_key = 0;    // TUN packets before the tunnel is up
    std::uint64_t dropped_oversize = 0;  // packets larger than the scratch buffer
};

class VpnClient {
public:
    /// Checks what can be checked before connecting (transport, materials). `reader` and
    /// `random` must outlive the client.
    [[nodiscard]] static Result<std::unique_ptr<VpnClient>, std::string> create(
        platform::io::EventLoop& loop, platform::Logger& log, config::VpnConfig config,
        config::FileReader& reader, platform::Random& random, std::string version);
    ~VpnClient();
    VpnClient(const VpnClient&) = delete;
    VpnClient& operator=(const VpnClient&) = delete;

    /// Starts the first connection attempt.
    void start();
    /// Ends the process: exit notification, routes removed, loop stopped.
    void shutdown(std::string_view reason);
    /// Drops the connection and reconnects (SIGHUP / SIGUSR1).
    void restart(std::string_view reason);

    [[nodiscard]] int exit_code() const { return exit_code_; }
    [[nodiscard]] const ClientStats& stats() const { return stats_; }

private:
    VpnClient(platform::io::EventLoop& loop, platform::Logger& log, config::VpnConfig config,
              config::FileReader& reader, platform::Random& random, std::string version);

    session::Now now();
    void connect();
    void schedule_reconnect();
    void on_datagrams(std::span<const platform::io::ReceivedDatagram> batch);
    void on_stream_data(std::span<const std::byte> bytes);
    void handle_packet(std::span<const std::byte> packet, session::Now now);
    void send_packet(std::span<const std::byte> packet);
    void start_session();
    void on_tun_packets(std::span<const std::span<const std::byte>> packets);
    void pump();
    void arm_timer();
    void handle_event(const session::SessionEvent& event);
    void on_push_complete(const config::PushedOptions& pushed);
    void teardown_tunnel();
    /// Runs the configured hook of `type`; false when it failed (the caller decides if fatal).
    bool run_hook(ScriptType type);
    void fatal(std::string_view reason);

    platform::io::EventLoop& loop_;
    platform::Logger& log_;
    config::VpnConfig config_;
    config::FileReader& reader_;
    platform::Random& random_;
    std::string version_;

    std::unique_ptr<platform::io::UdpSocket> socket_;
    std::unique_ptr<platform::io::TcpStream> stream_;
    std::vector<std::byte> stream_buffer_;  // TCP bytes not yet forming a whole packet
    bool use_tcp_ = false;
    std::optional<platform::io::SocketAddress> server_;
    std::size_t next_remote_ = 0;
    std::uint32_t retry_seconds_ = 0;
    std::uint32_t attempts_ = 0;

    std::unique_ptr<session::ClientSession> session_;
    std::optional<config::PushReplyAssembler> push_;
    std::unique_ptr<tunnel::OffloadTun> tun_;
    std::optional<platform::io::RouteTable> routes_;
    std::unique_ptr<tunnel::TunnelSetup> tunnel_;
    bool tunnel_up_ = false;
    // up/route-up/down hooks: the state the last `up` saw, for `down` (scripts.hpp).
    tunnel::TunnelNetwork script_network_;
    config::PushedOptions script_pushed_;
    ScriptState script_state_;
    bool ran_up_before_ = false;

    std::optional<platform::io::TimerId> timer_;
    std::optional<platform::io::TimerId> reconnect_timer_;
    std::vector<std::byte> scratch_;
    std::uint16_t mss_limit_ = 0;               // mssfix for the negotiated data channel
    std::array<std::byte, 256> syn_scratch_{};  // a SYN from the TUN, clamped
    bool stopping_ = false;
    int exit_code_ = 0;
    ClientStats stats_;
};

/// The host's IPv4 default gateway from /proc/net/route, if any.
[[nodiscard]] std::optional<net::Ipv4Address> default_ipv4_gateway();

}  // namespace nfv::vpn::client
