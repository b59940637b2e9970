// Fuzz target: DNS names in text and wire form (net/include/nfv/net/dns/name.hpp).
//
// Input: one mode byte, then the payload.
//   even mode: payload is presentation text; odd mode: payload is wire bytes, and the mode byte
//   (>> 1) picks the offset at which the name starts (pointers may point before it).
// Properties: to_text -> parse_text and write_uncompressed -> parse_wire give an identical name;
// reverse-name helpers invert each other.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/byte_writer.hpp"
#include "nfv/net/dns/name.hpp"
#include "nfv/net/dns/reverse.hpp"

namespace dns = nfv::net::dns;

namespace {

void check(const dns::Name& name) {
    const auto text = dns::Name::parse_text(name.to_text());
    if (!text || !text->identical(name) || text->hash() != name.hash()) {
        std::abort();
    }
    std::vector<std::byte> buffer(name.wire_size());
    nfv::net::ByteWriter out(buffer);
    name.write_uncompressed(out);
    if (out.overflowed() || out.position() != buffer.size()) {
        std::abort();
    }
    nfv::net::ByteReader reader(buffer);
    const auto wire = dns::Name::parse_wire(reader);
    if (!wire || !wire->identical(name) || !reader.empty()) {
        std::abort();
    }
    if (!name.is_subdomain_of(name.parent())) {
        std::abort();
    }
    if (const auto v4 = dns::parse_reverse_v4(name); v4 && !(dns::reverse_name(*v4) == name)) {
        std::abort();
    }
    if (const auto v6 = dns::parse_reverse_v6(name); v6 && !(dns::reverse_name(*v6) == name)) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::uint8_t mode = data[0];
    const auto payload = std::as_bytes(std::span(data + 1, size - 1));
    if ((mode & 1U) == 0) {
        const std::string_view text(reinterpret_cast<const char*>(payload.data()),  // NOLINT
                                    payload.size());
        if (const auto name = dns::Name::parse_text(text)) {
            check(*name);
        }
        return 0;
    }
    nfv::net::ByteReader reader(payload);
    if (!reader.seek(std::min<std::size_t>(mode >> 1U, payload.size()))) {
        return 0;
    }
    if (const auto name = dns::Name::parse_wire(reader)) {
        check(*name);
    }
    return 0;
}
