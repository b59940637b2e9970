#include "server/vpn_server.hpp"

#include <algorithm>
#include <array>
#include <csignal>
#include <cstring>
#include <fstream>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include "client/scripts.hpp"
#include "config/pool_persist.hpp"
#include "proto/packet.hpp"
#include "server/client_config.hpp"
#include "server/status_file.hpp"
#include "session/openssl_tls_stream.hpp"
#include "setup/key_material.hpp"
#include "tunnel/tunnel_plan.hpp"

namespace nfv::vpn::server {
namespace {

using platform::io::SocketAddress;

constexpr std::size_t kScratchSize = 65536 + 256;
// Session ids of closed UDP clients held back from the cookie check (closed_sessions.hpp).
constexpr std::size_t kClosedSessionsKept = 4096;

// The IP address and port of a kernel socket address, on the server's socket `listener`.
std::optional<PeerEndpoint> endpoint_of(const SocketAddress& address, std::uint16_t listener) {
    if (address.family() == AF_INET) {
        sockaddr_in in{};
        std::memcpy(&in, address.data(), sizeof(in));
        std::array<std::uint8_t, 4> octets{};
        std::memcpy(octets.data(), &in.sin_addr, octets.size());
        return PeerEndpoint{net::Ipv4Address(octets), address.port(), listener};
    }
    if (address.family() == AF_INET6) {
        sockaddr_in6 in6{};
        std::memcpy(&in6, address.data(), sizeof(in6));
        std::array<std::uint8_t, 16> octets{};
        std::memcpy(octets.data(), &in6.sin6_addr, octets.size());
        return PeerEndpoint{net::Ipv6Address(octets), address.port(), listener};
    }
    return std::nullopt;
}

// The stable encoding of a client's address the reset cookie is computed over.
std::vector<std::byte> cookie_address(const PeerEndpoint& endpoint) {
    std::vector<std::byte> out;
    if (endpoint.address.is_v4()) {
        out.push_back(std::byte{4});
        for (const auto octet : endpoint.address.v4().octets()) {
            out.push_back(static_cast<std::byte>(octet));
        }
    } else {
        out.push_back(std::byte{6});
        for (const auto octet : endpoint.address.v6().octets()) {
            out.push_back(static_cast<std::byte>(octet));
        }
    }
    out.push_back(static_cast<std::byte>(endpoint.port >> 8U));
    out.push_back(static_cast<std::byte>(endpoint.port & 0xffU));
    return out;
}

bool is_data_packet(std::span<const std::byte> packet) {
    const auto opcode =
        static_cast<proto::Opcode>(std::to_integer<std::uint8_t>(packet[0]) >> proto::kOpcodeShift);
    return opcode == proto::Opcode::kDataV1 || opcode == proto::Opcode::kDataV2;
}

std::string cipher_text(const session::ServerSession& session) {
    const auto cipher = session.cipher();
    return cipher ? std::string(proto::data_cipher_name(*cipher)) : std::string();
}

}  // namespace

struct VpnServer::Client {
    ClientId id = 0;
    bool tcp = false;
    PeerEndpoint endpoint;
    SocketAddress address;
    std::unique_ptr<platform::io::TcpStream> stream;
    std::vector<std::byte> stream_buffer;  // TCP bytes not yet forming a whole packet
    std::unique_ptr<session::ServerSession> session;
    std::string common_name;
    bool authenticated = false;
    bool data_ready = false;
    std::uint16_t mss_limit = 0;  // mssfix for this client's data channel
    bool closing = false;
    bool touched = false;
    std::optional<std::size_t> pool_index;
    std::optional<ClientAddresses> addresses;
    platform::Instant handshake_deadline{};  // before a session exists (TCP)
    std::optional<platform::io::TimerId> timer;
    std::optional<platform::Instant> timer_at;
    std::uint64_t bytes_in = 0;
    std::uint64_t bytes_out = 0;
    std::uint32_t connected_since = 0;
    std::uint32_t last_ref = 0;        // Unix seconds of the last routed packet
    std::vector<net::IpCidr> iroutes;  // from client-config-dir
    bool connect_ran = false;          // client-connect passed: client-disconnect runs at the end
};

VpnServer::VpnServer(platform::io::EventLoop& loop, platform::Logger& log, config::VpnConfig config,
                     config::FileReader& reader, platform::Random& random,
                     ServerMaterials materials)
    : loop_(loop),
      log_(log),
      config_(std::move(config)),
      disk_(reader),
      keys_(reader),
      random_(random),
      materials_(std::move(materials)),
      tls_factory_(session::openssl_tls_factory(materials_.tls)),
      pool_(materials_.plan.pool->first, materials_.plan.pool->second, materials_.plan.topology,
            materials_.plan.pool_netmask, config_.server.duplicate_cn),
      registry_(config_.server.max_clients),
      persist_(config_.server.ifconfig_pool_persist.empty()
                   ? 0U
                   : config_.server.ifconfig_pool_persist_seconds),
      closed_sessions_(kClosedSessionsKept, std::chrono::seconds(config_.hand_window)),
      scratch_(kScratchSize),
      out_(kScratchSize) {}

VpnServer::~VpnServer() {
    for (auto& [id, client] : clients_) {
        if (client->timer) {
            loop_.cancel_timer(*client->timer);
        }
    }
    if (persist_timer_) {
        loop_.cancel_timer(*persist_timer_);
    }
}

Result<std::unique_ptr<VpnServer>, std::string> VpnServer::create(platform::io::EventLoop& loop,
                                                                  platform::Logger& log,
                                                                  config::VpnConfig config,
                                                                  config::FileReader& reader,
                                                                  platform::Random& random) {
    // Script hooks need script-security 2 (3 for passwords in the environment): refusing to
    // start beats letting in clients the operator's script would have refused.
    if (auto scripts = check_server_scripts(config)) {
        return Unexpected(*scripts);
    }
    CachingFileReader probe(reader);
    auto materials = prepare_server(config, probe);
    if (!materials) {
        return Unexpected(materials.error());
    }
    auto server = std::unique_ptr<VpnServer>(
        new VpnServer(loop, log, std::move(config), reader, random, std::move(*materials)));
    // Read the key files once more through the server's own cache, as root, now.
    if (auto checked = prepare_server(server->config_, server->keys_); !checked) {
        return Unexpected(checked.error());
    }
    auto cookie =
        session::ResetCookie::create(random, std::chrono::seconds(server->config_.hand_window));
    if (!cookie) {
        return Unexpected(std::string("cannot create the reset cookie key"));
    }
    server->cookie_ = std::make_unique<session::ResetCookie>(std::move(*cookie));
    for (const auto& warning : server->materials_.warnings) {
        log.warn(warning);
    }
    return server;
}

session::Now VpnServer::now() {
    return {loop_.now(), static_cast<std::uint32_t>(loop_.clock().wall_now().unix_seconds)};
}

Result<void, std::string> VpnServer::start() {
    load_pool_persist();
    if (auto tunnel = open_tunnel(); !tunnel) {
        return tunnel;
    }
    if (auto listeners = open_listeners(); !listeners) {
        return listeners;
    }
    open_status_file();
    if (auto management = open_management(); !management) {
        return management;
    }
    log_.info("Initialization Sequence Completed", {{"device", tun_->name()},
                                                    {"pool_size", pool_.size()},
                                                    {"max_clients", registry_.max_clients()}});
    return {};
}

Result<void, std::string> VpnServer::open_tunnel() {
    for (const auto& warning : materials_.tunnel.warnings) {
        log_.warn(warning);
    }
    tunnel::HostRoutes host;
    auto plan = tunnel::plan_tunnel(materials_.tunnel.network, host);
    if (!plan) {
        return Unexpected("tunnel: " + plan.error());
    }
    for (const auto& warning : plan->warnings) {
        log_.warn(warning);
    }
    auto opened = tunnel::OffloadTun::open(
        loop_, config_.dev == "tun" ? std::string() : config_.dev, config_.offload,
        [this](auto packets) { on_tun_packets(packets); });
    if (!opened) {
        return Unexpected("cannot open the TUN device: " + opened.error().message());
    }
    tun_ = std::move(*opened);
    if (auto r = tun_->set_mtu(plan->mtu); !r) {
        return Unexpected("TUN MTU: " + r.error().message());
    }
    if (auto r = tun_->set_up(); !r) {
        return Unexpected("TUN up: " + r.error().message());
    }
    auto table = platform::io::RouteTable::open();
    if (!table) {
        return Unexpected("rtnetlink: " + table.error().message());
    }
    route_table_.emplace(std::move(*table));
    auto index = platform::io::RouteTable::interface_index(tun_->name());
    if (!index) {
        return Unexpected("TUN index: " + index.error().message());
    }
    tunnel_ = std::make_unique<tunnel::TunnelSetup>(*route_table_, *index);
    if (auto applied = tunnel_->apply(*plan); !applied) {
        return Unexpected("tunnel: " + applied.error());
    }
    return {};
}

Result<void, std::string> VpnServer::open_listeners() {
    auto sockets = config::listen_sockets(config_);
    if (!sockets) {
        return Unexpected(sockets.error().to_string());  // the parser reported it already
    }
    if (sockets->size() > 0xffff) {
        return Unexpected(std::string("local: too many listening sockets"));
    }
    listeners_.reserve(sockets->size());
    for (std::size_t i = 0; i < sockets->size(); ++i) {
        if (auto opened = open_listener((*sockets)[i], static_cast<std::uint16_t>(i)); !opened) {
            return opened;
        }
    }
    return {};
}

Result<void, std::string> VpnServer::open_listener(const config::ListenSocket& spec,
                                                   std::uint16_t index) {
    const auto local = SocketAddress::parse(spec.host, spec.port);
    if (!local) {
        return Unexpected("local " + spec.host + ": not a numeric IPv4 or IPv6 address");
    }
    Listener listener{spec, nullptr, nullptr};
    // As openvpn 2.6: an IPv6 listener also takes IPv4 clients (IPV6_V6ONLY=0) unless
    // `bind ipv6only`; peers then appear as plain IPv4 addresses (status file, scripts, logs).
    if (spec.transport == config::Transport::kTcp) {
        platform::io::TcpListenOptions tcp_options;
        tcp_options.ipv6_only = config_.bind_ipv6only;
        auto tcp = platform::io::TcpListener::listen(
            loop_, *local, tcp_options,
            [this, index](platform::io::UniqueFd fd, const SocketAddress& peer) {
                on_accept(index, std::move(fd), peer);
            });
        if (!tcp) {
            return Unexpected("cannot listen on TCP " + local->to_string() + ": " +
                              tcp.error().message());
        }
        listener.tcp = std::move(*tcp);
        log_.info("listening",
                  {{"proto", "tcp"}, {"address", listener.tcp->local_address().to_string()}});
    } else {
        auto options = tunnel::transport_udp_options(config_.offload);
        options.ipv6_only = config_.bind_ipv6only;
        auto udp = platform::io::UdpSocket::bind(
            loop_, *local, options, [this, index](auto batch) { on_datagrams(index, batch); });
        if (!udp) {
            return Unexpected("cannot bind UDP " + local->to_string() + ": " +
                              udp.error().message());
        }
        listener.udp = std::move(*udp);
        log_.info("listening",
                  {{"proto", "udp"}, {"address", listener.udp->local_address().to_string()}});
    }
    listeners_.push_back(std::move(listener));
    return {};
}

// ---- ifconfig-pool-persist --------------------------------------------------------------

void VpnServer::load_pool_persist() {
    if (config_.server.ifconfig_pool_persist.empty()) {
        return;
    }
    const auto path = setup::resolve_path(config_, config_.server.ifconfig_pool_persist);
    auto text = disk_.read(path);
    if (!text) {
        log_.info("ifconfig-pool-persist: no file yet", {{"file", path}});
        return;
    }
    const auto parsed = config::parse_pool_persist(*text);
    for (const auto& warning : parsed.warnings) {
        log_.warn("ifconfig-pool-persist: line skipped", {{"file", path}, {"why", warning}});
    }
    pool_.load(parsed.entries);
    log_.info("ifconfig-pool-persist: loaded",
              {{"file", path}, {"entries", parsed.entries.size()}});
}

void VpnServer::write_pool_persist() {
    if (config_.server.ifconfig_pool_persist.empty() || persist_.read_only()) {
        return;
    }
    const auto path = setup::resolve_path(config_, config_.server.ifconfig_pool_persist);
    const auto entries = persist_entries(materials_.plan, pool_);
    const auto text = config::format_pool_persist(entries);
    // Written to a temporary file, synced, then renamed: a crash leaves the old or the new
    // file, never a torn one.
    const std::string temporary = path + ".nfv-tmp";
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    bool ok = fd >= 0;
    if (ok) {
        ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
             ::fsync(fd) == 0;
        ok = (::close(fd) == 0) && ok;
        ok = ok && ::rename(temporary.c_str(), path.c_str()) == 0;
    }
    if (!ok) {
        log_.warn("ifconfig-pool-persist: cannot write, retrying after the interval",
                  {{"file", path}, {"error", strerror(errno)}});
        persist_.attempted(loop_.now());
        return;
    }
    persist_.written(loop_.now());
}

// ---- management interface -------------------------------------------------------------------

struct VpnServer::ManagementConnection {
    std::unique_ptr<platform::io::TcpStream> stream;
    std::unique_ptr<ManagementSession> session;
};

Result<void, std::string> VpnServer::open_management() {
    const auto& server = config_.server;
    if (server.management_address.empty() || server.management_port == "unix") {
        return {};  // unix sockets: a named warning at config time
    }
    if (!server.management_password_file.empty()) {
        const auto path = setup::resolve_path(config_, server.management_password_file);
        std::ifstream in(path);
        std::string line;
        if (!in || !std::getline(in, line)) {
            return Unexpected("management: cannot read the password file " + path);
        }
        management_password_ = line;
    }
    const auto port = static_cast<std::uint16_t>(std::stoul(server.management_port));
    const auto local = SocketAddress::parse(server.management_address, port);
    if (!local) {
        return Unexpected("management: " + server.management_address +
                          " is not an IP address (a host name is not resolved)");
    }
    auto listener = platform::io::TcpListener::listen(
        loop_, *local, {}, [this](platform::io::UniqueFd fd, const SocketAddress& peer) {
            on_management_accept(std::move(fd), peer);
        });
    if (!listener) {
        return Unexpected("management: cannot listen on " + local->to_string() + ": " +
                          listener.error().message());
    }
    management_ = std::move(*listener);
    log_.info("MANAGEMENT: TCP Socket listening", {{"address", local->to_string()}});
    return {};
}

void VpnServer::on_management_accept(platform::io::UniqueFd connection, const SocketAddress& peer) {
    const std::uint64_t id = next_management_id_++;
    auto managed = std::make_unique<ManagementConnection>();
    ManagementBackend& backend = *this;
    managed->session = std::make_unique<ManagementSession>(backend, management_password_);
    auto forget = [this, id] {
        // Deferred: the stream may be inside its own callback.
        loop_.add_timer_after(platform::Duration::zero(),
                              [this, id] { management_connections_.erase(id); });
    };
    platform::io::TcpCallbacks callbacks;
    callbacks.on_data = [this, id](std::span<const std::byte> bytes) {
        auto found = management_connections_.find(id);
        if (found == management_connections_.end()) {
            return;
        }
        ManagementConnection& c = *found->second;
        const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
        const auto reply = c.session->on_bytes(text);
        if (!reply.empty()) {
            (void)c.stream->write(std::as_bytes(std::span(reply)));
        }
        if (c.session->closed()) {
            (void)c.stream->shutdown_write();
        }
    };
    callbacks.on_peer_closed = forget;
    callbacks.on_error = [forget](const platform::io::IoError&) { forget(); };
    managed->stream =
        platform::io::TcpStream::adopt(loop_, std::move(connection), std::move(callbacks));
    const auto greeting = managed->session->greeting();
    (void)managed->stream->write(std::as_bytes(std::span(greeting)));
    log_.info("MANAGEMENT: Client connected", {{"from", peer.to_string()}});
    management_connections_.emplace(id, std::move(managed));
}

std::string VpnServer::status_text(int version) {
    StatusContext context;
    context.version = static_cast<std::uint8_t>(version);
    context.title = status_title_;
    context.now = now().unix_seconds;
    const auto snapshots = clients();
    return format_status(context, snapshots);
}

std::size_t VpnServer::kill(std::string_view common_name_or_address) {
    const auto killed = kill_client(common_name_or_address);
    return killed;
}

ManagementBackend::LoadStats VpnServer::load_stats() {
    LoadStats stats;
    for (const auto& [id, client] : clients_) {
        if (client->authenticated && !client->closing) {
            ++stats.clients;
        }
        stats.bytes_in += client->bytes_in;
        stats.bytes_out += client->bytes_out;
    }
    return stats;
}

void VpnServer::signal(int signal_number) {
    // Run after the reply is written: shutdown() stops the loop.
    loop_.add_timer_after(platform::Duration::zero(), [this, signal_number] {
        if (signal_number == SIGTERM) {
            shutdown("management signal SIGTERM");
        } else if (signal_number == SIGUSR2) {
            log_statistics();
        } else {
            restart(signal_number == SIGHUP ? "management signal SIGHUP"
                                            : "management signal SIGUSR1");
        }
    });
}

std::string VpnServer::state_line() {
    const auto local =
        materials_.plan.ifconfig ? materials_.plan.ifconfig->first.to_string() : std::string();
    return std::to_string(now().unix_seconds) + ",CONNECTED,SUCCESS," + local + ",,,,";
}

std::string VpnServer::version() {
    return status_title_;
}

// ---- status file --------------------------------------------------------------------------

void VpnServer::open_status_file() {
    if (config_.status.empty()) {
        return;
    }
    const auto path = setup::resolve_path(config_, config_.status);
    // Opened once, before privileges are dropped, and rewritten in place (OpenVPN's status.c
    // does the same, so a status file in /run or /var/log keeps working as `user nobody`).
    status_fd_ = platform::io::UniqueFd(
        ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, S_IRUSR | S_IWUSR));
    if (!status_fd_.valid()) {
        log_.warn("status: cannot open the status file, not written",
                  {{"file", path}, {"error", strerror(errno)}});
        return;
    }
    write_status_file();
}

