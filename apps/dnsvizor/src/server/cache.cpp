#include "server/cache.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <iterator>
#include <memory>
#include <span>
#include <variant>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/dns/name_compressor.hpp"

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

// The bytes of the (possibly compressed) name at the reader's position, consumed: labels up to
// the root byte or a pointer (RFC 1035 §4.1.4). nullopt if the bytes end first.
std::optional<std::span<const std::byte>> read_name_bytes(net::ByteReader& reader) {
    const std::size_t start = reader.position();
    for (;;) {
        const auto length = reader.read_u8();
        if (!length) {
            return std::nullopt;
        }
        if ((*length & 0xC0U) == 0xC0U) {
            if (!reader.skip(1)) {
                return std::nullopt;
            }
            break;
        }
        if (*length == 0) {
            break;
        }
        if (!reader.skip(*length)) {
            return std::nullopt;
        }
    }
    return reader.whole().subspan(start, reader.position() - start);
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
    if (scratch_.size() < net::dns::kMaxMessageSize) {
        scratch_.resize(net::dns::kMaxMessageSize);
    }
    // The records are written as they follow the question in an answer, so that the name
    // pointers are right in every answer built from them (see the banner).
    net::ByteWriter out(scratch_.span());
    out.write_zeros(net::dns::kHeaderSize);
    net::dns::NameCompressor compressor;
    compressor.write(question.name, out);
    out.write_u16(static_cast<std::uint16_t>(question.type));
    out.write_u16(static_cast<std::uint16_t>(question.rclass));
    const std::size_t records_at = out.position();
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
                !net::dns::write_record(record, ttl, out, &compressor) || out.overflowed()) {
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
                if (!net::dns::write_record(record, *ttl, out, &compressor) || out.overflowed()) {
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
    const auto records = out.written().subspan(records_at);
    entry.name_size = static_cast<std::uint8_t>(name.size());
    entry.size = static_cast<std::uint32_t>(name.size() + records.size());
    entry.bytes = std::make_unique_for_overwrite<std::byte[]>(entry.size);
    std::copy(name.begin(), name.end(), reinterpret_cast<char*>(entry.bytes.get()));
    std::copy(records.begin(), records.end(), entry.bytes.get() + name.size());
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

std::optional<CachedAnswer> Cache::lookup(const net::dns::Question& question, platform::Instant now,
                                          std::optional<std::uint64_t> forwarded_in) {
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
    const Entry& entry = *position;
    if (scratch_.size() < net::dns::kMaxMessageSize) {
        scratch_.resize(net::dns::kMaxMessageSize);
    }
    // The records are parsed back as the answer they were written for: header, the question,
    // then the records. They were written by insert(), so this cannot fail unless memory was
    // corrupted; a failure drops the entry and counts as a miss rather than answering wrongly.
    net::ByteWriter message(scratch_.span());
    net::dns::Header header;
    header.qr = true;
    net::dns::write_header(
        net::dns::WireHeader{header, 1, entry.answer_count, entry.authority_count, 0}, message);
    message.write_bytes(std::as_bytes(std::span(entry.name_wire())));
    message.write_u8(0);
    message.write_u16(static_cast<std::uint16_t>(entry.type));
    message.write_u16(static_cast<std::uint16_t>(entry.rclass));
    message.write_bytes(entry.records());
    auto parsed = net::dns::parse_message(message.written(), net::dns::TrailingData::kReject);
    if (message.overflowed() || !parsed) {
        erase(position);
        ++stats_.misses;
        return std::nullopt;
    }
    CachedAnswer answer;
    answer.rcode = entry.rcode;
    answer.answers = std::move(parsed->answers);
    answer.authorities = std::move(parsed->authorities);
    for (auto* section : {&answer.answers, &answer.authorities}) {
        for (auto& record : *section) {
            record.ttl = remaining_ttl(entry.stored + seconds(record.ttl), now);
        }
    }
    if (forwarded_in) {
        position->forwarded_in = *forwarded_in;
    }
    lru_.splice(lru_.begin(), lru_, position);
    ++stats_.hits;
    return answer;
}

std::optional<RenderedAnswer> Cache::render(std::string_view name_wire, net::dns::RrType type,
                                            net::dns::RrClass rclass, std::uint64_t generation,
                                            platform::Instant now, net::ByteWriter& out) {
    if (capacity_ == 0 || generation == 0) {
        return std::nullopt;
    }
    const auto found = index_.find(KeyView{name_wire, type, rclass});
    if (found == index_.end() || now >= (*found)->expiry || (*found)->forwarded_in != generation) {
        return std::nullopt;  // the general path removes an expired entry and counts the miss
    }
    const Lru::iterator position = *found;
    const Entry& entry = *position;
    // Copy record by record, replacing each stored TTL with what is left of it.
    net::ByteReader records(entry.records());
    const unsigned count = entry.answer_count + entry.authority_count;
    for (unsigned i = 0; i < count; ++i) {
        const auto owner = read_name_bytes(records);
        const auto type_and_class = records.read_bytes(4);
        const auto ttl = records.read_u32();
        const auto length = records.read_u16();
        const auto rdata = length ? records.read_bytes(*length) : std::nullopt;
        if (!owner || !type_and_class || !ttl || !rdata) {
            return std::nullopt;  // cannot happen: insert() wrote these bytes
        }
        out.write_bytes(*owner);
        out.write_bytes(*type_and_class);
        out.write_u32(remaining_ttl(entry.stored + seconds(*ttl), now));
        out.write_u16(*length);
        out.write_bytes(*rdata);
    }
    if (out.overflowed()) {
        return std::nullopt;
    }
    lru_.splice(lru_.begin(), lru_, position);
    ++stats_.hits;
    return RenderedAnswer{entry.rcode, entry.answer_count, entry.authority_count};
}

void Cache::clear() {
    index_.clear();
    lru_.clear();
}

}  // namespace nfv::dnsvizor::server
