#include "nfv/platform/io/tcp_stream.hpp"

#include <cerrno>
#include <utility>

#include <sys/socket.h>

#include <poll.h>
#include <unistd.h>

#include "socket_util.hpp"

namespace nfv::platform::io {

namespace {

// Output buffers of completion-send streams, per thread (a loop runs on one thread): a stream
// takes one when it has bytes to send and gives it back when its output drains, so an idle
// connection holds no buffer and a busy one does not allocate per message.
class SendBufferPool {
public:
    std::vector<std::byte> take() {
        if (free_.empty()) {
            return {};
        }
        std::vector<std::byte> buffer = std::move(free_.back());
        free_.pop_back();
        return buffer;
    }
    void give(std::vector<std::byte>& buffer) {
        if (buffer.capacity() > 0 && buffer.capacity() <= kMaxKeptBytes &&
            free_.size() < kMaxKept) {
            buffer.clear();
            free_.push_back(std::move(buffer));
        }
        buffer = {};
    }

private:
    static constexpr std::size_t kMaxKept = 64;
    static constexpr std::size_t kMaxKeptBytes = 256 * 1024;
    std::vector<std::vector<std::byte>> free_;
};

thread_local SendBufferPool send_buffers;

}  // namespace

IoResult<std::unique_ptr<TcpStream>> TcpStream::connect(EventLoop& loop, const SocketAddress& peer,
                                                        TcpCallbacks callbacks) {
    if (peer.family() != AF_INET && peer.family() != AF_INET6) {
        return Unexpected(make_error("connect", EAFNOSUPPORT));
    }
    auto fd = detail::open_socket(peer.family(), SOCK_STREAM);
    if (!fd) {
        return Unexpected(fd.error());
    }
    if (::connect(fd->get(), peer.data(), peer.length()) != 0 && errno != EINPROGRESS) {
        return Unexpected(last_error("connect"));
    }
    // Even an immediate success is reported through the loop, so on_connected never runs
    // inside connect().
    return std::unique_ptr<TcpStream>(
        new TcpStream(loop, std::move(*fd), State::kConnecting, std::move(callbacks)));
}

std::unique_ptr<TcpStream> TcpStream::adopt(EventLoop& loop, UniqueFd connection,
                                            TcpCallbacks callbacks) {
    return std::unique_ptr<TcpStream>(
        new TcpStream(loop, std::move(connection), State::kOpen, std::move(callbacks)));
}

TcpStream::TcpStream(EventLoop& loop, UniqueFd fd, State state, TcpCallbacks callbacks)
    : loop_(loop),
      fd_(std::move(fd)),
      state_(state),
      callbacks_(std::move(callbacks)),
      read_watch_(loop, *this, kRead),
      write_watch_(loop, *this, kWrite),
      completion_receive_(loop.completion_receive()),
      completion_send_(loop.completion_send()) {
    if (state_ == State::kConnecting) {
        write_watch_.arm(fd_.get(), POLLOUT, /*multishot=*/false);
    } else {
        start_reading();
    }
}

void TcpStream::start_reading() {
    if (paused_) {
        return;  // resume_reading() starts it
    }
    if (completion_receive_) {
        read_watch_.arm_receive(fd_.get());
    } else {
        read_watch_.arm(fd_.get(), POLLIN | POLLRDHUP, /*multishot=*/true);
    }
}

TcpStream::~TcpStream() {
    read_watch_.disarm();
    stop_writing();
    close_socket();
    if (destroyed_flag_ != nullptr) {
        *destroyed_flag_ = true;
    }
}

void TcpStream::stop_writing() {
    if (send_in_flight_) {
        write_watch_.disarm_keeping(std::move(sending_));
        send_in_flight_ = false;
        sending_ = {};
        sending_head_ = 0;
    } else {
        write_watch_.disarm();
    }
}

template <typename F, typename... Args>
bool TcpStream::invoke(F& callback, Args&&... args) {
    if (!callback) {
        return true;
    }
    bool destroyed = false;
    bool* const outer = destroyed_flag_;  // callbacks can nest (write -> fail -> on_error)
    destroyed_flag_ = &destroyed;
    callback(std::forward<Args>(args)...);
    if (destroyed) {
        if (outer != nullptr) {
            *outer = true;
        }
        return false;
    }
    destroyed_flag_ = outer;
    return true;
}

void TcpStream::close_socket() {
    if (completion_receive_ || completion_send_) {
        loop_.close_after_submit(std::move(fd_));
    } else {
        fd_.reset();
    }
}

void TcpStream::pause_reading() {
    if (paused_) {
        return;
    }
    paused_ = true;
    if (completion_receive_) {
        read_watch_.stop_receive();
    } else {
        read_watch_.disarm();
    }
}

void TcpStream::resume_reading() {
    if (!paused_) {
        return;
    }
    paused_ = false;
    if (state_ != State::kOpen || read_ended_) {
        return;  // still connecting (reading starts then) or nothing more to read
    }
    if (completion_receive_) {
        read_watch_.resume_receive(fd_.get());
    } else {
        read_watch_.arm(fd_.get(), POLLIN | POLLRDHUP, /*multishot=*/true);
    }
}

void TcpStream::close() {
    read_watch_.disarm();
    stop_writing();
    close_socket();
    state_ = State::kDead;
}

void TcpStream::fail(const IoError& error) {
    if (state_ == State::kDead) {
        return;
    }
    read_watch_.disarm();
    stop_writing();
    state_ = State::kDead;
    (void)invoke(callbacks_.on_error, error);
}

void TcpStream::on_ready(int tag, std::uint32_t revents) {
    if (state_ == State::kDead) {
        return;
    }
    if (tag == kWrite) {
        if (state_ == State::kConnecting) {
            on_connect_complete();
        } else {
            (void)flush_output();
        }
        return;
    }
    on_readable(revents);
}

void TcpStream::on_connect_complete() {
    if (const int error = detail::pending_error(fd_.get()); error != 0) {
        fail(make_error("connect", error));
        return;
    }
    state_ = State::kOpen;
    start_reading();
    if (!invoke(callbacks_.on_connected) || state_ != State::kOpen) {
        return;
    }
    if (pending_write_bytes() > 0 || shutdown_requested_) {
        (void)flush_output();
    }
}

void TcpStream::on_readable(std::uint32_t revents) {
    if (paused_) {
        return;  // a deferred wake-up from before pause_reading()
    }
    // One read buffer per thread, shared by every stream: a loop runs on one thread and on_data's
    // span is valid only during the call, so an idle connection holds no read buffer (memory per
    // idle connection is what a proxy holding 10,000 of them pays for).
    thread_local std::vector<std::byte> read_buffer(kReadBufferSize);
    for (int i = 0; i < kMaxReadsPerWakeup; ++i) {
        const ssize_t n = ::read(fd_.get(), read_buffer.data(), read_buffer.size());
        if (n > 0) {
            const std::span<const std::byte> chunk(read_buffer.data(), static_cast<std::size_t>(n));
            if (!invoke(callbacks_.on_data, chunk) || state_ == State::kDead || paused_) {
                return;
            }
            // A short read emptied the receive queue (TCP hands over all it holds up to the
            // buffer size), so the read() that would return EAGAIN is skipped: bytes arriving
            // later wake the multishot poll again. A FIN is different: it only shows as a later
            // read() returning 0, so with POLLRDHUP (or an error/hangup) in the event, reading
            // goes on until that read.
            if (static_cast<std::size_t>(n) < read_buffer.size() &&
                (revents & (POLLRDHUP | POLLHUP | POLLERR)) == 0) {
                return;
            }
            continue;
        }
        if (n == 0) {
            read_ended_ = true;
            read_watch_.disarm();  // EOF is sticky; stop watching for it
            (void)invoke(callbacks_.on_peer_closed);
            return;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            return;
        }
        fail(last_error("read"));
        return;
    }
    read_watch_.defer(revents | POLLIN);  // keeps POLLRDHUP: the FIN is still to be read
}

void TcpStream::on_received(int /*tag*/, int result, std::span<const std::byte> data) {
    if (state_ == State::kDead) {
        return;
    }
    if (result > 0) {
        (void)invoke(callbacks_.on_data, data);
        return;
    }
    if (result == 0) {
        read_ended_ = true;
        read_watch_.disarm();  // the receive has ended; nothing more will come
        (void)invoke(callbacks_.on_peer_closed);
        return;
    }
    fail(make_error("recv", -result));
}

IoResult<std::size_t> TcpStream::send_now(std::span<const std::byte> data) {
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n =
            ::send(fd_.get(), data.data() + done, data.size() - done, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n >= 0) {
            done += static_cast<std::size_t>(n);
            continue;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            break;
        }
        return Unexpected(last_error("send"));
    }
    return done;
}

