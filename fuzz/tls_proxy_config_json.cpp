// Fuzz target: nfv-tls-proxy JSON config parser (apps/tls-proxy/src/config.cpp).
// Properties: parsing never crashes or throws; a config that parses satisfies the invariants the
// runtime relies on (indices in range, canonical SNI patterns, non-empty backends, ports != 0),
// and parsing is deterministic (a second parse gives the same error or the same shape).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace nfv::tls_proxy;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto first = parse_config(text, "fuzz.json", "/base");
    const auto second = parse_config(text, "fuzz.json", "/base");
    if (first.has_value() != second.has_value()) {
        std::abort();
    }
    if (!first) {
        if (first.error().message != second.error().message ||
            !first.error().message.starts_with("fuzz.json: ")) {
            std::abort();
        }
        return 0;
    }
    const Config& c = *first;
    if (c.listeners.empty() || c.routes.empty() || c.certificates.empty()) {
        std::abort();
    }
    if (c.default_route && *c.default_route >= c.routes.size()) {
        std::abort();
    }
    for (const auto& l : c.listeners) {
        if (l.address.port == 0 || l.address.host.empty()) {
            std::abort();
        }
    }
    for (const auto& r : c.routes) {
        if (r.backends.empty() || r.name.empty()) {
            std::abort();
        }
        for (const auto& p : r.sni) {
            if (canonical_host_pattern(p) != p) {
                std::abort();
            }
        }
        for (const auto& a : r.alpn) {
            if (a.empty() || a.size() > 255) {
                std::abort();
            }
        }
    }
    return 0;
}