void VpnServer::write_status_file() {
    if (!status_fd_.valid()) {
        return;
    }
    StatusContext context;
    context.version = config_.server.status_version;
    context.title = status_title_;
    context.now = now().unix_seconds;
    const auto snapshots = clients();
    const auto text = format_status(context, snapshots);
    bool ok = ::ftruncate(status_fd_.get(), 0) == 0;
    std::size_t done = 0;
    while (ok && done < text.size()) {
        const auto written = ::pwrite(status_fd_.get(), text.data() + done, text.size() - done,
                                      static_cast<off_t>(done));
        ok = written > 0;
        done += ok ? static_cast<std::size_t>(written) : 0;
    }
    if (!ok) {
        log_.warn("status: cannot write the status file", {{"error", strerror(errno)}});
    }
    if (stopping_ || config_.status_seconds == 0) {
        return;
    }
    status_timer_ =
        loop_.add_timer(loop_.now() + std::chrono::seconds(config_.status_seconds), [this] {
            status_timer_.reset();
            write_status_file();
        });
}

void VpnServer::arm_persist_timer() {
    if (persist_timer_ || stopping_) {
        return;
    }
    if (const auto deadline = persist_.deadline()) {
        persist_timer_ = loop_.add_timer(*deadline, [this] {
            persist_timer_.reset();
            if (persist_.due(loop_.now())) {
                write_pool_persist();
            }
            arm_persist_timer();
        });
    }
}

