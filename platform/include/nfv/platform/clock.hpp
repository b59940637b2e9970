// Clock: where runtime code gets `now`. Cores receive Instants; tests use testing::ManualClock.
#pragma once

#include "nfv/platform/time.hpp"

namespace nfv::platform {

class Clock {
public:
    Clock() = default;
    Clock(const Clock&) = delete;
    Clock& operator=(const Clock&) = delete;
    virtual ~Clock() = default;

    /// Monotonic time; never goes backwards.
    [[nodiscard]] virtual Instant now() = 0;
    /// Wall-clock time, for lease expiry written to files and for log stamps.
    [[nodiscard]] virtual WallTime wall_now() = 0;

protected:
    Clock(Clock&&) = default;
    Clock& operator=(Clock&&) = default;
};

/// CLOCK_MONOTONIC and CLOCK_REALTIME.
class SystemClock final : public Clock {
public:
    [[nodiscard]] Instant now() override;
    [[nodiscard]] WallTime wall_now() override;
};

}  // namespace nfv::platform
