// DNS message header (RFC 1035 §4.1.1; AD/CD bits RFC 4035 §3.2) and the hot-path parse that
// stops after the first question.
//
// A server needs only the id, the flags and the question to look a query up in its cache;
// parse_query_head() gives exactly that without touching the rest of the packet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "nfv/net/byte_writer.hpp"
#include "nfv/net/dns/error.hpp"
#include "nfv/net/dns/record.hpp"
#include "nfv/net/dns/types.hpp"
#include "nfv/platform/result.hpp"

namespace nfv::net::dns {

inline constexpr std::size_t kHeaderSize = 12;

struct Header {
    std::uint16_t id = 0;
    bool qr = false;  ///< response
    Opcode opcode = Opcode::kQuery;
    bool aa = false;
    bool tc = false;
    bool rd = false;
    bool ra = false;
    bool z = false;  ///< the reserved bit, preserved as received
    bool ad = false;
    bool cd = false;
    std::uint8_t rcode = 0;  ///< low 4 bits only; the upper 8 live in Edns::extended_rcode
    friend bool operator==(const Header&, const Header&) = default;
};

/// The header as it is on the wire: flags plus the four section counts.
struct WireHeader {
    Header header;
    std::uint16_t qdcount = 0;
    std::uint16_t ancount = 0;
    std::uint16_t nscount = 0;
    std::uint16_t arcount = 0;
};

/// The 16-bit flags word of `header` (rcode masked to 4 bits).
[[nodiscard]] std::uint16_t encode_flags(const Header& header);
/// The Header with id `id` and flags `flags`.
[[nodiscard]] Header decode_flags(std::uint16_t id, std::uint16_t flags);

/// Writes the 12 header bytes.
void write_header(const WireHeader& header, ByteWriter& out);

/// Reads the 12 header bytes; kTruncated if fewer are present. Nothing else is checked.
[[nodiscard]] Result<WireHeader, DnsError> parse_header(std::span<const std::byte> message);

/// Header plus the first question, if the header announces any.
struct QueryHead {
    WireHeader wire;
    std::optional<Question> question;
    std::size_t question_end = kHeaderSize;  ///< offset just past the first question
};

/// Hot-path parse: header and first question only; later sections are not looked at, so a
/// packet accepted here may still fail parse_message(). Errors as in parse_message.
[[nodiscard]] Result<QueryHead, DnsError> parse_query_head(std::span<const std::byte> message);

}  // namespace nfv::net::dns