// ---- UDP ---------------------------------------------------------------------------------

void VpnServer::on_datagrams(std::uint16_t listener,
                             std::span<const platform::io::ReceivedDatagram> batch) {
    const auto t = now();
    for (const auto& datagram : batch) {
        if (datagram.payload.empty()) {
            ++stats_.dropped_first_packets;
            continue;
        }
        const auto endpoint = endpoint_of(datagram.peer, listener);
        if (!endpoint) {
            continue;
        }
        const auto match = registry_.find_datagram(*endpoint, datagram.payload);
        if (!match) {
            on_first_datagram(datagram, *endpoint, t);
            continue;
        }
        auto found = clients_.find(match->client);
        if (found == clients_.end() || found->second->closing) {
            continue;
        }
        Client& client = *found->second;
        if (client.tcp) {
            ++stats_.dropped_wrong_transport;
            continue;
        }
        handle_packet(client, datagram.payload, match->floated, *endpoint, datagram.peer, t);
    }
    pump_touched();
}

void VpnServer::on_first_datagram(const platform::io::ReceivedDatagram& datagram,
                                  const PeerEndpoint& endpoint, session::Now t) {
    // Opcode/key-id byte, then the sender's session id, in clear under every wrap.
    if (datagram.payload.size() > proto::kSessionIdSize) {
        proto::SessionId id{};
        std::copy_n(datagram.payload.begin() + 1, id.size(), id.begin());
        if (closed_sessions_.contains(id, t.mono)) {
            ++stats_.dropped_closed_session;
            return;
        }
    }
    const auto address = cookie_address(endpoint);
    auto first =
        session::handle_first_packet(datagram.payload, address, materials_.listener, *cookie_, t);
    switch (first.verdict) {
        case session::FirstPacketVerdict::kDrop:
            ++stats_.dropped_first_packets;
            return;
        case session::FirstPacketVerdict::kReply:
            ++stats_.cookie_replies;
            (void)listeners_[endpoint.listener].udp->send_to(datagram.peer, first.reply);
            return;
        case session::FirstPacketVerdict::kAccept:
        case session::FirstPacketVerdict::kStartSession:
            break;
    }
    Client* client = new_client(endpoint, datagram.peer, /*tcp=*/false);
    if (client == nullptr) {
        return;
    }
    if (!start_session(*client, first, t)) {
        return;
    }
    client->session->on_control_packet(datagram.payload, t);
    touch(*client);
}

