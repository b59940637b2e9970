// EventLoop: the io_uring event loop every runtime layer uses to touch the OS.
//
// Threading: ONE EventLoop PER THREAD. An EventLoop and every io object attached to it (Watch,
// UdpSocket, TcpStream, TcpListener, TunDevice, SignalWatcher) must be created, used and destroyed
// on the thread that runs the loop; nothing here is thread-safe. Destroy the io objects before
// the loop.
//
// Model: readiness through io_uring. Each fd is watched with a (multishot) IORING_OP_POLL_ADD; when
// it becomes ready the owning object drains it with batching system calls (recvmmsg, sendmmsg,
// read/write loops). Why readiness rather than completion-based reads:
//   * the kernel never holds pointers into our buffers, so destroying an object only has to
//     cancel a poll (stale completions are recognised by a generation and ignored), with no
//     in-flight I/O into freed memory;
//   * one mechanism serves UDP, TCP, TUN and signalfd alike, and maps one-to-one onto the
//     unikernel target's "wait for the tap fd" call;
//   * batching comes from recvmmsg/sendmmsg into fixed, pre-allocated pools, so there is no
//     allocation per packet, and a slow consumer leaves data in the kernel (back-pressure)
//     instead of exhausting a provided-buffer ring (ENOBUFS, re-arm protocol).
// Readiness is level-triggered for the owners: each drains its fd when called, so the several
// completions a busy fd's multishot poll posts into one batch are dispatched once, with the union
// of their revents (coalesce_readiness(); counted in EventLoopStats::coalesced).
// Completion receives (opt-in, EventLoopOptions::receive_buffers; TcpStream uses them when the
// loop has them): the one exception to readiness, for TCP, where a read() per wake-up is a system
// call per message. Watch::arm_receive() submits a multishot IORING_OP_RECV that picks its buffer
// from a ring of buffers the LOOP owns (detail::BufferRing, incrementally consumed, kernel 6.12),
// so the bytes arrive in the completion and on_received() hands them over: the kernel still never
// holds a pointer into an object's memory, and cancelling is as for a poll (a late completion of
// a cancelled receive only returns its bytes to the ring). What a slow consumer leaves unread is
// the kernel's to keep, as before, except that a receive may run ahead into the ring (bounded by
// the ring's size per loop); an exhausted ring ends the receive (ENOBUFS) and the loop re-arms it.
// No ring (kernel too old, or not asked for): owners fall back to readiness.
// Completion sends (opt-in, EventLoopOptions::completion_send): Watch::arm_send() queues an
// IORING_OP_SEND that goes to the kernel with the loop's next wait, so the sends of a whole
// iteration cost one system call. Here the kernel does hold a pointer into the owner's buffer
// until the completion: an owner destroyed first hands the buffer to the loop
// (Watch::disarm_keeping()), which frees it when the cancelled send completes.
// Timers come from a TimerQueue; the wait in run_once() is io_uring_submit_and_wait_timeout() with
// the time to the nearest deadline (an io_uring timeout, passed as the EXT_ARG wait argument).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include <liburing.h>

#include "nfv/platform/clock.hpp"
#include "nfv/platform/io/error.hpp"
#include "nfv/platform/io/timer_queue.hpp"
#include "nfv/platform/io/unique_fd.hpp"

namespace nfv::platform::io {

class EventLoop;
namespace detail {
class BufferRing;
}

/// Implemented by io objects: receives readiness for the watches it owns. `tag` is the value the
/// object gave its Watch, so one object can own several (e.g. read and write).
class PollTarget {
public:
    PollTarget() = default;
    PollTarget(const PollTarget&) = delete;
    PollTarget& operator=(const PollTarget&) = delete;

    /// The fd is ready: `revents` is a poll(2) mask (POLLIN, POLLOUT, POLLERR, POLLHUP ...).
    /// The callee may destroy itself (and so its Watch) inside this call.
    virtual void on_ready(int tag, std::uint32_t revents) = 0;
    /// Called once per loop iteration, before the loop blocks, after Watch::request_flush().
    virtual void on_flush(int /*tag*/) {}
    /// A completion receive (Watch::arm_receive) finished: `result` > 0 bytes are in `data` (valid
    /// during this call only); 0 = end of stream, < 0 = -errno; after either no further calls.
    /// The callee may destroy itself inside this call.
    virtual void on_received(int /*tag*/, int /*result*/, std::span<const std::byte> /*data*/) {}
    /// A completion send (Watch::arm_send) finished: `result` bytes were sent, or -errno.
    virtual void on_sent(int /*tag*/, int /*result*/) {}

protected:
    ~PollTarget() = default;
    PollTarget(PollTarget&&) = default;
    PollTarget& operator=(PollTarget&&) = default;
};

/// How a watch that stays armed is kept armed:
///   kMultishot  one multishot poll: the kernel posts a completion for every wake-up of the fd
///               (one SQE for the watch's life; the right choice for many mostly idle fds);
///   kRearmed    a one-shot poll, re-armed by the loop before each dispatch and submitted with
///               the next wait: one completion per loop iteration at most, so a busy fd being
///               drained does not make the kernel queue completions for every arrival.
enum class PollMode : std::uint8_t { kMultishot, kRearmed };

/// A registration of one PollTarget with the loop; RAII (the destructor cancels any armed poll).
/// This is the building block of the io objects; applications normally use those instead.
class Watch {
public:
    Watch(EventLoop& loop, PollTarget& target, int tag);
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;
    ~Watch();

