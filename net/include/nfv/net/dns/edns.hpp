// EDNS(0): the OPT pseudo-record (RFC 6891 §6).
//
// OPT carries the requester's UDP payload size in its CLASS field and, in its TTL field, the
// upper 8 bits of a 12-bit rcode, the EDNS version, the DO bit (RFC 3225) and 15 Z bits. Its
// owner name is always the root. Options are kept as opaque code/bytes pairs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "nfv/net/byte_writer.hpp"
#include "nfv/net/dns/error.hpp"
#include "nfv/platform/result.hpp"

namespace nfv::net::dns {

/// What we advertise by default (DNS flag day 2020; dnsmasq 2.90 `edns-packet-max`).
inline constexpr std::uint16_t kDefaultEdnsUdpSize = 1232;
/// The plain-DNS UDP limit (RFC 1035 §4.2.1); also the floor for any advertised size
/// (RFC 6891 §6.2.5: values below 512 are treated as 512).
inline constexpr std::size_t kPlainUdpLimit = 512;
/// Fixed part of an OPT record: root name, type, class, ttl, rdlength.
inline constexpr std::size_t kOptFixedSize = 11;

struct EdnsOption {
    std::uint16_t code = 0;
    std::vector<std::byte> data;
    friend bool operator==(const EdnsOption&, const EdnsOption&) = default;
};

struct Edns {
    std::uint16_t udp_payload_size = kDefaultEdnsUdpSize;
    std::uint8_t extended_rcode = 0;  ///< upper 8 bits of the 12-bit rcode
    std::uint8_t version = 0;
    bool dnssec_ok = false;
    std::uint16_t z = 0;  ///< the 15 remaining flag bits, preserved as received
    std::vector<EdnsOption> options;
    friend bool operator==(const Edns&, const Edns&) = default;
};

/// Builds an Edns from the CLASS, TTL and RDATA of an OPT record. Options must tile the rdata
/// exactly (kBadOpt otherwise). Any version is accepted; answering BADVERS is the server's job.
[[nodiscard]] Result<Edns, DnsError> parse_opt(std::uint16_t rclass, std::uint32_t ttl,
                                               std::span<const std::byte> rdata);

/// Bytes write_opt() produces.
[[nodiscard]] std::size_t opt_wire_size(const Edns& edns);

/// Writes the whole OPT record (root owner name included). Fails with kTooLarge if an option or
/// the rdata exceeds 65535 bytes; overflow is reported through out.overflowed().
[[nodiscard]] Result<void, DnsError> write_opt(const Edns& edns, ByteWriter& out);

}  // namespace nfv::net::dns
