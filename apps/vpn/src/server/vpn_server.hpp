// VpnServer: the nfv-vpn server process. It owns the listeners (UDP and/or TCP), the TUN
// device with the server's addresses and routes, the address pool, the routing table from
// tunnel addresses to clients, and one ServerSession per connected client; it moves bytes
// between them:
//   UDP datagram, known client  -> control: its session; data: decrypt -> route
//   UDP datagram, unknown sender -> stateless reset cookie (session/reset_cookie.hpp): a reply
//                                   and no state, or a new client once the cookie is echoed
//   TCP connection               -> one client; its first packet must be a valid reset
//   route (server/client_routes.hpp) -> TUN, another client (client-to-client) or drop
//   TUN packet                   -> the client owning the destination -> encrypt -> send
//
// Behaviour as OpenVPN 2.6's server (multi.c, mudp.c, mtcp.c, push.c, pool.c):
//  * a client authenticated by TLS gets its client-config-dir file applied (ifconfig-push,
//    iroute, push, push-reset, disable; ccd-exclusive refuses clients without one), an
//    address from the pool (sticky by common name, ifconfig-pool-persist), and its PUSH_REPLY;
//  * without duplicate-cn a new connection with a common name already connected replaces the
//    old one; max-clients limits connected clients;
//  * a client's packets must come from an address it owns (its tunnel addresses or iroutes),
//    otherwise they are dropped and counted; a UDP client floats to a new address only after a
//    data packet from there decrypted with its keys (found by peer-id);
//  * keepalive: each session pings and times out on its own (ping-restart closes it);
//  * SIGTERM/SIGINT: every client is told RESTART (explicit-exit-notify) so it reconnects
//    elsewhere or later, the pool persist file is written, the process exits 0;
//    SIGHUP/SIGUSR1: every client is told RESTART and dropped; the configuration is NOT
//    re-read (restart the process for config changes).
// Logged as OpenVPN does where operators grep: "Initialization Sequence Completed" once the
// TUN and the listeners are up; per client "CN/IP:PORT Peer Connection Initiated" and
// "CN/IP:PORT ... disconnected (reason)".
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/route_table.hpp"
#include "nfv/platform/io/socket_address.hpp"
#include "nfv/platform/io/tcp_listener.hpp"
#include "nfv/platform/io/tcp_stream.hpp"
#include "nfv/platform/io/tun_device.hpp"
#include "nfv/platform/io/udp_socket.hpp"
#include "nfv/platform/io/unique_fd.hpp"
#include "nfv/platform/log.hpp"
#include "nfv/platform/random.hpp"

#include "config/config_loader.hpp"
#include "config/listen_sockets.hpp"
#include "config/vpn_config.hpp"
#include "server/client_addresses.hpp"
#include "server/client_config.hpp"
#include "server/client_registry.hpp"
#include "server/client_routes.hpp"
#include "server/client_snapshot.hpp"
#include "server/closed_sessions.hpp"
#include "server/management.hpp"
#include "server/persist_schedule.hpp"
#include "server/server_scripts.hpp"
#include "server/server_setup.hpp"
#include "session/address_pool.hpp"
#include "session/reset_cookie.hpp"
#include "session/server_session.hpp"
#include "tunnel/mss_clamp.hpp"
#include "tunnel/offload_tun.hpp"
#include "tunnel/tunnel_setup.hpp"

