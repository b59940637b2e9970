// ManualClock: a Clock that moves only when a test says so.
#pragma once

#include "nfv/platform/clock.hpp"

namespace nfv::platform::testing {

class ManualClock final : public Clock {
public:
    explicit ManualClock(Instant start = Instant{std::chrono::seconds(1000)},
                         WallTime wall_start = WallTime{1'700'000'000})
        : now_(start), wall_(wall_start), start_(start) {}

    [[nodiscard]] Instant now() override { return now_; }
    [[nodiscard]] WallTime wall_now() override;

    /// Moves both clocks forward; a negative step is a test bug and aborts.
    void advance(Duration step);

private:
    Instant now_;
    WallTime wall_;
    Instant start_;
};

}  // namespace nfv::platform::testing
