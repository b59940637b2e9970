// DNS message: parse and serialize (RFC 1035 §4.1, compression §4.1.4, EDNS RFC 6891,
// truncation RFC 1035 §4.2.1 and RFC 2181 §9).
//
// Parsing is strict: every section count must be matched by records actually present, every
// rdlength must lie inside the message, typed rdata must fill its rdlength exactly, at most one
// OPT record may appear and only in the additional section with the root owner name.
// Trailing-data policy: bytes after the last announced record are rejected (kTrailingData) by
// default; TrailingData::kIgnore accepts and drops them (some middleboxes pad datagrams).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "nfv/net/dns/edns.hpp"
#include "nfv/net/dns/error.hpp"
#include "nfv/net/dns/header.hpp"
#include "nfv/net/dns/record.hpp"
#include "nfv/platform/result.hpp"

namespace nfv::net::dns {

/// A DNS message can never exceed 65535 bytes (TCP length prefix, RFC 1035 §4.2.2).
inline constexpr std::size_t kMaxMessageSize = 0xFFFF;

struct Message {
    Header header;
    std::vector<Question> questions;
    std::vector<ResourceRecord> answers;
    std::vector<ResourceRecord> authorities;
    std::vector<ResourceRecord> additionals;  ///< without the OPT record
    std::optional<Edns> edns;                 ///< the OPT record, if present

    /// The full 12-bit rcode: header bits plus EDNS extended bits (RFC 6891 §6.1.3).
    [[nodiscard]] std::uint16_t rcode() const;
    /// Sets the full rcode; values above 15 create an Edns if there is none.
    void set_rcode(std::uint16_t rcode);

    friend bool operator==(const Message&, const Message&) = default;
};

enum class TrailingData : std::uint8_t { kReject, kIgnore };

/// Parses a whole message (see the banner for the rules).
[[nodiscard]] Result<Message, DnsError> parse_message(
    std::span<const std::byte> wire, TrailingData trailing = TrailingData::kReject);

/// Serializes `message` with name compression into at most `max_size` bytes (clamped to
/// kMaxMessageSize). If it does not fit, records are dropped from the end (additional, then
/// authority, then answer) a whole record at a time, the OPT record is kept, and TC is set when
/// an answer or authority record was dropped (RFC 2181 §9: dropping additional-section data alone
/// does not set TC). TC is also set if message.header.tc already is.
/// Errors: kDoesNotFit if header + questions + OPT exceed max_size; kTooLarge if some field
/// exceeds its length field (a character-string > 255, rdata > 65535, > 65535 questions);
/// kBadOpt if an OPT record is present among the ResourceRecords. Records that are dropped
/// for size are not written and therefore not validated.
[[nodiscard]] Result<std::vector<std::byte>, DnsError> serialize(
    const Message& message, std::size_t max_size = kMaxMessageSize);

/// The UDP response size limit for `query` (RFC 6891 §6.2.5): 512 without EDNS, otherwise
/// max(512, min(advertised size, configured_max)). configured_max is dnsmasq's edns-packet-max.
[[nodiscard]] std::size_t effective_udp_limit(const Message& query,
                                              std::size_t configured_max = kDefaultEdnsUdpSize);
/// The same from the size a query advertised in its OPT record (nullopt: no EDNS).
[[nodiscard]] std::size_t udp_limit_for(std::optional<std::uint16_t> advertised,
                                        std::size_t configured_max = kDefaultEdnsUdpSize);

}  // namespace nfv::net::dns
