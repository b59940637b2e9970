#include "client/vpn_client.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include <sys/socket.h>

#include <netdb.h>

#include "nfv/net/tcp_mss.hpp"

#include "proto/data_channel.hpp"
#include "session/openssl_tls_stream.hpp"

namespace nfv::vpn::client {
namespace {

using platform::io::SocketAddress;

constexpr std::size_t kScratchSize = 65536;

// Resolves `host` for UDP (numeric addresses first, then the resolver), IPv4 preferred.
std::optional<SocketAddress> resolve(const std::string& host, std::uint16_t port) {
    if (auto numeric = SocketAddress::parse(host, port)) {
        return numeric;
    }
    addrinfo hints{};
    hints.ai_socktype = SOCK_DGRAM;
    addrinfo* results = nullptr;
    if (::getaddrinfo(host.c_str(), nullptr, &hints, &results) != 0 || results == nullptr) {
        return std::nullopt;
    }
    std::optional<SocketAddress> chosen;
    for (const addrinfo* entry = results; entry != nullptr; entry = entry->ai_next) {
        auto address = SocketAddress::from_sockaddr(entry->ai_addr, entry->ai_addrlen);
        if (address && (!chosen || address->family() == AF_INET)) {
            chosen = SocketAddress::parse(
                address->to_string().substr(0, address->to_string().rfind(':')), port);
            if (address->family() == AF_INET) {
                break;
            }
        }
    }
    ::freeaddrinfo(results);
    return chosen;
}

std::string host_of(const SocketAddress& address) {
    auto text = address.to_string();
    text = text.substr(0, text.rfind(':'));
    if (!text.empty() && text.front() == '[') {
        text = text.substr(1, text.size() - 2);
    }
    return text;
}

}  // namespace

std::optional<net::Ipv4Address> default_ipv4_gateway() {
    std::ifstream routes("/proc/net/route");
    std::string line;
    std::getline(routes, line);  // header
    while (std::getline(routes, line)) {
        std::istringstream fields(line);
        std::string iface;
        std::string destination;
        std::string gateway;
        fields >> iface >> destination >> gateway;
        if (destination != "00000000" || gateway.size() != 8) {
            continue;
        }
        // /proc/net/route prints the address as a host-order (little-endian) hex number.
        const auto value = static_cast<std::uint32_t>(std::stoul(gateway, nullptr, 16));
        if (value == 0) {
            continue;
        }
        return net::Ipv4Address({static_cast<std::uint8_t>(value & 0xffU),
                                 static_cast<std::uint8_t>((value >> 8U) & 0xffU),
                                 static_cast<std::uint8_t>((value >> 16U) & 0xffU),
                                 static_cast<std::uint8_t>(value >> 24U)});
    }
    return std::nullopt;
}

VpnClient::VpnClient(platform::io::EventLoop& loop, platform::Logger& log, config::VpnConfig config,
                     config::FileReader& reader, platform::Random& random, std::string version)
    : loop_(loop),
      log_(log),
      config_(std::move(config)),
      reader_(reader),
      random_(random),
      version_(std::move(version)),
      scratch_(kScratchSize) {}

VpnClient::~VpnClient() {
    if (timer_) {
        loop_.cancel_timer(*timer_);
    }
    if (reconnect_timer_) {
        loop_.cancel_timer(*reconnect_timer_);
    }
}

Result<std::unique_ptr<VpnClient>, std::string> VpnClient::create(
    platform::io::EventLoop& loop, platform::Logger& log, config::VpnConfig config,
    config::FileReader& reader, platform::Random& random, std::string version) {
    if (config.role != config::Role::kClient) {
        return Unexpected(std::string(
            "not a client configuration (`client`, or `tls-client` + `pull`); server mode "
            "needs `server` or `mode server`, and point-to-point (static key) mode is not "
            "implemented"));
    }
    if (config.client.remotes.empty()) {
        return Unexpected(std::string("remote: a client needs at least one remote"));
    }
    if (config.compression != config::Compression::kNotConfigured) {
        return Unexpected(
            std::string("comp-lzo/compress: compression framing is not supported yet; remove the "
                        "directive on both ends (OpenVPN 2.6 does not compress by default)"));
    }
    if (config.dev_type != "tun") {
        return Unexpected("dev-type " + config.dev_type + ": only tun devices are supported");
    }
    // Fail early on unreadable keys and certificates rather than at the first connect.
    if (auto materials = prepare_client(config, reader, version); !materials) {
        return Unexpected(materials.error());
    }
    if (config.client.remote_random) {
        std::vector<config::Remote> shuffled = config.client.remotes;
        for (std::size_t i = shuffled.size(); i > 1; --i) {
            std::swap(shuffled[i - 1], shuffled[random.uniform(i)]);
        }
        config.client.remotes = std::move(shuffled);
    }
    return std::unique_ptr<VpnClient>(
        new VpnClient(loop, log, std::move(config), reader, random, std::move(version)));
}

session::Now VpnClient::now() {
    return {loop_.now(), static_cast<std::uint32_t>(loop_.clock().wall_now().unix_seconds)};
}

void VpnClient::start() {
    // Said once here, not on every reconnect: `local HOST` binds the UDP socket only.
    const bool any_tcp = std::any_of(
        config_.client.remotes.begin(), config_.client.remotes.end(), [this](const auto& remote) {
            return remote.protocol.value_or(config_.protocol).transport == config::Transport::kTcp;
        });
    if (any_tcp && !config_.locals.empty() && !config_.client.nobind) {
        log_.warn("local: the source address is not bound for TCP connections (UDP only)");
    }
    connect();
}

void VpnClient::connect() {
    reconnect_timer_.reset();
    if (stopping_) {
        return;
    }
    ++attempts_;
    const auto& remote = config_.client.remotes[next_remote_ % config_.client.remotes.size()];
    next_remote_ = (next_remote_ + 1) % config_.client.remotes.size();
    const std::uint16_t port = remote.port.value_or(config_.rport.value_or(config_.port));
    server_ = resolve(remote.host, port);
    if (!server_) {
        log_.warn("cannot resolve remote", {{"host", remote.host}});
        schedule_reconnect();
        return;
    }
    use_tcp_ = remote.protocol.value_or(config_.protocol).transport == config::Transport::kTcp;
    socket_.reset();
    stream_.reset();
    stream_buffer_.clear();
    if (use_tcp_) {
        platform::io::TcpCallbacks callbacks;
        callbacks.on_connected = [this] { start_session(); };
        callbacks.on_data = [this](std::span<const std::byte> bytes) { on_stream_data(bytes); };
        callbacks.on_peer_closed = [this] { restart("the server closed the TCP connection"); };
        callbacks.on_error = [this](const platform::io::IoError& error) {
            restart("TCP: " + error.message());
        };
        auto stream = platform::io::TcpStream::connect(loop_, *server_, std::move(callbacks));
        if (!stream) {
            log_.warn("TCP connect failed", {{"error", stream.error().message()}});
            schedule_reconnect();
            return;
        }
        stream_ = std::move(*stream);
        log_.info("connecting",
                  {{"remote", server_->to_string()}, {"proto", "tcp"}, {"attempt", attempts_}});
        return;  // the session starts once the connection is up
    }
    const std::uint16_t local_port =
        config_.client.nobind ? 0 : config_.lport.value_or(config_.port);
    // `local HOST` (the last one) is the source address, as openvpn binds it; it must be of
    // the remote's family.
    std::string local_host = server_->family() == AF_INET6 ? "::" : "0.0.0.0";
    if (!config_.client.nobind && !config_.locals.empty()) {
        local_host = config_.locals.back().host;
    }
    const auto local = SocketAddress::parse(local_host, local_port);
    if (!local || local->family() != server_->family()) {
        fatal("local " + local_host + ": not a numeric address of the remote's family (" +
              server_->to_string() + ")");
        return;
    }
    auto bound =
        platform::io::UdpSocket::bind(loop_, *local, tunnel::transport_udp_options(config_.offload),
                                      [this](auto batch) { on_datagrams(batch); });
    if (!bound) {
        fatal("cannot bind the UDP socket: " + bound.error().message());
        return;
    }
    socket_ = std::move(*bound);
    log_.info("connecting",
              {{"remote", server_->to_string()}, {"proto", "udp"}, {"attempt", attempts_}});
    start_session();
}

void VpnClient::start_session() {
    auto materials = prepare_client(config_, reader_, version_);
    if (!materials) {
        fatal(materials.error());
        return;
    }
    session::ClientSessionConfig session_config;
    session_config.wrap = std::move(materials->wrap);
    random_.fill(session_config.local_session_id);
    session_config.options_string = materials->options_string;
    session_config.peer_info = materials->peer_info;
    session_config.credentials = materials->credentials;
    session_config.make_tls = session::openssl_tls_factory(materials->tls);
    session_config.handshake_window = std::chrono::seconds(config_.hand_window);
    session_config.transition_window = std::chrono::seconds(60);
    session_config.tcp = use_tcp_;
    if (config_.reneg_sec > 0) {
        session_config.reneg_interval = std::chrono::seconds(config_.reneg_sec);
    }
    session_config.reneg_bytes = config_.reneg_bytes;
    session_config.reneg_packets = config_.reneg_pkts;
    session_ = std::make_unique<session::ClientSession>(std::move(session_config), random_, now());
    push_.emplace(config::PullPolicy{config_.client.pull_filters, config_.client.route_nopull});
    ++stats_.connects;
    pump();
}

void VpnClient::schedule_reconnect() {
    if (stopping_) {
        return;
    }
    if (config_.client.connect_retry_max && attempts_ >= *config_.client.connect_retry_max) {
        fatal("connect-retry-max reached");
        return;
    }
    retry_seconds_ = retry_seconds_ == 0
                         ? config_.client.connect_retry_seconds
                         : std::min(retry_seconds_ * 2, config_.client.connect_retry_max_seconds);
    log_.info("reconnecting", {{"in_seconds", retry_seconds_}});
    reconnect_timer_ =
        loop_.add_timer_after(std::chrono::seconds(retry_seconds_), [this] { connect(); });
}

void VpnClient::on_datagrams(std::span<const platform::io::ReceivedDatagram> batch) {
    const auto t = now();
    for (const auto& datagram : batch) {
        if (!server_ || !(datagram.peer == *server_)) {
            ++stats_.dropped_foreign;
            continue;
        }
        handle_packet(datagram.payload, t);
    }
    pump();
}

void VpnClient::on_stream_data(std::span<const std::byte> bytes) {
    // TCP framing: u16 big-endian length, then the packet (doc_protocol_overview.h).
    stream_buffer_.insert(stream_buffer_.end(), bytes.begin(), bytes.end());
    const auto t = now();
    std::size_t offset = 0;
    while (stream_buffer_.size() - offset >= 2) {
        const std::size_t length = (std::to_integer<std::size_t>(stream_buffer_[offset]) << 8U) |
                                   std::to_integer<std::size_t>(stream_buffer_[offset + 1]);
        if (stream_buffer_.size() - offset - 2 < length) {
            break;
        }
        handle_packet(std::span(stream_buffer_).subspan(offset + 2, length), t);
        offset += 2 + length;
        if (!stream_) {
            return;  // a packet restarted the connection
        }
    }
    stream_buffer_.erase(stream_buffer_.begin(),
                         stream_buffer_.begin() + static_cast<std::ptrdiff_t>(offset));
    pump();
}

void VpnClient::handle_packet(std::span<const std::byte> packet, session::Now now_value) {
    if (!session_ || packet.empty()) {
        return;
    }
    const auto opcode =
        static_cast<proto::Opcode>(std::to_integer<std::uint8_t>(packet[0]) >> proto::kOpcodeShift);
    if (opcode != proto::Opcode::kDataV1 && opcode != proto::Opcode::kDataV2) {
        session_->on_control_packet(packet, now_value);
        return;
    }
    if (packet.size() > scratch_.size()) {
        ++stats_.dropped_oversize;
        return;
    }
    auto buffer = std::span(scratch_).first(packet.size());
    std::copy(packet.begin(), packet.end(), buffer.begin());
    auto plaintext = session_->decrypt(buffer, now_value);
    if (plaintext && !plaintext->empty() && tun_ && tunnel_up_) {
        (void)net::clamp_tcp_mss(*plaintext, mss_limit_);  // mssfix, both directions
        if (tun_->write_packet(*plaintext)) {
            ++stats_.packets_to_tun;
        }
    }
}

void VpnClient::send_packet(std::span<const std::byte> packet) {
    if (use_tcp_) {
        if (!stream_ || packet.size() > 0xffff) {
            return;
        }
        const std::array<std::byte, 2> length{static_cast<std::byte>(packet.size() >> 8U),
                                              static_cast<std::byte>(packet.size() & 0xffU)};
        if (!stream_->write(length) || !stream_->write(packet)) {
            return;  // on_error restarts the connection
        }
        return;
    }
    if (socket_ && server_) {
        (void)socket_->send_to(*server_, packet);
    }
}

void VpnClient::on_tun_packets(std::span<const std::span<const std::byte>> packets) {
    if (!session_ || session_->state() != session::SessionState::kConnected || !server_) {
        stats_.dropped_no_key += packets.size();
        return;
    }
    const auto t = now();
    for (const auto read : packets) {
        const auto packet = tunnel::clamp_mss(read, mss_limit_, syn_scratch_);
        auto written = session_->encrypt(packet, scratch_, t);
        if (!written) {
            continue;
        }
        ++stats_.packets_from_tun;
        send_packet(std::span(scratch_).first(*written));
    }
    arm_timer();
}

void VpnClient::pump() {
    if (!session_) {
        return;
    }
    const auto t = now();
    while (auto datagram = session_->poll_transmit(t)) {
        send_packet(*datagram);
    }
    while (auto event = session_ ? session_->poll_event() : std::nullopt) {
        handle_event(*event);
        if (!session_) {
            return;
        }
    }
    // Events may have queued more (e.g. after activation).
    while (auto datagram = session_->poll_transmit(t)) {
        send_packet(*datagram);
    }
    arm_timer();
}

void VpnClient::arm_timer() {
    if (timer_) {
        loop_.cancel_timer(*timer_);
        timer_.reset();
    }
    if (!session_) {
        return;
    }
    if (const auto deadline = session_->next_deadline()) {
        timer_ = loop_.add_timer(*deadline, [this] {
            timer_.reset();
            if (session_) {
                session_->on_timer(now());
                pump();
            }
        });
    }
}

void VpnClient::handle_event(const session::SessionEvent& event) {
    using Kind = session::SessionEvent::Kind;
    switch (event.kind) {
        case Kind::kTlsEstablished:
            log_.info("control channel established", {{"tls", event.text}});
            break;
        case Kind::kPushReply: {
            log_.info("PUSH: received control message", {{"message", event.text}});
            auto merged = push_->add(event.text);
            if (!merged) {
                log_.error("bad PUSH_REPLY", {{"error", merged.error().message}});
                restart("bad PUSH_REPLY");
                return;
            }
            for (const auto& warning : push_->warnings()) {
                log_.warn("pushed option not applied",
                          {{"option", warning.option}, {"why", warning.message}});
            }
            if (*merged) {
                on_push_complete(**merged);
            }
            break;
        }
        case Kind::kAuthFailed:
            log_.error("AUTH_FAILED", {{"reason", event.text}});
            fatal("authentication failed");
            return;
        case Kind::kHalt:
            log_.error("the server sent HALT", {{"message", event.text}});
            fatal("halted by the server");
            return;
        case Kind::kRestart:
        case Kind::kFailed:
            log_.warn("connection lost", {{"reason", event.text}});
            restart(event.text);
            return;
        case Kind::kRenegotiated:
            log_.info("data channel key renegotiated", {{"key", event.text}});
            break;
        case Kind::kInfo:
            log_.info("control message", {{"message", event.text}});
            break;
    }
}

void VpnClient::on_push_complete(const config::PushedOptions& pushed) {
    const std::string cipher_name =
        pushed.cipher ? *pushed.cipher
                      : (!config_.data_ciphers_fallback.empty() ? config_.data_ciphers_fallback
                                                                : std::string());
    const auto cipher = proto::parse_data_cipher(cipher_name);
    if (!cipher) {
        fatal("the server chose data cipher '" + cipher_name + "', which nfv-vpn does not support");
        return;
    }
    if (pushed.compression && *pushed.compression != config::Compression::kNotConfigured) {
        fatal("the server pushed compression framing, which nfv-vpn does not support yet");
        return;
    }
    proto::DataChannelConfig data;
    data.cipher = *cipher;
    if (auto digest = proto::parse_data_digest(config_.auth)) {
        data.digest = *digest;
    }
    data.replay.seq_backtrack = config_.replay_window;
    data.replay.time_backtrack = std::chrono::seconds(config_.replay_window_seconds);
    const bool use_ekm =
        (pushed.protocol_flags && pushed.protocol_flags->tls_ekm) || pushed.key_derivation_tls_ekm;
    const bool dyn_tls_crypt = pushed.protocol_flags && pushed.protocol_flags->dyn_tls_crypt;
    if (auto activated =
            session_->activate_data_channel(data, use_ekm, pushed.peer_id, dyn_tls_crypt);
        !activated) {
        log_.error("cannot activate the data channel", {{"error", activated.error()}});
        restart(activated.error());
        return;
    }
    mss_limit_ = tunnel::mssfix_limit(
        config_, tunnel::DataPath{data.cipher, data.digest, pushed.peer_id.has_value(),
                                  server_ && server_->family() == AF_INET6, use_tcp_});
    std::uint32_t ping = config_.ping;
    std::uint32_t ping_restart = config_.ping_restart;
    if (config_.keepalive) {
        ping = config_.keepalive->first;
        ping_restart = config_.keepalive->second;
    }
    ping = pushed.ping.value_or(ping);
    ping_restart = pushed.ping_restart.value_or(ping_restart);
    session_->set_keepalive(std::chrono::seconds(ping), std::chrono::seconds(ping_restart), now());

    auto settings = tunnel_settings(config_, pushed);
    if (!settings) {
        fatal("tunnel settings: " + settings.error());
        return;
    }
    for (const auto& warning : settings->warnings) {
        log_.warn(warning);
    }
    tunnel::HostRoutes host{net::IpAddress(), default_ipv4_gateway()};
    if (auto server_ip = net::IpAddress::parse(host_of(*server_))) {
        host.vpn_server = *server_ip;
    }
    auto plan = tunnel::plan_tunnel(settings->network, host);
    if (!plan) {
        fatal("tunnel: " + plan.error());
        return;
    }
    for (const auto& warning : plan->warnings) {
        log_.warn(warning);
    }
    if (!tun_) {
        auto opened = tunnel::OffloadTun::open(
            loop_, config_.dev == "tun" ? std::string() : config_.dev, config_.offload,
            [this](auto packets) { on_tun_packets(packets); });
        if (!opened) {
            fatal("cannot open the TUN device: " + opened.error().message());
            return;
        }
        tun_ = std::move(*opened);
    }
    if (auto r = tun_->set_mtu(plan->mtu); !r) {
        fatal("TUN MTU: " + r.error().message());
        return;
    }
    if (auto r = tun_->set_up(); !r) {
        fatal("TUN up: " + r.error().message());
        return;
    }
    if (!routes_) {
        auto table = platform::io::RouteTable::open();
        if (!table) {
            fatal("rtnetlink: " + table.error().message());
            return;
        }
        routes_.emplace(std::move(*table));
    }
    auto index = platform::io::RouteTable::interface_index(tun_->name());
    if (!index) {
        fatal("TUN index: " + index.error().message());
        return;
    }
    tunnel_ = std::make_unique<tunnel::TunnelSetup>(*routes_, *index);
    if (auto applied = tunnel_->apply(*plan); !applied) {
        fatal("tunnel: " + applied.error());
        return;
    }
    tunnel_up_ = true;
    script_network_ = settings->network;
    script_pushed_ = pushed;
    script_state_.dev = tun_->name();
    script_state_.network = &script_network_;
    script_state_.pushed = &script_pushed_;
    script_state_.remote_host = host_of(*server_);
    script_state_.remote_port = server_->port();
    script_state_.tcp = use_tcp_;
    script_state_.restart = ran_up_before_;
    ran_up_before_ = true;
    // OpenVPN runs --up with S_FATAL: a failing up script ends the process.
    if (!run_hook(ScriptType::kUp)) {
        fatal("the up script failed");
        return;
    }
    (void)run_hook(ScriptType::kRouteUp);  // a warning only, as in OpenVPN
    retry_seconds_ = 0;
    attempts_ = 0;
    log_.info("Initialization Sequence Completed",
              {{"device", tun_->name()},
               {"cipher", std::string(proto::data_cipher_name(*cipher))},
               {"key_derivation", use_ekm ? "tls-ekm" : "prf"},
               {"peer_id", pushed.peer_id ? static_cast<std::int64_t>(*pushed.peer_id) : -1}});
}

void VpnClient::teardown_tunnel() {
    const bool was_up = tunnel_up_;
    tunnel_up_ = false;
    if (was_up) {
        (void)run_hook(ScriptType::kRoutePreDown);  // a warning only, as in OpenVPN
    }
    tunnel_.reset();  // removes the routes and addresses it added
    // OpenVPN runs --down with S_FATAL (init.c run_up_down): a failing down script ends the
    // process, also on a restart.
    if (was_up && !run_hook(ScriptType::kDown)) {
        fatal("the down script failed");
    }
}

bool VpnClient::run_hook(ScriptType type) {
    const std::string& command = script_command(config_, type);
    if (command.empty()) {
        return true;
    }
    const std::string name(script_type_name(type));
    // OpenVPN's openvpn_execve_allowed(): external programs need script-security 2.
    if (config_.script_security < 2) {
        log_.warn(
            "WARNING: External program may not be called unless '--script-security 2' or "
            "higher is enabled",
            {{"script", name}, {"command", command}});
        return false;
    }
    const auto argv = script_arguments(command, type, script_state_);
    const auto env = script_environment(config_, type, script_state_);
    if (auto ran = run_script(argv, env); !ran) {
        log_.warn("script failed", {{"script", name}, {"error", ran.error()}});
        return false;
    }
    log_.info("script ran", {{"script", name}, {"command", command}});
    return true;
}

void VpnClient::restart(std::string_view reason) {
    if (stopping_) {
        return;
    }
    ++stats_.restarts;
    log_.info("restarting the connection", {{"reason", std::string(reason)}});
    teardown_tunnel();
    if (stopping_) {
        return;  // the down script failed: fatal
    }
    if (timer_) {
        loop_.cancel_timer(*timer_);
        timer_.reset();
    }
    session_.reset();
    // Destroying the stream inside its own callback is allowed (TcpStream contract).
    stream_.reset();
    schedule_reconnect();
}

void VpnClient::shutdown(std::string_view reason) {
    if (stopping_) {
        return;
    }
    log_.info("exiting", {{"reason", std::string(reason)}});
    if (tun_) {
        const std::array<const platform::io::UdpSocket*, 1> sockets{socket_.get()};
        tunnel::log_offload_statistics(log_, *tun_, sockets);
    }
    // explicit-exit-notify is a UDP feature: over TCP the server sees the connection close.
    if (session_ && config_.explicit_exit_notify > 0 && socket_ && server_) {
        if (auto notification = session_->exit_notification(now())) {
            (void)socket_->send_to(*server_, *notification);
            socket_->flush();
        }
    }
    stopping_ = true;
    teardown_tunnel();
    if (timer_) {
        loop_.cancel_timer(*timer_);
        timer_.reset();
    }
    if (reconnect_timer_) {
        loop_.cancel_timer(*reconnect_timer_);
        reconnect_timer_.reset();
    }
    session_.reset();
    loop_.stop();
}

void VpnClient::fatal(std::string_view reason) {
    log_.error("fatal", {{"reason", std::string(reason)}});
    exit_code_ = 1;
    shutdown(reason);
}

}  // namespace nfv::vpn::client
