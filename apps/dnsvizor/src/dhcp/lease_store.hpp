// LeaseStore: the durable DHCPv4 lease database, kept in dnsmasq's lease-file format
// (dnsmasq(8) --dhcp-leasefile, default /var/lib/misc/dnsmasq.leases; format in lease_file.hpp),
// so a file written by dnsmasq is read unchanged and dnsmasq can read ours.
//
// Durability (why an ACK never precedes its lease on disk): a batch's lease changes are appended
// to the journal "<path>.journal" (lease_journal.hpp) and fdatasync'ed: O(changed leases) per
// batch. Between compactions the journal holds the newest state: the lease file is the snapshot
// of the last compaction and open() replays the journal over it (a torn last record, an append
// cut short by a crash and so never acknowledged, is ignored).
//
// Compaction (write(), also at start, when the journal exceeds its record limit and on SIGTERM)
// keeps the lease file itself dnsmasq-compatible at rest: it replaces the whole file
// atomically: the text goes to "<path>.tmp" (created or truncated), which is fsync'ed, then
// renamed over <path>, then the directory is fsync'ed so the rename itself survives a crash, and
// only then is the journal truncated. A crash at any point leaves either the old complete file or
// the new complete file; a partial temp file is never renamed and is simply overwritten by the
// next write; a crash between the rename and the truncation leaves an old journal whose replay
// over the new snapshot is idempotent (each record sets one address's whole state). dnsmasq
// rewrites its file in place (ftruncate + fsync), which a crash mid-write can leave half-written.
//
// Group commit: GroupCommit holds the replies of one receive batch until the batch's lease
// changes have been appended with ONE append() (one fdatasync); only then are they released for
// sending. If the write fails, the replies that depended on it are withheld (the client retries)
// and the store stays dirty so the next batch retries the write.
//
// leasefile-ro: the file is neither read nor written; leases live in memory only.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "nfv/platform/io/unique_fd.hpp"
#include "nfv/platform/result.hpp"

#include "dhcp/lease.hpp"
#include "dhcp/lease_engine.hpp"
#include "dhcp/lease_file.hpp"
#include "dhcp/lease_journal.hpp"

namespace nfv::dnsvizor::dhcp {

class LeaseStore {
public:
    /// Reads `path` if it exists (a missing file is an empty database; unreadable is an error
    /// naming the path and errno text). Bad lines are kept in problems(), the rest is loaded.
    /// With `read_only` (leasefile-ro) the file is not touched at all.
    [[nodiscard]] static Result<LeaseStore, std::string> open(std::string path, bool read_only);

    /// The leases read at open (expired ones included; the engine drops them).
    [[nodiscard]] const std::vector<Lease>& initial_leases() const { return initial_.leases; }
    /// Lines of the file that could not be parsed, with their numbers.
    [[nodiscard]] const std::vector<LeaseFileProblem>& problems() const {
        return initial_.problems;
    }

    /// Compaction: durably replaces the file's DHCPv4 leases with `leases` (DHCPv6 lines read at
    /// open are kept), then empties the journal. `leases` must be the complete current state.
    /// Returns only after the data, the rename and the truncation are on disk; the error names
    /// the step and the errno text. A no-op success when read-only.
    [[nodiscard]] Result<void, std::string> write(const std::vector<Lease>& leases);

    /// Appends one record per change to the journal and fdatasyncs it; returns only when they
    /// are on disk. After a failure (a record may be half-written) the next append is refused
    /// until a write() has compacted. A no-op success when read-only or `changes` is empty.
    [[nodiscard]] Result<void, std::string> append(const std::vector<LeaseChange>& changes);

    /// Records in the journal since the last compaction (replayed ones included).
    [[nodiscard]] std::size_t journal_records() const { return journal_records_; }
    /// True when the journal cannot take appends until the next write() (an append failed).
    [[nodiscard]] bool needs_compaction() const { return journal_broken_; }
    /// What open() found in the journal.
    [[nodiscard]] const JournalReplay& journal_replay() const { return replay_; }
    [[nodiscard]] std::string journal_path() const { return path_ + ".journal"; }

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] bool read_only() const { return read_only_; }
    [[nodiscard]] std::uint64_t writes() const { return writes_; }
    [[nodiscard]] std::uint64_t failed_writes() const { return failed_writes_; }
    [[nodiscard]] std::uint64_t appends() const { return appends_; }

private:
    Result<void, std::string> open_journal();

    LeaseStore(std::string path, bool read_only) : path_(std::move(path)), read_only_(read_only) {}

    std::string path_;
    bool read_only_ = false;
    LeaseFileContent initial_;
    std::uint64_t writes_ = 0;
    std::uint64_t failed_writes_ = 0;
    std::uint64_t appends_ = 0;
    platform::io::UniqueFd journal_;
    std::size_t journal_records_ = 0;
    bool journal_broken_ = false;
    JournalReplay replay_;
    std::string record_buffer_;
};

/// The replies of one batch, held until the batch's lease changes are durable.
class GroupCommit {
public:
    struct Held {
        Reply reply;
        bool needs_write = false;  // its outcome changed leases: send only after a write
        std::uint32_t route = 0;   // the caller's cookie (the runtime: the interface index)
    };

    /// Journal records after which commit() compacts (rewrites the lease file, empties the
    /// journal): bounds the journal's size and the replay time at start.
    static constexpr std::size_t kDefaultCompactAfter = 65536;

    explicit GroupCommit(std::size_t compact_after = kDefaultCompactAfter)
        : compact_after_(compact_after) {}

    /// Takes an engine outcome: its reply (if any) is held with `route`; its changes are queued
    /// for the journal and mark the batch dirty.
    void add(Outcome outcome, std::uint32_t route = 0);
    /// Queues changes without a reply (e.g. expired leases).
    void add_changes(const std::vector<LeaseChange>& changes);
    [[nodiscard]] bool dirty() const { return dirty_; }
    [[nodiscard]] std::size_t held() const { return held_.size(); }

    /// The complete current lease list, asked for only when a compaction is due.
    using AllLeases = std::function<std::vector<Lease>()>;

    /// Appends the batch's changes to `store`'s journal once if the batch is dirty (compacts
    /// with `all_leases()` instead when the journal is over its limit or broken), then returns
    /// the replies that may be sent: all of them after a successful write (or when nothing
    /// needed writing), and only those that needed no write if the write failed (`error` then
    /// gets the message and the batch stays dirty for the next commit). Clears the held replies.
    [[nodiscard]] std::vector<Held> commit(LeaseStore& store, const AllLeases& all_leases,
                                           std::string* error = nullptr);

    /// Replies withheld so far because their lease could not be written.
    [[nodiscard]] std::uint64_t withheld() const { return withheld_; }

private:
    std::vector<Held> held_;
    std::vector<LeaseChange> changes_;
    std::size_t compact_after_ = kDefaultCompactAfter;
    bool dirty_ = false;
    std::uint64_t withheld_ = 0;
};

}  // namespace nfv::dnsvizor::dhcp
