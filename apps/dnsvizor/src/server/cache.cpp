#include "server/cache.hpp"

#include <algorithm>
#include <chrono>
#include <variant>

namespace nfv::dnsvizor::server {

namespace {

using net::dns::RrType;
using std::chrono::seconds;

constexpr auto kNoError = static_cast<std::uint16_t>(net::dns::Rcode::kNoError);
constexpr auto kNxDomain = static_cast<std::uint16_t>(net::dns::Rcode::kNxDomain);

// Seconds left until `expiry` (rounded down), 0 once reached.
std::uint32_t remaining_ttl(platform::Instant expiry, platform::Instant now) {
    if (now >= expiry) {
        return 0;
    }
    const auto left = std::chrono::duration_cast<seconds>(expiry - now).count();
    return static_cast<std::uint32_t>(std::min<std::int64_t>(left, 0x7fffffff));
}

// RFC 2308 §5: the negative TTL is the smaller of the SOA record's TTL and its MINIMUM field.
std::optional<std::uint32_t> soa_negative_ttl(const net::dns::Message& reply) {
    for (const auto& record : reply.authorities) {
        if (const auto* soa = std::get_if<net::dns::rdata::Soa>(&record.rdata)) {
            return std::min(record.ttl, soa->minimum);
        }
    }
    return std::nullopt;
}

}  // namespace

bool is_cached_type(RrType type) {
    return type == RrType::kA || type == RrType::kAaaa || type == RrType::kCname ||
           type == RrType::kSrv || type == RrType::kPtr;
}

std::size_t Cache::KeyHash::operator()(const Key& key) const {
    const auto type = static_cast<std::size_t>(key.type);
    const auto rclass = static_cast<std::size_t>(key.rclass);
    return key.name.hash() ^ (type * 0x9e3779b97f4a7c15ULL) ^ (rclass << 17U);
}

Cache::Cache(const dns::CacheSettings& settings, std::optional<std::uint32_t> neg_ttl)
    : capacity_(settings.size),
      no_negcache_(settings.no_negcache),
      min_ttl_(std::min(settings.min_cache_ttl.value_or(0), kMaxMinCacheTtl)),
      max_ttl_(settings.max_cache_ttl),
      neg_ttl_(neg_ttl) {}

std::uint32_t Cache::clamp_positive(std::uint32_t ttl) const {
    if (max_ttl_ && ttl > *max_ttl_) {
        ttl = *max_ttl_;
    }
    return std::max(ttl, min_ttl_);
}

bool Cache::insert(const net::dns::Question& question, const net::dns::Message& reply,
                   platform::Instant now) {
    if (capacity_ == 0 || !is_cached_type(question.type) || reply.header.tc ||
        reply.questions.size() != 1 || !(reply.questions.front() == question)) {
        return false;
    }
    Entry entry{Key{question.name, question.type, question.rclass}, 0, {}, {}, now};
    const std::uint16_t rcode = reply.rcode();
    if (rcode == kNoError && !reply.answers.empty()) {
        // The answer must start at the question name (a CNAME chain or the records themselves).
        if (!(reply.answers.front().name == question.name)) {
            return false;
        }
        platform::Instant earliest = now + seconds(0xffffffffLL);
        for (const auto& record : reply.answers) {
            if (record.type() == RrType::kRrsig) {
                // The answer to a DO query carries signatures; dnsmasq 2.90 without `dnssec`
                // does not cache them, so later answers from the cache are the bare RRsets.
                continue;
            }
            const auto expiry = now + seconds(clamp_positive(record.ttl));
            earliest = std::min(earliest, expiry);
            entry.answers.push_back(StoredRecord{record, expiry});
        }
        entry.rcode = kNoError;
        entry.expiry = earliest;
    } else if ((rcode == kNoError || rcode == kNxDomain) && reply.answers.empty()) {
        if (no_negcache_) {
            return false;
        }
        std::optional<std::uint32_t> ttl = soa_negative_ttl(reply);
        if (!ttl) {
            ttl = neg_ttl_;
        }
        if (!ttl || *ttl == 0) {
            return false;
        }
        if (max_ttl_ && *ttl > *max_ttl_) {
            ttl = *max_ttl_;
        }
        entry.rcode = rcode;
        entry.expiry = now + seconds(*ttl);
        for (const auto& record : reply.authorities) {
            if (record.type() == RrType::kSoa) {
                entry.authorities.push_back(StoredRecord{record, entry.expiry});
                break;
            }
        }
    } else {
        return false;
    }
    if (entry.expiry <= now) {
        return false;  // a TTL of 0 means "do not cache" (RFC 1035 §3.2.1)
    }
    store(std::move(entry));
    ++stats_.insertions;
    return true;
}

void Cache::store(Entry entry) {
    if (auto found = index_.find(entry.key); found != index_.end()) {
        lru_.erase(found->second);
        index_.erase(found);
    }
    while (index_.size() >= capacity_ && !lru_.empty()) {
        index_.erase(lru_.back().key);
        lru_.pop_back();
        ++stats_.evictions;
    }
    lru_.push_front(std::move(entry));
    index_.emplace(lru_.front().key, lru_.begin());
}

std::optional<CachedAnswer> Cache::lookup(const net::dns::Question& question,
                                          platform::Instant now) {
    if (capacity_ == 0) {
        ++stats_.misses;
        return std::nullopt;
    }
    const auto found = index_.find(Key{question.name, question.type, question.rclass});
    if (found == index_.end()) {
        ++stats_.misses;
        return std::nullopt;
    }
    const auto position = found->second;
    if (now >= position->expiry) {
        lru_.erase(position);
        index_.erase(found);
        ++stats_.expired;
        ++stats_.misses;
        return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, position);
    CachedAnswer answer;
    answer.rcode = position->rcode;
    answer.answers.reserve(position->answers.size());
    for (const auto& stored : position->answers) {
        answer.answers.push_back(stored.record);
        answer.answers.back().ttl = remaining_ttl(stored.expiry, now);
    }
    for (const auto& stored : position->authorities) {
        answer.authorities.push_back(stored.record);
        answer.authorities.back().ttl = remaining_ttl(stored.expiry, now);
    }
    ++stats_.hits;
    return answer;
}

void Cache::clear() {
    lru_.clear();
    index_.clear();
}

}  // namespace nfv::dnsvizor::server
