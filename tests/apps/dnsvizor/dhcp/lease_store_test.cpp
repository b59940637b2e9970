#include "dhcp/lease_store.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace nfv::dnsvizor::dhcp {
namespace {

namespace fs = std::filesystem;
using net::Ipv4Address;

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "nfv-lease-store-XXXXXX").string();
        const char* made = ::mkdtemp(pattern.data());
        EXPECT_NE(made, nullptr);
        path_ = pattern;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    [[nodiscard]] std::string file(const std::string& name) const {
        return (path_ / name).string();
    }

private:
    fs::path path_;
};

std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void write_all(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
}

Lease lease(std::uint8_t last, std::int64_t expires, std::string name = {}) {
    Lease l;
    l.address = Ipv4Address({10, 67, 0, last});
    l.hardware.bytes = {0x52, 0x54, 0, 0, 0, last};
    l.hostname = std::move(name);
    l.expires = platform::WallTime{expires};
    return l;
}

// A file exactly as dnsmasq 2.90 writes it, DHCPv6 section included.
constexpr std::string_view kDnsmasqFile =
    "1900000000 52:54:00:12:34:56 10.67.0.50 laptop 01:52:54:00:12:34:56\n"
    "0 52:54:00:aa:bb:cc 10.67.0.2 * *\n"
    "duid 00:01:00:01:2c:5e:12:34:52:54:00:12:34:56\n"
    "1900000000 1234 fd00::50 laptop 00:01:00:01\n";

TEST(LeaseStore, MissingFileIsAnEmptyDatabase) {
    TempDir dir;
    auto store = LeaseStore::open(dir.file("dnsmasq.leases"), false);
    ASSERT_TRUE(store) << store.error();
    EXPECT_TRUE(store->initial_leases().empty());
}

TEST(LeaseStore, ReadsADnsmasqFileUnchangedAndKeepsItsIpv6Part) {
    TempDir dir;
    const auto path = dir.file("dnsmasq.leases");
    write_all(path, std::string(kDnsmasqFile));
    auto store = LeaseStore::open(path, false);
    ASSERT_TRUE(store) << store.error();
    ASSERT_EQ(store->initial_leases().size(), 2U);
    EXPECT_EQ(store->initial_leases()[0].hostname, "laptop");
    EXPECT_TRUE(store->initial_leases()[1].infinite());
    ASSERT_TRUE(store->write(store->initial_leases()));
    EXPECT_EQ(read_all(path), kDnsmasqFile) << "a round trip through us is byte-identical";
}

TEST(LeaseStore, WriteReplacesTheWholeFileAndLeavesNoTempFile) {
    TempDir dir;
    const auto path = dir.file("leases");
    auto store = LeaseStore::open(path, false);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->write({lease(10, 1900000000, "a"), lease(11, 0)}));
    EXPECT_EQ(read_all(path),
              "1900000000 52:54:00:00:00:0a 10.67.0.10 a *\n0 52:54:00:00:00:0b 10.67.0.11 * *\n");
    ASSERT_TRUE(store->write({lease(11, 0)}));
    EXPECT_EQ(read_all(path), "0 52:54:00:00:00:0b 10.67.0.11 * *\n");
    EXPECT_FALSE(fs::exists(path + ".tmp"));
    EXPECT_EQ(store->writes(), 2U);
    // And it reads back.
    auto again = LeaseStore::open(path, false);
    ASSERT_TRUE(again);
    ASSERT_EQ(again->initial_leases().size(), 1U);
    EXPECT_EQ(again->initial_leases()[0], lease(11, 0));
}

TEST(LeaseStore, LeftoverPartialTempFileFromACrashNeverReplacesTheRealFile) {
    TempDir dir;
    const auto path = dir.file("leases");
    write_all(path, "1900000000 52:54:00:00:00:0a 10.67.0.10 a *\n");
    // A crash during a write leaves a half-written temp file behind.
    write_all(path + ".tmp", "1900000000 52:54:00:00:00:0b 10.67");
    auto store = LeaseStore::open(path, false);
    ASSERT_TRUE(store);
    ASSERT_EQ(store->initial_leases().size(), 1U);
    EXPECT_EQ(store->initial_leases()[0].address, Ipv4Address({10, 67, 0, 10}));
    EXPECT_TRUE(store->problems().empty());
    // The next write overwrites the stale temp file and renames a complete one.
    ASSERT_TRUE(store->write({lease(12, 0)}));
    EXPECT_EQ(read_all(path), "0 52:54:00:00:00:0c 10.67.0.12 * *\n");
}

