#include "nfv/platform/io/tcp_listener.hpp"

#include <cerrno>
#include <utility>

#include <netinet/in.h>
#include <sys/socket.h>

#include <poll.h>

#include "socket_util.hpp"

namespace nfv::platform::io {

IoResult<std::unique_ptr<TcpListener>> TcpListener::listen(EventLoop& loop,
                                                           const SocketAddress& local,
                                                           const TcpListenOptions& options,
                                                           AcceptHandler on_accept) {
    if (local.family() != AF_INET && local.family() != AF_INET6) {
        return Unexpected(make_error("bind", EAFNOSUPPORT));
    }
    auto fd = detail::open_socket(local.family(), SOCK_STREAM);
    if (!fd) {
        return Unexpected(fd.error());
    }
    const int s = fd->get();
    if (options.reuse_address) {
        if (auto r = detail::set_int_option(s, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR"); !r) {
            return Unexpected(r.error());
        }
    }
    if (options.reuse_port) {
        if (auto r = detail::set_int_option(s, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT"); !r) {
            return Unexpected(r.error());
        }
    }
    if (local.family() == AF_INET6) {
        if (auto r = detail::set_int_option(s, IPPROTO_IPV6, IPV6_V6ONLY, options.ipv6_only ? 1 : 0,
                                            "IPV6_V6ONLY");
            !r) {
            return Unexpected(r.error());
        }
    }
    if (::bind(s, local.data(), local.length()) != 0) {
        return Unexpected(last_error("bind"));
    }
    if (::listen(s, options.backlog) != 0) {
        return Unexpected(last_error("listen"));
    }
    auto bound = detail::local_address_of(s);
    if (!bound) {
        return Unexpected(bound.error());
    }
    return std::unique_ptr<TcpListener>(
        new TcpListener(loop, std::move(*fd), *bound, std::move(on_accept)));
}

TcpListener::TcpListener(EventLoop& loop, UniqueFd fd, const SocketAddress& local,
                         AcceptHandler handler)
    : fd_(std::move(fd)), local_(local), on_accept_(std::move(handler)), watch_(loop, *this, 0) {
    watch_.arm(fd_.get(), POLLIN, /*multishot=*/true);
}

TcpListener::~TcpListener() {
    if (destroyed_flag_ != nullptr) {
        *destroyed_flag_ = true;
    }
}

void TcpListener::on_ready(int /*tag*/, std::uint32_t /*revents*/) {
    for (int i = 0; i < kMaxAcceptsPerWakeup; ++i) {
        SocketAddress peer;
        socklen_t length = SocketAddress::capacity();
        UniqueFd connection(
            ::accept4(fd_.get(), peer.data(), &length, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!connection.valid()) {
            const int error = errno;
            if (error == EINTR || error == ECONNABORTED) {
                continue;  // that connection died in the queue; try the next
            }
            if (error != EAGAIN && error != EWOULDBLOCK) {
                ++stats_.accept_errors;  // EMFILE, ENOBUFS ...: retried on next readiness
                stats_.last_error = make_error("accept4", error);
            }
            return;
        }
        peer.set_length(length);
        ++stats_.accepted;
        bool destroyed = false;
        destroyed_flag_ = &destroyed;
        // A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d: hand them over as IPv4.
        on_accept_(std::move(connection), peer.unmapped());
        if (destroyed) {
            return;
        }
        destroyed_flag_ = nullptr;
    }
    watch_.defer(POLLIN);
}

}  // namespace nfv::platform::io
