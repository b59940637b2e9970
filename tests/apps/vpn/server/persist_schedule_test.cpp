#include "server/persist_schedule.hpp"

#include <gtest/gtest.h>

namespace nfv::vpn::server {
namespace {

using namespace std::chrono_literals;

platform::Instant at(std::chrono::seconds seconds) {
    return platform::Instant{} + seconds;
}

TEST(PersistSchedule, NothingPendingNothingToWrite) {
    PersistSchedule schedule(600);
    EXPECT_EQ(schedule.deadline(), std::nullopt);
    EXPECT_FALSE(schedule.due(at(10000s)));
    EXPECT_FALSE(schedule.pending());
}

TEST(PersistSchedule, FirstChangeIsWrittenAtOnceLaterOnesAreCoalesced) {
    PersistSchedule schedule(600);
    schedule.changed(at(100s));
    EXPECT_EQ(schedule.deadline(), at(100s));
    EXPECT_TRUE(schedule.due(at(100s)));
    schedule.written(at(100s));
    EXPECT_FALSE(schedule.pending());

    schedule.changed(at(200s));
    schedule.changed(at(300s));
    EXPECT_EQ(schedule.deadline(), at(700s)) << "one write per 600 s interval";
    EXPECT_FALSE(schedule.due(at(699s)));
    EXPECT_TRUE(schedule.due(at(700s)));
    schedule.written(at(700s));

    schedule.changed(at(2000s));
    EXPECT_EQ(schedule.deadline(), at(2000s)) << "after a quiet interval: at once again";
}

TEST(PersistSchedule, APendingChangeIsReportedForShutdown) {
    PersistSchedule schedule(600);
    schedule.changed(at(1s));
    schedule.written(at(1s));
    schedule.changed(at(2s));
    EXPECT_TRUE(schedule.pending());
    EXPECT_FALSE(schedule.due(at(3s)));
}

TEST(PersistSchedule, AFailedWriteRetriesAfterTheIntervalNotAtOnce) {
    // A write that fails (unwritable directory after dropping privileges) must not leave the
    // deadline in the past: the runtime's timer would fire again at once, forever.
    PersistSchedule schedule(600);
    schedule.changed(at(10s));
    ASSERT_TRUE(schedule.due(at(10s)));
    schedule.attempted(at(10s));
    EXPECT_TRUE(schedule.pending()) << "the change is still unwritten";
    EXPECT_FALSE(schedule.due(at(11s)));
    EXPECT_EQ(schedule.deadline(), at(610s));
}

TEST(PersistSchedule, ZeroSecondsIsReadOnly) {
    PersistSchedule schedule(0);
    EXPECT_TRUE(schedule.read_only());
    schedule.changed(at(1s));
    EXPECT_FALSE(schedule.pending());
    EXPECT_EQ(schedule.deadline(), std::nullopt);
    EXPECT_FALSE(schedule.due(at(100s)));
}

}  // namespace
}  // namespace nfv::vpn::server
