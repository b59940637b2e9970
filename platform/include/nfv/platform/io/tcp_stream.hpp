// TcpStream: one TCP connection driven by an EventLoop, callback-based.
//
// Reads: while the stream is open it receives without holding a buffer of its own, calling
// on_data per chunk; the span is valid only during the call. On a loop with completion receives
// (EventLoop::completion_receive()) the kernel receives into the loop's buffer ring and the bytes
// come with the completion (no read() per message); otherwise a multishot poll reports
// readability and the stream read()s into one buffer shared by the thread's streams. End of
// stream means the peer half-closed: on_peer_closed fires once and reading stops (writing may
// continue: half-close).
// Writes: write() never blocks and never writes partially from the caller's point of view: what the
// kernel does not take at once is copied to an internal buffer and written when the socket is
// writable, in order, until all of it is written. on_drained fires whenever that buffer empties.
// On a loop with completion sends (EventLoop::completion_send()) a small write is always copied
// and goes to the kernel as an io_uring send with the loop's next wait (the sends of a whole
// iteration cost one system call); a write of kDirectSendBytes or more with nothing queued is
// still sent at once (one system call is cheap beside copying that much). Those buffers come from
// a per-thread pool and go back when the output drains, so an idle stream holds none.
// shutdown_write() sends FIN (SHUT_WR) after all queued bytes have been written.
// Errors: a failing call made by the caller returns IoError; an asynchronous failure (connect
// refused, reset by peer, EPIPE while flushing) calls on_error once, after which the stream is
// dead (no more callbacks) and should be destroyed. close() (or the destructor) closes at once,
// dropping unwritten bytes, and no callback fires afterwards.
// Every callback may destroy the stream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "nfv/platform/io/error.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/socket_address.hpp"
#include "nfv/platform/io/unique_fd.hpp"

namespace nfv::platform::io {

struct TcpCallbacks {
    std::function<void()> on_connected;                       // connect() succeeded
    std::function<void(std::span<const std::byte>)> on_data;  // bytes arrived
    std::function<void()> on_peer_closed;                     // EOF: the peer sent FIN
    std::function<void(const IoError&)> on_error;             // the stream is dead
    std::function<void()> on_drained;                         // write buffer emptied
};

class TcpStream final : private PollTarget {
public:
    /// Starts a non-blocking connect to `peer`; on_connected or on_error reports the outcome.
    /// Bytes written before the connection completes are queued and sent afterwards.
    [[nodiscard]] static IoResult<std::unique_ptr<TcpStream>> connect(EventLoop& loop,
                                                                      const SocketAddress& peer,
                                                                      TcpCallbacks callbacks);
    /// Wraps an accepted, non-blocking connection (from TcpListener) and starts reading.
    [[nodiscard]] static std::unique_ptr<TcpStream> adopt(EventLoop& loop, UniqueFd connection,
                                                          TcpCallbacks callbacks);
    ~TcpStream();
    TcpStream(const TcpStream&) = delete;
    TcpStream& operator=(const TcpStream&) = delete;

    /// Writes all of `data` eventually (see above). Fails with EPIPE after shutdown_write() or
    /// close(), or with the errno of an immediate send failure (the stream is then dead too).
    [[nodiscard]] IoResult<void> write(std::span<const std::byte> data);
    /// Half-close: FIN once every queued byte is written. Reading continues.
    [[nodiscard]] IoResult<void> shutdown_write();
    /// Closes the socket now; unwritten bytes are dropped; no further callbacks.
    void close();
    /// Flow control: stops reading (what arrives stays in the kernel and TCP slows the sender)
    /// until resume_reading(). With completion receives a few chunks the kernel had already
    /// received may still come through on_data after this call.
    void pause_reading();
    void resume_reading();
    [[nodiscard]] bool reading_paused() const { return paused_; }

    [[nodiscard]] std::size_t pending_write_bytes() const {
        return out_.size() - out_head_ + sending_.size() - sending_head_;
    }
    [[nodiscard]] bool connected() const { return state_ == State::kOpen; }
    [[nodiscard]] int fd() const { return fd_.get(); }

    static constexpr std::size_t kReadBufferSize = 64 * 1024;
    static constexpr int kMaxReadsPerWakeup = 16;
    static constexpr std::size_t kDirectSendBytes = 16 * 1024;

private:
    enum class State { kConnecting, kOpen, kDead };
    enum Tag : int { kRead = 0, kWrite = 1 };

    TcpStream(EventLoop& loop, UniqueFd fd, State state, TcpCallbacks callbacks);
    void on_ready(int tag, std::uint32_t revents) override;
    void on_received(int tag, int result, std::span<const std::byte> data) override;
    void on_sent(int tag, int result) override;
    // Completion sends: hands out_ to the kernel (nothing may be in flight).
    void start_send();
    // Stops the write watch; a send in flight keeps its buffer alive in the loop.
    void stop_writing();
    // Closes the socket (through the loop when completion I/O may have queued work naming it).
    void close_socket();
    // Sends what the kernel takes now without blocking; returns the count, or the error.
    IoResult<std::size_t> send_now(std::span<const std::byte> data);
    void start_reading();
    void on_connect_complete();
    void on_readable(std::uint32_t revents);
    // Writes buffered bytes; returns false if the stream died (or was destroyed) meanwhile.
    bool flush_output();
    void fail(const IoError& error);
    // Calls `callback` with a destruction guard; returns false if the stream was destroyed.
    template <typename F, typename... Args>
    bool invoke(F& callback, Args&&... args);

    EventLoop& loop_;
    UniqueFd fd_;
    State state_;
    TcpCallbacks callbacks_;
    Watch read_watch_;
    Watch write_watch_;
    std::vector<std::byte> out_;
    std::size_t out_head_ = 0;
    bool shutdown_requested_ = false;
    bool write_shut_ = false;
    bool completion_receive_ = false;  // the loop receives for us (EventLoop::completion_receive)
    bool paused_ = false;              // pause_reading()
    bool read_ended_ = false;          // end of stream seen: reading never resumes
    bool completion_send_ = false;     // the loop sends for us (EventLoop::completion_send)
    bool send_in_flight_ = false;      // sending_[sending_head_..] is with the kernel
    std::vector<std::byte> sending_;   // completion sends: the bytes in flight
    std::size_t sending_head_ = 0;
    bool* destroyed_flag_ = nullptr;
};

}  // namespace nfv::platform::io
