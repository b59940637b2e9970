#include "nfv/platform/testing/manual_clock.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace nfv::platform::testing {
namespace {

using namespace std::chrono_literals;

TEST(ManualClock, StandsStillUntilAdvanced) {
    ManualClock clock(Instant{5s}, WallTime{100});
    EXPECT_EQ(clock.now(), Instant{5s});
    EXPECT_EQ(clock.now(), Instant{5s});
    EXPECT_EQ(clock.wall_now(), WallTime{100});
}

TEST(ManualClock, AdvanceMovesMonotonicTime) {
    ManualClock clock(Instant{5s});
    clock.advance(250ms);
    EXPECT_EQ(clock.now(), Instant{5250ms});
    clock.advance(0ns);
    EXPECT_EQ(clock.now(), Instant{5250ms});
    clock.advance(1h);
    EXPECT_EQ(clock.now() - Instant{5s}, 1h + 250ms);
}

TEST(ManualClock, WallClockFollowsInWholeSeconds) {
    ManualClock clock(Instant{0s}, WallTime{1'700'000'000});
    clock.advance(999ms);
    EXPECT_EQ(clock.wall_now(), WallTime{1'700'000'000});
    clock.advance(1ms);
    EXPECT_EQ(clock.wall_now(), WallTime{1'700'000'001});
    clock.advance(3600s);
    EXPECT_EQ(clock.wall_now(), WallTime{1'700'003'601});
}

TEST(ManualClock, UsableThroughClockInterface) {
    ManualClock manual;
    Clock& clock = manual;
    const Instant before = clock.now();
    manual.advance(2s);
    EXPECT_EQ(clock.now() - before, 2s);
}

TEST(ManualClockDeathTest, NegativeStepAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    ManualClock clock;
    EXPECT_DEATH(clock.advance(-1ns), "");
}

}  // namespace
}  // namespace nfv::platform::testing
