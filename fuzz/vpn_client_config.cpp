// Fuzz target: a client-config-dir file or a client-connect script's output
// (server/client_config.hpp), both read by the server for each connecting client.
// Properties: never crashes; an accepted file's iroutes and pushes are bounded by its size.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "server/client_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto parsed = nfv::vpn::server::parse_client_config(text, "fuzz");
    if (parsed && (parsed->iroutes.size() > size || parsed->push.size() > size)) {
        std::abort();
    }
    return 0;
}
