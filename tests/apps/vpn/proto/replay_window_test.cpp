#include "proto/replay_window.hpp"

#include <gtest/gtest.h>

namespace nfv::vpn::proto {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t kTime = 1'700'000'000;
const platform::Instant kStart{std::chrono::seconds(100)};

ReplayVerdict feed(ReplayWindow& window, std::uint32_t id, platform::Instant now = kStart,
                   std::uint32_t time = kTime) {
    return window.check_and_record(ReplayId{id, time}, now);
}

TEST(ReplayWindow, AcceptsInOrderIds) {
    ReplayWindow window;
    for (std::uint32_t id = 1; id <= 200; ++id) {
        ASSERT_EQ(feed(window, id), ReplayVerdict::kAccept) << id;
    }
}

TEST(ReplayWindow, RejectsIdZero) {
    ReplayWindow window;
    EXPECT_EQ(feed(window, 0), ReplayVerdict::kZeroId);
}

TEST(ReplayWindow, AcceptsReorderingInsideWindowOnce) {
    ReplayWindow window;
    EXPECT_EQ(feed(window, 10), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 12), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 11), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 3), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 11), ReplayVerdict::kReplay);
    EXPECT_EQ(feed(window, 3), ReplayVerdict::kReplay);
    EXPECT_EQ(feed(window, 12), ReplayVerdict::kReplay);
}

TEST(ReplayWindow, RejectsDuplicate) {
    ReplayWindow window;
    EXPECT_EQ(feed(window, 1), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 1), ReplayVerdict::kReplay);
    EXPECT_EQ(feed(window, 2), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 2), ReplayVerdict::kReplay);
}

TEST(ReplayWindow, CheckDoesNotRecord) {
    ReplayWindow window;
    EXPECT_EQ(window.check(ReplayId{1, kTime}, kStart), ReplayVerdict::kAccept);
    EXPECT_EQ(window.check(ReplayId{1, kTime}, kStart), ReplayVerdict::kAccept);
    window.record(ReplayId{1, kTime}, kStart);
    EXPECT_EQ(window.check(ReplayId{1, kTime}, kStart), ReplayVerdict::kReplay);
}

TEST(ReplayWindow, RejectsIdsOlderThanWindow) {
    ReplayWindow window(ReplayWindowConfig{.seq_backtrack = 64});
    EXPECT_EQ(feed(window, 100), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 37), ReplayVerdict::kAccept);  // 100 - 63: last slot in the window
    EXPECT_EQ(feed(window, 36), ReplayVerdict::kTooOld);
    EXPECT_EQ(feed(window, 200), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 136), ReplayVerdict::kTooOld);
    EXPECT_EQ(feed(window, 137), ReplayVerdict::kAccept);
}

TEST(ReplayWindow, LongJumpResetsWindowButKeepsRejectingOldIds) {
    ReplayWindow window(ReplayWindowConfig{.seq_backtrack = 64});
    EXPECT_EQ(feed(window, 5), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 1'000'000), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 5), ReplayVerdict::kTooOld);
    EXPECT_EQ(feed(window, 999'999), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 1'000'000), ReplayVerdict::kReplay);
    EXPECT_EQ(feed(window, 0xFFFFFFFF), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 0xFFFFFFFF), ReplayVerdict::kReplay);
}

TEST(ReplayWindow, NewerTimeStartsNewSequenceOlderTimeIsRejected) {
    ReplayWindow window;
    EXPECT_EQ(feed(window, 50), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 1, kStart, kTime + 1), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 51, kStart, kTime), ReplayVerdict::kTimeBacktrack);
    EXPECT_EQ(feed(window, 1, kStart, kTime + 1), ReplayVerdict::kReplay);
}

TEST(ReplayWindow, GapExpiresAfterTimeBacktrack) {
    ReplayWindow window(ReplayWindowConfig{.seq_backtrack = 64, .time_backtrack = 15s});
    EXPECT_EQ(feed(window, 1, kStart), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 3, kStart), ReplayVerdict::kAccept);
    // Id 2 is still welcome 15 s after id 3 arrived, but not later.
    EXPECT_EQ(window.check(ReplayId{2, kTime}, kStart + 15s), ReplayVerdict::kAccept);
    EXPECT_EQ(window.check(ReplayId{2, kTime}, kStart + 16s), ReplayVerdict::kExpired);
    // Newer ids are unaffected.
    EXPECT_EQ(feed(window, 4, kStart + 16s), ReplayVerdict::kAccept);
}

TEST(ReplayWindow, TcpModeIsStrictlySequential) {
    ReplayWindow window(ReplayWindowConfig{.seq_backtrack = 0});
    EXPECT_EQ(feed(window, 2), ReplayVerdict::kOutOfSequence);  // a new time starts at 1
    EXPECT_EQ(feed(window, 1), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 2), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 4), ReplayVerdict::kOutOfSequence);
    EXPECT_EQ(feed(window, 2), ReplayVerdict::kReplay);
    EXPECT_EQ(feed(window, 3), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 1, kStart, kTime + 5), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 4, kStart, kTime), ReplayVerdict::kTimeBacktrack);
}

TEST(ReplayWindow, ShortFormFirstIdMayBeAnything) {
    ReplayWindow window(ReplayWindowConfig{.seq_backtrack = 0});
    EXPECT_EQ(feed(window, 7, kStart, 0), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 8, kStart, 0), ReplayVerdict::kAccept);
    EXPECT_EQ(feed(window, 10, kStart, 0), ReplayVerdict::kOutOfSequence);
}

TEST(PacketIdSender, CountsFromOneWithFixedTime) {
    PacketIdSender sender(/*long_form=*/true, kTime);
    EXPECT_EQ(sender.next(kTime + 100).value(), (ReplayId{1, kTime}));
    EXPECT_EQ(sender.next(kTime + 200).value(), (ReplayId{2, kTime}));
    PacketIdSender short_form(false, kTime);
    EXPECT_EQ(short_form.next(kTime).value(), (ReplayId{1, 0}));
}

TEST(PacketIdSender, RollsOverOnlyInLongFormWhenTimeMoved) {
    PacketIdSender sender(/*long_form=*/true, kTime, 0xFFFFFFFE);
    EXPECT_EQ(sender.next(kTime).value(), (ReplayId{0xFFFFFFFF, kTime}));
    const auto stuck = sender.next(kTime);  // time did not move: no roll-over
    ASSERT_FALSE(stuck);
    EXPECT_EQ(stuck.error(), PacketIdError::kExhausted);
    EXPECT_EQ(sender.next(kTime + 1).value(), (ReplayId{1, kTime + 1}));

    PacketIdSender short_form(false, 0, 0xFFFFFFFF);
    EXPECT_FALSE(short_form.next(kTime + 100));
}

}  // namespace
}  // namespace nfv::vpn::proto
