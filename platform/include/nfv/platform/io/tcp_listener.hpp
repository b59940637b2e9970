// TcpListener: a listening TCP socket; accepted connections are handed to a callback as
// non-blocking fds, ready for TcpStream::adopt().
//
// Readiness (multishot poll) + accept4() in a loop, at most kMaxAcceptsPerWakeup per wake-up
// (the rest is deferred to the next loop iteration so one busy listener cannot starve the loop).
// Accept failures such as EMFILE are counted (stats().accept_errors) and retried on the next
// readiness; they do not close the listener.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "nfv/platform/io/error.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/socket_address.hpp"
#include "nfv/platform/io/unique_fd.hpp"

namespace nfv::platform::io {

struct TcpListenOptions {
    int backlog = 128;
    bool reuse_address = true;  // SO_REUSEADDR: restart without waiting out TIME_WAIT
    bool ipv6_only = true;      // IPV6_V6ONLY for AF_INET6
    bool reuse_port = false;    // SO_REUSEPORT: several processes share the port (kernel balances)
};

struct TcpListenerStats {
    std::uint64_t accepted = 0;
    std::uint64_t accept_errors = 0;
    std::optional<IoError> last_error;
};

/// Receives each accepted connection (non-blocking, close-on-exec) and the peer's address.
using AcceptHandler = std::function<void(UniqueFd connection, const SocketAddress& peer)>;

class TcpListener final : private PollTarget {
public:
    /// socket + SO_REUSEADDR + bind + listen(backlog), then accepts into `on_accept`.
    [[nodiscard]] static IoResult<std::unique_ptr<TcpListener>> listen(
        EventLoop& loop, const SocketAddress& local, const TcpListenOptions& options,
        AcceptHandler on_accept);
    ~TcpListener();
    TcpListener(const TcpListener&) = delete;
    TcpListener& operator=(const TcpListener&) = delete;

    [[nodiscard]] const SocketAddress& local_address() const { return local_; }
    [[nodiscard]] const TcpListenerStats& stats() const { return stats_; }

    static constexpr int kMaxAcceptsPerWakeup = 64;

private:
    TcpListener(EventLoop& loop, UniqueFd fd, const SocketAddress& local, AcceptHandler handler);
    void on_ready(int tag, std::uint32_t revents) override;

    UniqueFd fd_;
    SocketAddress local_;
    AcceptHandler on_accept_;
    Watch watch_;
    bool* destroyed_flag_ = nullptr;
    TcpListenerStats stats_;
};

}  // namespace nfv::platform::io