// ---- TCP ---------------------------------------------------------------------------------

void VpnServer::on_accept(std::uint16_t listener, platform::io::UniqueFd connection,
                          const SocketAddress& peer) {
    const auto endpoint = endpoint_of(peer, listener);
    if (!endpoint || stopping_) {
        return;  // the connection closes with `connection`
    }
    Client* client = new_client(*endpoint, peer, /*tcp=*/true);
    if (client == nullptr) {
        return;
    }
    const ClientId id = client->id;
    platform::io::TcpCallbacks callbacks;
    callbacks.on_data = [this, id](std::span<const std::byte> bytes) { on_stream_data(id, bytes); };
    callbacks.on_peer_closed = [this, id] {
        if (auto found = clients_.find(id); found != clients_.end()) {
            close_client(*found->second, "the client closed the TCP connection");
            reap();
        }
    };
    callbacks.on_error = [this, id](const platform::io::IoError& error) {
        if (auto found = clients_.find(id); found != clients_.end()) {
            close_client(*found->second, "TCP: " + error.message());
            reap();
        }
    };
    client->stream =
        platform::io::TcpStream::adopt(loop_, std::move(connection), std::move(callbacks));
    // A connection that never completes a handshake is closed after hand-window.
    client->handshake_deadline = loop_.now() + std::chrono::seconds(config_.hand_window);
    arm_timer(*client);
}

void VpnServer::on_stream_data(ClientId id, std::span<const std::byte> bytes) {
    auto found = clients_.find(id);
    if (found == clients_.end() || found->second->closing) {
        return;
    }
    Client& client = *found->second;
    // TCP framing: u16 big-endian length, then the packet (doc_protocol_overview.h).
    client.stream_buffer.insert(client.stream_buffer.end(), bytes.begin(), bytes.end());
    const auto t = now();
    std::size_t offset = 0;
    while (client.stream_buffer.size() - offset >= 2 && !client.closing) {
        const std::size_t length =
            (std::to_integer<std::size_t>(client.stream_buffer[offset]) << 8U) |
            std::to_integer<std::size_t>(client.stream_buffer[offset + 1]);
        if (client.stream_buffer.size() - offset - 2 < length) {
            break;
        }
        const auto packet = std::span(client.stream_buffer).subspan(offset + 2, length);
        offset += 2 + length;
        if (packet.empty()) {
            continue;
        }
        if (!client.session) {
            // Same stateless check as UDP: only a valid reset gets an answer, only a valid echo
            // creates the session; anything else closes the connection.
            const auto address = cookie_address(client.endpoint);
            auto first =
                session::handle_first_packet(packet, address, materials_.listener, *cookie_, t);
            if (first.verdict == session::FirstPacketVerdict::kReply) {
                ++stats_.cookie_replies;
                transmit(client, first.reply);
                continue;
            }
            if (first.verdict == session::FirstPacketVerdict::kDrop) {
                ++stats_.dropped_first_packets;
                close_client(client, "not an OpenVPN client (bad first packet)");
                break;
            }
            if (!start_session(client, first, t)) {
                break;
            }
            client.session->on_control_packet(packet, t);
            touch(client);
            continue;
        }
        handle_packet(client, packet, false, client.endpoint, client.address, t);
    }
    if (!client.closing) {
        client.stream_buffer.erase(
            client.stream_buffer.begin(),
            client.stream_buffer.begin() + static_cast<std::ptrdiff_t>(offset));
    }
    pump_touched();
}

// ---- clients -----------------------------------------------------------------------------

VpnServer::Client* VpnServer::new_client(const PeerEndpoint& endpoint, const SocketAddress& address,
                                         bool tcp) {
    const auto id = registry_.add(endpoint);
    if (!id) {
        ++stats_.clients_refused;
        log_.warn("new client refused: max-clients reached or address in use",
                  {{"address", address.to_string()}, {"max_clients", registry_.max_clients()}});
        return nullptr;
    }
    auto client = std::make_unique<Client>();
    client->id = *id;
    client->tcp = tcp;
    client->endpoint = endpoint;
    client->address = address;
    Client* raw = client.get();
    clients_[*id] = std::move(client);
    return raw;
}

bool VpnServer::start_session(Client& client, const session::FirstPacketResult& first,
                              session::Now t) {
    if (!config_.server.tls_crypt_v2_verify.empty() && first.client_key &&
        !run_tls_crypt_v2_verify(client, *first.client_key)) {
        ++stats_.clients_refused;
        close_client(client, "tls-crypt-v2-verify refused the client key");
        return false;
    }
    auto wrap = session_wrap(config_, keys_, first.client_key);
    if (!wrap) {
        log_.error("cannot set up the client's control channel",
                   {{"client", label(client)}, {"error", wrap.error()}});
        close_client(client, "control channel setup failed");
        return false;
    }
    session::ServerSessionConfig sc;
    sc.wrap = std::move(*wrap);
    sc.options_string = client.tcp ? materials_.tcp_options_string : materials_.udp_options_string;
    sc.make_tls = tls_factory_;
    sc.data_ciphers = materials_.data_ciphers;
    sc.data_ciphers_fallback = materials_.data_ciphers_fallback;
    sc.digest = materials_.digest;
    sc.push.options = materials_.plan.push;
    sc.peer_id = client.id;
    sc.handshake_window = std::chrono::seconds(config_.hand_window);
    sc.transition_window = std::chrono::seconds(config_.tran_window);
    if (config_.reneg_sec > 0) {
        sc.reneg_interval = std::chrono::seconds(config_.reneg_sec);
    }
    sc.reneg_bytes = config_.reneg_bytes;
    sc.reneg_packets = config_.reneg_pkts;
    sc.ping = std::chrono::seconds(materials_.plan.ping);
    sc.ping_restart = std::chrono::seconds(materials_.plan.ping_restart);
    sc.tcp = client.tcp;
    sc.tls_crypt_v2 = config_.control_key.wrap == config::ControlWrap::kTlsCryptV2;
    sc.wait_for_authorization = true;
    if (first.verdict == session::FirstPacketVerdict::kAccept) {
        sc.local_session_id = first.server_session_id;
        client.session = std::make_unique<session::ServerSession>(std::move(sc), random_, t,
                                                                  first.client_session_id);
    } else {
        random_.fill(sc.local_session_id);
        client.session = std::make_unique<session::ServerSession>(std::move(sc), random_, t);
    }
    ++stats_.clients_accepted;
    log_.info("new client session", {{"client", label(client)}, {"peer_id", client.id}});
    return true;
}

