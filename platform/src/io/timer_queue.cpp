#include "nfv/platform/io/timer_queue.hpp"

#include <algorithm>
#include <utility>

namespace nfv::platform::io {

namespace {

constexpr TimerId make_id(std::uint32_t slot, std::uint32_t generation) {
    return TimerId{(static_cast<std::uint64_t>(generation) << 32U) | slot};
}
constexpr std::uint32_t slot_of(TimerId id) {
    return static_cast<std::uint32_t>(id.value);
}
constexpr std::uint32_t generation_of(TimerId id) {
    return static_cast<std::uint32_t>(id.value >> 32U);
}

}  // namespace

// std::push_heap builds a max-heap on the comparator, so "later" puts the earliest on top.
// The sequence number breaks ties, giving insertion order for equal deadlines.
bool TimerQueue::later(const Entry& a, const Entry& b) {
    if (a.deadline != b.deadline) {
        return a.deadline > b.deadline;
    }
    return a.sequence > b.sequence;
}

bool TimerQueue::stale(const Entry& e) const {
    const Slot& slot = slots_[e.slot];
    return !slot.live || slot.generation != e.generation;
}

TimerId TimerQueue::schedule(Instant deadline, TimerCallback callback) {
    std::uint32_t index = 0;
    if (!free_slots_.empty()) {
        index = free_slots_.back();
        free_slots_.pop_back();
    } else {
        index = static_cast<std::uint32_t>(slots_.size());
        slots_.emplace_back();
    }
    Slot& slot = slots_[index];
    slot.callback = std::move(callback);
    slot.live = true;
    heap_.push_back(Entry{deadline, next_sequence_++, index, slot.generation});
    std::push_heap(heap_.begin(), heap_.end(), later);
    ++live_;
    return make_id(index, slot.generation);
}

void TimerQueue::release(std::uint32_t index) {
    Slot& slot = slots_[index];
    slot.callback = nullptr;
    slot.live = false;
    ++slot.generation;
    if (slot.generation == 0) {
        slot.generation = 1;  // 0 is reserved so that TimerId{} never matches
    }
    free_slots_.push_back(index);
    --live_;
}

bool TimerQueue::cancel(TimerId id) {
    const std::uint32_t index = slot_of(id);
    if (index >= slots_.size()) {
        return false;
    }
    const Slot& slot = slots_[index];
    if (!slot.live || slot.generation != generation_of(id)) {
        return false;
    }
    release(index);
    // Lazy deletion: the heap entry stays until it reaches the top, unless stale entries
    // dominate, in which case rebuild so memory stays proportional to live timers.
    if (heap_.size() > 64 && heap_.size() > 2 * live_) {
        std::erase_if(heap_, [this](const Entry& e) { return stale(e); });
        std::make_heap(heap_.begin(), heap_.end(), later);
    }
    return true;
}

void TimerQueue::drop_stale_top() {
    while (!heap_.empty() && stale(heap_.front())) {
        std::pop_heap(heap_.begin(), heap_.end(), later);
        heap_.pop_back();
    }
}

std::optional<Instant> TimerQueue::next_deadline() {
    drop_stale_top();
    if (heap_.empty()) {
        return std::nullopt;
    }
    return heap_.front().deadline;
}

std::optional<TimerQueue::Due> TimerQueue::pop_due(Instant now) {
    drop_stale_top();
    if (heap_.empty() || heap_.front().deadline > now) {
        return std::nullopt;
    }
    const Entry top = heap_.front();
    std::pop_heap(heap_.begin(), heap_.end(), later);
    heap_.pop_back();
    Due due{make_id(top.slot, top.generation), top.deadline, std::move(slots_[top.slot].callback)};
    release(top.slot);
    return due;
}

}  // namespace nfv::platform::io
