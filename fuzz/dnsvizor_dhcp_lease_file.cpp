// Fuzz target: dnsmasq lease-file parsing (dnsvizor dhcp/lease_file). Properties: parse never
// crashes; what parsed formats and parses again to the same leases and DHCPv6 lines with no
// problems (a file we write is always readable by us).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dhcp/lease_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);  // NOLINT
    const auto first = nfv::dnsvizor::dhcp::parse_lease_file(text);
    const auto written = nfv::dnsvizor::dhcp::format_lease_file(first.leases, first.ipv6_lines);
    const auto second = nfv::dnsvizor::dhcp::parse_lease_file(written);
    if (!second.problems.empty() || second.leases != first.leases ||
        second.ipv6_lines != first.ipv6_lines) {
        std::abort();
    }
    return 0;
}
