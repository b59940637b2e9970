// DNS numeric vocabulary: RR types, classes, opcodes and rcodes (RFC 1035 §3.2, IANA registries).
//
// Enums with a fixed underlying type may hold any 16-bit value, so types and classes we have no
// name for (RFC 3597) travel through unchanged; the named constants are only conveniences.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nfv::net::dns {

enum class RrType : std::uint16_t {
    kA = 1,
    kNs = 2,
    kMd = 3,
    kMf = 4,
    kCname = 5,
    kSoa = 6,
    kMb = 7,
    kMg = 8,
    kMr = 9,
    kNull = 10,
    kPtr = 12,
    kHinfo = 13,
    kMinfo = 14,
    kMx = 15,
    kTxt = 16,
    kRp = 17,
    kAfsdb = 18,
    kRt = 21,
    kPx = 26,
    kAaaa = 28,
    kSrv = 33,
    kNaptr = 35,
    kDname = 39,
    kOpt = 41,
    kDs = 43,
    kRrsig = 46,
    kNsec = 47,
    kDnskey = 48,
    kHttps = 65,
    kAxfr = 252,
    kAny = 255,
    kCaa = 257,
};

enum class RrClass : std::uint16_t {
    kIn = 1,
    kCh = 3,
    kHs = 4,
    kNone = 254,
    kAny = 255,
};

enum class Opcode : std::uint8_t {
    kQuery = 0,
    kIquery = 1,
    kStatus = 2,
    kNotify = 4,
    kUpdate = 5,
};

/// Response codes; values above 15 need the EDNS extended-rcode bits (RFC 6891 §6.1.3).
enum class Rcode : std::uint16_t {
    kNoError = 0,
    kFormErr = 1,
    kServFail = 2,
    kNxDomain = 3,
    kNotImp = 4,
    kRefused = 5,
    kBadVers = 16,
};

/// "A", "AAAA", ... or "TYPE65534" for types without a mnemonic (RFC 3597 §5).
[[nodiscard]] std::string to_text(RrType type);
/// "IN", "CH", ... or "CLASS42" (RFC 3597 §5).
[[nodiscard]] std::string to_text(RrClass rclass);
/// Inverse of to_text, case-insensitive; accepts the generic TYPEnnn form.
[[nodiscard]] std::optional<RrType> parse_rr_type(std::string_view text);
/// Inverse of to_text, case-insensitive; accepts the generic CLASSnnn form.
[[nodiscard]] std::optional<RrClass> parse_rr_class(std::string_view text);

}  // namespace nfv::net::dns