void VpnServer::handle_packet(Client& client, std::span<const std::byte> packet, bool floated,
                              const PeerEndpoint& from, const SocketAddress& address,
                              session::Now t) {
    if (!client.session) {
        return;
    }
    if (!is_data_packet(packet)) {
        if (!floated) {
            client.bytes_in += packet.size();
            client.session->on_control_packet(packet, t);
            touch(client);
        }
        return;
    }
    if (packet.size() > scratch_.size()) {
        ++stats_.dropped_decrypt;
        return;
    }
    auto buffer = std::span(scratch_).first(packet.size());
    std::copy(packet.begin(), packet.end(), buffer.begin());
    auto plaintext = client.session->decrypt(buffer, t);
    if (!plaintext) {
        ++stats_.dropped_decrypt;
        return;
    }
    if (floated) {
        // The packet authenticated with this client's keys: it moved (NAT rebinding, roaming).
        if (!registry_.float_to(client.id, from)) {
            ++stats_.dropped_wrong_transport;
            return;
        }
        log_.info("client floated", {{"client", label(client)}, {"to", address.to_string()}});
        client.endpoint = from;
        client.address = address;
        ++stats_.floats;
    }
    if (client.session->state() == session::ServerState::kClosed) {
        touch(client);  // an OCC EXIT: the event closes the client
        return;
    }
    client.bytes_in += packet.size();
    if (!plaintext->empty()) {
        client.last_ref = t.unix_seconds;
        route_from_client(client, *plaintext, t);
    }
}

void VpnServer::route_from_client(Client& client, std::span<const std::byte> decrypted,
                                  session::Now t) {
    const auto packet = tunnel::clamp_mss(decrypted, client.mss_limit, syn_from_client_);
    const auto decision = routes_.from_client(client.id, packet, config_.server.client_to_client);
    using Action = RouteDecision::Action;
    switch (decision.action) {
        case Action::kToTun:
            if (tun_->write_packet(packet)) {
                ++stats_.packets_to_tun;
            }
            return;
        case Action::kToClient:
            if (auto found = clients_.find(decision.client); found != clients_.end()) {
                ++stats_.packets_client_to_client;
                send_to_client(*found->second, packet, t);
            }
            return;
        case Action::kToTunAndOtherClients:
            if (tun_->write_packet(packet)) {
                ++stats_.packets_to_tun;
            }
            for (auto& [id, other] : clients_) {
                if (id != client.id) {
                    send_to_client(*other, packet, t);
                }
            }
            return;
        case Action::kToAllClients:  // not produced for client packets
            return;
        case Action::kDrop:
            break;
    }
    switch (decision.reason) {
        case RouteDecision::DropReason::kBadSource:
            if (stats_.dropped_bad_source++ % 1000 == 0) {
                log_.warn("MULTI: bad source address from client, packet dropped",
                          {{"client", label(client)}});
            }
            break;
        case RouteDecision::DropReason::kNotIp:
            ++stats_.dropped_not_ip;
            break;
        case RouteDecision::DropReason::kNoRoute:
        case RouteDecision::DropReason::kNone:
            ++stats_.dropped_no_route;
            break;
    }
}

void VpnServer::on_tun_packets(std::span<const std::span<const std::byte>> packets) {
    const auto t = now();
    for (const auto packet : packets) {
        const auto decision = routes_.from_tun(packet);
        using Action = RouteDecision::Action;
        if (decision.action == Action::kToClient) {
            if (auto found = clients_.find(decision.client); found != clients_.end()) {
                ++stats_.packets_from_tun;
                send_to_client(*found->second, packet, t);
            }
        } else if (decision.action == Action::kToAllClients) {
            ++stats_.packets_from_tun;
            for (auto& [id, client] : clients_) {
                send_to_client(*client, packet, t);
            }
        } else if (decision.reason == RouteDecision::DropReason::kNotIp) {
            ++stats_.dropped_not_ip;
        } else {
            ++stats_.dropped_no_route;
        }
    }
    pump_touched();
}

void VpnServer::send_to_client(Client& client, std::span<const std::byte> unclamped,
                               session::Now t) {
    const auto packet = tunnel::clamp_mss(unclamped, client.mss_limit, syn_to_client_);
    if (!client.session || !client.data_ready || client.closing ||
        client.session->max_encrypted_size(packet.size()) > out_.size()) {
        ++stats_.dropped_not_ready;
        return;
    }
    auto written = client.session->encrypt(packet, out_, t);
    if (!written) {
        ++stats_.dropped_not_ready;
        return;
    }
    client.last_ref = t.unix_seconds;
    transmit(client, std::span(out_).first(*written));
    touch(client);
}

void VpnServer::transmit(Client& client, std::span<const std::byte> wire) {
    client.bytes_out += wire.size();  // link bytes, as OpenVPN's status file counts them
    if (client.tcp) {
        if (!client.stream || wire.size() > 0xffff) {
            return;
        }
        const std::array<std::byte, 2> length{static_cast<std::byte>(wire.size() >> 8U),
                                              static_cast<std::byte>(wire.size() & 0xffU)};
        (void)client.stream->write(length);  // on_error closes the client
        (void)client.stream->write(wire);
        return;
    }
    if (auto& socket = listeners_[client.endpoint.listener].udp) {
        (void)socket->send_to(client.address, wire);
    }
}

void VpnServer::touch(Client& client) {
    if (!client.touched) {
        client.touched = true;
        touched_.push_back(client.id);
    }
}

void VpnServer::pump_touched() {
    const auto t = now();
    // pump() may touch more clients (client-to-client, replaced duplicates): index loop.
    for (std::size_t i = 0; i < touched_.size(); ++i) {
        auto found = clients_.find(touched_[i]);
        if (found == clients_.end()) {
            continue;
        }
        found->second->touched = false;
        if (!found->second->closing) {
            pump(*found->second, t);
        }
    }
    touched_.clear();
    reap();
}

void VpnServer::pump(Client& client, session::Now t) {
    if (!client.session) {
        return;
    }
    for (int round = 0; round < 2 && !client.closing; ++round) {
        while (auto wire = client.session->poll_transmit(t)) {
            transmit(client, *wire);
        }
        while (auto event = client.session->poll_event()) {
            handle_event(client, *event, t);
            if (client.closing) {
                break;
            }
        }
    }
    if (client.closing) {
        // What the session queued while closing (AUTH_FAILED after a refusal) leaves once.
        while (auto wire = client.session->poll_transmit(t)) {
            transmit(client, *wire);
        }
    }
    if (!client.closing) {
        arm_timer(client);
    }
}

