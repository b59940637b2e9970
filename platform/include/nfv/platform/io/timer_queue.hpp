// TimerQueue: a deadline-ordered queue of one-shot timers, as a pure data structure.
//
// Contract:
//   * schedule() returns a TimerId; cancel(id) removes a pending timer (O(1) + lazy heap clean-up).
//   * pop_due(now) hands back, one at a time, every timer whose deadline <= now, earliest first;
//     timers with equal deadlines come out in insertion (schedule) order.
//   * The queue never reads a clock: `now` is a parameter, so tests drive it with
//     testing::ManualClock and the EventLoop drives it with its platform::Clock.
// Implementation: a binary min-heap on (deadline, sequence number) plus a slot table holding the
// callbacks; a cancelled timer's heap entry is skipped when it reaches the top (its slot
// generation no longer matches) and the heap is compacted when more than half of it is stale.
// Not thread-safe; owned by one EventLoop.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "nfv/platform/time.hpp"

namespace nfv::platform::io {

/// Identifies one scheduled timer. Default-constructed ids never match a timer.
struct TimerId {
    std::uint64_t value = 0;
    friend bool operator==(TimerId, TimerId) = default;
};

using TimerCallback = std::function<void()>;

class TimerQueue {
public:
    struct Due {
        TimerId id;
        Instant deadline;
        TimerCallback callback;
    };

    /// Adds a timer firing at `deadline` (which may already be in the past).
    TimerId schedule(Instant deadline, TimerCallback callback);
    /// Removes a pending timer. Returns false if it already fired, was cancelled, or never existed.
    bool cancel(TimerId id);

    /// The earliest pending deadline, or nullopt when no timer is pending.
    [[nodiscard]] std::optional<Instant> next_deadline();
    /// Removes and returns the earliest timer with deadline <= now; nullopt when none is due.
    /// Call repeatedly until nullopt. The caller runs the callback, so a callback may freely
    /// schedule or cancel timers.
    [[nodiscard]] std::optional<Due> pop_due(Instant now);

    /// Number of pending (not fired, not cancelled) timers.
    [[nodiscard]] std::size_t size() const { return live_; }
    [[nodiscard]] bool empty() const { return live_ == 0; }

private:
    struct Slot {
        TimerCallback callback;
        std::uint32_t generation = 1;
        bool live = false;
    };
    struct Entry {
        Instant deadline;
        std::uint64_t sequence;
        std::uint32_t slot;
        std::uint32_t generation;
    };
    static bool later(const Entry& a, const Entry& b);
    [[nodiscard]] bool stale(const Entry& e) const;
    void drop_stale_top();
    void release(std::uint32_t slot);

    std::vector<Entry> heap_;
    std::vector<Slot> slots_;
    std::vector<std::uint32_t> free_slots_;
    std::uint64_t next_sequence_ = 0;
    std::size_t live_ = 0;
};

}  // namespace nfv::platform::io
