// Instant and Duration: time as a value. Protocol cores take `Instant now` as a parameter and never
// read a clock themselves; only runtime code asks a Clock (see clock.hpp).
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>

namespace nfv::platform {

using Duration = std::chrono::nanoseconds;

/// A point on a monotonic time line (CLOCK_MONOTONIC in the runtime, arbitrary in tests).
struct Instant {
    Duration since_epoch{};

    constexpr auto operator<=>(const Instant&) const = default;

    constexpr Instant& operator+=(Duration d) {
        since_epoch += d;
        return *this;
    }
    friend constexpr Instant operator+(Instant t, Duration d) { return Instant{t.since_epoch + d}; }
    friend constexpr Instant operator-(Instant t, Duration d) { return Instant{t.since_epoch - d}; }
    friend constexpr Duration operator-(Instant a, Instant b) {
        return a.since_epoch - b.since_epoch;
    }
};

/// Wall-clock seconds since the Unix epoch, for lease files and logs (never for timeouts).
struct WallTime {
    std::int64_t unix_seconds = 0;
    constexpr auto operator<=>(const WallTime&) const = default;
};

}  // namespace nfv::platform