    /// Starts watching `fd` for `events` (POLLIN / POLLOUT ...). A multishot watch stays armed
    /// until disarm() (the loop re-arms it if the kernel ends it); a one-shot watch fires once.
    /// Re-arming an armed watch replaces the previous arm. `mode` says how a multishot watch is
    /// kept armed (see PollMode).
    void arm(int fd, std::uint32_t events, bool multishot, PollMode mode = PollMode::kMultishot);
    /// Completion receive from the stream socket `fd` into the loop's buffer ring: on_received()
    /// per completion, until disarm(), end of stream or an error. Only when
    /// EventLoop::completion_receive() is true.
    void arm_receive(int fd);
    /// Flow control for a completion receive: stops it (cancels it in the kernel) without losing
    /// what it has already received: completions that carry bytes keep being dispatched until
    /// the receive has ended. No-op when not receiving.
    void stop_receive();
    /// Undoes stop_receive(): receives from `fd` again (continuing the old receive if it has not
    /// ended yet).
    void resume_receive(int fd);
    /// Completion send of `data` on the stream socket `fd` (all of it, unless an error comes
    /// first): one on_sent() when done. `data` must stay valid and unchanged until then, or until
    /// disarm_keeping() took it over. Only when EventLoop::completion_send() is true.
    void arm_send(int fd, std::span<const std::byte> data);
    /// disarm() for a send in flight whose buffer is about to go away with its owner: the loop
    /// keeps `buffer` (which holds the bytes passed to arm_send) until the kernel is done with it.
    void disarm_keeping(std::vector<std::byte> buffer);
    /// Stops watching; no further on_ready() for the previous arm. No-op when not armed.
    void disarm();
    [[nodiscard]] bool armed() const;
    /// Asks the loop to call on_ready(tag, revents) again in the next iteration without blocking
    /// (used when an object stopped draining early to bound the work done per wake-up).
    void defer(std::uint32_t revents);
    /// Asks the loop to call on_flush(tag) before it next blocks (coalesces sends per wake-up).
    void request_flush();

private:
    EventLoop& loop_;
    std::uint32_t slot_;
};

struct EventLoopOptions {
    unsigned queue_depth = 256;  // io_uring submission queue entries
    // Multishot polls (one SQE, many CQEs). When false, or when the kernel rejects them, every
    // watch uses one-shot polls re-armed after each completion (the fallback path).
    bool multishot_poll = true;
    // Completion receives (Watch::arm_receive): a ring of `receive_buffers` buffers (a power of
    // two) of `receive_buffer_size` bytes, consumed incrementally (kernel 6.12). 0 = none; on a
    // kernel that cannot, the loop is created without (completion_receive() false).
    unsigned receive_buffers = 0;
    std::size_t receive_buffer_size = 64 * 1024;
    // Completion sends (Watch::arm_send), submitted with the next wait.
    bool completion_send = false;
};

struct EventLoopStats {
    std::uint64_t iterations = 0;   // run_once() calls
    std::uint64_t wakeups = 0;      // iterations that returned with at least one completion
    std::uint64_t completions = 0;  // CQEs processed
    std::uint64_t timers_fired = 0;
    std::uint64_t coalesced = 0;  // readiness completions folded into an earlier one of a batch
    std::uint64_t receive_restarts = 0;  // completion receives re-armed (ring exhausted, ...)
    std::uint64_t orphans_kept = 0;      // send buffers taken over from owners that went away
    std::uint64_t orphans_released = 0;  // ... and freed once their send completed
};

class EventLoop {
public:
    /// Creates the io_uring instance. `clock` must outlive the loop; timers are measured on it.
    [[nodiscard]] static IoResult<std::unique_ptr<EventLoop>> create(Clock& clock,
                                                                     EventLoopOptions options = {});
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;
    ~EventLoop();

    /// Runs iterations until stop() is called (from a callback). Returns the first io_uring
    /// failure, if any.
    IoResult<void> run();
    /// Makes run() return after the current iteration. Loop thread only.
    void stop() { stop_requested_ = true; }

    /// One iteration: flush queued sends, wait for completions up to `timeout` (nullopt = until
    /// something happens; zero = just poll) and the nearest timer deadline, then dispatch every
    /// ready completion, deferred readiness and due timer. Returns the number of callbacks run
    /// (readiness dispatches + timers), 0 on timeout.
    IoResult<std::size_t> run_once(std::optional<Duration> timeout);

