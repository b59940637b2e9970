#include "nfv/platform/time.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace nfv::platform {
namespace {

using namespace std::chrono_literals;

TEST(Instant, AddAndSubtractDurations) {
    const Instant t0{10s};
    EXPECT_EQ((t0 + 500ms).since_epoch, 10500ms);
    EXPECT_EQ((t0 - 2s).since_epoch, 8s);
    Instant t = t0;
    t += 1ns;
    EXPECT_EQ(t.since_epoch, 10s + 1ns);
}

TEST(Instant, DifferenceIsSignedDuration) {
    const Instant a{5s};
    const Instant b{7s};
    EXPECT_EQ(b - a, 2s);
    EXPECT_EQ(a - b, -2s);
    EXPECT_EQ((a + (b - a)), b);
}

TEST(Instant, OrdersByTimeLine) {
    const Instant early{1s};
    const Instant late{1s + 1ns};
    EXPECT_LT(early, late);
    EXPECT_GT(late, early);
    EXPECT_LE(early, early);
    EXPECT_EQ(early, Instant{1000ms});
    EXPECT_NE(early, late);
    EXPECT_EQ(Instant{}, Instant{0ns});
}

TEST(Instant, ArithmeticIsConstexpr) {
    constexpr Instant t = Instant{1s} + 1s;
    static_assert(t.since_epoch == 2s);
    static_assert(Instant{1s} < Instant{2s});
    EXPECT_EQ(t.since_epoch, 2s);
}

TEST(WallTime, OrdersBySeconds) {
    EXPECT_LT(WallTime{1}, WallTime{2});
    EXPECT_EQ(WallTime{1'700'000'000}, WallTime{1'700'000'000});
}

}  // namespace
}  // namespace nfv::platform
