// Connection: one client connection through the proxy: client TCP <-> TlsSession <-> backend
// TCP. The only place where the TLS core meets sockets; it moves bytes and reacts to events.
//
// Life cycle:
//   accepted -> TLS handshake (handshake timeout) -> route chosen from SNI -> backend connect
//   (connect timeout; round-robin start, then the route's other backends in turn) -> optional
//   PROXY header -> relay both ways (idle timeout) -> close.
// Flow control: when more than a bound (256 KiB) waits to be written to one side, reading from
// the other side pauses until that side has taken it all, so a slow reader cannot make the proxy
// buffer a whole download (or upload) in memory.
// Half-close (TCP semantics carried across TLS): the client's close_notify or EOF becomes
// shutdown(SHUT_WR) towards the backend; the backend's EOF becomes close_notify + FIN towards the
// client. The connection ends when both directions are finished and written out, or at once on
// an error or timeout.
// No backend reachable: close_notify (or an HTTP 502 page first, on routes marked "http" whose
// client did not negotiate h2).
// Destruction is deferred: a finished connection asks its owner to retire it, which destroys it
// from a fresh loop iteration (never inside one of its own stream callbacks).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/socket_address.hpp"
#include "nfv/platform/io/tcp_stream.hpp"
#include "nfv/platform/io/unique_fd.hpp"
#include "nfv/platform/log.hpp"

#include "runtime/snapshot.hpp"
#include "tls_session.hpp"

namespace nfv::tls_proxy {

/// What a Connection needs from the proxy that owns it.
class ConnectionOwner {
public:
    ConnectionOwner() = default;
    ConnectionOwner(const ConnectionOwner&) = delete;
    ConnectionOwner& operator=(const ConnectionOwner&) = delete;

    /// The connection `id` is finished: destroy it later, from outside its callbacks.
    virtual void retire(std::uint64_t id) = 0;
    /// A shared buffer for decrypted bytes (valid for the duration of one callback).
    [[nodiscard]] virtual std::span<std::byte> scratch() = 0;
    [[nodiscard]] virtual platform::Logger& logger() = 0;
    /// Counts a failed handshake by reason ("unrecognized_name", "timeout", "error").
    virtual void count_handshake_failure(std::string_view reason) = 0;

protected:
    ~ConnectionOwner() = default;
    ConnectionOwner(ConnectionOwner&&) = default;
    ConnectionOwner& operator=(ConnectionOwner&&) = default;
};

class Connection {
public:
    /// Takes the accepted socket. `local` is the listener's address as the client saw it.
    Connection(ConnectionOwner& owner, platform::io::EventLoop& loop,
               std::shared_ptr<Snapshot> snapshot, std::uint64_t id, platform::io::UniqueFd fd,
               const platform::io::SocketAddress& peer, const platform::io::SocketAddress& local);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    ~Connection();

    /// Starts reading from the client and arms the handshake timer. False if the TLS session
    /// could not be created (the connection is then already retired).
    bool start();
    /// Graceful stop (SIGTERM): close_notify to the client, FIN to the backend, then retire.
    void shutdown();

    [[nodiscard]] std::uint64_t id() const { return id_; }
    [[nodiscard]] bool established() const { return relaying_; }

private:
    void on_client_data(std::span<const std::byte> data);
    void on_client_eof();
    void pump_session();
    void on_handshake_done();
    void connect_backend();
    void on_backend_connected();
    void on_backend_failed(const std::string& why);
    void on_backend_data(std::span<const std::byte> data);
    void on_backend_eof();
    void client_finished_sending();
    void flush_to_client();
    void maybe_finish();
    void fail_closed(const std::string& why);
    void retire();
    void arm_idle_timer();
    void cancel_timers();
    void touch();

    ConnectionOwner& owner_;
    platform::io::EventLoop& loop_;
    std::shared_ptr<Snapshot> snapshot_;
    std::uint64_t id_;
    platform::io::SocketAddress peer_;
    platform::io::SocketAddress local_;
    std::unique_ptr<platform::io::TcpStream> client_;
    std::unique_ptr<platform::io::TcpStream> backend_;
    std::unique_ptr<TlsSession> session_;
    std::size_t route_ = 0;
    std::size_t backend_index_ = 0;     // current attempt
    std::size_t backend_attempts_ = 0;  // attempts so far
    platform::io::TimerId handshake_timer_{};
    platform::io::TimerId connect_timer_{};
    platform::io::TimerId idle_timer_{};
    platform::Instant last_activity_{};
    bool relaying_ = false;  // backend connected, route metrics counted as active
    bool backend_connected_ = false;
    bool client_done_ = false;         // client sent close_notify or EOF
    bool client_eof_pending_ = false;  // client EOF seen before the backend was connected
    bool backend_done_ = false;        // backend sent EOF (we sent close_notify)
    bool closing_ = false;             // flushing a final response/alert, then retire
    bool retired_ = false;
};

}  // namespace nfv::tls_proxy
