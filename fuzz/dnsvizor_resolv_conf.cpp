// Fuzz target: the resolv.conf parser (apps/dnsvizor/src/dns/resolv_conf.hpp).
//
// Properties: problem line numbers lie inside the text; every address found prints to text that
// parses back to itself, and a file made of those addresses as nameserver lines yields exactly
// the same list with no problems.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dns/resolv_conf.hpp"

namespace dns = nfv::dnsvizor::dns;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto result = dns::parse_resolv_conf_detailed(text);
    const std::size_t lines =
        static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
    for (const auto& problem : result.problems) {
        if (problem.line == 0 || problem.line > lines) {
            std::abort();
        }
    }
    std::string rebuilt;
    for (const auto& address : result.nameservers) {
        const auto again = nfv::net::IpAddress::parse(address.to_string());
        if (!again || *again != address) {
            std::abort();
        }
        rebuilt += "nameserver " + address.to_string() + "\n";
    }
    const auto second = dns::parse_resolv_conf_detailed(rebuilt);
    if (second.nameservers != result.nameservers || !second.problems.empty()) {
        std::abort();
    }
    return 0;
}
