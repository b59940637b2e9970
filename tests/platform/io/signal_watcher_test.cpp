#include "nfv/platform/io/signal_watcher.hpp"

#include <csignal>
#include <vector>

#include <gtest/gtest.h>
#include <pthread.h>

#include "loop_test_util.hpp"

namespace nfv::platform::io {
namespace {

bool is_blocked(int signal_number) {
    sigset_t current;
    pthread_sigmask(SIG_SETMASK, nullptr, &current);
    return sigismember(&current, signal_number) == 1;
}

TEST(SignalWatcher, DeliversEachDefaultSignalThroughTheLoop) {
    test::LoopFixture f;
    std::vector<int> received;
    auto watcher = SignalWatcher::create(*f.loop, SignalWatcher::kDefaultSignals,
                                         [&](int signo) { received.push_back(signo); });
    ASSERT_TRUE(watcher) << watcher.error().message();
    for (const int signo : SignalWatcher::kDefaultSignals) {
        EXPECT_TRUE(is_blocked(signo));
        // Raised at this thread; blocked, so it stays pending until the signalfd reads it.
        ASSERT_EQ(::pthread_kill(::pthread_self(), signo), 0);
        ASSERT_TRUE(f.run_until([&] { return !received.empty() && received.back() == signo; }));
    }
    EXPECT_EQ(received, (std::vector<int>{SIGTERM, SIGINT, SIGHUP, SIGUSR1}));
    EXPECT_EQ((*watcher)->delivered(), 4U);
}

TEST(SignalWatcher, HandlerCanStopTheLoop) {
    test::LoopFixture f;
    const std::array<int, 1> term = {SIGTERM};
    auto watcher = SignalWatcher::create(*f.loop, term, [&](int) { f.loop->stop(); });
    ASSERT_TRUE(watcher);
    ASSERT_EQ(::raise(SIGTERM), 0);
    // Bound the test: a timer stops the loop too, and tells us the signal never came.
    bool timed_out = false;
    (void)f.loop->add_timer_after(std::chrono::seconds(5), [&] {
        timed_out = true;
        f.loop->stop();
    });
    ASSERT_TRUE(f.loop->run());
    EXPECT_FALSE(timed_out);
}

TEST(SignalWatcher, DestructorRestoresPreviousMask) {
    test::LoopFixture f;
    const std::array<int, 1> hup = {SIGHUP};
    ASSERT_FALSE(is_blocked(SIGHUP));
    {
        auto watcher = SignalWatcher::create(*f.loop, hup, [](int) {});
        ASSERT_TRUE(watcher);
        EXPECT_TRUE(is_blocked(SIGHUP));
    }
    EXPECT_FALSE(is_blocked(SIGHUP));
}

TEST(SignalWatcher, InvalidSignalIsAnError) {
    test::LoopFixture f;
    const std::array<int, 1> bogus = {4096};
    auto watcher = SignalWatcher::create(*f.loop, bogus, [](int) {});
    ASSERT_FALSE(watcher);
    EXPECT_EQ(watcher.error().error_number, EINVAL);
}

}  // namespace
}  // namespace nfv::platform::io
