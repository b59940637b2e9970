// Question and resource record values (RFC 1035 §4.1.2, §4.1.3).
//
// A record's type is derived from its rdata (see rdata_type), so the two cannot disagree.
// OPT pseudo-records are not ResourceRecords: they are carried as Message::edns.
#pragma once

#include <cstdint>
#include <string>

#include "nfv/net/dns/name.hpp"
#include "nfv/net/dns/rdata.hpp"
#include "nfv/net/dns/types.hpp"

namespace nfv::net::dns {

struct Question {
    Name name;
    RrType type = RrType::kA;
    RrClass rclass = RrClass::kIn;
    friend bool operator==(const Question&, const Question&) = default;
};

struct ResourceRecord {
    Name name;
    RrClass rclass = RrClass::kIn;
    std::uint32_t ttl = 0;
    Rdata rdata;

    [[nodiscard]] RrType type() const { return rdata_type(rdata); }
    friend bool operator==(const ResourceRecord&, const ResourceRecord&) = default;
};

/// Writes `record` (RFC 1035 §4.1.3) at out.position() with `ttl` in its TTL field (messages
/// pass record.ttl; a cache its own count). Owner and rdata names go through `compressor`, or
/// are written uncompressed when it is null. kBadOpt for an OPT record (Message::edns carries
/// those), kTooLarge for rdata above 65535 bytes; an overflow is left in out.overflowed().
[[nodiscard]] Result<void, DnsError> write_record(const ResourceRecord& record, std::uint32_t ttl,
                                                  ByteWriter& out, NameCompressor* compressor);

/// "www.example.com. IN A" (the dig question-section form, without the leading ';').
[[nodiscard]] std::string to_text(const Question& question);
/// "www.example.com. 300 IN A 192.0.2.1" (RFC 1035 §5.1 master-file form, one line).
[[nodiscard]] std::string to_text(const ResourceRecord& record);

}  // namespace nfv::net::dns
