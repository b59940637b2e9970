#include "nfv/platform/testing/manual_clock.hpp"

#include <cstdlib>

namespace nfv::platform::testing {

WallTime ManualClock::wall_now() {
    const auto elapsed = std::chrono::duration_cast<std::chrono::seconds>(now_ - start_);
    return WallTime{wall_.unix_seconds + elapsed.count()};
}

void ManualClock::advance(Duration step) {
    if (step < Duration::zero()) {
        std::abort();
    }
    now_ += step;
}

}  // namespace nfv::platform::testing
