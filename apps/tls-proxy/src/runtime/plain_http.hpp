// PlainHttpConnection: a one-request, one-response plain HTTP/1.x exchange, used by the HTTP
// listener that redirects to HTTPS (http_redirect.hpp) and by the metrics endpoint.
//
// It reads until the responder has an answer (the request head is complete, or it is too large
// or malformed), writes the response, sends FIN and retires once the response is written or the
// peer closes. A timeout bounds the whole exchange (slow clients are dropped).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/tcp_stream.hpp"
#include "nfv/platform/io/unique_fd.hpp"

namespace nfv::tls_proxy {

/// Given everything received so far, the response to send, or nullopt to wait for more.
using PlainHttpResponder = std::function<std::optional<std::string>(std::string_view request)>;

class PlainHttpConnection {
public:
    /// `on_done(id)` is called once when the exchange is over (from a stream callback or the
    /// timer; the owner must destroy the object later, not inside that call).
    PlainHttpConnection(platform::io::EventLoop& loop, std::uint64_t id, platform::io::UniqueFd fd,
                        PlainHttpResponder responder, platform::Duration timeout,
                        std::function<void(std::uint64_t)> on_done);
    PlainHttpConnection(const PlainHttpConnection&) = delete;
    PlainHttpConnection& operator=(const PlainHttpConnection&) = delete;
    ~PlainHttpConnection();

    /// Ends the exchange now (shutdown of the proxy).
    void abort() { finish(); }

private:
    void on_data(std::span<const std::byte> data);
    void finish();

    platform::io::EventLoop& loop_;
    std::uint64_t id_;
    PlainHttpResponder responder_;
    std::function<void(std::uint64_t)> on_done_;
    std::unique_ptr<platform::io::TcpStream> stream_;
    platform::io::TimerId timer_{};
    std::string request_;
    bool responded_ = false;
    bool done_ = false;
};

}  // namespace nfv::tls_proxy
