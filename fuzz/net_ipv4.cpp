// Fuzz target: Ipv4View::check and every accessor, plus three properties:
//  * a checked option-less header with a valid checksum re-serializes to the same bytes;
//  * incremental TTL/address rewrites (RFC 1624) keep a valid checksum valid;
//  * the views never reach outside the input (ASan enforces it).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "nfv/net/byte_order.hpp"
#include "nfv/net/ipv4.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = std::as_bytes(std::span(data, size));
    const auto view = nfv::net::Ipv4View::check(input);
    if (!view) {
        return 0;
    }
    // Touch every accessor; the sum only keeps the calls from being optimised away.
    std::size_t sink = std::size_t{view->ihl()} + view->dscp() + view->ecn();
    sink += std::size_t{view->total_length()} + view->identification() + view->fragment_offset();
    sink += std::size_t{view->ttl()} + view->protocol() + view->header_checksum();
    sink += std::size_t{view->source().to_u32()} + view->destination().to_u32();
    sink += view->options().size() + view->payload().size() + (view->is_fragment() ? 1U : 0U);
    volatile std::size_t keep = sink;
    (void)keep;
    if (view->packet().size() != view->total_length() ||
        view->header().size() + view->payload().size() != view->packet().size() ||
        view->header().size() != view->header_length()) {
        std::abort();
    }

    const bool valid = view->checksum_valid();
    const bool reserved_flag = (nfv::net::load_u8(input, 6) & 0x80U) != 0;
    if (valid && view->options().empty() && !reserved_flag) {
        std::vector<std::byte> out(nfv::net::kIpv4MinHeaderSize);
        if (serialize(to_header(*view), out) != out.size()) {
            std::abort();
        }
        // A stored checksum of 0xffff is the one's complement "negative zero": it verifies, but a
        // computed checksum is never 0xffff (RFC 1624 §3), so serialize writes 0x0000 instead.
        const bool negative_zero = view->header_checksum() == 0xffff;
        for (std::size_t i = 0; i < out.size(); ++i) {
            const bool checksum_byte = i == 10 || i == 11;
            if (out[i] != view->header()[i] && !(negative_zero && checksum_byte)) {
                std::abort();
            }
        }
    }

    std::vector<std::byte> copy(input.begin(), input.end());
    auto mut = nfv::net::Ipv4ViewMut::check(copy);
    if (!mut) {
        std::abort();  // the same bytes must check the same way
    }
    mut->update_ttl(static_cast<std::uint8_t>(view->ttl() - 1));
    mut->update_source(nfv::net::Ipv4Address::from_u32(~view->source().to_u32()));
    mut->update_destination(nfv::net::Ipv4Address({10, 0, 0, 1}));
    if (mut->checksum_valid() != valid) {
        std::abort();
    }
    mut->recompute_header_checksum();
    if (!mut->checksum_valid()) {
        std::abort();
    }
    return 0;
}
