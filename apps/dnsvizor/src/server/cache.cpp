#include "server/cache.hpp"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <memory>
#include <span>
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

std::size_t Cache::IndexHash::operator()(const KeyView& key) const {
    const auto type = static_cast<std::size_t>(key.type);
    const auto rclass = static_cast<std::size_t>(key.rclass);
    return net::dns::hash_ignoring_ascii_case(key.name_wire) ^ (type * 0x9e3779b97f4a7c15ULL) ^
           (rclass << 17U);
}

std::size_t Cache::IndexHash::operator()(Lru::iterator entry) const {
    return (*this)(key_of(*entry));
}

bool Cache::IndexEqual::operator()(const KeyView& a, Lru::iterator b) const {
    return a.type == b->type && a.rclass == b->rclass &&
           net::dns::equal_ignoring_ascii_case(a.name_wire, b->name_wire());
}

bool Cache::IndexEqual::operator()(Lru::iterator a, Lru::iterator b) const {
    return (*this)(key_of(*a), b);
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
    const std::string_view name = question.name.wire_without_root();
    if (scratch_.empty()) {
        scratch_.resize(net::dns::kMaxNameLength + 0x10000);
    }
    net::ByteWriter out(scratch_);
    out.write_bytes(std::as_bytes(std::span(name)));
    Entry entry;
    entry.type = question.type;
    entry.rclass = question.rclass;
    entry.stored = now;
    const std::uint16_t rcode = reply.rcode();
    if (rcode == kNoError && !reply.answers.empty()) {
        // The answer must start at the question name (a CNAME chain or the records themselves).
        if (!(reply.answers.front().name == question.name)) {
            return false;
        }
        std::uint32_t shortest = 0xffffffffU;
        for (const auto& record : reply.answers) {
            if (record.type() == RrType::kRrsig) {
                // The answer to a DO query carries signatures; dnsmasq 2.90 without `dnssec`
                // does not cache them, so later answers from the cache are the bare RRsets.
                continue;
            }
            const std::uint32_t ttl = clamp_positive(record.ttl);
            shortest = std::min(shortest, ttl);
            if (entry.answer_count == 0xffffU ||
                !net::dns::write_record(record, ttl, out, nullptr) || out.overflowed()) {
                return false;
            }
            ++entry.answer_count;
        }
        entry.rcode = kNoError;
        entry.expiry = now + seconds(shortest);
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
                if (!net::dns::write_record(record, *ttl, out, nullptr) || out.overflowed()) {
                    return false;
                }
                entry.authority_count = 1;
                break;
            }
        }
    } else {
        return false;
    }
    if (entry.rcode == kNoError && !reply.answers.empty() && entry.answer_count == 0) {
        return false;  // only RRSIGs: nothing to answer from
    }
    if (entry.expiry <= now) {
        return false;  // a TTL of 0 means "do not cache" (RFC 1035 §3.2.1)
    }
    const auto written = out.written();
    entry.name_size = static_cast<std::uint8_t>(name.size());
    entry.size = static_cast<std::uint32_t>(written.size());
    entry.bytes = std::make_unique_for_overwrite<std::byte[]>(written.size());
    std::copy(written.begin(), written.end(), entry.bytes.get());
    store(std::move(entry));
    ++stats_.insertions;
    return true;
}

void Cache::erase(Lru::iterator position) {
    index_.erase(position);
    lru_.erase(position);
}

void Cache::store(Entry entry) {
    if (auto found = index_.find(key_of(entry)); found != index_.end()) {
        erase(*found);
    }
    while (index_.size() >= capacity_ && !lru_.empty()) {
        erase(std::prev(lru_.end()));
        ++stats_.evictions;
    }
    lru_.push_front(std::move(entry));
    index_.insert(lru_.begin());
}

std::optional<CachedAnswer> Cache::lookup(const net::dns::Question& question,
                                          platform::Instant now) {
    if (capacity_ == 0) {
        ++stats_.misses;
        return std::nullopt;
    }
    const auto found =
        index_.find(KeyView{question.name.wire_without_root(), question.type, question.rclass});
    if (found == index_.end()) {
        ++stats_.misses;
        return std::nullopt;
    }
    const Lru::iterator position = *found;
    if (now >= position->expiry) {
        erase(position);
        ++stats_.expired;
        ++stats_.misses;
        return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, position);
    // The records were written by insert(): parsing them back cannot fail unless memory was
    // corrupted; a failure drops the entry and counts as a miss rather than answering wrongly.
    const Entry& entry = *position;
    net::ByteReader reader(std::span<const std::byte>(entry.bytes.get(), entry.size));
    (void)reader.skip(entry.name_size);
    const auto read_records = [&](std::uint16_t count, std::vector<net::dns::ResourceRecord>& out) {
        out.reserve(count);
        for (std::uint16_t i = 0; i < count; ++i) {
            auto owner = net::dns::Name::parse_wire(reader);
            const auto type = reader.read_u16();
            const auto rclass = reader.read_u16();
            const auto ttl = reader.read_u32();
            const auto length = reader.read_u16();
            if (!owner || !type || !rclass || !ttl || !length) {
                return false;
            }
            auto rdata =
                net::dns::parse_rdata(static_cast<RrType>(*type),
                                      static_cast<net::dns::RrClass>(*rclass), *length, reader);
            if (!rdata) {
                return false;
            }
            out.push_back(net::dns::ResourceRecord{
                std::move(*owner), static_cast<net::dns::RrClass>(*rclass),
                remaining_ttl(entry.stored + seconds(*ttl), now), std::move(*rdata)});
        }
        return true;
    };
    CachedAnswer answer;
    answer.rcode = entry.rcode;
    if (!read_records(entry.answer_count, answer.answers) ||
        !read_records(entry.authority_count, answer.authorities)) {
        erase(position);
        ++stats_.misses;
        return std::nullopt;
    }
    ++stats_.hits;
    return answer;
}

void Cache::clear() {
    index_.clear();
    lru_.clear();
}

}  // namespace nfv::dnsvizor::server