TEST(LeaseStore, FailedWriteLeavesTheOldFileIntactAndNamesThePath) {
    TempDir dir;
    const auto path = dir.file("leases");
    write_all(path, "0 52:54:00:00:00:0a 10.67.0.10 a *\n");
    auto store = LeaseStore::open(path, false);
    ASSERT_TRUE(store);
    // Make the temp file impossible to create (a directory is in the way; works as root too).
    fs::create_directory(path + ".tmp");
    const auto result = store->write({lease(12, 0)});
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().find(path + ".tmp"), std::string::npos) << result.error();
    EXPECT_EQ(read_all(path), "0 52:54:00:00:00:0a 10.67.0.10 a *\n");
    EXPECT_EQ(store->failed_writes(), 1U);
}

TEST(LeaseStore, ReadOnlyNeitherReadsNorWrites) {
    TempDir dir;
    const auto path = dir.file("leases");
    write_all(path, std::string(kDnsmasqFile));
    auto store = LeaseStore::open(path, true);
    ASSERT_TRUE(store);
    EXPECT_TRUE(store->initial_leases().empty());
    ASSERT_TRUE(store->write({lease(12, 0)}));
    EXPECT_EQ(read_all(path), kDnsmasqFile);
}

TEST(LeaseStore, UnreadableFileIsAnErrorNamingIt) {
    TempDir dir;
    const auto path = dir.file("leases");
    fs::create_directory(path);  // reading a directory fails with EISDIR
    const auto store = LeaseStore::open(path, false);
    ASSERT_FALSE(store);
    EXPECT_NE(store.error().find(path), std::string::npos) << store.error();
}

Outcome ack_outcome(std::uint8_t last) {
    Outcome o;
    o.reply = Reply{};
    o.reply->message.yiaddr = Ipv4Address({10, 67, 0, last});
    o.changes.push_back(LeaseChange{LeaseEvent::kAdded, lease(last, 1900000000)});
    return o;
}

Outcome offer_outcome(std::uint8_t last) {
    Outcome o;
    o.reply = Reply{};
    o.reply->message.yiaddr = Ipv4Address({10, 67, 0, last});
    return o;
}

GroupCommit::AllLeases all(std::vector<Lease> leases) {
    return [leases = std::move(leases)] { return leases; };
}

GroupCommit::AllLeases never_asked() {
    return [] {
        ADD_FAILURE() << "the full lease list was asked for without a compaction being due";
        return std::vector<Lease>{};
    };
}

TEST(GroupCommit, RepliesAreReleasedOnlyAfterOneJournalAppendOfTheBatch) {
    TempDir dir;
    const auto path = dir.file("leases");
    auto store = LeaseStore::open(path, false);
    ASSERT_TRUE(store);
    GroupCommit batch;
    batch.add(ack_outcome(20));
    batch.add(offer_outcome(21), 7);
    batch.add(ack_outcome(22));
    EXPECT_TRUE(batch.dirty());
    EXPECT_EQ(batch.held(), 3U);
    EXPECT_FALSE(fs::exists(path + ".journal")) << "nothing is written before commit";
    const auto released = batch.commit(*store, never_asked());
    ASSERT_EQ(released.size(), 3U);
    EXPECT_EQ(released[1].route, 7U) << "the caller's route travels with its reply";
    EXPECT_EQ(store->appends(), 1U) << "one append for the whole batch";
    EXPECT_EQ(store->writes(), 0U) << "no rewrite of the lease file per batch";
    EXPECT_EQ(store->journal_records(), 2U);
    // At the moment the replies are handed out, both leases are on disk (in the journal).
    auto reread = LeaseStore::open(path, false);
    ASSERT_TRUE(reread);
    const std::vector<Lease> now_leased{lease(20, 1900000000), lease(22, 1900000000)};
    EXPECT_EQ(reread->initial_leases(), now_leased);
    EXPECT_EQ(reread->journal_replay().records, 2U);
    EXPECT_FALSE(batch.dirty());
    EXPECT_EQ(batch.held(), 0U);
}

