#include "nfv/platform/io/event_loop.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <utility>

#include <sys/socket.h>

#include <poll.h>

#include "buffer_ring.hpp"

namespace nfv::platform::io {

namespace {

// user_data layout: low 32 bits = slot index, high 32 bits = arm id. Arm id 0 never names a live
// arm, so user_data 0 marks completions we ignore (poll removals).
constexpr std::uint64_t kIgnoredUserData = 0;
constexpr std::size_t kCompletionBatch = 256;
constexpr std::uint16_t kReceiveBufferGroup = 0;

constexpr std::uint64_t encode(std::uint32_t slot, std::uint32_t arm) {
    return (static_cast<std::uint64_t>(arm) << 32U) | slot;
}

__kernel_timespec to_timespec(Duration d) {
    if (d < Duration::zero()) {
        d = Duration::zero();
    }
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(d);
    __kernel_timespec ts{};
    ts.tv_sec = seconds.count();
    ts.tv_nsec = (d - seconds).count();
    return ts;
}

}  // namespace

// ---- Watch ----------------------------------------------------------------------------------

Watch::Watch(EventLoop& loop, PollTarget& target, int tag)
    : loop_(loop), slot_(loop.add_slot(target, tag)) {}

Watch::~Watch() {
    loop_.remove_slot(slot_);
}

void Watch::arm(int fd, std::uint32_t events, bool multishot, PollMode mode) {
    EventLoop::Slot& slot = loop_.slots_[slot_];
    if (slot.arm != 0) {
        loop_.disarm_slot(slot_);
    }
    slot.watch(fd, events, multishot, mode == PollMode::kRearmed, /*is_receive=*/false,
               /*is_send=*/false);
    loop_.arm_slot(slot_);
}

void Watch::arm_receive(int fd) {
    EventLoop::Slot& slot = loop_.slots_[slot_];
    if (slot.arm != 0) {
        loop_.disarm_slot(slot_);
    }
    slot.watch(fd, 0, /*is_multishot=*/true, /*is_rearmed=*/false, /*is_receive=*/true,
               /*is_send=*/false);
    loop_.arm_slot(slot_);
}

void Watch::stop_receive() {
    EventLoop::Slot& slot = loop_.slots_[slot_];
    if (!slot.receive || slot.arm == 0 || slot.stopping) {
        return;
    }
    io_uring_sqe* sqe = loop_.get_sqe();
    if (sqe == nullptr) {
        return;  // cannot happen after a submit frees the queue; keeps receiving
    }
    // Unlike disarm(), the arm stays current: what the receive took before the cancellation
    // lands is still delivered; handle_receive() does not re-arm a stopping receive.
    io_uring_prep_cancel64(sqe, encode(slot_, slot.arm), 0);
    io_uring_sqe_set_data64(sqe, kIgnoredUserData);
    slot.stopping = true;
}

void Watch::resume_receive(int fd) {
    EventLoop::Slot& slot = loop_.slots_[slot_];
    if (slot.receive && slot.arm != 0) {
        slot.stopping = false;  // the cancelled receive is re-armed when it ends
        return;
    }
    arm_receive(fd);
}

void Watch::arm_send(int fd, std::span<const std::byte> data) {
    EventLoop::Slot& slot = loop_.slots_[slot_];
    if (slot.arm != 0) {
        loop_.disarm_slot(slot_);
    }
    slot.watch(fd, 0, /*is_multishot=*/false, /*is_rearmed=*/false, /*is_receive=*/false,
               /*is_send=*/true);
    io_uring_sqe* sqe = loop_.get_sqe();
    if (sqe == nullptr) {
        slot.arm = 0;  // cannot happen after a submit frees the queue (see arm_slot)
        loop_.deferred_.push_back({slot_, slot.generation, POLLERR});
        return;
    }
    slot.arm = loop_.next_arm_++;
    if (loop_.next_arm_ == 0) {
        loop_.next_arm_ = 1;
    }
    // MSG_WAITALL: the kernel retries a short send on a stream socket until all is sent.
    io_uring_prep_send(sqe, fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_WAITALL);
    io_uring_sqe_set_data64(sqe, encode(slot_, slot.arm));
}

void Watch::disarm_keeping(std::vector<std::byte> buffer) {
    EventLoop::Slot& slot = loop_.slots_[slot_];
    if (slot.arm == 0) {
        return;  // nothing in flight: the buffer can go now
    }
    const std::uint64_t user_data = encode(slot_, slot.arm);
    loop_.disarm_slot(slot_);
    loop_.orphans_.push_back({user_data, std::move(buffer)});
    ++loop_.stats_.orphans_kept;
}

void Watch::disarm() {
    loop_.disarm_slot(slot_);
}

bool Watch::armed() const {
    return loop_.slots_[slot_].arm != 0;
}

void Watch::defer(std::uint32_t revents) {
    loop_.deferred_.push_back({slot_, loop_.slots_[slot_].generation, revents});
}

void Watch::request_flush() {
    EventLoop::Slot& slot = loop_.slots_[slot_];
    if (!slot.flush_requested) {
        slot.flush_requested = true;
        loop_.flushes_.push_back({slot_, slot.generation, 0});
    }
}

// ---- EventLoop ------------------------------------------------------------------------------

IoResult<std::unique_ptr<EventLoop>> EventLoop::create(Clock& clock, EventLoopOptions options) {
    io_uring ring{};
    // COOP_TASKRUN (5.19) avoids an IPI per completion since we always reap from the loop thread;
    // SUBMIT_ALL (5.18) keeps submitting past a failed SQE. Older kernels reject unknown flags
    // with EINVAL, so fall back to no flags.
    io_uring_params params{};
    params.flags = IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL;
    int rc = io_uring_queue_init_params(options.queue_depth, &ring, &params);
    if (rc == -EINVAL) {
        params = io_uring_params{};
        rc = io_uring_queue_init_params(options.queue_depth, &ring, &params);
    }
    if (rc < 0) {
        return Unexpected(make_error("io_uring_queue_init", -rc));
    }
    auto loop = std::unique_ptr<EventLoop>(new EventLoop(clock, ring, options.multishot_poll));
    loop->create_receive_ring(options);
    loop->completion_send_ = options.completion_send;
    return loop;
}

void EventLoop::create_receive_ring(const EventLoopOptions& options) {
    if (options.receive_buffers == 0) {
        return;
    }
    // A kernel without incrementally consumed buffer rings (< 6.12) refuses: the loop then has no
    // completion receives and streams read on readiness, as they did before.
    auto ring = detail::BufferRing::create(ring_, kReceiveBufferGroup, options.receive_buffers,
                                           options.receive_buffer_size);
    if (ring) {
        receive_ring_ = std::move(*ring);
    }
}

EventLoop::EventLoop(Clock& clock, const io_uring& ring, bool multishot_poll)
    : clock_(clock), ring_(ring), multishot_poll_(multishot_poll) {
    deferred_.reserve(64);
    deferred_running_.reserve(64);
    flushes_.reserve(64);
    flushes_running_.reserve(64);
}

EventLoop::~EventLoop() {
    io_uring_submit(&ring_);  // queued closes and cancellations
    drain_orphans();
    receive_ring_.reset();  // unregistered while the ring is still open
    io_uring_queue_exit(&ring_);
}

std::uint32_t EventLoop::add_slot(PollTarget& target, int tag) {
    std::uint32_t index = 0;
    if (!free_slots_.empty()) {
        index = free_slots_.back();
        free_slots_.pop_back();
    } else {
        index = static_cast<std::uint32_t>(slots_.size());
        slots_.emplace_back();
    }
    Slot& slot = slots_[index];
    slot.target = &target;
    slot.tag = tag;
    slot.in_use = true;
    return index;
}

void EventLoop::remove_slot(std::uint32_t index) {
    disarm_slot(index);
    Slot& slot = slots_[index];
    slot.target = nullptr;
    slot.in_use = false;
    slot.flush_requested = false;
    slot.fd = -1;
    ++slot.generation;
    free_slots_.push_back(index);
}

io_uring_sqe* EventLoop::get_sqe() {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (sqe == nullptr) {
        // Submission queue full: hand what we have to the kernel and try again.
        io_uring_submit(&ring_);
        sqe = io_uring_get_sqe(&ring_);
    }
    return sqe;
}

void EventLoop::arm_slot(std::uint32_t index) {
    Slot& slot = slots_[index];
    io_uring_sqe* sqe = get_sqe();
    if (sqe == nullptr) {
        // Cannot happen after a submit frees the queue; treat as a spurious error readiness so
        // the owner retries its system call and sees the real state.
        slot.arm = 0;
        deferred_.push_back({index, slot.generation, POLLERR});
        return;
    }
    slot.arm = next_arm_++;
    if (next_arm_ == 0) {
        next_arm_ = 1;
    }
    if (slot.receive) {
        io_uring_prep_recv_multishot(sqe, slot.fd, nullptr, 0, 0);
        sqe->flags |= IOSQE_BUFFER_SELECT;
        sqe->buf_group = kReceiveBufferGroup;
    } else if (slot.multishot && multishot_poll_ && !slot.rearmed) {
        io_uring_prep_poll_multishot(sqe, slot.fd, slot.events);
    } else {
        io_uring_prep_poll_add(sqe, slot.fd, slot.events);
    }
    io_uring_sqe_set_data64(sqe, encode(index, slot.arm));
}

void EventLoop::disarm_slot(std::uint32_t index) {
    Slot& slot = slots_[index];
    if (slot.arm == 0) {
        return;
    }
    io_uring_sqe* sqe = get_sqe();
    if (sqe != nullptr) {
        if (slot.receive || slot.send) {
            io_uring_prep_cancel64(sqe, encode(index, slot.arm), 0);
        } else {
            io_uring_prep_poll_remove(sqe, encode(index, slot.arm));
        }
        io_uring_sqe_set_data64(sqe, kIgnoredUserData);
    }
    // From here on completions of the old arm carry a stale arm id and are ignored.
    slot.arm = 0;
    slot.stopping = false;
}

bool EventLoop::handle_completion(std::uint64_t user_data, std::int32_t result,
                                  std::uint32_t flags) {
    // Bytes of a completion receive are taken from the ring even when nobody wants them any more
    // (a receive that completed after its watch was disarmed): the ring's bookkeeping follows
    // every completion. run_once() releases them after this call.
    std::span<const std::byte> received;
    if ((flags & IORING_CQE_F_BUFFER) != 0 && receive_ring_ != nullptr && result > 0) {
        received = receive_ring_->take(flags, static_cast<std::size_t>(result));
    }
    const auto index = static_cast<std::uint32_t>(user_data);
    const auto arm = static_cast<std::uint32_t>(user_data >> 32U);
    if (arm == 0 || index >= slots_.size()) {
        return false;
    }
    Slot& slot = slots_[index];
    if (!slot.in_use || slot.arm != arm) {
        if (!orphans_.empty()) {
            release_orphan(user_data);  // a send whose owner went away has finished
        }
        return false;  // completion of a cancelled or replaced arm
    }
    if (slot.receive) {
        return handle_receive(index, result, flags, received);
    }
    if (slot.send) {
        slot.arm = 0;
        ++stats_.completions;
        slot.target->on_sent(slot.tag, result);  // may destroy the target and free the slot
        return true;
    }
    const bool more = (flags & IORING_CQE_F_MORE) != 0;
    if (!more) {
        slot.arm = 0;
    }
    if (result == -EINVAL && slot.multishot && multishot_poll_ && !slot.rearmed) {
        // Kernel without IORING_POLL_ADD_MULTI (< 5.13): fall back, loop-wide, to one-shot polls
        // that are re-armed after every completion.
        multishot_poll_ = false;
        arm_slot(index);
        return false;
    }
    if (result == -ECANCELED) {
        if (!more && slot.multishot) {
            arm_slot(index);
        }
        return false;
    }
    // The kernel ended a multishot poll (e.g. on CQ overflow) or we run one-shot polls: arm it
    // again before dispatch, so a readiness edge during the callback is not lost. A failed poll
    // (bad fd) is not re-armed; the owner sees POLLERR and its next system call reports why.
    if (!more && slot.multishot && result >= 0) {
        arm_slot(index);
    }
    const std::uint32_t revents =
        result < 0 ? static_cast<std::uint32_t>(POLLERR) : static_cast<std::uint32_t>(result);
    ++stats_.completions;
    slot.target->on_ready(slot.tag, revents);  // may destroy the target and free the slot
    return true;
}

void EventLoop::close_after_submit(UniqueFd fd) {
    if (fd.get() < 0) {
        return;
    }
    io_uring_sqe* sqe = get_sqe();
    if (sqe == nullptr) {
        return;  // cannot happen after a submit frees the queue (see arm_slot); closes now
    }
    io_uring_prep_close(sqe, fd.release());
    io_uring_sqe_set_data64(sqe, kIgnoredUserData);
}

void EventLoop::release_orphan(std::uint64_t user_data) {
    const auto it = std::find_if(orphans_.begin(), orphans_.end(),
                                 [&](const Orphan& o) { return o.user_data == user_data; });
    if (it != orphans_.end()) {
        *it = std::move(orphans_.back());
        orphans_.pop_back();
        ++stats_.orphans_released;
    }
}

void EventLoop::drain_orphans() {
    // The kernel may still read the buffers of sends whose owners went away: submit their
    // cancellations and wait (bounded) for the completions before freeing them. A send that
    // neither completes nor cancels within the bound is left allocated (leaked) rather than freed
    // under the kernel.
    for (int round = 0; round < 100 && !orphans_.empty(); ++round) {
        __kernel_timespec ts = to_timespec(std::chrono::milliseconds(10));
        io_uring_cqe* cqe = nullptr;
        (void)io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr);
        while (io_uring_peek_cqe(&ring_, &cqe) == 0 && cqe != nullptr) {
            const std::uint64_t user_data = cqe->user_data;
            const std::uint32_t flags = cqe->flags;
            const std::int32_t result = cqe->res;
            io_uring_cqe_seen(&ring_, cqe);
            if ((flags & IORING_CQE_F_BUFFER) != 0 && receive_ring_ != nullptr && result > 0) {
                (void)receive_ring_->take(flags, static_cast<std::size_t>(result));
                receive_ring_->release();
            }
            release_orphan(user_data);
        }
    }
    for (Orphan& orphan : orphans_) {
        auto* leaked = new std::vector<std::byte>(std::move(orphan.buffer));  // NOLINT: see above
        (void)leaked;
    }
}

