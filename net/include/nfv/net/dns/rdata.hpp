// Typed RDATA of the record types a forwarder/cache needs, and opaque RDATA for the rest.
//
// A / AAAA (RFC 1035 §3.4.1, RFC 3596 §2.2; class IN only), NS / CNAME / PTR / MX / SOA / TXT
// (RFC 1035 §3.3), SRV (RFC 2782), NAPTR (RFC 3403 §4.1), CAA (RFC 8659 §4.1). Anything else is
// Opaque (RFC 3597): its bytes travel unchanged.
//
// Name compression (RFC 3597 §4): names inside rdata are decompressed on input for every type that
// may carry compressed names (the RFC 1035 types plus RP, AFSDB, RT, PX, SRV, NAPTR), and on
// output compressed only in the RFC 1035 types NS, CNAME, PTR, MX, SOA. The obsolete or rare types
// MD, MF, MB, MG, MR, MINFO, RP, AFSDB, RT and PX are kept Opaque, with their names rewritten in
// uncompressed form on input so that the bytes stay valid at any offset.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/byte_writer.hpp"
#include "nfv/net/dns/error.hpp"
#include "nfv/net/dns/name.hpp"
#include "nfv/net/dns/name_compressor.hpp"
#include "nfv/net/dns/types.hpp"
#include "nfv/platform/result.hpp"

namespace nfv::net::dns {

inline constexpr std::size_t kMaxCharacterString = 255;

namespace rdata {

struct A {
    std::array<std::uint8_t, 4> address{};
    friend bool operator==(const A&, const A&) = default;
};
struct Aaaa {
    std::array<std::uint8_t, 16> address{};
    friend bool operator==(const Aaaa&, const Aaaa&) = default;
};
struct Ns {
    Name host;
    friend bool operator==(const Ns&, const Ns&) = default;
};
struct Cname {
    Name target;
    friend bool operator==(const Cname&, const Cname&) = default;
};
struct Ptr {
    Name target;
    friend bool operator==(const Ptr&, const Ptr&) = default;
};
struct Mx {
    std::uint16_t preference = 0;
    Name exchange;
    friend bool operator==(const Mx&, const Mx&) = default;
};
/// One or more character-strings, each at most 255 bytes. Empty rdata (no string) is accepted
/// on input, because some servers emit it, and reproduced as is.
struct Txt {
    std::vector<std::string> strings;
    friend bool operator==(const Txt&, const Txt&) = default;
};
struct Soa {
    Name mname;
    Name rname;
    std::uint32_t serial = 0;
    std::uint32_t refresh = 0;
    std::uint32_t retry = 0;
    std::uint32_t expire = 0;
    std::uint32_t minimum = 0;
    friend bool operator==(const Soa&, const Soa&) = default;
};
struct Srv {
    std::uint16_t priority = 0;
    std::uint16_t weight = 0;
    std::uint16_t port = 0;
    Name target;
    friend bool operator==(const Srv&, const Srv&) = default;
};
/// RFC 8659: tag is 1..255 bytes (should be alphanumeric; not enforced), value is the rest.
struct Caa {
    std::uint8_t flags = 0;
    std::string tag;
    std::string value;
    friend bool operator==(const Caa&, const Caa&) = default;
};
struct Naptr {
    std::uint16_t order = 0;
    std::uint16_t preference = 0;
    std::string flags;
    std::string services;
    std::string regexp;
    Name replacement;
    friend bool operator==(const Naptr&, const Naptr&) = default;
};
/// Any other type (RFC 3597), or A/AAAA outside class IN. `type` says which.
struct Opaque {
    RrType type = RrType::kNull;
    std::vector<std::byte> data;
    friend bool operator==(const Opaque&, const Opaque&) = default;
};

}  // namespace rdata

using Rdata =
    std::variant<rdata::A, rdata::Aaaa, rdata::Ns, rdata::Cname, rdata::Ptr, rdata::Mx, rdata::Txt,
                 rdata::Soa, rdata::Srv, rdata::Caa, rdata::Naptr, rdata::Opaque>;

/// The RR type an Rdata value serializes as.
[[nodiscard]] RrType rdata_type(const Rdata& rdata);

/// Parses `rdlength` bytes of rdata at the reader's position. `reader.whole()` must be the whole
/// message so that compression pointers inside rdata resolve. Typed rdata must use exactly
/// `rdlength` bytes (else kBadRdata). On success the reader is just past the rdata.
[[nodiscard]] Result<Rdata, DnsError> parse_rdata(RrType type, RrClass rclass,
                                                  std::uint16_t rdlength, ByteReader& reader);

/// Writes the rdata (without the rdlength field) at out.position(). `compressor` may be null
/// (no compression); it is used only for NS, CNAME, PTR, MX and SOA. Fails with kTooLarge if a
/// character-string exceeds 255 bytes; overflow is reported through out.overflowed().
[[nodiscard]] Result<void, DnsError> write_rdata(const Rdata& rdata, ByteWriter& out,
                                                 NameCompressor* compressor);

/// Presentation format of the rdata alone (RFC 1035 §5.1; RFC 3597 §5 `\# len hex` for Opaque).
[[nodiscard]] std::string rdata_to_text(const Rdata& rdata);

}  // namespace nfv::net::dns
