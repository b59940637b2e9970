// Fuzz target: the bytes are the text of a dnsmasq config file, read and mapped in memory
// (parse_config_text: no file system access, includes fail cleanly). Properties: never crash;
// a configuration that parses prints as valid JSON, and parsing is deterministic.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config/invocation.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data),
                                size);  // NOLINT: bytes as text
    auto config = nfv::dnsvizor::config::parse_config_text(text, "fuzz.conf");
    if (!config) {
        if (nfv::dnsvizor::config::format(config.error()).empty()) {
            std::abort();
        }
        return 0;
    }
    const std::string json = nfv::dnsvizor::config::to_json(*config);
    if (!nlohmann::json::accept(json)) {
        std::abort();
    }
    auto again = nfv::dnsvizor::config::parse_config_text(text, "fuzz.conf");
    if (!again || nfv::dnsvizor::config::to_json(*again) != json) {
        std::abort();
    }
    return 0;
}
