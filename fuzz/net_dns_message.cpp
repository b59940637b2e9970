// Fuzz target: DNS message parse/serialize round trip (net/include/nfv/net/dns/message.hpp).
//
// Property: whatever parse_message() accepts, serialize() writes, and parsing that output gives
// an equal message; serializing the second parse gives the same bytes again (serialization is
// deterministic and case-preserving). parse_query_head() must agree with the full parse, and so
// must parse_query_view() whenever it accepts (it may decline what the full parse accepts,
// never the reverse).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "nfv/net/dns/header.hpp"
#include "nfv/net/dns/message.hpp"
#include "nfv/net/dns/query_view.hpp"
#include "nfv/net/dns/tcp_framing.hpp"

namespace dns = nfv::net::dns;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = std::as_bytes(std::span(data, size));

    // The same bytes as a TCP stream must never crash the splitter.
    dns::TcpFrameSplitter splitter;
    (void)splitter.feed(input);
    while (auto frame = splitter.next()) {
        (void)dns::parse_message(*frame);
    }

    const auto head = dns::parse_query_head(input);
    const auto view = dns::parse_query_view(input);
    const auto first = dns::parse_message(input);
    if (view) {
        const bool agrees =
            first && first->header == view->header() && first->questions.size() == 1 &&
            first->answers.empty() && first->authorities.empty() && first->additionals.empty() &&
            first->questions[0].name.wire_without_root() == view->name_wire &&
            first->questions[0].type == view->type && first->questions[0].rclass == view->rclass &&
            first->edns.has_value() == view->edns &&
            (!view->edns || (first->edns->udp_payload_size == view->udp_payload_size &&
                             first->edns->version == view->edns_version &&
                             first->edns->dnssec_ok == view->dnssec_ok));
        if (!agrees) {
            std::abort();
        }
    }
    if (!first) {
        return 0;
    }
    if (!head || (head->question.has_value() != !first->questions.empty()) ||
        (head->question && !(*head->question == first->questions.front()))) {
        std::abort();
    }
    for (const auto& section : {&first->answers, &first->authorities, &first->additionals}) {
        for (const auto& record : *section) {
            (void)dns::to_text(record);
        }
    }

    const auto wire = dns::serialize(*first);
    if (!wire) {
        // Only possible when decompressed content outgrows a 16-bit length field.
        if (wire.error() != dns::DnsError::kTooLarge &&
            wire.error() != dns::DnsError::kDoesNotFit) {
            std::abort();
        }
        return 0;
    }
    const auto second = dns::parse_message(*wire);
    if (!second) {
        std::abort();
    }
    if (second->header.tc && !first->header.tc) {
        return 0;  // did not fit in 65535 bytes and was truncated; not a round trip
    }
    if (!(*second == *first)) {
        std::abort();
    }
    const auto again = dns::serialize(*second);
    if (!again || *again != *wire) {
        std::abort();
    }
    return 0;
}
