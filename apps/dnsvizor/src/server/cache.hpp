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
//
// Memory: an entry is one LRU node plus one allocation holding the question name and the
// records in wire form, compressed (RFC 1035 §4.1.4) exactly as they are in an answer to that
// question: the question always starts at offset 12, so the pointers hold for every answer. Their
// TTL fields hold the TTL as clamped when stored. The index points into the nodes instead of
// copying the key. That is about 150 bytes for a typical one-record answer (dnsmasq's fixed
// `crec` is ~60 bytes plus the name).
//
// Two ways out: lookup() parses the records back for the general path (which asks the local
// data first and may log, truncate, or add EDNS); render() copies them straight into an answer
// being built, counting the TTLs down on the way. render() answers only for an entry that a
// lookup() confirmed: the engine passes the resolver's decision generation to lookup() after
// the resolver decided to forward the question, and render() requires the same generation, so
// a question that local data would now answer never gets a cached answer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "nfv/net/byte_writer.hpp"
#include "nfv/net/dns/message.hpp"
#include "nfv/platform/byte_buffer.hpp"
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

/// Section counts of an answer written by Cache::render().
struct RenderedAnswer {
    std::uint16_t rcode = 0;
    std::uint16_t answers = 0;
    std::uint16_t authorities = 0;
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
    /// used. `forwarded_in`: the resolver's decision generation in which the caller decided to
    /// forward this question (nullopt if it has none); a hit remembers it for render().
    [[nodiscard]] std::optional<CachedAnswer> lookup(
        const net::dns::Question& question, platform::Instant now,
        std::optional<std::uint64_t> forwarded_in = std::nullopt);

    /// The hot path of a hit: appends the cached records for (name_wire, type, rclass) to `out`,
    /// which holds an answer's header and question (`name_wire` at offset 12), with TTLs counted
    /// down to `now`, and returns the section counts. Only for an unexpired entry that lookup()
    /// saw with `forwarded_in == generation`; otherwise, or if the records do not fit in `out`,
    /// returns nullopt and changes nothing (the caller takes the general path). A hit counts
    /// and makes the entry most recently used.
    [[nodiscard]] std::optional<RenderedAnswer> render(std::string_view name_wire,
                                                       net::dns::RrType type,
                                                       net::dns::RrClass rclass,
                                                       std::uint64_t generation,
                                                       platform::Instant now, net::ByteWriter& out);

    /// Removes every entry (SIGHUP with clear-on-reload).
    void clear();

    [[nodiscard]] std::size_t size() const { return index_.size(); }
    [[nodiscard]] std::size_t capacity() const { return capacity_; }
    [[nodiscard]] const CacheStats& stats() const { return stats_; }

private:
    // One cached reply (see the banner): `bytes` = question name (wire form without the root
    // byte) | answer records | authority records, compressed as after a question at offset 12.
    struct Entry {
        std::unique_ptr<std::byte[]> bytes;
        std::uint32_t size = 0;
        std::uint8_t name_size = 0;
        net::dns::RrType type{};
        net::dns::RrClass rclass{};
        std::uint16_t rcode = 0;
        std::uint16_t answer_count = 0;
        std::uint16_t authority_count = 0;
        platform::Instant stored;        // the records' TTLs count down from here
        platform::Instant expiry;        // earliest record expiry: the entry dies then
        std::uint64_t forwarded_in = 0;  // decision generation confirmed by lookup(); 0 = none
        [[nodiscard]] std::string_view name_wire() const {
            return {reinterpret_cast<const char*>(bytes.get()), name_size};
        }
        [[nodiscard]] std::span<const std::byte> records() const {
            return {bytes.get() + name_size, size - name_size};
        }
    };
    using Lru = std::list<Entry>;  // front = most recently used
    struct KeyView {
        std::string_view name_wire;
        net::dns::RrType type;
        net::dns::RrClass rclass;
    };
    // The index holds LRU positions and finds them by KeyView (C++20 heterogeneous lookup).
    struct IndexHash {
        using is_transparent = void;
        std::size_t operator()(const KeyView& key) const;
        std::size_t operator()(Lru::iterator entry) const;
    };
    struct IndexEqual {
        using is_transparent = void;
        bool operator()(const KeyView& a, Lru::iterator b) const;
        bool operator()(Lru::iterator a, const KeyView& b) const { return (*this)(b, a); }
        bool operator()(Lru::iterator a, Lru::iterator b) const;
    };
    static KeyView key_of(const Entry& entry) {
        return {entry.name_wire(), entry.type, entry.rclass};
    }

    [[nodiscard]] std::uint32_t clamp_positive(std::uint32_t ttl) const;
    void store(Entry entry);
    void erase(Lru::iterator position);

    std::size_t capacity_;
    bool no_negcache_;
    std::uint32_t min_ttl_;
    std::optional<std::uint32_t> max_ttl_;
    std::optional<std::uint32_t> neg_ttl_;
    Lru lru_;
    std::unordered_set<Lru::iterator, IndexHash, IndexEqual> index_;
    // A whole message: insert() writes it, lookup() parses it. Uninitialised: only the pages
    // actually written become resident.
    platform::ByteBuffer scratch_;
    CacheStats stats_;
};

/// True for the question types whose positive answers dnsmasq caches by default.
[[nodiscard]] bool is_cached_type(net::dns::RrType type);

}  // namespace nfv::dnsvizor::server
