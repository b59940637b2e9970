#include "runtime/connection.hpp"

#include <array>

#include "http_redirect.hpp"
#include "proxy_protocol.hpp"

namespace nfv::tls_proxy {
namespace {

using platform::io::IoError;
using platform::io::SocketAddress;
using platform::io::TcpCallbacks;
using platform::io::TcpStream;

net::IpAddress ip_of(const SocketAddress& address) {
    if (const auto v4 = address.ipv4_octets()) {
        return net::Ipv4Address(*v4);
    }
    if (const auto v6 = address.ipv6_octets()) {
        return net::Ipv6Address(*v6);
    }
    return {};
}

constexpr std::string_view kBadGatewayBody =
    "<html><head><title>502 Bad Gateway</title></head>"
    "<body><h1>502 Bad Gateway</h1><p>No backend is available.</p></body></html>\n";

}  // namespace

Connection::Connection(ConnectionOwner& owner, platform::io::EventLoop& loop,
                       std::shared_ptr<Snapshot> snapshot, std::uint64_t id,
                       platform::io::UniqueFd fd, const SocketAddress& peer,
                       const SocketAddress& local)
    : owner_(owner),
      loop_(loop),
      snapshot_(std::move(snapshot)),
      id_(id),
      peer_(peer),
      local_(local) {
    TcpCallbacks cb;
    cb.on_data = [this](std::span<const std::byte> data) { on_client_data(data); };
    cb.on_peer_closed = [this] { on_client_eof(); };
    cb.on_error = [this](const IoError& e) { fail_closed("client: " + e.message()); };
    cb.on_drained = [this] {
        maybe_finish();
        if (!retired_ && backend_ && backend_->reading_paused()) {
            backend_->resume_reading();  // the client took what we had for it
        }
    };
    client_ = TcpStream::adopt(loop_, std::move(fd), std::move(cb));
}

Connection::~Connection() {
    cancel_timers();
    if (relaying_) {
        snapshot_->route(route_).metrics.active->dec();
    }
}

bool Connection::start() {
    auto session = TlsSession::create(snapshot_->tls());
    if (!session) {
        owner_.logger().error("cannot create a TLS session", {{"error", session.error().message}});
        retire();
        return false;
    }
    session_ = std::move(*session);
    handshake_timer_ = loop_.add_timer_after(snapshot_->config().timeouts.handshake, [this] {
        handshake_timer_ = {};
        owner_.count_handshake_failure("timeout");
        fail_closed("handshake timeout");
    });
    return true;
}

void Connection::cancel_timers() {
    for (auto* timer : {&handshake_timer_, &connect_timer_, &idle_timer_}) {
        if (*timer != platform::io::TimerId{}) {
            loop_.cancel_timer(*timer);
            *timer = {};
        }
    }
}

void Connection::retire() {
    if (retired_) {
        return;
    }
    retired_ = true;
    cancel_timers();
    if (client_) {
        client_->close();
    }
    if (backend_) {
        backend_->close();
    }
    owner_.retire(id_);
}

void Connection::fail_closed(const std::string& why) {
    owner_.logger().debug("connection closed", {{"id", id_}, {"reason", why}});
    retire();
}

void Connection::touch() {
    last_activity_ = loop_.now();
}

void Connection::arm_idle_timer() {
    const auto idle = snapshot_->config().timeouts.idle;
    idle_timer_ = loop_.add_timer(last_activity_ + idle, [this, idle] {
        idle_timer_ = {};
        if (loop_.now() - last_activity_ >= idle) {
            fail_closed("idle timeout");
            return;
        }
        arm_idle_timer();
    });
}

void Connection::on_client_data(std::span<const std::byte> data) {
    if (retired_ || closing_) {
        return;
    }
    touch();
    session_->receive_ciphertext(data);
    pump_session();
}

void Connection::on_client_eof() {
    if (retired_) {
        return;
    }
    if (session_->state() == TlsState::kHandshaking || closing_) {
        retire();
        return;
    }
    if (!backend_connected_) {
        // Plaintext may still sit in the session (see pump_session): pass the FIN on after it.
        client_eof_pending_ = true;
        return;
    }
    client_finished_sending();
}

void Connection::pump_session() {
    const std::span<std::byte> buffer = owner_.scratch();
    while (!retired_) {
        while (auto event = session_->poll_event()) {
            switch (*event) {
                case TlsEventKind::kHandshakeDone:
                    on_handshake_done();
                    break;
                case TlsEventKind::kPeerClosed:
                    client_finished_sending();
                    break;
                case TlsEventKind::kFailed: {
                    const bool in_handshake = handshake_timer_ != platform::io::TimerId{};
                    if (in_handshake) {
                        owner_.count_handshake_failure(session_->detail() == "unrecognized_name"
                                                           ? "unrecognized_name"
                                                           : "error");
                    }
                    // Send the alert (if any), then close once it is written.
                    flush_to_client();
                    owner_.logger().debug("TLS failure", {{"id", id_},
                                                          {"sni", session_->server_name()},
                                                          {"reason", session_->detail()}});
                    closing_ = true;
                    cancel_timers();
                    if (backend_) {
                        backend_->close();
                    }
                    maybe_finish();
                    return;
                }
            }
            if (retired_) {
                return;
            }
        }
        // Plaintext stays inside the TLS session until a backend has accepted the connection:
        // bytes queued on an attempt that then fails would be lost with it, and the next backend
        // in the failover order must see the stream from its first byte.
        if (!backend_connected_ || client_done_) {
            break;
        }
        const std::size_t n = session_->read_plaintext(buffer);
        if (n == 0) {
            if (session_->has_event()) {
                continue;  // e.g. close_notify seen by this read
            }
            break;
        }
        snapshot_->route(route_).metrics.bytes_from_client->add(n);
        if (!backend_->write(buffer.first(n))) {
            fail_closed("backend write failed");
            return;
        }
        if (backend_->pending_write_bytes() > snapshot_->config().limits.buffer_bytes) {
            client_->pause_reading();  // the backend reads slower than the client sends
        }
    }
    flush_to_client();
}

void Connection::flush_to_client() {
    if (retired_ || !session_) {
        return;
    }
    const auto pending = session_->pending_ciphertext();
    if (pending.empty()) {
        return;
    }
    if (!client_->write(pending)) {
        session_->consume_ciphertext(pending.size());
        fail_closed("client write failed");
        return;
    }
    session_->consume_ciphertext(pending.size());
}

void Connection::on_handshake_done() {
    loop_.cancel_timer(handshake_timer_);
    handshake_timer_ = {};
    route_ = session_->info().route;
    snapshot_->route(route_).metrics.connections->inc();
    owner_.logger().debug("handshake done", {{"id", id_},
                                             {"sni", session_->info().server_name},
                                             {"alpn", session_->info().alpn},
                                             {"version", session_->info().version},
                                             {"resumed", session_->info().resumed},
                                             {"route", snapshot_->config().routes[route_].name}});
    backend_index_ = snapshot_->next_backend(route_);
    connect_backend();
}

void Connection::connect_backend() {
    RouteRuntime& route = snapshot_->route(route_);
    const SocketAddress& target = route.backends[backend_index_];
    ++backend_attempts_;
    TcpCallbacks cb;
    cb.on_connected = [this] { on_backend_connected(); };
    cb.on_data = [this](std::span<const std::byte> data) { on_backend_data(data); };
    cb.on_peer_closed = [this] { on_backend_eof(); };
    cb.on_error = [this](const IoError& e) {
        if (backend_connected_) {
            fail_closed("backend: " + e.message());
        } else {
            on_backend_failed(e.message());
        }
    };
    cb.on_drained = [this] {
        maybe_finish();
        if (!retired_ && client_->reading_paused()) {
            client_->resume_reading();  // the backend took what we had for it
        }
    };
    auto stream = TcpStream::connect(loop_, target, std::move(cb));
    if (!stream) {
        on_backend_failed(stream.error().message());
        return;
    }
    backend_ = std::move(*stream);
    connect_timer_ = loop_.add_timer_after(snapshot_->config().timeouts.connect, [this] {
        connect_timer_ = {};
        on_backend_failed("connect timeout");
    });
    // The PROXY header goes first; TcpStream queues it until the connection completes.
    const RouteConfig& config = snapshot_->config().routes[route_];
    if (config.proxy_protocol != ProxyProtocol::kNone) {
        ProxyHeaderInfo info;
        info.source = ip_of(peer_);
        info.source_port = peer_.port();
        info.destination = ip_of(local_);
        info.destination_port = local_.port();
        const HandshakeInfo& tls = session_->info();
        info.alpn = tls.alpn;
        info.authority = tls.server_name;
        info.tls = ProxyTlsInfo{
            .version = tls.version,
            .cipher = std::string(tls.cipher),
            .certificate_on_connection = tls.client_certificate && !tls.resumed,
            .certificate_in_session = tls.client_certificate,
            .certificate_verified = tls.client_certificate && tls.client_certificate_verified,
            .common_name = tls.client_common_name,
        };
        bool ok = false;
        if (config.proxy_protocol == ProxyProtocol::kV1) {
            const std::string line = encode_proxy_v1(info);
            ok = static_cast<bool>(backend_->write(std::as_bytes(std::span(line))));
        } else {
            const auto header = encode_proxy_v2(info);
            ok = static_cast<bool>(backend_->write(header));
        }
        if (!ok) {
            on_backend_failed("cannot queue the PROXY header");
            return;
        }
    }
    flush_to_client();
}

void Connection::on_backend_connected() {
    if (retired_) {
        return;
    }
    loop_.cancel_timer(connect_timer_);
    connect_timer_ = {};
    backend_connected_ = true;
    relaying_ = true;
    (void)snapshot_->record_health(route_, backend_index_, true);
    snapshot_->route(route_).metrics.active->inc();
    touch();
    arm_idle_timer();
    // Relay the plaintext that arrived with or after the handshake, then a FIN that followed it.
    pump_session();
    if (client_eof_pending_ && !retired_) {
        client_finished_sending();
    }
}

void Connection::on_backend_failed(const std::string& why) {
    if (retired_) {
        return;
    }
    if (connect_timer_ != platform::io::TimerId{}) {
        loop_.cancel_timer(connect_timer_);
        connect_timer_ = {};
    }
    RouteRuntime& route = snapshot_->route(route_);
    route.metrics.backend_failures->inc();
    (void)snapshot_->record_health(route_, backend_index_, false);
    owner_.logger().warn(
        "backend connect failed",
        {{"id", id_}, {"backend", route.backend_names[backend_index_]}, {"error", why}});
    if (backend_) {
        backend_->close();
    }
    if (backend_attempts_ < route.backends.size()) {
        backend_index_ = (backend_index_ + 1) % route.backends.size();
        connect_backend();
        return;
    }
    // Nothing reachable: an HTTP 502 page on http routes (HTTP/1.x only), then close_notify.
    route.metrics.unavailable->inc();
    const RouteConfig& config = snapshot_->config().routes[route_];
    if (config.http && session_->info().alpn != "h2") {
        const std::string page =
            http_simple_response(502, "Bad Gateway", "text/html", kBadGatewayBody);
        (void)session_->write_plaintext(std::as_bytes(std::span(page)));
    }
    session_->close();
    closing_ = true;
    flush_to_client();
    if (!retired_) {
        (void)client_->shutdown_write();
        maybe_finish();
    }
}

void Connection::on_backend_data(std::span<const std::byte> data) {
    if (retired_ || closing_) {
        return;
    }
    touch();
    snapshot_->route(route_).metrics.bytes_to_client->add(data.size());
    if (!session_->write_plaintext(data)) {
        fail_closed("TLS write failed");
        return;
    }
    flush_to_client();
    if (!retired_ && client_->pending_write_bytes() > snapshot_->config().limits.buffer_bytes) {
        backend_->pause_reading();  // the client reads slower than the backend sends
    }
}

void Connection::on_backend_eof() {
    if (retired_ || backend_done_) {
        return;
    }
    backend_done_ = true;
    session_->close();  // close_notify: the backend has finished its direction
    flush_to_client();
    if (!retired_) {
        (void)client_->shutdown_write();
        maybe_finish();
    }
}

void Connection::client_finished_sending() {
    if (client_done_ || retired_) {
        return;
    }
    client_done_ = true;
    if (!backend_) {
        retire();
        return;
    }
    (void)backend_->shutdown_write();
    maybe_finish();
}

void Connection::maybe_finish() {
    if (retired_) {
        return;
    }
    const bool client_flushed = client_->pending_write_bytes() == 0;
    if (closing_) {
        if (client_flushed) {
            retire();
        }
        return;
    }
    const bool backend_flushed = !backend_ || backend_->pending_write_bytes() == 0;
    if (client_done_ && backend_done_ && client_flushed && backend_flushed) {
        retire();
    }
}

void Connection::shutdown() {
    if (retired_) {
        return;
    }
    if (!session_ || session_->state() != TlsState::kEstablished) {
        retire();
        return;
    }
    session_->close();
    closing_ = true;
    flush_to_client();
    if (!retired_) {
        (void)client_->shutdown_write();
        maybe_finish();
    }
}

}  // namespace nfv::tls_proxy
