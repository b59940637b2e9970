#include "dhcp/lease_journal.hpp"

#include <gtest/gtest.h>

namespace nfv::dnsvizor::dhcp {
namespace {

using net::Ipv4Address;

Lease lease(std::uint8_t last, std::int64_t expires, std::string name = {}) {
    Lease l;
    l.address = Ipv4Address({10, 67, 0, last});
    l.hardware.bytes = {0x52, 0x54, 0, 0, 0, last};
    l.hostname = std::move(name);
    l.expires = platform::WallTime{expires};
    return l;
}

TEST(LeaseJournalCodec, RecordsAreOneLineEachUpsertOrRemove) {
    std::string text;
    append_journal_record(LeaseChange{LeaseEvent::kAdded, lease(10, 1900000000, "a")}, text);
    append_journal_record(LeaseChange{LeaseEvent::kDeclined, lease(11, 0)}, text);
    EXPECT_EQ(text, "+ 1900000000 52:54:00:00:00:0a 10.67.0.10 a *\n- 10.67.0.11\n");
}

TEST(LeaseJournalCodec, ReplayRoundTripsEveryEventAndKeepsSnapshotOrder) {
    std::vector<Lease> leases{lease(1, 0), lease(2, 0), lease(3, 0)};
    std::string text;
    append_journal_record(LeaseChange{LeaseEvent::kExpired, lease(1, 0)}, text);
    append_journal_record(LeaseChange{LeaseEvent::kRenewed, lease(3, 5, "x")}, text);
    append_journal_record(LeaseChange{LeaseEvent::kAdded, lease(4, 0)}, text);
    append_journal_record(LeaseChange{LeaseEvent::kReleased, lease(4, 0)}, text);
    append_journal_record(LeaseChange{LeaseEvent::kAdded, lease(1, 7)}, text);
    const auto replay = replay_journal(text, leases);
    EXPECT_EQ(replay.records, 5U);
    EXPECT_FALSE(replay.torn_tail);
    EXPECT_TRUE(replay.problems.empty());
    EXPECT_EQ(leases, (std::vector<Lease>{lease(2, 0), lease(3, 5, "x"), lease(1, 7)}));
    // Idempotent: the same records again change nothing.
    const auto before = leases;
    (void)replay_journal(text, leases);
    EXPECT_EQ(leases, before);
}

TEST(LeaseJournalCodec, TornTailAndBadRecords) {
    std::vector<Lease> leases;
    const auto replay = replay_journal("- 10.67.0.300\n+ 0 zz 10.67.0.1 * *\n+ 0 52:54", leases);
    EXPECT_TRUE(leases.empty());
    EXPECT_EQ(replay.records, 0U);
    EXPECT_TRUE(replay.torn_tail);
    ASSERT_EQ(replay.problems.size(), 2U);
    EXPECT_EQ(replay.problems[0].line, 1);
    EXPECT_EQ(replay.problems[1].line, 2);
}

}  // namespace
}  // namespace nfv::dnsvizor::dhcp
