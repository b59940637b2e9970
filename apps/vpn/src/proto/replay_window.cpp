#include "proto/replay_window.hpp"

#include <algorithm>

namespace nfv::vpn::proto {

ReplayWindow::ReplayWindow(ReplayWindowConfig config) : config_(config) {
    config_.seq_backtrack = std::min(config_.seq_backtrack, kMaxSeqBacktrack);
    seen_.resize(config_.seq_backtrack);
}

std::size_t ReplayWindow::slot(std::uint32_t diff) const {
    const std::size_t size = seen_.size();
    return (head_ + size - (diff % size)) % size;
}

bool ReplayWindow::expired(std::uint32_t diff, platform::Instant now) const {
    if (config_.time_backtrack <= platform::Duration::zero()) {
        return false;
    }
    // A gap closes once anything newer than (or equal to) it was seen too long ago.
    for (std::uint32_t i = 0; i <= diff; ++i) {
        const auto& seen_at = seen_[slot(i)];
        if (seen_at && *seen_at + config_.time_backtrack < now) {
            return true;
        }
    }
    return false;
}

ReplayVerdict ReplayWindow::check(ReplayId id, platform::Instant now) const {
    if (id.id == 0) {
        return ReplayVerdict::kZeroId;
    }
    if (started_ && id.time < time_) {
        return ReplayVerdict::kTimeBacktrack;
    }
    if (config_.seq_backtrack == 0) {
        // Strict mode: a new time starts at 1; the same time continues without gaps. The very
        // first id of a time-less (short form) sequence may be anything, as in OpenVPN.
        if (id.time > time_) {
            return id.id == 1 ? ReplayVerdict::kAccept : ReplayVerdict::kOutOfSequence;
        }
        if (highest_ == 0 || id.id == highest_ + 1) {
            return ReplayVerdict::kAccept;
        }
        return id.id <= highest_ ? ReplayVerdict::kReplay : ReplayVerdict::kOutOfSequence;
    }
    if (!started_ || id.time > time_ || id.id > highest_) {
        return ReplayVerdict::kAccept;
    }
    const std::uint32_t diff = highest_ - id.id;
    if (diff >= filled_) {
        return ReplayVerdict::kTooOld;
    }
    if (seen_[slot(diff)]) {
        return ReplayVerdict::kReplay;
    }
    if (expired(diff, now)) {
        return ReplayVerdict::kExpired;
    }
    return ReplayVerdict::kAccept;
}

void ReplayWindow::record(ReplayId id, platform::Instant now) {
    if (config_.seq_backtrack == 0) {
        started_ = true;
        time_ = id.time;
        highest_ = id.id;
        return;
    }
    const std::uint32_t backtrack = config_.seq_backtrack;
    const bool jump = id.id >= backtrack && id.id - backtrack > highest_;
    if (!started_ || id.time > time_ || jump) {
        // New sequence (or a jump past the whole window): forget everything. The window then
        // covers ids from id - backtrack upwards, like OpenVPN's packet_id_add.
        started_ = true;
        time_ = id.time;
        highest_ = id.id > backtrack ? id.id - backtrack : 0;
        std::fill(seen_.begin(), seen_.end(), std::nullopt);
        head_ = 0;
        filled_ = 0;
    }
    while (highest_ < id.id) {
        ++highest_;
        head_ = (head_ + 1) % seen_.size();
        seen_[head_].reset();
        filled_ = std::min(filled_ + 1, seen_.size());
    }
    const std::uint32_t diff = highest_ - id.id;
    if (diff < filled_) {
        seen_[slot(diff)] = now;
    }
}

ReplayVerdict ReplayWindow::check_and_record(ReplayId id, platform::Instant now) {
    const ReplayVerdict verdict = check(id, now);
    if (verdict == ReplayVerdict::kAccept) {
        record(id, now);
    }
    return verdict;
}

Result<ReplayId, PacketIdError> PacketIdSender::next(std::uint32_t wall_time) {
    if (id_ == UINT32_MAX) {
        // Roll over only in long form and only when the time moved on (OpenVPN rule).
        if (!long_form_ || wall_time <= time_) {
            return Unexpected(PacketIdError::kExhausted);
        }
        time_ = wall_time;
        id_ = 0;
    }
    ++id_;
    return ReplayId{id_, long_form_ ? time_ : 0};
}

}  // namespace nfv::vpn::proto