void VpnServer::arm_timer(Client& client) {
    std::optional<platform::Instant> deadline;
    if (client.session) {
        deadline = client.session->next_deadline();
    } else {
        deadline = client.handshake_deadline;
    }
    if (!deadline) {
        return;
    }
    // A timer already due earlier stays: when it fires the session re-checks its deadlines
    // (cheaper than re-arming on every packet, which moves the keepalive deadline).
    if (client.timer && client.timer_at && *client.timer_at <= *deadline) {
        return;
    }
    if (client.timer) {
        loop_.cancel_timer(*client.timer);
    }
    const ClientId id = client.id;
    client.timer_at = *deadline;
    client.timer = loop_.add_timer(*deadline, [this, id] {
        auto found = clients_.find(id);
        if (found == clients_.end()) {
            return;
        }
        Client& c = *found->second;
        c.timer.reset();
        c.timer_at.reset();
        if (c.closing) {
            return;
        }
        if (!c.session) {
            if (loop_.now() >= c.handshake_deadline) {
                close_client(c, "TLS handshake not started within hand-window");
                reap();
            } else {
                arm_timer(c);
            }
            return;
        }
        c.session->on_timer(now());
        touch(c);
        pump_touched();
    });
}

void VpnServer::handle_event(Client& client, const session::ServerEvent& event, session::Now t) {
    using Kind = session::ServerEvent::Kind;
    switch (event.kind) {
        case Kind::kAuthenticated:
            on_authenticated(client, event.text, t);
            break;
        case Kind::kPushRequest:
            log_.debug("PUSH_REQUEST", {{"client", label(client)}});
            break;
        case Kind::kDataChannelReady:
            client.data_ready = true;
            if (const auto cipher = client.session->cipher()) {
                client.mss_limit = tunnel::mssfix_limit(
                    config_,
                    tunnel::DataPath{*cipher, materials_.digest, client.session->uses_data_v2(),
                                     client.address.family() == AF_INET6, client.tcp});
            }
            log_.info(label(client) + " data channel ready",
                      {{"cipher", event.text},
                       {"address", client.addresses ? client.addresses->ifconfig.first.to_string()
                                                    : std::string()}});
            break;
        case Kind::kRenegotiated:
            log_.info(label(client) + " renegotiated", {{"key_id", event.text}});
            break;
        case Kind::kClosed:
            close_client(client, event.text);
            break;
    }
}

void VpnServer::on_authenticated(Client& client, std::string common_name, session::Now t) {
    if (common_name.empty()) {
        common_name = "UNDEF";  // verify-client-cert none/optional without a certificate
    }
    client.common_name = std::move(common_name);
    if (!config_.tls_verify.empty() && !run_tls_verify(client, t)) {
        ++stats_.clients_refused;
        (void)client.session->deny("", t);
        return;
    }
    if (!config_.server.auth_user_pass_verify.empty()) {
        if (!run_user_pass_verify(client, t)) {
            log_.warn("TLS Auth Error: Auth Username/Password verification failed for peer",
                      {{"client", label(client)}});
            ++stats_.clients_refused;
            (void)client.session->deny("", t);
            return;
        }
        const auto& message = client.session->client_message();
        if (config_.server.username_as_common_name && message && message->credentials) {
            client.common_name = message->credentials->username;
        }
    }
    log_.info(label(client) + " Peer Connection Initiated",
              {{"cipher", cipher_text(*client.session)}});
    // client-config-dir/<CN> (multi.c multi_client_connect_source_ccd).
    ClientConfig ccd;
    if (!config_.server.client_config_dir.empty()) {
        const bool safe_name = client.common_name.find('/') == std::string::npos &&
                               client.common_name != "." && client.common_name != "..";
        const auto path = setup::resolve_path(
            config_, config_.server.client_config_dir + "/" + client.common_name);
        auto text = safe_name
                        ? disk_.read(path)
                        : Result<std::string, std::string>(Unexpected(std::string("unsafe name")));
        if (text) {
            auto parsed = parse_client_config(*text, path);
            if (!parsed) {
                log_.error("client-config-dir file rejected",
                           {{"client", label(client)}, {"error", parsed.error().to_string()}});
                ++stats_.clients_refused;
                (void)client.session->deny("", t);
                return;
            }
            ccd = std::move(*parsed);
        } else if (config_.server.ccd_exclusive) {
            log_.warn("ccd-exclusive: no client-config-dir file, client refused",
                      {{"client", label(client)}, {"file", path}});
            ++stats_.clients_refused;
            (void)client.session->deny("", t);
            return;
        }
    }
    if (ccd.disable) {
        log_.warn("client-config-dir: disable, client refused", {{"client", label(client)}});
        ++stats_.clients_refused;
        (void)client.session->deny("", t);
        return;
    }
    // Without duplicate-cn a new connection replaces an older one with the same name.
    if (!config_.server.duplicate_cn) {
        for (auto& [id, other] : clients_) {
            if (id != client.id && other->authenticated && !other->closing &&
                other->common_name == client.common_name) {
                log_.info("MULTI: new connection by client '" + client.common_name +
                          "' will cause previous active sessions by this client to be dropped");
                ++stats_.clients_replaced;
                if (other->session) {
                    other->session->notify_exit(t);
                    while (auto wire = other->session->poll_transmit(t)) {
                        transmit(*other, *wire);
                    }
                }
                close_client(*other, "replaced by a new connection with the same common name");
            }
        }
    }
    // The addresses: ifconfig-push from the ccd file, else the pool (sticky by name).
    ClientAddresses addresses;
    if (ccd.ifconfig_push) {
        addresses.ifconfig = *ccd.ifconfig_push;
        if (ccd.ifconfig_ipv6_push) {
            addresses.ipv6 = ccd.ifconfig_ipv6_push->address();
            addresses.ipv6_prefix = ccd.ifconfig_ipv6_push->prefix_length();
            addresses.ipv6_remote = ccd.ifconfig_ipv6_push_remote ? ccd.ifconfig_ipv6_push_remote
                                                                  : materials_.plan.ifconfig_ipv6;
        }
    } else {
        const auto before = pool_.persist_entries();
        auto lease = pool_.acquire(client.common_name);
        if (!lease) {
            log_.warn("MULTI: no free --ifconfig-pool addresses are available",
                      {{"client", label(client)}});
            ++stats_.clients_refused;
            (void)client.session->deny("", t);
            return;
        }
        auto computed = client_addresses(materials_.plan, *lease);
        if (!computed) {
            pool_.release(lease->index);
            log_.error("client address", {{"client", label(client)}, {"error", computed.error()}});
            (void)client.session->deny("", t);
            return;
        }
        client.pool_index = lease->index;
        addresses = *computed;
        if (pool_.persist_entries() != before) {
            persist_.changed(loop_.now());
            arm_persist_timer();
        }
    }
    client.addresses = addresses;
    client.connected_since = t.unix_seconds;
    if (!config_.server.client_connect.empty()) {
        auto dynamic = run_client_connect(client, t);
        if (!dynamic || (*dynamic && (*dynamic)->disable)) {
            log_.warn("client-connect refused the client",
                      {{"client", label(client)},
                       {"why", dynamic ? std::string("disable") : dynamic.error()}});
            ++stats_.clients_refused;
            (void)client.session->deny("", t);
            return;
        }
        if (*dynamic) {
            // The script's directives come after the client-config-dir file's (multi.c).
            ClientConfig& extra = **dynamic;
            if (extra.ifconfig_push) {
                if (client.pool_index) {
                    pool_.release(*client.pool_index);
                    client.pool_index.reset();
                }
                addresses.ifconfig = *extra.ifconfig_push;
            }
            if (extra.ifconfig_ipv6_push) {
                addresses.ipv6 = extra.ifconfig_ipv6_push->address();
                addresses.ipv6_prefix = extra.ifconfig_ipv6_push->prefix_length();
            }
            ccd.iroutes.insert(ccd.iroutes.end(), extra.iroutes.begin(), extra.iroutes.end());
            if (extra.push_reset) {
                ccd.push_reset = true;
                ccd.push.clear();
            }
            ccd.push.insert(ccd.push.end(), extra.push.begin(), extra.push.end());
        }
    }
    session::PushReplyParams push;
    if (!ccd.push_reset) {
        push.options = materials_.plan.push;
    }
    push.options.insert(push.options.end(), ccd.push.begin(), ccd.push.end());
    set_push_addresses(addresses, push);
    add_client_routes(routes_, client.id, addresses);
    for (const auto& iroute : ccd.iroutes) {
        (void)routes_.add(iroute, client.id);
    }
    client.iroutes = ccd.iroutes;
    client.last_ref = t.unix_seconds;
    client.addresses = addresses;
    client.authenticated = true;
    client.connected_since = t.unix_seconds;
    log_.info("MULTI: Learn: " + addresses.ifconfig.first.to_string() + " -> " + label(client));
    client.connect_ran = true;  // client-disconnect runs when this client goes
    (void)client.session->authorize(std::move(push), t);
}