namespace nfv::vpn::server {

struct ServerStats {
    std::uint64_t cookie_replies = 0;           // stateless reset replies sent
    std::uint64_t dropped_first_packets = 0;    // from unknown senders, not a valid reset/echo
    std::uint64_t dropped_closed_session = 0;   // late packets of a session the server closed
    std::uint64_t clients_accepted = 0;         // sessions created
    std::uint64_t clients_refused = 0;          // max-clients, ccd disable, no address ...
    std::uint64_t clients_replaced = 0;         // same common name without duplicate-cn
    std::uint64_t dropped_decrypt = 0;          // data packets that failed authentication
    std::uint64_t dropped_bad_source = 0;       // a client sent as an address it does not own
    std::uint64_t dropped_no_route = 0;         // TUN packets to an address no client owns
    std::uint64_t dropped_not_ip = 0;           // not a well-formed IP packet
    std::uint64_t dropped_not_ready = 0;        // to a client whose data channel is not up
    std::uint64_t dropped_wrong_transport = 0;  // a UDP datagram from a TCP client's address
    std::uint64_t floats = 0;
    std::uint64_t packets_to_tun = 0;
    std::uint64_t packets_from_tun = 0;
    std::uint64_t packets_client_to_client = 0;
};

class VpnServer final : private ManagementBackend {
public:
    /// Validates the configuration and reads every file it names (before privileges are
    /// dropped). `reader` and `random` must outlive the server.
    [[nodiscard]] static Result<std::unique_ptr<VpnServer>, std::string> create(
        platform::io::EventLoop& loop, platform::Logger& log, config::VpnConfig config,
        config::FileReader& reader, platform::Random& random);
    ~VpnServer();
    VpnServer(const VpnServer&) = delete;
    VpnServer& operator=(const VpnServer&) = delete;

    /// Opens the TUN device (addresses, routes) and the listeners.
    [[nodiscard]] Result<void, std::string> start();
    /// Tells every client to reconnect, writes the pool persist file, stops the loop.
    void shutdown(std::string_view reason);
    /// Tells every client to reconnect and drops them all (SIGHUP/SIGUSR1).
    void restart(std::string_view reason);

    /// The connected clients (those past TLS authentication).
    [[nodiscard]] std::vector<ClientSnapshot> clients() const;
    /// The status file's TITLE (version 2/3), e.g. "nfv-vpn 0.1.0"; set before start().
    void set_status_title(std::string title) { status_title_ = std::move(title); }
    /// Disconnects every client with this common name or real address ("IP:PORT"); returns
    /// how many.
    std::size_t kill_client(std::string_view common_name_or_address);

    [[nodiscard]] const ServerStats& stats() const { return stats_; }
    /// Logs the counters and the client count (SIGUSR2, and once at exit).
    void log_statistics();
    [[nodiscard]] int exit_code() const { return exit_code_; }

private:
    struct Client;

    VpnServer(platform::io::EventLoop& loop, platform::Logger& log, config::VpnConfig config,
              config::FileReader& reader, platform::Random& random, ServerMaterials materials);

    session::Now now();
    [[nodiscard]] Result<void, std::string> open_tunnel();
    [[nodiscard]] Result<void, std::string> open_listeners();
    void load_pool_persist();
    void write_pool_persist();
    void arm_persist_timer();
    void open_status_file();
    [[nodiscard]] Result<void, std::string> open_management();
    void on_management_accept(platform::io::UniqueFd connection,
                              const platform::io::SocketAddress& peer);
    // ManagementBackend
    std::string status_text(int version) override;
    std::size_t kill(std::string_view common_name_or_address) override;
    LoadStats load_stats() override;
    void signal(int signal_number) override;
    std::string state_line() override;
    std::string version() override;
    void write_status_file();

    // UDP
    [[nodiscard]] Result<void, std::string> open_listener(const config::ListenSocket& spec,
                                                          std::uint16_t index);
    void on_datagrams(std::uint16_t listener,
                      std::span<const platform::io::ReceivedDatagram> batch);
    void on_first_datagram(const platform::io::ReceivedDatagram& datagram,
                           const PeerEndpoint& endpoint, session::Now now);
    // TCP
    void on_accept(std::uint16_t listener, platform::io::UniqueFd connection,
                   const platform::io::SocketAddress& peer);
    void on_stream_data(ClientId id, std::span<const std::byte> bytes);