TEST(GroupCommit, BatchWithoutChangesDoesNotWrite) {
    TempDir dir;
    auto store = LeaseStore::open(dir.file("leases"), false);
    ASSERT_TRUE(store);
    GroupCommit batch;
    batch.add(offer_outcome(30));
    EXPECT_EQ(batch.commit(*store, never_asked()).size(), 1U);
    EXPECT_EQ(store->writes(), 0U);
    EXPECT_EQ(store->appends(), 0U);
}

TEST(GroupCommit, CompactsIntoADnsmasqLeaseFileWhenTheJournalIsFull) {
    TempDir dir;
    const auto path = dir.file("leases");
    auto store = LeaseStore::open(path, false);
    ASSERT_TRUE(store);
    GroupCommit batch(/*compact_after=*/2);
    batch.add(ack_outcome(50));
    batch.add(ack_outcome(51));
    ASSERT_EQ(batch.commit(*store, never_asked()).size(), 2U);
    EXPECT_EQ(store->journal_records(), 2U);
    batch.add(ack_outcome(52));
    const std::vector<Lease> now_leased{lease(50, 1900000000), lease(51, 1900000000),
                                        lease(52, 1900000000)};
    ASSERT_EQ(batch.commit(*store, all(now_leased)).size(), 1U);
    EXPECT_EQ(store->writes(), 1U);
    EXPECT_EQ(store->journal_records(), 0U);
    EXPECT_EQ(fs::file_size(path + ".journal"), 0U) << "the journal is emptied";
    EXPECT_EQ(read_all(path),
              "1900000000 52:54:00:00:00:32 10.67.0.50 * *\n"
              "1900000000 52:54:00:00:00:33 10.67.0.51 * *\n"
              "1900000000 52:54:00:00:00:34 10.67.0.52 * *\n")
        << "dnsmasq's format at rest";
    auto reread = LeaseStore::open(path, false);
    ASSERT_TRUE(reread);
    EXPECT_EQ(reread->initial_leases(), now_leased);
}

TEST(GroupCommit, FailedAppendWithholdsAcksButNotOffersAndCompactsNext) {
    TempDir dir;
    const auto path = dir.file("leases");
    auto store = LeaseStore::open(path, false);
    ASSERT_TRUE(store);
    // A directory in the journal's place makes the append fail (works as root too).
    fs::create_directory(path + ".journal");
    GroupCommit batch;
    batch.add(ack_outcome(40));
    batch.add(offer_outcome(41));
    std::string error;
    const auto released = batch.commit(*store, never_asked(), &error);
    ASSERT_EQ(released.size(), 1U);
    EXPECT_EQ(released[0].reply.message.yiaddr, Ipv4Address({10, 67, 0, 41})) << "only the offer";
    EXPECT_EQ(batch.withheld(), 1U);
    EXPECT_NE(error.find(path + ".journal"), std::string::npos) << error;
    EXPECT_TRUE(batch.dirty()) << "the next commit retries";
    fs::remove(path + ".journal");
    EXPECT_TRUE(batch.commit(*store, all({lease(40, 1900000000)})).empty());
    EXPECT_FALSE(batch.dirty());
    EXPECT_EQ(read_all(path), "1900000000 52:54:00:00:00:28 10.67.0.40 * *\n");
}

TEST(LeaseJournal, AnAppendAfterAFailedOneIsRefusedUntilCompaction) {
    TempDir dir;
    const auto path = dir.file("leases");
    auto store = LeaseStore::open(path, false);
    ASSERT_TRUE(store);
    fs::create_directory(path + ".journal");
    const std::vector<LeaseChange> add{LeaseChange{LeaseEvent::kAdded, lease(60, 1900000000)}};
    ASSERT_FALSE(store->append(add));
    fs::remove(path + ".journal");
    EXPECT_TRUE(store->needs_compaction());
    EXPECT_FALSE(store->append(add)) << "a half-written record must not be followed";
    ASSERT_TRUE(store->write({lease(60, 1900000000)}));
    EXPECT_FALSE(store->needs_compaction());
    EXPECT_TRUE(store->append(add));
}