IoResult<void> TcpStream::write(std::span<const std::byte> data) {
    if (state_ == State::kDead || shutdown_requested_) {
        return Unexpected(make_error("write", EPIPE));
    }
    std::size_t done = 0;
    const bool idle = state_ == State::kOpen && pending_write_bytes() == 0;
    if (idle && (!completion_send_ || data.size() >= kDirectSendBytes)) {
        // Straight to the kernel; only the remainder is buffered.
        auto sent = send_now(data);
        if (!sent) {
            read_watch_.disarm();
            stop_writing();
            state_ = State::kDead;
            return Unexpected(sent.error());
        }
        done = *sent;
    }
    if (done == data.size()) {
        return {};
    }
    if (out_head_ > 0 && out_head_ == out_.size()) {
        out_.clear();
        out_head_ = 0;
    }
    if (completion_send_ && out_.capacity() == 0) {
        out_ = send_buffers.take();
    }
    out_.insert(out_.end(), data.begin() + static_cast<std::ptrdiff_t>(done), data.end());
    if (state_ != State::kOpen) {
        return {};  // sent once connected
    }
    if (completion_send_) {
        if (!send_in_flight_) {
            start_send();
        }
    } else if (!write_watch_.armed()) {
        write_watch_.arm(fd_.get(), POLLOUT, /*multishot=*/false);
    }
    return {};
}

