#include "server/persist_schedule.hpp"

#include <algorithm>
#include <chrono>

namespace nfv::vpn::server {

PersistSchedule::PersistSchedule(std::uint32_t seconds)
    : interval_(std::chrono::seconds(seconds)) {}

void PersistSchedule::changed(platform::Instant now) {
    if (read_only() || pending_) {
        return;
    }
    pending_ = true;
    first_change_ = now;
}

std::optional<platform::Instant> PersistSchedule::deadline() const {
    if (!pending_) {
        return std::nullopt;
    }
    if (!last_write_) {
        return first_change_;
    }
    return std::max(first_change_, *last_write_ + interval_);
}

bool PersistSchedule::due(platform::Instant now) const {
    const auto when = deadline();
    return when && now >= *when;
}

void PersistSchedule::attempted(platform::Instant now) {
    last_write_ = now;
}

void PersistSchedule::written(platform::Instant now) {
    pending_ = false;
    last_write_ = now;
}

}  // namespace nfv::vpn::server
