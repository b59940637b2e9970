// The lease journal: an append-only log of lease changes kept next to the lease file
// ("<leasefile>.journal"), so that a group commit costs O(changed leases) instead of a rewrite of
// every lease.
//
// Record format (one text line each, newline-terminated, so a record is complete only once its
// '\n' is on disk):
//
//     + <dnsmasq lease line>      the lease for that address now is exactly this (add, renew)
//     - <IPv4 address>            the address holds no lease any more (release, expiry, decline)
//
// Contract: replaying a journal over a lease list is idempotent with respect to the journal's own
// records (each record sets the whole state of one address, so replaying the same records twice
// leaves the same result). That is what makes a crash between the compaction's rename and the
// journal's truncation harmless: the old journal replayed over the new snapshot changes nothing.
// A last record without its newline (a torn append) is ignored; a complete but malformed record
// is reported with its line number and skipped. Never throws.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "dhcp/lease.hpp"
#include "dhcp/lease_engine.hpp"
#include "dhcp/lease_file.hpp"

namespace nfv::dnsvizor::dhcp {

/// Appends the record for `change` (with its newline) to `out`.
void append_journal_record(const LeaseChange& change, std::string& out);

struct JournalReplay {
    std::size_t records = 0;                 // complete, well-formed records applied
    bool torn_tail = false;                  // the last record had no newline and was ignored
    std::vector<LeaseFileProblem> problems;  // malformed complete records (line numbers)
};

/// Applies the records of `text` in order to `leases` (keyed by address; new addresses are
/// appended, so the snapshot's order is kept).
[[nodiscard]] JournalReplay replay_journal(std::string_view text, std::vector<Lease>& leases);

}  // namespace nfv::dnsvizor::dhcp