void VpnServer::close_client(Client& client, std::string_view reason) {
    if (client.closing) {
        return;
    }
    client.closing = true;
    if (client.connect_ran) {
        run_client_disconnect(client);
    }
    closing_.push_back(client.id);
    log_.info(label(client) + " disconnected", {{"reason", std::string(reason)},
                                                {"bytes_received", client.bytes_in},
                                                {"bytes_sent", client.bytes_out}});
}

void VpnServer::reap() {
    // Moved out first: destroying a client's stream may run no callbacks, but keep the loop
    // independent of anything that appends while we erase.
    auto ids = std::move(closing_);
    closing_.clear();
    for (const ClientId id : ids) {
        auto found = clients_.find(id);
        if (found == clients_.end()) {
            continue;
        }
        Client& client = *found->second;
        if (client.timer) {
            loop_.cancel_timer(*client.timer);
        }
        if (client.pool_index) {
            pool_.release(*client.pool_index);
        }
        if (!client.tcp && client.session && client.session->remote_session_id()) {
            closed_sessions_.add(*client.session->remote_session_id(), loop_.now());
        }
        routes_.remove_client(id);
        registry_.remove(id);
        clients_.erase(found);
    }
}

// ---- script hooks -------------------------------------------------------------------------

ServerScriptContext VpnServer::script_context() const {
    ServerScriptContext context;
    context.dev = tun_ ? tun_->name() : config_.dev;
    context.topology_subnet = materials_.plan.topology == config::Topology::kSubnet;
    if (materials_.plan.ifconfig) {
        context.ifconfig_local = materials_.plan.ifconfig->first;
        if (context.topology_subnet) {
            context.ifconfig_netmask = materials_.plan.ifconfig->second;
        }
    }
    return context;
}

ClientScriptInfo VpnServer::script_info(const Client& client, session::Now t) const {
    ClientScriptInfo info;
    info.common_name = client.common_name;
    info.real_ip = client.endpoint.address.to_string();
    info.real_port = client.endpoint.port;
    info.real_ipv6 = client.endpoint.address.is_v6();
    info.tcp = client.tcp;
    info.addresses = client.addresses;
    info.bytes_received = client.bytes_in;
    info.bytes_sent = client.bytes_out;
    info.connected_since = client.connected_since;
    info.now = t.unix_seconds;
    if (client.session) {
        if (const auto& message = client.session->client_message()) {
            info.peer_info = message->peer_info;
            if (message->credentials) {
                info.username = message->credentials->username;
                info.password = message->credentials->password;
            }
        }
    }
    return info;
}

std::string VpnServer::temporary_file(std::string_view prefix, std::string_view content) {
    const std::string dir = config_.tmp_dir.empty() ? std::string("/tmp") : config_.tmp_dir;
    std::string path = dir + "/" + std::string(prefix) + "XXXXXX";
    const int fd = ::mkstemp(path.data());  // mode 0600
    if (fd < 0) {
        log_.warn("tmp-dir: cannot create a file for a script",
                  {{"dir", dir}, {"error", strerror(errno)}});
        return {};
    }
    const bool ok =
        ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size());
    ::close(fd);
    if (!ok) {
        ::unlink(path.c_str());
        return {};
    }
    return path;
}

bool VpnServer::run_tls_crypt_v2_verify(const Client& client,
                                        const proto::UnwrappedClientKey& key) {
    // The metadata's first byte is its type (0 user-defined, 1 timestamp); the file holds the
    // bytes after it. OpenVPN gives this hook only script_type, metadata_type, metadata_file.
    const std::uint8_t type =
        key.metadata.empty() ? 0U : static_cast<std::uint8_t>(key.metadata.front());
    const auto body =
        key.metadata.empty() ? std::span<const std::byte>() : std::span(key.metadata).subspan(1);
    const auto file = temporary_file(
        "nfv_tc2_", std::string_view(reinterpret_cast<const char*>(body.data()), body.size()));
    if (file.empty()) {
        return false;
    }
    const auto argv = client::split_command(config_.server.tls_crypt_v2_verify);
    const std::vector<std::string> env{"script_type=tls-crypt-v2-verify",
                                       "metadata_type=" + std::to_string(type),
                                       "metadata_file=" + file};
    auto ran = client::run_script(argv, env);
    ::unlink(file.c_str());
    if (!ran) {
        log_.warn("tls-crypt-v2-verify refused the client key",
                  {{"client", label(client)}, {"why", ran.error()}});
        return false;
    }
    return true;
}

bool VpnServer::run_tls_verify(Client& client, session::Now t) {
    const auto chain = client.session->peer_chain();
    const auto info = script_info(client, t);
    // Root first, down to the client's own certificate (depth 0), as OpenVPN's verify callback.
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        auto argv = client::split_command(config_.tls_verify);
        argv.push_back(std::to_string(it->depth));
        argv.push_back(it->subject);
        const auto env = tls_verify_environment(config_, info, chain, it->depth);
        if (auto ran = client::run_script(argv, env); !ran) {
            log_.warn("VERIFY SCRIPT ERROR: tls-verify refused the client",
                      {{"client", label(client)},
                       {"depth", it->depth},
                       {"subject", it->subject},
                       {"why", ran.error()}});
            return false;
        }
    }
    return true;
}

