// Fuzz target: DHCPv4 message parsing (net/dhcp). Property: parse never crashes, and a parsed
// message serializes and parses again to the same header fields and options.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "nfv/net/dhcp/message.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::byte> input(reinterpret_cast<const std::byte*>(data),
                                           size);  // NOLINT
    const auto parsed = nfv::net::dhcp::parse(input);
    if (!parsed)
        return 0;
    std::vector<std::byte> buffer(parsed->options.wire_size() + 400);
    const auto written = nfv::net::dhcp::serialize(*parsed, buffer);
    if (!written)
        std::abort();
    const auto again = nfv::net::dhcp::parse(std::span(buffer).first(*written));
    if (!again)
        std::abort();
    if (again->xid != parsed->xid || again->yiaddr != parsed->yiaddr ||
        again->chaddr != parsed->chaddr) {
        std::abort();
    }
    const auto& a = parsed->options.all();
    const auto& b = again->options.all();
    if (a.size() != b.size())
        std::abort();
    for (std::size_t i = 0; i < a.size(); ++i) {
        // Order may change (message type first); compare by lookup.
        const auto* other = again->options.find(a[i].code);
        if (other == nullptr || *other != a[i].value)
            std::abort();
    }
    return 0;
}
