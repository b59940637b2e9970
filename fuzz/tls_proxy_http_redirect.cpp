// Fuzz target: the plain-HTTP redirect responder (apps/tls-proxy/src/http_redirect.cpp).
// Properties: never crashes; a response is either 301 with exactly four header lines (status,
// Location, Content-Length, Connection) or 400; no request byte can add a header line (response
// injection), and the Location value contains only visible ASCII.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http_redirect.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view request(reinterpret_cast<const char*>(data), size);
    const auto response = nfv::tls_proxy::http_redirect_response(request, 8443);
    if (!response) {
        if (request.find("\r\n\r\n") != std::string_view::npos ||
            size > nfv::tls_proxy::kMaxRequestHead) {
            std::abort();  // a complete or oversized head always gets an answer
        }
        return 0;
    }
    const auto head_end = response->find("\r\n\r\n");
    if (head_end == std::string::npos) {
        std::abort();
    }
    const std::string_view head(response->data(), head_end + 2);
    std::size_t lines = 0;
    for (std::size_t pos = 0; pos < head.size();) {
        const auto eol = head.find("\r\n", pos);
        const std::string_view line = head.substr(pos, eol - pos);
        for (const char c : line) {
            const auto u = static_cast<unsigned char>(c);
            if (u < 0x20 || u >= 0x7f) {
                std::abort();
            }
        }
        ++lines;
        pos = eol + 2;
    }
    if (response->starts_with("HTTP/1.1 301 ")) {
        if (lines != 4 || head.find("\r\nLocation: https://") == std::string_view::npos) {
            std::abort();
        }
    } else if (!response->starts_with("HTTP/1.1 400 ")) {
        std::abort();
    }
    return 0;
}