    Client* new_client(const PeerEndpoint& endpoint, const platform::io::SocketAddress& address,
                       bool tcp);
    [[nodiscard]] bool start_session(Client& client, const session::FirstPacketResult& first,
                                     session::Now now);
    void handle_packet(Client& client, std::span<const std::byte> packet, bool floated,
                       const PeerEndpoint& from, const platform::io::SocketAddress& address,
                       session::Now now);
    void route_from_client(Client& client, std::span<const std::byte> packet, session::Now now);
    void on_tun_packets(std::span<const std::span<const std::byte>> packets);
    void send_to_client(Client& client, std::span<const std::byte> packet, session::Now now);
    void transmit(Client& client, std::span<const std::byte> wire);
    void touch(Client& client);
    void pump_touched();
    void pump(Client& client, session::Now now);
    void arm_timer(Client& client);
    void handle_event(Client& client, const session::ServerEvent& event, session::Now now);
    void on_authenticated(Client& client, std::string common_name, session::Now now);
    void close_client(Client& client, std::string_view reason);
    // Script hooks (server_scripts.hpp); each waits for the script, as OpenVPN does.
    [[nodiscard]] ClientScriptInfo script_info(const Client& client, session::Now now) const;
    [[nodiscard]] bool run_tls_verify(Client& client, session::Now now);
    [[nodiscard]] bool run_tls_crypt_v2_verify(const Client& client,
                                               const proto::UnwrappedClientKey& key);
    [[nodiscard]] bool run_user_pass_verify(Client& client, session::Now now);
    [[nodiscard]] Result<std::optional<ClientConfig>, std::string> run_client_connect(
        Client& client, session::Now now);
    void run_client_disconnect(Client& client);
    [[nodiscard]] ServerScriptContext script_context() const;
    [[nodiscard]] std::string temporary_file(std::string_view prefix, std::string_view content);
    void reap();
    [[nodiscard]] std::string label(const Client& client) const;

    platform::io::EventLoop& loop_;
    platform::Logger& log_;
    config::VpnConfig config_;
    config::FileReader& disk_;  // for files read per client (client-config-dir)
    CachingFileReader keys_;    // key material read once
    platform::Random& random_;
    ServerMaterials materials_;
    session::TlsStreamFactory tls_factory_;
    std::unique_ptr<session::ResetCookie> cookie_;

    // One per config::listen_sockets() entry, in that order (PeerEndpoint::listener): a UDP
    // socket or a TCP listener.
    struct Listener {
        config::ListenSocket spec;
        std::unique_ptr<platform::io::UdpSocket> udp;
        std::unique_ptr<platform::io::TcpListener> tcp;
    };
    std::vector<Listener> listeners_;
    std::unique_ptr<tunnel::OffloadTun> tun_;
    std::optional<platform::io::RouteTable> route_table_;
    std::unique_ptr<tunnel::TunnelSetup> tunnel_;

    session::AddressPool pool_;
    ClientRegistry registry_;
    ClientRoutes routes_;
    PersistSchedule persist_;
    ClosedSessions closed_sessions_;
    std::optional<platform::io::TimerId> persist_timer_;
    platform::io::UniqueFd status_fd_;  // opened before privileges are dropped, as OpenVPN does
    std::optional<platform::io::TimerId> status_timer_;
    std::string status_title_ = "nfv-vpn";
    struct ManagementConnection;
    std::unique_ptr<platform::io::TcpListener> management_;
    std::optional<std::string> management_password_;
    std::unordered_map<std::uint64_t, std::unique_ptr<ManagementConnection>>
        management_connections_;
    std::uint64_t next_management_id_ = 1;

    std::unordered_map<ClientId, std::unique_ptr<Client>> clients_;
    std::vector<ClientId> touched_;
    std::vector<ClientId> closing_;
    std::vector<std::byte> scratch_;
    std::vector<std::byte> out_;
    std::array<std::byte, 256> syn_from_client_{};  // SYNs clamped by mssfix, each way
    std::array<std::byte, 256> syn_to_client_{};
    bool stopping_ = false;
    int exit_code_ = 0;
    ServerStats stats_;
};

}  // namespace nfv::vpn::server