bool EventLoop::handle_receive(std::uint32_t index, std::int32_t result, std::uint32_t flags,
                               std::span<const std::byte> data) {
    Slot& slot = slots_[index];
    if ((flags & IORING_CQE_F_MORE) == 0) {
        slot.arm = 0;
        // The kernel ended the multishot receive without an end of stream or error of the
        // socket: the ring ran out of buffers (those taken in this batch are back before the
        // next submission), the completion queue overflowed, or the kernel stopped it for its own
        // reasons (-ECANCELED on a live arm, e.g. at exec). Receive again, unless stop_receive()
        // asked for exactly this end.
        const bool stopped = slot.stopping;
        slot.stopping = false;
        if (!stopped && (result > 0 || result == -ENOBUFS || result == -ECANCELED)) {
            ++stats_.receive_restarts;
            arm_slot(index);
        }
    }
    if (result == -ENOBUFS || result == -ECANCELED) {
        return false;
    }
    ++stats_.completions;
    slot.target->on_received(slot.tag, result, data);  // may destroy the target and free the slot
    return true;
}

void EventLoop::coalesce_readiness(std::span<Completion> batch) {
    // A multishot poll posts a completion for every wake-up of the fd, so a busy socket shows up
    // several times in one batch, and each would cost its owner a drain (a recvmmsg or read that
    // mostly finds what the first one already took). Readiness is level-triggered here: the
    // owner drains the fd when called, so the first completion of an arm, carrying the union of
    // the batch's revents for it (a POLLRDHUP seen only later must not be lost), says it all.
    ++batch_serial_;
    const auto mergeable = [&](const Completion& c) -> Slot* {
        const auto index = static_cast<std::uint32_t>(c.user_data);
        const auto arm = static_cast<std::uint32_t>(c.user_data >> 32U);
        if (arm == 0 || index >= slots_.size() || c.result < 0 ||
            (c.flags & IORING_CQE_F_MORE) == 0) {
            return nullptr;
        }
        Slot& slot = slots_[index];
        return slot.in_use && slot.arm == arm && !slot.receive ? &slot : nullptr;
    };
    bool merged = false;
    for (Completion& c : batch) {
        Slot* slot = mergeable(c);
        if (slot == nullptr) {
            continue;
        }
        if (slot->batch_serial != batch_serial_) {
            slot->batch_serial = batch_serial_;
            slot->batch_revents = static_cast<std::uint32_t>(c.result);
        } else {
            slot->batch_revents |= static_cast<std::uint32_t>(c.result);
            c.duplicate = true;
            merged = true;
        }
    }
    if (!merged) {
        return;
    }
    for (Completion& c : batch) {
        if (Slot* slot = mergeable(c); slot != nullptr && !c.duplicate) {
            c.result = static_cast<std::int32_t>(slot->batch_revents);
        }
    }
    stats_.coalesced += static_cast<std::uint64_t>(
        std::count_if(batch.begin(), batch.end(), [](const Completion& c) { return c.duplicate; }));
}