TEST(LeaseJournal, ReplaysOverTheSnapshotAtOpen) {
    TempDir dir;
    const auto path = dir.file("leases");
    write_all(path,
              "1900000000 52:54:00:00:00:0a 10.67.0.10 a *\n"
              "1900000000 52:54:00:00:00:0b 10.67.0.11 b *\n");
    {
        auto store = LeaseStore::open(path, false);
        ASSERT_TRUE(store);
        ASSERT_TRUE(store->append({LeaseChange{LeaseEvent::kRenewed, lease(10, 1900000500, "a")},
                                   LeaseChange{LeaseEvent::kReleased, lease(11, 1900000000)},
                                   LeaseChange{LeaseEvent::kAdded, lease(12, 0, "c")}}));
    }
    EXPECT_EQ(read_all(path).size(), 88U) << "the snapshot is not rewritten by an append";
    auto store = LeaseStore::open(path, false);
    ASSERT_TRUE(store);
    const std::vector<Lease> expected{lease(10, 1900000500, "a"), lease(12, 0, "c")};
    EXPECT_EQ(store->initial_leases(), expected);
    EXPECT_EQ(store->journal_records(), 3U);
    EXPECT_TRUE(store->problems().empty());
}

TEST(LeaseJournal, TornLastRecordIsIgnored) {
    TempDir dir;
    const auto path = dir.file("leases");
    write_all(path + ".journal",
              "+ 1900000000 52:54:00:00:00:0a 10.67.0.10 a *\n"
              "+ 1900000000 52:54:00:00:00:0b 10.6");
    auto store = LeaseStore::open(path, false);
    ASSERT_TRUE(store);
    ASSERT_EQ(store->initial_leases().size(), 1U);
    EXPECT_EQ(store->initial_leases()[0], lease(10, 1900000000, "a"));
    EXPECT_TRUE(store->journal_replay().torn_tail);
    EXPECT_TRUE(store->problems().empty()) << "a torn tail is expected after a crash";
}

TEST(LeaseJournal, CrashBetweenRenameAndTruncateIsIdempotent) {
    TempDir dir;
    const auto path = dir.file("leases");
    std::vector<Lease> state;
    {
        auto store = LeaseStore::open(path, false);
        ASSERT_TRUE(store);
        ASSERT_TRUE(store->write({lease(10, 1900000000, "a"), lease(11, 1900000000)}));
        ASSERT_TRUE(store->append({LeaseChange{LeaseEvent::kExpired, lease(10, 1900000000)},
                                   LeaseChange{LeaseEvent::kAdded, lease(13, 1900000000, "a")},
                                   LeaseChange{LeaseEvent::kReleased, lease(13, 1900000000)},
                                   LeaseChange{LeaseEvent::kAdded, lease(10, 1900000900)}}));
        const std::string journal = read_all(path + ".journal");
        auto reopened = LeaseStore::open(path, false);
        ASSERT_TRUE(reopened);
        state = reopened->initial_leases();
        // Compaction renamed the new snapshot in place, then the crash came before the
        // truncation: the old journal is still there.
        ASSERT_TRUE(store->write(state));
        write_all(path + ".journal", journal);
    }
    EXPECT_EQ(state, (std::vector<Lease>{lease(11, 1900000000), lease(10, 1900000900)}));
    auto store = LeaseStore::open(path, false);
    ASSERT_TRUE(store);
    EXPECT_EQ(store->journal_records(), 4U);
    EXPECT_EQ(store->initial_leases(), state) << "the old journal replayed changes nothing";
}

TEST(LeaseJournal, MalformedRecordIsReportedWithItsLineAndTheRestApplied) {
    TempDir dir;
    const auto path = dir.file("leases");
    write_all(path + ".journal",
              "+ 1900000000 52:54:00:00:00:0a 10.67.0.10 a *\n"
              "? nonsense\n"
              "- 10.67.0.10\n"
              "+ 0 52:54:00:00:00:0c 10.67.0.12 * *\n");
    auto store = LeaseStore::open(path, false);
    ASSERT_TRUE(store);
    EXPECT_EQ(store->initial_leases(), (std::vector<Lease>{lease(12, 0)}));
    ASSERT_EQ(store->problems().size(), 1U);
    EXPECT_EQ(store->problems()[0].line, 2);
    EXPECT_NE(store->problems()[0].message.find(".journal"), std::string::npos);
}

TEST(LeaseJournal, ReadOnlyNeverCreatesAJournal) {
    TempDir dir;
    const auto path = dir.file("leases");
    auto store = LeaseStore::open(path, true);
    ASSERT_TRUE(store);
    EXPECT_TRUE(store->append({LeaseChange{LeaseEvent::kAdded, lease(12, 0)}}));
    EXPECT_FALSE(fs::exists(path + ".journal"));
}

}  // namespace
}  // namespace nfv::dnsvizor::dhcp