bool VpnServer::run_user_pass_verify(Client& client, session::Now t) {
    auto info = script_info(client, t);
    auto argv = client::split_command(config_.server.auth_user_pass_verify);
    std::string file;
    if (config_.server.auth_user_pass_via_file) {
        file = temporary_file("nfv_up_", info.username + "\n" + info.password + "\n");
        if (file.empty()) {
            return false;
        }
        argv.push_back(file);
    }
    const auto env =
        server_script_environment(config_, ServerScript::kUserPassVerify, info, script_context());
    auto ran = client::run_script(argv, env);
    if (!file.empty()) {
        ::unlink(file.c_str());
    }
    if (!ran) {
        log_.info("auth-user-pass-verify refused the client",
                  {{"client", label(client)}, {"username", info.username}, {"why", ran.error()}});
        return false;
    }
    return true;
}

Result<std::optional<ClientConfig>, std::string> VpnServer::run_client_connect(Client& client,
                                                                               session::Now t) {
    const auto file = temporary_file("nfv_cc_", {});
    if (file.empty()) {
        return Unexpected(std::string("cannot create the dynamic config file"));
    }
    auto argv = client::split_command(config_.server.client_connect);
    argv.push_back(file);
    const auto env = server_script_environment(config_, ServerScript::kClientConnect,
                                               script_info(client, t), script_context());
    auto ran = client::run_script(argv, env);
    std::string text;
    if (ran) {
        std::ifstream in(file);
        text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    ::unlink(file.c_str());
    if (!ran) {
        return Unexpected(ran.error());
    }
    if (text.empty()) {
        return std::optional<ClientConfig>();
    }
    auto parsed = parse_client_config(text, "client-connect output");
    if (!parsed) {
        return Unexpected(parsed.error().to_string());
    }
    return std::optional<ClientConfig>(std::move(*parsed));
}

void VpnServer::run_client_disconnect(Client& client) {
    client.connect_ran = false;
    if (config_.server.client_disconnect.empty()) {
        return;
    }
    const auto argv = client::split_command(config_.server.client_disconnect);
    const auto env = server_script_environment(config_, ServerScript::kClientDisconnect,
                                               script_info(client, now()), script_context());
    if (auto ran = client::run_script(argv, env); !ran) {
        log_.warn("client-disconnect failed", {{"client", label(client)}, {"why", ran.error()}});
    }
}

std::string VpnServer::label(const Client& client) const {
    const auto name = client.common_name.empty() ? std::string("?") : client.common_name;
    return name + "/" + client.address.to_string();
}

// ---- operations ---------------------------------------------------------------------------

std::vector<ClientSnapshot> VpnServer::clients() const {
    std::vector<ClientSnapshot> out;
    for (const auto& [id, client] : clients_) {
        if (!client->authenticated || client->closing) {
            continue;
        }
        ClientSnapshot snapshot;
        snapshot.peer_id = id;
        snapshot.common_name = client->common_name;
        snapshot.real_address = client->address.to_string();
        snapshot.tcp = client->tcp;
        if (client->addresses) {
            snapshot.virtual_ipv4 = client->addresses->ifconfig.first;
            snapshot.virtual_ipv6 = client->addresses->ipv6;
        }
        snapshot.bytes_received = client->bytes_in;
        snapshot.bytes_sent = client->bytes_out;
        snapshot.connected_since = client->connected_since;
        snapshot.last_ref = client->last_ref;
        for (const auto& iroute : client->iroutes) {
            snapshot.iroutes.push_back(iroute.to_string());
        }
        snapshot.cipher = client->session ? cipher_text(*client->session) : std::string();
        out.push_back(std::move(snapshot));
    }
    std::sort(out.begin(), out.end(),
              [](const auto& a, const auto& b) { return a.peer_id < b.peer_id; });
    return out;
}

std::size_t VpnServer::kill_client(std::string_view common_name_or_address) {
    std::size_t killed = 0;
    const auto t = now();
    for (auto& [id, client] : clients_) {
        if (client->closing || (client->common_name != common_name_or_address &&
                                client->address.to_string() != common_name_or_address)) {
            continue;
        }
        if (client->session) {
            client->session->notify_exit(t);
            while (auto wire = client->session->poll_transmit(t)) {
                transmit(*client, *wire);
            }
        }
        close_client(*client, "killed by the operator");
        ++killed;
    }
    reap();
    return killed;
}

void VpnServer::restart(std::string_view reason) {
    if (stopping_) {
        return;
    }
    log_.info("restart: dropping every client", {{"reason", std::string(reason)}});
    const auto t = now();
    for (auto& [id, client] : clients_) {
        if (client->session && !client->closing) {
            client->session->notify_exit(t);
            while (auto wire = client->session->poll_transmit(t)) {
                transmit(*client, *wire);
            }
        }
        close_client(*client, std::string("server restart (") + std::string(reason) + ")");
    }
    for (auto& listener : listeners_) {
        if (listener.udp) {
            listener.udp->flush();
        }
    }
    reap();
}

void VpnServer::log_statistics() {
    log_.info("statistics", {{"clients", clients_.size()},
                             {"clients_accepted", stats_.clients_accepted},
                             {"clients_refused", stats_.clients_refused},
                             {"clients_replaced", stats_.clients_replaced},
                             {"cookie_replies", stats_.cookie_replies},
                             {"dropped_first_packets", stats_.dropped_first_packets},
                             {"dropped_closed_session", stats_.dropped_closed_session},
                             {"dropped_decrypt", stats_.dropped_decrypt},
                             {"dropped_bad_source", stats_.dropped_bad_source},
                             {"dropped_no_route", stats_.dropped_no_route},
                             {"dropped_not_ip", stats_.dropped_not_ip},
                             {"dropped_not_ready", stats_.dropped_not_ready},
                             {"dropped_wrong_transport", stats_.dropped_wrong_transport},
                             {"floats", stats_.floats},
                             {"packets_to_tun", stats_.packets_to_tun},
                             {"packets_from_tun", stats_.packets_from_tun},
                             {"packets_client_to_client", stats_.packets_client_to_client}});
    if (tun_) {
        std::vector<const platform::io::UdpSocket*> sockets;
        for (const auto& listener : listeners_) {
            if (listener.udp) {
                sockets.push_back(listener.udp.get());
            }
        }
        tunnel::log_offload_statistics(log_, *tun_, sockets);
    }
}

void VpnServer::shutdown(std::string_view reason) {
    if (stopping_) {
        return;
    }
    log_statistics();
    log_.info("exiting", {{"reason", std::string(reason)}, {"clients", clients_.size()}});
    restart(reason);
    stopping_ = true;
    if (persist_timer_) {
        loop_.cancel_timer(*persist_timer_);
        persist_timer_.reset();
    }
    if (persist_.pending()) {
        write_pool_persist();
    }
    if (status_timer_) {
        loop_.cancel_timer(*status_timer_);
        status_timer_.reset();
    }
    tunnel_.reset();  // removes the addresses and routes it added
    loop_.stop();
}

}  // namespace nfv::vpn::server