std::size_t EventLoop::run_deferred() {
    if (deferred_.empty()) {
        return 0;
    }
    std::swap(deferred_, deferred_running_);
    std::size_t count = 0;
    for (const Pending& p : deferred_running_) {
        Slot& slot = slots_[p.slot];
        if (slot.in_use && slot.generation == p.generation) {
            ++count;
            slot.target->on_ready(slot.tag, p.revents);
        }
    }
    deferred_running_.clear();
    return count;
}

std::size_t EventLoop::run_timers() {
    std::size_t count = 0;
    const Instant now = clock_.now();
    while (auto due = timers_.pop_due(now)) {
        ++count;
        ++stats_.timers_fired;
        if (due->callback) {
            due->callback();
        }
    }
    return count;
}

void EventLoop::run_flushes() {
    // A flush may queue more work for another object (or itself); bound the rounds.
    for (int round = 0; round < 4 && !flushes_.empty(); ++round) {
        std::swap(flushes_, flushes_running_);
        for (const Pending& p : flushes_running_) {
            Slot& slot = slots_[p.slot];
            if (slot.in_use && slot.generation == p.generation && slot.flush_requested) {
                slot.flush_requested = false;
                slot.target->on_flush(slot.tag);
            }
        }
        flushes_running_.clear();
    }
}

