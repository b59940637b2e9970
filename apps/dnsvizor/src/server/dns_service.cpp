#include "server/dns_service.hpp"

#include <algorithm>
#include <array>

#include <sys/socket.h>

namespace nfv::dnsvizor::server {

namespace {

using platform::io::SocketAddress;
using platform::io::UdpOptions;
using platform::io::UdpSocket;

constexpr std::chrono::seconds kSweepInterval{1};
constexpr int kSocketBufferBytes = 4 * 1024 * 1024;

// Client queries: up to our EDNS size plus room for a long name and options, as dnsmasq's packet
// buffer (a larger query is dropped and counted). 32 slots per recvmmsg: a burst fills them, and
// every slot touched is resident memory.
UdpOptions listener_options(std::uint16_t edns_packet_max) {
    UdpOptions options;
    options.receive_buffer_bytes = kSocketBufferBytes;
    options.send_buffer_bytes = kSocketBufferBytes;
    options.receive_batch = 32;
    options.max_datagram_size = std::max<std::size_t>(512, edns_packet_max) + 1024;
    options.send_queue_datagrams = 1024;
    options.send_queue_bytes = 1024 * 1024;
    options.multishot_receive = false;  // a busy DNS port: see UdpOptions
    return options;
}

// Upstream answers: up to the EDNS size we advertise upstream, at least 4096.
UdpOptions upstream_options(std::uint16_t edns_packet_max) {
    UdpOptions options = listener_options(edns_packet_max);
    options.receive_batch = 64;
    options.max_datagram_size = std::max<std::size_t>(4096, edns_packet_max);
    return options;
}

std::string where(const net::IpAddress& address, std::uint16_t port) {
    return address.to_string() + "#" + std::to_string(port);
}

}  // namespace

net::IpAddress ip_of(const SocketAddress& address) {
    const SocketAddress plain = address.unmapped();
    if (const auto v4 = plain.ipv4_octets()) {
        return net::Ipv4Address(*v4);
    }
    if (const auto v6 = plain.ipv6_octets()) {
        return net::Ipv6Address(*v6);
    }
    return {};
}

SocketAddress socket_address(const net::IpAddress& address, std::uint16_t port) {
    return address.is_v4() ? SocketAddress::ipv4(address.v4().octets(), port)
                           : SocketAddress::ipv6(address.v6().octets(), port);
}

DnsService::DnsService(platform::io::EventLoop& loop, const dns::DnsSettings& settings,
                       dns::QueryResolver& resolver, platform::Random& random,
                       platform::MetricsRegistry& metrics, platform::Logger& log)
    : loop_(loop),
      log_(log),
      local_service_(settings.listen.local_service),
      max_tcp_connections_(settings.listen.max_tcp_connections),
      engine_(settings, resolver, random, metrics, log) {}

DnsService::~DnsService() {
    for (auto* timer : {&engine_timer_, &sweep_timer_, &reaper_timer_}) {
        if (*timer) {
            loop_.cancel_timer(**timer);
        }
    }
    tcp_.clear();
    graveyard_.clear();
    upstream_tcp_.clear();
    upstream_graveyard_.clear();
}

Result<std::unique_ptr<DnsService>, std::string> DnsService::start(
    platform::io::EventLoop& loop, const dns::DnsSettings& settings, dns::QueryResolver& resolver,
    platform::Random& random, platform::MetricsRegistry& metrics, platform::Logger& log,
    std::span<const InterfaceAddress> interfaces) {
    std::unique_ptr<DnsService> service(
        new DnsService(loop, settings, resolver, random, metrics, log));
    DnsService* self = service.get();
    const std::uint16_t port = settings.listen.port;
    if (port == 0) {
        return service;  // DNS disabled (DHCP-only), like dnsmasq's port=0
    }
    auto plan = plan_listen_addresses(settings.listen, interfaces);
    self->warnings_ = plan.warnings;
    if (!plan.errors.empty()) {
        return Unexpected(plan.errors.front());
    }
    if (settings.listen.local_service != dns::LocalService::kOff) {
        self->local_subnets_ = local_subnets(interfaces);
    }
    std::vector<net::IpAddress> addresses = plan.addresses;
    if (plan.wildcard) {
        addresses = {net::Ipv4Address(), net::Ipv6Address()};
    }
    for (const auto& address : addresses) {
        const auto index = static_cast<std::uint32_t>(self->udp_.size());
        auto udp = UdpSocket::bind(loop, socket_address(address, port),
                                   listener_options(settings.cache.edns_packet_max),
                                   [self, index](auto batch) { self->on_udp_batch(index, batch); });
        if (!udp) {
            if (plan.wildcard && address.is_v6()) {
                self->warnings_.push_back("no IPv6 wildcard listener: " + udp.error().message());
                continue;
            }
            return Unexpected("failed to create listening socket for " + where(address, port) +
                              ": " + udp.error().message());
        }
        platform::io::TcpListenOptions tcp_options;
        auto tcp = platform::io::TcpListener::listen(
            loop, socket_address(address, port), tcp_options,
            [self, index](platform::io::UniqueFd fd, const SocketAddress& peer) {
                self->on_accept(index, std::move(fd), peer);
            });
        if (!tcp) {
            return Unexpected("failed to create listening TCP socket for " + where(address, port) +
                              ": " + tcp.error().message());
        }
        self->udp_.push_back(std::move(*udp));
        self->listeners_.push_back(std::move(*tcp));
    }
    const auto upstream_handler = [self](auto batch) { self->on_upstream_batch(batch); };
    auto up4 = UdpSocket::bind(loop, SocketAddress::ipv4({0, 0, 0, 0}, 0),
                               upstream_options(settings.cache.edns_packet_max), upstream_handler);
    if (!up4) {
        return Unexpected("failed to create upstream socket: " + up4.error().message());
    }
    self->upstream4_ = std::move(*up4);
    auto up6 = UdpSocket::bind(loop, SocketAddress::ipv6({}, 0),
                               upstream_options(settings.cache.edns_packet_max), upstream_handler);
    if (up6) {
        self->upstream6_ = std::move(*up6);
    } else {
        self->warnings_.push_back("no IPv6 upstream socket: " + up6.error().message());
    }
    for (const auto& rule : settings.upstream.servers) {
        if (!rule.source_interface.empty() || rule.source_address) {
            self->warnings_.push_back("server=...@source: binding the query source (" +
                                      (rule.source_interface.empty()
                                           ? rule.source_address->to_string()
                                           : rule.source_interface) +
                                      ") is not supported; the kernel's route decides");
        }
    }
    return service;
}

std::vector<SocketAddress> DnsService::udp_addresses() const {
    std::vector<SocketAddress> result;
    for (const auto& socket : udp_) {
        result.push_back(socket->local_address());
    }
    return result;
}

std::vector<SocketAddress> DnsService::tcp_addresses() const {
    std::vector<SocketAddress> result;
    for (const auto& listener : listeners_) {
        result.push_back(listener->local_address());
    }
    return result;
}

bool DnsService::client_allowed(const net::IpAddress& address) const {
    if (local_service_ == dns::LocalService::kOff) {
        return true;
    }
    const bool loopback = address.is_v4() ? address.v4().is_loopback() : address.v6().is_loopback();
    if (loopback) {
        return true;
    }
    if (local_service_ == dns::LocalService::kHost) {
        return std::any_of(local_subnets_.begin(), local_subnets_.end(),
                           [&](const net::IpCidr& c) { return c.address() == address; });
    }
    return std::any_of(local_subnets_.begin(), local_subnets_.end(),
                       [&](const net::IpCidr& c) { return c.contains(address); });
}

void DnsService::on_udp_batch(std::uint32_t listener,
                              std::span<const platform::io::ReceivedDatagram> batch) {
    const auto now = loop_.now();
    for (const auto& datagram : batch) {
        const auto address = ip_of(datagram.peer);
        if (!client_allowed(address)) {
            ++stats_.local_service_drops;
            continue;
        }
        const ClientAddress client{address, datagram.peer.port(), false, 0, listener};
        engine_.on_client_message(datagram.payload, client, now, out_);
        dispatch();
    }
    rearm_timer();
}

void DnsService::on_upstream_batch(std::span<const platform::io::ReceivedDatagram> batch) {
    const auto now = loop_.now();
    for (const auto& datagram : batch) {
        const dns::Upstream from{ip_of(datagram.peer), datagram.peer.port(), ""};
        engine_.on_upstream_datagram(datagram.payload, from, now, out_);
        dispatch();
    }
    rearm_timer();
}

void DnsService::dispatch() {
    for (const auto& message : out_.to_clients) {
        const auto& client = message.client;
        if (!client.over_tcp) {
            if (client.listener >= udp_.size()) {
                continue;
            }
            auto sent = udp_[client.listener]->send_to(socket_address(client.address, client.port),
                                                       message.wire);
            if (!sent || *sent != platform::io::SendStatus::kQueued) {
                ++stats_.udp_send_drops;
            }
            continue;
        }
        const auto found = tcp_.find(client.connection);
        if (found == tcp_.end()) {
            continue;  // the connection went away meanwhile
        }
        auto& connection = *found->second;
        if (connection.outstanding > 0) {
            --connection.outstanding;
        }
        connection.last_activity = loop_.now();
        // Framed into one buffer per connection, written below: one send for the answers to a
        // pipelined batch (RFC 7766 §6.2.1.1) instead of one small segment each, which Nagle's
        // algorithm would also hold back until the client's ACK.
        if (!net::dns::append_tcp_frame(tcp_batches_[client.connection], message.wire)) {
            tcp_batches_.erase(client.connection);
            close_tcp(client.connection);
        }
    }
    for (const auto& [id, bytes] : tcp_batches_) {
        const auto found = tcp_.find(id);
        if (found == tcp_.end()) {
            continue;
        }
        if (!found->second->stream->write(bytes)) {
            close_tcp(id);
            continue;
        }
        maybe_finish_tcp(id);
    }
    tcp_batches_.clear();
    for (const auto& query : out_.to_upstreams) {
        if (query.over_tcp) {
            send_upstream_tcp(query);
            continue;
        }
        auto* socket = query.upstream.address.is_v4() ? upstream4_.get() : upstream6_.get();
        if (socket == nullptr) {
            continue;
        }
        auto sent = socket->send_to(socket_address(query.upstream.address, query.upstream.port),
                                    query.wire);
        if (!sent || *sent != platform::io::SendStatus::kQueued) {
            ++stats_.udp_send_drops;
        }
    }
    out_.clear();
}

void DnsService::rearm_timer() {
    const auto deadline = engine_.next_deadline();
    if (!deadline || (engine_timer_ && engine_deadline_ && *engine_deadline_ <= *deadline)) {
        return;
    }
    if (engine_timer_) {
        loop_.cancel_timer(*engine_timer_);
    }
    engine_deadline_ = deadline;
    engine_timer_ = loop_.add_timer(*deadline, [this] {
        engine_timer_.reset();
        engine_deadline_.reset();
        engine_.on_timeout(loop_.now(), out_);
        dispatch();
        rearm_timer();
    });
}

void DnsService::on_accept(std::uint32_t listener, platform::io::UniqueFd fd,
                           const SocketAddress& peer) {
    const auto address = ip_of(peer);
    if (!client_allowed(address)) {
        ++stats_.local_service_drops;
        return;
    }
    if (tcp_.size() >= max_tcp_connections_) {
        ++stats_.tcp_refused;
        return;  // `fd` closes here
    }
    const std::uint64_t id = next_connection_++;
    auto connection = std::make_unique<TcpConnection>();
    connection->client = ClientAddress{address, peer.port(), true, id, listener};
    connection->last_activity = loop_.now();
    platform::io::TcpCallbacks callbacks;
    callbacks.on_data = [this, id](std::span<const std::byte> data) { on_tcp_data(id, data); };
    callbacks.on_peer_closed = [this, id] { on_tcp_peer_closed(id); };
    callbacks.on_error = [this, id](const platform::io::IoError&) { close_tcp(id); };
    callbacks.on_drained = [this, id] { maybe_finish_tcp(id); };
    connection->stream = platform::io::TcpStream::adopt(loop_, std::move(fd), std::move(callbacks));
    tcp_.emplace(id, std::move(connection));
    arm_sweep();
}

void DnsService::arm_sweep() {
    if (!sweep_timer_) {
        sweep_timer_ = loop_.add_timer_after(kSweepInterval, [this] {
            sweep_timer_.reset();
            sweep_tcp();
        });
    }
}

void DnsService::send_upstream_tcp(const UpstreamQuery& query) {
    if (upstream_tcp_.size() >= kMaxUpstreamTcp) {
        ++stats_.upstream_tcp_refused;  // the forwarder's retry timer asks again
        return;
    }
    auto framed = net::dns::frame_tcp(query.wire);
    if (!framed) {
        return;
    }
    const std::uint64_t id = next_connection_++;
    platform::io::TcpCallbacks callbacks;
    callbacks.on_data = [this, id](std::span<const std::byte> data) {
        on_upstream_tcp_data(id, data);
    };
    callbacks.on_peer_closed = [this, id] {
        ++stats_.upstream_tcp_errors;  // closed before a whole reply arrived
        close_upstream_tcp(id);
    };
    callbacks.on_error = [this, id](const platform::io::IoError&) {
        ++stats_.upstream_tcp_errors;
        close_upstream_tcp(id);
    };
    auto stream = platform::io::TcpStream::connect(
        loop_, socket_address(query.upstream.address, query.upstream.port), std::move(callbacks));
    if (!stream) {
        ++stats_.upstream_tcp_refused;
        return;
    }
    auto connection = std::make_unique<UpstreamTcp>();
    connection->stream = std::move(*stream);
    connection->upstream = query.upstream;
    connection->opened = loop_.now();
    // Queued until the connection completes (TcpStream::write contract).
    if (!connection->stream->write(*framed)) {
        ++stats_.upstream_tcp_errors;
        return;
    }
    upstream_tcp_.emplace(id, std::move(connection));
    arm_sweep();
}

void DnsService::on_upstream_tcp_data(std::uint64_t id, std::span<const std::byte> data) {
    const auto found = upstream_tcp_.find(id);
    if (found == upstream_tcp_.end()) {
        return;
    }
    UpstreamTcp& connection = *found->second;
    std::span<const std::byte> rest = data;
    while (!rest.empty()) {
        const std::size_t taken = connection.splitter.feed(rest);
        rest = rest.subspan(taken);
        if (auto message = connection.splitter.next()) {
            // One reply per connection: the forwarder checks id, source and question as for a
            // datagram. Close first so that a reply that starts more TCP queries finds room.
            const dns::Upstream from = connection.upstream;
            const std::vector<std::byte> reply(message->begin(), message->end());
            close_upstream_tcp(id);
            engine_.on_upstream_datagram(reply, from, loop_.now(), out_);
            dispatch();
            rearm_timer();
            return;
        }
        if (taken == 0) {
            break;
        }
    }
}

void DnsService::close_upstream_tcp(std::uint64_t id) {
    const auto found = upstream_tcp_.find(id);
    if (found == upstream_tcp_.end()) {
        return;
    }
    found->second->stream->close();
    // May run inside the stream's own callback: keep it alive until the loop returns.
    upstream_graveyard_.push_back(std::move(found->second));
    upstream_tcp_.erase(found);
    if (!reaper_timer_) {
        reaper_timer_ = loop_.add_timer_after(platform::Duration::zero(), [this] {
            reaper_timer_.reset();
            graveyard_.clear();
            upstream_graveyard_.clear();
        });
    }
}

void DnsService::on_tcp_data(std::uint64_t id, std::span<const std::byte> data) {
    const auto found = tcp_.find(id);
    if (found == tcp_.end()) {
        return;
    }
    TcpConnection* connection = found->second.get();
    const auto now = loop_.now();
    connection->last_activity = now;
    std::span<const std::byte> rest = data;
    while (!rest.empty()) {
        const std::size_t taken = connection->splitter.feed(rest);
        rest = rest.subspan(taken);
        while (auto message = connection->splitter.next()) {
            if (message->empty()) {
                close_tcp(id);  // a zero-length frame is not DNS
                return;
            }
            ++connection->outstanding;
            engine_.on_client_message(*message, connection->client, now, out_);
            if (out_.to_clients.empty() && out_.to_upstreams.empty()) {
                --connection->outstanding;  // dropped (malformed, or at dns-forward-max)
            }
            dispatch();
            if (!tcp_.contains(id)) {
                rearm_timer();
                return;
            }
        }
        if (taken == 0) {
            break;  // cannot happen: the splitter always has room for one whole frame
        }
    }
    rearm_timer();
}

void DnsService::on_tcp_peer_closed(std::uint64_t id) {
    const auto found = tcp_.find(id);
    if (found == tcp_.end()) {
        return;
    }
    found->second->peer_closed = true;
    maybe_finish_tcp(id);
}

void DnsService::maybe_finish_tcp(std::uint64_t id) {
    const auto found = tcp_.find(id);
    if (found == tcp_.end()) {
        return;
    }
    const auto& connection = *found->second;
    if (connection.peer_closed && connection.outstanding == 0 &&
        connection.stream->pending_write_bytes() == 0) {
        close_tcp(id);
    }
}

void DnsService::close_tcp(std::uint64_t id) {
    const auto found = tcp_.find(id);
    if (found == tcp_.end()) {
        return;
    }
    found->second->stream->close();
    // May run inside the stream's own callback: keep the objects alive until the loop returns.
    graveyard_.push_back(std::move(found->second));
    tcp_.erase(found);
    if (!reaper_timer_) {
        reaper_timer_ = loop_.add_timer_after(platform::Duration::zero(), [this] {
            reaper_timer_.reset();
            graveyard_.clear();
            upstream_graveyard_.clear();
        });
    }
}

void DnsService::sweep_tcp() {
    const auto now = loop_.now();
    std::vector<std::uint64_t> idle;
    for (const auto& [id, connection] : tcp_) {
        if (now - connection->last_activity >= kTcpIdleTimeout) {
            idle.push_back(id);
        }
    }
    for (const auto id : idle) {
        ++stats_.tcp_idle_closed;
        close_tcp(id);
    }
    std::vector<std::uint64_t> stale;
    for (const auto& [id, connection] : upstream_tcp_) {
        if (now - connection->opened >= kUpstreamTcpTimeout) {
            stale.push_back(id);
        }
    }
    for (const auto id : stale) {
        ++stats_.upstream_tcp_timed_out;
        close_upstream_tcp(id);
    }
    if (!tcp_.empty() || !upstream_tcp_.empty()) {
        arm_sweep();
    }
}

void DnsService::log_statistics() {
    for (const auto& line : engine_.statistics_lines(loop_.clock().wall_now())) {
        log_.info(line);
    }
    log_.info("tcp connections " + std::to_string(tcp_.size()) + ", refused " +
              std::to_string(stats_.tcp_refused) + ", idle-closed " +
              std::to_string(stats_.tcp_idle_closed) + "; udp answers dropped " +
              std::to_string(stats_.udp_send_drops) + "; upstream tcp open " +
              std::to_string(upstream_tcp_.size()) + ", refused " +
              std::to_string(stats_.upstream_tcp_refused) + ", failed " +
              std::to_string(stats_.upstream_tcp_errors) + ", timed out " +
              std::to_string(stats_.upstream_tcp_timed_out));
}

}  // namespace nfv::dnsvizor::server
