// LeaseStore: the durable DHCPv4 lease database, kept in dnsmasq's lease-file format
// (dnsmasq(8) --dhcp-leasefile, default /var/lib/misc/dnsmasq.leases; format in lease_file.hpp),
// so a file written by dnsmasq is read unchanged and dnsmasq can read ours.
//
// Durability (why an ACK never precedes its lease on disk): each write() replaces the whole file
// atomically: the text goes to "<path>.tmp" (created or truncated), which is fsync'ed, then
// renamed over <path>, then the directory is fsync'ed so the rename itself survives a crash. A
// crash at any point leaves either the old complete file or the new complete file; a partial
// temp file is never renamed and is simply overwritten by the next write. dnsmasq rewrites its
// file in place (ftruncate + fsync), which a crash mid-write can leave half-written.
//
// Group commit: GroupCommit holds the replies of one receive batch until the batch's lease
// changes have been written with ONE write(); only then are they released for sending. If the
// write fails, the replies that depended on it are withheld (the client retries) and the store
// stays dirty so the next batch retries the write.
//
// leasefile-ro: the file is neither read nor written; leases live in memory only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "nfv/platform/result.hpp"

#include "dhcp/lease.hpp"
#include "dhcp/lease_engine.hpp"
#include "dhcp/lease_file.hpp"

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

    /// Durably replaces the file's DHCPv4 leases with `leases` (DHCPv6 lines read at open are
    /// kept). Returns only after the data and the rename are on disk; the error names the step
    /// and the errno text. A no-op success when read-only.
    [[nodiscard]] Result<void, std::string> write(const std::vector<Lease>& leases);

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] bool read_only() const { return read_only_; }
    [[nodiscard]] std::uint64_t writes() const { return writes_; }
    [[nodiscard]] std::uint64_t failed_writes() const { return failed_writes_; }

private:
    LeaseStore(std::string path, bool read_only) : path_(std::move(path)), read_only_(read_only) {}

    std::string path_;
    bool read_only_ = false;
    LeaseFileContent initial_;
    std::uint64_t writes_ = 0;
    std::uint64_t failed_writes_ = 0;
};

/// The replies of one batch, held until the batch's lease changes are durable.
class GroupCommit {
public:
    struct Held {
        Reply reply;
        bool needs_write = false;  // its outcome changed leases: send only after a write
        std::uint32_t route = 0;   // the caller's cookie (the runtime: the interface index)
    };

    /// Takes an engine outcome: its reply (if any) is held with `route`; its changes mark the
    /// batch dirty.
    void add(Outcome outcome, std::uint32_t route = 0);
    /// Marks the batch dirty without a reply (e.g. expired leases).
    void mark_dirty() { dirty_ = true; }
    [[nodiscard]] bool dirty() const { return dirty_; }
    [[nodiscard]] std::size_t held() const { return held_.size(); }

    /// Writes `leases` to `store` once if the batch is dirty, then returns the replies that may
    /// be sent: all of them after a successful write (or when nothing needed writing), and only
    /// those that needed no write if the write failed (`error` then gets the message and the
    /// batch stays dirty for the next commit). Clears the held replies.
    [[nodiscard]] std::vector<Held> commit(LeaseStore& store, const std::vector<Lease>& leases,
                                           std::string* error = nullptr);

    /// Replies withheld so far because their lease could not be written.
    [[nodiscard]] std::uint64_t withheld() const { return withheld_; }

private:
    std::vector<Held> held_;
    bool dirty_ = false;
    std::uint64_t withheld_ = 0;
};

}  // namespace nfv::dnsvizor::dhcp