IoResult<std::size_t> EventLoop::run_once(std::optional<Duration> timeout) {
    ++stats_.iterations;
    run_flushes();

    // How long may we block? Not at all when deferred work is waiting; otherwise until the
    // caller's timeout or the nearest timer, whichever comes first.
    std::optional<Duration> wait = timeout;
    if (!deferred_.empty()) {
        wait = Duration::zero();
    }
    if (const auto deadline = timers_.next_deadline()) {
        const Duration until = *deadline - clock_.now();
        if (!wait || until < *wait) {
            wait = until;
        }
    }

    io_uring_cqe* cqe = nullptr;
    int rc = 0;
    if (wait) {
        __kernel_timespec ts = to_timespec(*wait);
        rc = io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr);
    } else {
        rc = io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, nullptr, nullptr);
    }
    if (rc < 0 && rc != -ETIME && rc != -EINTR && rc != -EAGAIN && rc != -EBUSY) {
        return Unexpected(make_error("io_uring_submit_and_wait", -rc));
    }

    // Copy the completions out before dispatching: handlers submit new SQEs and may re-enter
    // liburing, and the CQ ring slots must be released promptly.
    std::size_t dispatched = 0;
    std::array<io_uring_cqe*, kCompletionBatch> cqes{};
    std::array<Completion, kCompletionBatch> batch{};
    bool woke = false;
    for (;;) {
        const unsigned n = io_uring_peek_batch_cqe(&ring_, cqes.data(), kCompletionBatch);
        if (n == 0) {
            break;
        }
        woke = true;
        for (unsigned i = 0; i < n; ++i) {
            batch[i] = Completion{cqes[i]->user_data, cqes[i]->res, cqes[i]->flags, false};
        }
        io_uring_cq_advance(&ring_, n);
        coalesce_readiness(std::span(batch).first(n));
        for (unsigned i = 0; i < n; ++i) {
            if (batch[i].duplicate) {
                continue;
            }
            if (handle_completion(batch[i].user_data, batch[i].result, batch[i].flags)) {
                ++dispatched;
            }
            if (receive_ring_ != nullptr) {
                receive_ring_->release();
            }
        }
        if (n < kCompletionBatch) {
            break;
        }
    }
    if (woke) {
        ++stats_.wakeups;
    }
    dispatched += run_deferred();
    dispatched += run_timers();
    run_flushes();
    return dispatched;
}

IoResult<void> EventLoop::run() {
    while (!stop_requested_) {
        auto result = run_once(std::nullopt);
        if (!result) {
            stop_requested_ = false;
            return Unexpected(result.error());
        }
    }
    stop_requested_ = false;
    return {};
}

TimerId EventLoop::add_timer(Instant deadline, TimerCallback callback) {
    return timers_.schedule(deadline, std::move(callback));
}

TimerId EventLoop::add_timer_after(Duration delay, TimerCallback callback) {
    return timers_.schedule(clock_.now() + delay, std::move(callback));
}

bool EventLoop::cancel_timer(TimerId id) {
    return timers_.cancel(id);
}

}  // namespace nfv::platform::io
