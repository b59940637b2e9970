// A zero-copy view of a plain DNS query (RFC 1035 §4.1; OPT RFC 6891 §6.1.2), for the hot path
// of a server that answers from its cache without building a Message.
//
// parse_query_view() accepts only the common shape and says nothing about the rest: one
// question whose name is uncompressed labels, no answer or authority records, at most one
// additional record which must be an OPT with the root owner and well-formed options, and no
// bytes after it. Anything else (including input parse_message() would accept) is nullopt, and
// the caller takes its general path. Every view it returns describes a message parse_message()
// also accepts with the same header, question and EDNS fields (the fuzz target checks this).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "nfv/net/dns/header.hpp"
#include "nfv/net/dns/types.hpp"

namespace nfv::net::dns {

struct QueryView {
    std::uint16_t id = 0;
    std::uint16_t flags = 0;              ///< the header's flags word as received
    std::span<const std::byte> question;  ///< name, type and class as received (echo them)
    std::string_view name_wire;           ///< the question name without its root byte
    RrType type{};
    RrClass rclass{};
    bool edns = false;
    std::uint16_t udp_payload_size = 0;  ///< OPT CLASS; meaningful when `edns`
    std::uint8_t edns_version = 0;
    bool dnssec_ok = false;
    [[nodiscard]] Header header() const { return decode_flags(id, flags); }
};

/// See the banner. Never reads outside `message`.
[[nodiscard]] std::optional<QueryView> parse_query_view(std::span<const std::byte> message);

}  // namespace nfv::net::dns
