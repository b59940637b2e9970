// Fuzz target: a client's peer-info text as a server parses it (config/peer_info.hpp).
// Properties: never crashes; a parsed result respects the variable bound; rebuilding
// peer-info from the parsed ciphers and parsing it again yields the same cipher list.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/peer_info.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace config = nfv::vpn::config;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto info = config::parse_peer_info(text);
    if (!info) {
        return 0;
    }
    if (info->variables.size() > config::kMaxPeerInfoVariables) {
        std::abort();
    }
    config::PeerInfoParams params;
    params.ciphers = info->ciphers;
    const auto again = config::parse_peer_info(config::build_peer_info(params));
    if (again && again->ciphers != info->ciphers) {
        std::abort();
    }
    return 0;
}
