#include "runtime/plain_http.hpp"

#include "http_redirect.hpp"

namespace nfv::tls_proxy {

PlainHttpConnection::PlainHttpConnection(platform::io::EventLoop& loop, std::uint64_t id,
                                         platform::io::UniqueFd fd, PlainHttpResponder responder,
                                         platform::Duration timeout,
                                         std::function<void(std::uint64_t)> on_done)
    : loop_(loop), id_(id), responder_(std::move(responder)), on_done_(std::move(on_done)) {
    platform::io::TcpCallbacks cb;
    cb.on_data = [this](std::span<const std::byte> data) { on_data(data); };
    cb.on_peer_closed = [this] { finish(); };
    cb.on_error = [this](const platform::io::IoError&) { finish(); };
    cb.on_drained = [this] {
        if (responded_) {
            finish();
        }
    };
    stream_ = platform::io::TcpStream::adopt(loop_, std::move(fd), std::move(cb));
    timer_ = loop_.add_timer_after(timeout, [this] {
        timer_ = {};
        finish();
    });
}

PlainHttpConnection::~PlainHttpConnection() {
    if (timer_ != platform::io::TimerId{}) {
        loop_.cancel_timer(timer_);
    }
}

void PlainHttpConnection::on_data(std::span<const std::byte> data) {
    if (done_ || responded_) {
        return;
    }
    // Keep at most one byte beyond the limit: enough for the responder to see "too large".
    const std::size_t room = kMaxRequestHead + 1 - std::min(request_.size(), kMaxRequestHead + 1);
    const std::size_t take = std::min(room, data.size());
    request_.append(reinterpret_cast<const char*>(data.data()), take);
    auto response = responder_(request_);
    if (!response) {
        return;
    }
    responded_ = true;
    if (!stream_->write(std::as_bytes(std::span(*response))) || !stream_->shutdown_write()) {
        finish();
        return;
    }
    if (stream_->pending_write_bytes() == 0) {
        finish();
    }
}

void PlainHttpConnection::finish() {
    if (done_) {
        return;
    }
    done_ = true;
    if (timer_ != platform::io::TimerId{}) {
        loop_.cancel_timer(timer_);
        timer_ = {};
    }
    stream_->close();
    on_done_(id_);
}

}  // namespace nfv::tls_proxy
