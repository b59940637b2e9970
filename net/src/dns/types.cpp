#include "nfv/net/dns/types.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace nfv::net::dns {
namespace {

struct TypeName {
    RrType type;
    std::string_view name;
};

constexpr std::array kTypeNames{
    TypeName{RrType::kA, "A"},         TypeName{RrType::kNs, "NS"},
    TypeName{RrType::kMd, "MD"},       TypeName{RrType::kMf, "MF"},
    TypeName{RrType::kCname, "CNAME"}, TypeName{RrType::kSoa, "SOA"},
    TypeName{RrType::kMb, "MB"},       TypeName{RrType::kMg, "MG"},
    TypeName{RrType::kMr, "MR"},       TypeName{RrType::kNull, "NULL"},
    TypeName{RrType::kPtr, "PTR"},     TypeName{RrType::kHinfo, "HINFO"},
    TypeName{RrType::kMinfo, "MINFO"}, TypeName{RrType::kMx, "MX"},
    TypeName{RrType::kTxt, "TXT"},     TypeName{RrType::kRp, "RP"},
    TypeName{RrType::kAfsdb, "AFSDB"}, TypeName{RrType::kRt, "RT"},
    TypeName{RrType::kPx, "PX"},       TypeName{RrType::kAaaa, "AAAA"},
    TypeName{RrType::kSrv, "SRV"},     TypeName{RrType::kNaptr, "NAPTR"},
    TypeName{RrType::kDname, "DNAME"}, TypeName{RrType::kOpt, "OPT"},
    TypeName{RrType::kDs, "DS"},       TypeName{RrType::kRrsig, "RRSIG"},
    TypeName{RrType::kNsec, "NSEC"},   TypeName{RrType::kDnskey, "DNSKEY"},
    TypeName{RrType::kHttps, "HTTPS"}, TypeName{RrType::kAxfr, "AXFR"},
    TypeName{RrType::kAny, "ANY"},     TypeName{RrType::kCaa, "CAA"},
};

struct ClassName {
    RrClass rclass;
    std::string_view name;
};

constexpr std::array kClassNames{
    ClassName{RrClass::kIn, "IN"},   ClassName{RrClass::kCh, "CH"},
    ClassName{RrClass::kHs, "HS"},   ClassName{RrClass::kNone, "NONE"},
    ClassName{RrClass::kAny, "ANY"},
};

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

// Parses "<prefix><decimal>" (RFC 3597 §5 generic form) into a 16-bit value.
std::optional<std::uint16_t> parse_generic(std::string_view text, std::string_view prefix) {
    if (text.size() <= prefix.size() || !iequals(text.substr(0, prefix.size()), prefix)) {
        return std::nullopt;
    }
    const auto digits = text.substr(prefix.size());
    std::uint16_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{} || end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

std::string to_text(RrType type) {
    for (const auto& entry : kTypeNames) {
        if (entry.type == type) {
            return std::string(entry.name);
        }
    }
    return "TYPE" + std::to_string(static_cast<unsigned>(type));
}

std::string to_text(RrClass rclass) {
    for (const auto& entry : kClassNames) {
        if (entry.rclass == rclass) {
            return std::string(entry.name);
        }
    }
    return "CLASS" + std::to_string(static_cast<unsigned>(rclass));
}

std::optional<RrType> parse_rr_type(std::string_view text) {
    for (const auto& entry : kTypeNames) {
        if (iequals(entry.name, text)) {
            return entry.type;
        }
    }
    if (auto value = parse_generic(text, "TYPE")) {
        return static_cast<RrType>(*value);
    }
    return std::nullopt;
}

std::optional<RrClass> parse_rr_class(std::string_view text) {
    for (const auto& entry : kClassNames) {
        if (iequals(entry.name, text)) {
            return entry.rclass;
        }
    }
    if (auto value = parse_generic(text, "CLASS")) {
        return static_cast<RrClass>(*value);
    }
    return std::nullopt;
}

}  // namespace nfv::net::dns
