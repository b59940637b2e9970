#include "nfv/platform/io/timer_queue.hpp"

#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/platform/testing/manual_clock.hpp"

namespace nfv::platform::io {
namespace {

using namespace std::chrono_literals;

std::vector<int> fire_due(TimerQueue& queue, Instant now) {
    std::vector<int> fired;
    while (auto due = queue.pop_due(now)) {
        due->callback();
        fired.push_back(static_cast<int>(fired.size()));
    }
    return fired;
}

TEST(TimerQueue, FiresInDeadlineOrderUnderManualClock) {
    testing::ManualClock clock;
    TimerQueue queue;
    std::vector<int> order;
    const Instant t0 = clock.now();
    (void)queue.schedule(t0 + 30ms, [&] { order.push_back(30); });
    (void)queue.schedule(t0 + 10ms, [&] { order.push_back(10); });
    (void)queue.schedule(t0 + 20ms, [&] { order.push_back(20); });
    (void)queue.schedule(t0 + 5s, [&] { order.push_back(5000); });

    EXPECT_TRUE(fire_due(queue, clock.now()).empty());
    clock.advance(15ms);
    fire_due(queue, clock.now());
    EXPECT_EQ(order, (std::vector<int>{10}));
    clock.advance(20ms);
    fire_due(queue, clock.now());
    EXPECT_EQ(order, (std::vector<int>{10, 20, 30}));
    ASSERT_TRUE(queue.next_deadline().has_value());
    EXPECT_EQ(*queue.next_deadline(), t0 + 5s);
    clock.advance(10s);
    fire_due(queue, clock.now());
    EXPECT_EQ(order, (std::vector<int>{10, 20, 30, 5000}));
    EXPECT_TRUE(queue.empty());
}

TEST(TimerQueue, EqualDeadlinesFireInInsertionOrder) {
    TimerQueue queue;
    std::vector<int> order;
    const Instant t{std::chrono::seconds(5)};
    for (int i = 0; i < 50; ++i) {
        (void)queue.schedule(t, [&order, i] { order.push_back(i); });
    }
    (void)queue.schedule(t - 1ns, [&order] { order.push_back(-1); });
    fire_due(queue, t);
    ASSERT_EQ(order.size(), 51U);
    EXPECT_EQ(order.front(), -1);
    for (int i = 0; i < 50; ++i) {
        EXPECT_EQ(order[static_cast<std::size_t>(i) + 1], i);
    }
}

TEST(TimerQueue, CancelledTimerNeverFires) {
    TimerQueue queue;
    int fired = 0;
    const Instant t{std::chrono::seconds(1)};
    const TimerId a = queue.schedule(t, [&] { fired += 1; });
    (void)queue.schedule(t + 1ms, [&] { fired += 10; });
    EXPECT_TRUE(queue.cancel(a));
    EXPECT_FALSE(queue.cancel(a));
    EXPECT_EQ(queue.size(), 1U);
    EXPECT_EQ(*queue.next_deadline(), t + 1ms);
    fire_due(queue, t + 1s);
    EXPECT_EQ(fired, 10);
}

TEST(TimerQueue, CancelAfterFireAndUnknownIdReturnFalse) {
    TimerQueue queue;
    const Instant t{std::chrono::seconds(1)};
    const TimerId a = queue.schedule(t, [] {});
    fire_due(queue, t);
    EXPECT_FALSE(queue.cancel(a));
    EXPECT_FALSE(queue.cancel(TimerId{}));
    // The slot is reused by the next timer; the old id must not cancel it.
    const TimerId b = queue.schedule(t, [] {});
    EXPECT_FALSE(queue.cancel(a));
    EXPECT_TRUE(queue.cancel(b));
}

TEST(TimerQueue, ManyCancellationsKeepOrderAndSize) {
    TimerQueue queue;
    std::vector<TimerId> ids;
    std::vector<int> order;
    const Instant t{std::chrono::seconds(1)};
    for (int i = 0; i < 1000; ++i) {
        ids.push_back(queue.schedule(t + std::chrono::milliseconds(1000 - i),
                                     [&order, i] { order.push_back(i); }));
    }
    for (int i = 0; i < 1000; ++i) {
        if (i % 10 != 0) {
            EXPECT_TRUE(queue.cancel(ids[static_cast<std::size_t>(i)]));
        }
    }
    EXPECT_EQ(queue.size(), 100U);
    fire_due(queue, t + 10s);
    ASSERT_EQ(order.size(), 100U);
    for (std::size_t k = 0; k < order.size(); ++k) {
        EXPECT_EQ(order[k], 990 - static_cast<int>(k) * 10);
    }
}

TEST(TimerQueue, CallbackMaySchedule) {
    TimerQueue queue;
    const Instant t{std::chrono::seconds(1)};
    int fired = 0;
    (void)queue.schedule(t, [&] {
        ++fired;
        (void)queue.schedule(t, [&] { ++fired; });
    });
    fire_due(queue, t);
    EXPECT_EQ(fired, 2);
}

}  // namespace
}  // namespace nfv::platform::io