void TcpStream::start_send() {
    std::swap(sending_, out_);  // out_ was filled from 0 (out_head_ stays 0 in this mode)
    sending_head_ = 0;
    send_in_flight_ = true;
    write_watch_.arm_send(fd_.get(), sending_);
}

void TcpStream::on_sent(int /*tag*/, int result) {
    send_in_flight_ = false;
    if (state_ == State::kDead) {
        return;
    }
    if (result <= 0) {
        fail(make_error("send", result < 0 ? -result : EPIPE));
        return;
    }
    sending_head_ += static_cast<std::size_t>(result);
    if (sending_head_ < sending_.size()) {
        send_in_flight_ = true;  // a short send despite MSG_WAITALL: send the rest
        write_watch_.arm_send(fd_.get(), std::span(sending_).subspan(sending_head_));
        return;
    }
    sending_.clear();
    sending_head_ = 0;
    if (!out_.empty()) {
        start_send();
        return;
    }
    send_buffers.give(sending_);
    send_buffers.give(out_);
    if (shutdown_requested_ && !write_shut_) {
        if (::shutdown(fd_.get(), SHUT_WR) != 0) {
            fail(last_error("shutdown"));
            return;
        }
        write_shut_ = true;
    }
    (void)invoke(callbacks_.on_drained);
}

IoResult<void> TcpStream::shutdown_write() {
    if (state_ == State::kDead) {
        return Unexpected(make_error("shutdown", ENOTCONN));
    }
    shutdown_requested_ = true;
    if (state_ == State::kOpen && pending_write_bytes() == 0 && !write_shut_) {
        if (::shutdown(fd_.get(), SHUT_WR) != 0) {
            return Unexpected(last_error("shutdown"));
        }
        write_shut_ = true;
    }
    return {};
}

bool TcpStream::flush_output() {
    if (completion_send_) {
        // After connecting: what was written meanwhile goes out now; the completion reports.
        if (!send_in_flight_ && pending_write_bytes() > 0) {
            start_send();
            return true;
        }
        if (pending_write_bytes() > 0) {
            return true;
        }
    }
    if (pending_write_bytes() > 0) {
        auto sent = send_now(std::span(out_).subspan(out_head_));
        if (!sent) {
            fail(sent.error());
            return false;
        }
        out_head_ += *sent;
        if (pending_write_bytes() > 0) {
            write_watch_.arm(fd_.get(), POLLOUT, /*multishot=*/false);  // the kernel is full
            return true;
        }
    }
    // Keep the allocation for the next burst; just rewind.
    out_.clear();
    out_head_ = 0;
    if (shutdown_requested_ && !write_shut_) {
        if (::shutdown(fd_.get(), SHUT_WR) != 0) {
            fail(last_error("shutdown"));
            return false;
        }
        write_shut_ = true;
    }
    return invoke(callbacks_.on_drained);
}

}  // namespace nfv::platform::io
