// DNS answer cache of the forwarder (dnsmasq 2.90 `cache.c` behaviour; negative caching
// RFC 2308 §5; TTL handling RFC 1035 §3.2.1 and RFC 2181 §8).
//
// Sans-I/O: time is a parameter. Entries are keyed by (name, type, class), the name compared
// case-insensitively (RFC 4343). What is cached, as dnsmasq does by default:
//   * positive answers to A, AAAA, CNAME, SRV and PTR questions (the whole answer section, so a
//     CNAME chain ending in the A records is kept together; dnsmasq keeps PTR replies as reverse
//     entries, its log says "cached <address> is <name>");
//   * negative answers (NXDOMAIN, and NODATA = NOERROR with an empty answer section) to those
//     question types, unless `no-negcache`; the negative TTL is min(SOA TTL, SOA minimum) of the
//     SOA in the authority section (RFC 2308 §5), else `neg-ttl` when set, else not cached.
// Each record keeps its own absolute expiry; a hit returns the records with their remaining TTL.
// `min-cache-ttl` (capped at 3600 s like dnsmasq) and `max-cache-ttl` clamp positive TTLs.
// Capacity is `cache-size` entries with least-recently-used eviction; size 0 disables the cache.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <unordered_map>
#include <vector>

#include "nfv/net/dns/message.hpp"
#include "nfv/platform/time.hpp"

#include "dns/settings.hpp"

namespace nfv::dnsvizor::server {

/// dnsmasq caps min-cache-ttl at one hour.
inline constexpr std::uint32_t kMaxMinCacheTtl = 3600;

/// A cache hit: the records with their remaining TTLs and the rcode to answer with.
struct CachedAnswer {
    std::uint16_t rcode = 0;  // kNoError (positive or NODATA) or kNxDomain
    std::vector<net::dns::ResourceRecord> answers;
    std::vector<net::dns::ResourceRecord> authorities;  // the SOA of a negative answer
    [[nodiscard]] bool negative() const { return answers.empty(); }
};

struct CacheStats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t insertions = 0;
    std::uint64_t evictions = 0;  // live entries pushed out by the size limit (LRU)
    std::uint64_t expired = 0;    // entries removed because their TTL ran out
};

class Cache {
public:
    /// `neg_ttl` is dnsmasq's `neg-ttl=` (used for negative answers without an SOA).
    explicit Cache(const dns::CacheSettings& settings,
                   std::optional<std::uint32_t> neg_ttl = std::nullopt);

    /// Offers an upstream `reply` to `question`. Stores it if it is cacheable (see the banner);
    /// replaces an existing entry for the same key. Returns true if stored. Never fails: a reply
    /// that is not cacheable is simply not stored.
    bool insert(const net::dns::Question& question, const net::dns::Message& reply,
                platform::Instant now);

    /// The cached answer for `question` with TTLs counted down to `now`, or nullopt on a miss
    /// (an expired entry is removed and counts as a miss). A hit makes the entry most recently
    /// used.
    [[nodiscard]] std::optional<CachedAnswer> lookup(const net::dns::Question& question,
                                                     platform::Instant now);

    /// Removes every entry (SIGHUP with clear-on-reload).
    void clear();

    [[nodiscard]] std::size_t size() const { return index_.size(); }
    [[nodiscard]] std::size_t capacity() const { return capacity_; }
    [[nodiscard]] const CacheStats& stats() const { return stats_; }

private:
    struct Key {
        net::dns::Name name;
        net::dns::RrType type;
        net::dns::RrClass rclass;
        friend bool operator==(const Key&, const Key&) = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& key) const;
    };
    struct StoredRecord {
        net::dns::ResourceRecord record;  // ttl field unused; expiry below
        platform::Instant expiry;
    };
    struct Entry {
        Key key;
        std::uint16_t rcode = 0;
        std::vector<StoredRecord> answers;
        std::vector<StoredRecord> authorities;
        platform::Instant expiry;  // earliest record expiry: the entry dies then
    };
    using Lru = std::list<Entry>;  // front = most recently used

    [[nodiscard]] std::uint32_t clamp_positive(std::uint32_t ttl) const;
    void store(Entry entry);

    std::size_t capacity_;
    bool no_negcache_;
    std::uint32_t min_ttl_;
    std::optional<std::uint32_t> max_ttl_;
    std::optional<std::uint32_t> neg_ttl_;
    Lru lru_;
    std::unordered_map<Key, Lru::iterator, KeyHash> index_;
    CacheStats stats_;
};

/// True for the question types whose positive answers dnsmasq caches by default.
[[nodiscard]] bool is_cached_type(net::dns::RrType type);

}  // namespace nfv::dnsvizor::server