    /// Timers: `callback` runs on the loop thread once clock().now() >= deadline.
    TimerId add_timer(Instant deadline, TimerCallback callback);
    TimerId add_timer_after(Duration delay, TimerCallback callback);
    /// False if the timer already fired or was cancelled.
    bool cancel_timer(TimerId id);

    [[nodiscard]] Clock& clock() { return clock_; }
    [[nodiscard]] Instant now() { return clock_.now(); }
    [[nodiscard]] const EventLoopStats& stats() const { return stats_; }
    /// Whether Watch::arm_receive() is available (EventLoopOptions::receive_buffers).
    [[nodiscard]] bool completion_receive() const { return receive_ring_ != nullptr; }
    /// Whether Watch::arm_send() is available (EventLoopOptions::completion_send).
    [[nodiscard]] bool completion_send() const { return completion_send_; }
    /// Closes `fd` with an IORING_OP_CLOSE queued behind every operation already queued for it,
    /// for owners of completion receives or sends: a plain close() before the loop's next
    /// submission would free the fd number while a queued recv or send still names it, and an
    /// accept in between could hand that number to another connection, whose bytes the recv
    /// would take or to which the send would write.
    void close_after_submit(UniqueFd fd);

private:
    friend class Watch;
    struct Slot {
        PollTarget* target = nullptr;
        int tag = 0;
        int fd = -1;
        std::uint32_t events = 0;
        std::uint32_t arm = 0;         // id of the current arm; 0 = not armed
        std::uint32_t generation = 1;  // bumped when the slot is freed (for deferred work)
        bool multishot = false;
        bool rearmed = false;   // PollMode::kRearmed: one-shot polls even when multishot works
        bool receive = false;   // arm_receive(): a multishot recv, not a poll
        bool send = false;      // arm_send(): a one-shot send, not a poll
        bool stopping = false;  // stop_receive(): cancelled, ends without being re-armed
        // What the slot watches from now on (its old arm disarmed first): set by every arm_*().
        void watch(int watched_fd, std::uint32_t watched_events, bool is_multishot, bool is_rearmed,
                   bool is_receive, bool is_send) {
            fd = watched_fd;
            events = watched_events;
            multishot = is_multishot;
            rearmed = is_rearmed;
            receive = is_receive;
            send = is_send;
            stopping = false;
        }
        bool in_use = false;
        bool flush_requested = false;
        std::uint64_t batch_serial = 0;   // coalesce_readiness(): last batch that saw this slot
        std::uint32_t batch_revents = 0;  // ... and the union of its revents there
    };
    struct Completion {  // a CQE copied out of the ring
        std::uint64_t user_data;
        std::int32_t result;
        std::uint32_t flags;
        bool duplicate;  // folded into an earlier completion of the same arm
    };
    struct Orphan {  // the buffer of a send whose owner went away (Watch::disarm_keeping)
        std::uint64_t user_data;
        std::vector<std::byte> buffer;
    };
    struct Pending {  // deferred readiness or flush request
        std::uint32_t slot;
        std::uint32_t generation;
        std::uint32_t revents;
    };

    EventLoop(Clock& clock, const io_uring& ring, bool multishot_poll);
    void create_receive_ring(const EventLoopOptions& options);
    void release_orphan(std::uint64_t user_data);
    void drain_orphans();
    std::uint32_t add_slot(PollTarget& target, int tag);
    void remove_slot(std::uint32_t slot);
    void arm_slot(std::uint32_t slot);
    void disarm_slot(std::uint32_t slot);
    io_uring_sqe* get_sqe();
    bool handle_completion(std::uint64_t user_data, std::int32_t result, std::uint32_t flags);
    bool handle_receive(std::uint32_t index, std::int32_t result, std::uint32_t flags,
                        std::span<const std::byte> data);
    void coalesce_readiness(std::span<Completion> batch);
    std::size_t run_deferred();
    std::size_t run_timers();
    void run_flushes();

    Clock& clock_;
    io_uring ring_;
    TimerQueue timers_;
    std::vector<Slot> slots_;
    std::vector<std::uint32_t> free_slots_;
    std::vector<Pending> deferred_;
    std::vector<Pending> deferred_running_;
    std::vector<Pending> flushes_;
    std::vector<Pending> flushes_running_;
    std::uint32_t next_arm_ = 1;
    std::uint64_t batch_serial_ = 0;
    bool stop_requested_ = false;
    bool multishot_poll_ = true;  // cleared if the kernel rejects IORING_POLL_ADD_MULTI
    EventLoopStats stats_;
    std::unique_ptr<detail::BufferRing> receive_ring_;  // completion receives, or none
    bool completion_send_ = false;
    std::vector<Orphan> orphans_;
};

}  // namespace nfv::platform::io
