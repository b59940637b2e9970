// Fuzz target: Ipv6View::check and every accessor; a checked header re-serializes to exactly the
// same 40 bytes (every bit of the fixed header is represented in Ipv6Header).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "nfv/net/ipv6.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = std::as_bytes(std::span(data, size));
    const auto view = nfv::net::Ipv6View::check(input);
    if (!view) {
        return 0;
    }
    if (view->payload().size() != view->payload_length() ||
        view->packet().size() != nfv::net::kIpv6HeaderSize + view->payload_length()) {
        std::abort();
    }
    const auto header = to_header(*view);
    std::vector<std::byte> out(nfv::net::kIpv6HeaderSize);
    if (serialize(header, out) != out.size()) {
        std::abort();
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (out[i] != view->header()[i]) {
            std::abort();
        }
    }
    (void)view->source().to_string();

    std::vector<std::byte> copy(input.begin(), input.end());
    auto mut = nfv::net::Ipv6ViewMut::check(copy);
    if (!mut) {
        std::abort();
    }
    mut->set_hop_limit(static_cast<std::uint8_t>(view->hop_limit() - 1));
    mut->set_source(view->destination());
    mut->set_destination(header.source);
    if (mut->source() != header.destination || mut->destination() != header.source ||
        mut->payload_length() != header.payload_length) {
        std::abort();
    }
    return 0;
}
