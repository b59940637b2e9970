#include "nfv/platform/clock.hpp"

#include <time.h>

namespace nfv::platform {

namespace {

Duration read_clock(clockid_t id) {
    timespec ts{};
    ::clock_gettime(id, &ts);
    return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

}  // namespace

Instant SystemClock::now() {
    return Instant{read_clock(CLOCK_MONOTONIC)};
}

WallTime SystemClock::wall_now() {
    return WallTime{
        std::chrono::duration_cast<std::chrono::seconds>(read_clock(CLOCK_REALTIME)).count()};
}

}  // namespace nfv::platform
