// DnsError: why a DNS wire or presentation input was rejected (RFC 1035 §4, RFC 6891 §6).
//
// One small enum for the whole DNS codec, so a server can count malformed packets per reason
// (`stats.malformed[error]++`) instead of logging each one.
#pragma once

#include <cstdint>
#include <string_view>

namespace nfv::net::dns {

enum class DnsError : std::uint8_t {
    kTruncated,     ///< input ended inside a header, name, question or record
    kLabelTooLong,  ///< a label longer than 63 bytes (RFC 1035 §2.3.4)
    kNameTooLong,   ///< a name longer than 255 bytes in wire form (RFC 1035 §2.3.4)
    kBadLabelType,  ///< reserved label type 0x40 / 0x80 (RFC 6891 §5 retired 0x40)
    kBadPointer,    ///< compression pointer not strictly backwards, or too many jumps
    kBadRdata,      ///< rdata of a known type does not match its rdlength / layout
    kTrailingData,  ///< bytes after the last record announced by the header
    kBadOpt,      ///< OPT record misplaced, duplicated or with a non-root owner (RFC 6891 §6.1.1)
    kBadText,     ///< presentation-format text that cannot be parsed
    kTooLarge,    ///< a serialized message, rdata or string exceeds its 16/8-bit length field
    kDoesNotFit,  ///< header + question (+ OPT) alone exceed the size limit
    kFrameTooLarge,  ///< TCP frame would exceed the splitter's buffer bound
};

/// A stable, lower-case name for logs and metrics labels ("truncated", "bad_pointer", ...).
[[nodiscard]] std::string_view to_string(DnsError error);

}  // namespace nfv::net::dns
