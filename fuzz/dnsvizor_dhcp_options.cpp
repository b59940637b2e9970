// Fuzz target: dnsmasq DHCP option text -> DHCP server settings (dnsvizor dhcp/option_mapper).
// Input: lines "name=value" (or a bare "name"), each becoming one RawOption in order.
// Properties: the mapper never crashes; every error names the location and the option; every
// served option fits a DHCP message (RFC 3396 splitting allows up to 1020 bytes here) and its
// "this server" placeholders lie inside the value; ranges have start <= end and leases >= 120 s.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "config/raw_option.hpp"
#include "dhcp/option_mapper.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);  // NOLINT
    std::vector<nfv::dnsvizor::config::RawOption> options;
    std::size_t line = 0;
    std::size_t start = 0;
    while (start < text.size() && options.size() < 200) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view current = text.substr(start, end - start);
        start = end + 1;
        ++line;
        if (current.empty())
            continue;
        nfv::dnsvizor::config::RawOption option;
        const auto equals = current.find('=');
        option.name = std::string(current.substr(0, equals));
        if (equals != std::string_view::npos) {
            option.value = std::string(current.substr(equals + 1));
            option.has_value = true;
        }
        option.where = {"fuzz.conf", line};
        options.push_back(std::move(option));
    }
    const auto mapped = nfv::dnsvizor::dhcp::map_dhcp_options(options);
    if (!mapped) {
        if (mapped.error().rfind("fuzz.conf:", 0) != 0)
            std::abort();
        return 0;
    }
    for (const auto& option : mapped->settings.options) {
        if (option.value.size() > 1020)
            std::abort();
        for (const std::size_t at : option.server_address_at) {
            if (at + 4 > option.value.size())
                std::abort();
        }
    }
    for (const auto& range : mapped->settings.ranges) {
        if (range.start.to_u32() > range.end.to_u32() || range.lease_seconds < 120)
            std::abort();
    }
    return 0;
}
