// Fuzz target: PUSH_REPLY parsing on untrusted server data (config/push_reply.hpp).
// The first input byte selects a pull policy (route-nopull, pull-filters); the rest is split
// on '\n' into consecutive control messages fed to a PushReplyAssembler.
// Properties: never crashes; a completed reply respects the documented bounds (routes and
// dhcp options together below kMaxPushOptions, peer-id at most 24 bits).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/push_reply.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace config = nfv::vpn::config;
    if (size == 0) {
        return 0;
    }
    config::PullPolicy policy;
    const std::uint8_t selector = data[0];
    policy.route_nopull = (selector & 1U) != 0;
    if ((selector & 2U) != 0) {
        policy.filters.push_back({config::PullFilter::Action::kIgnore, "route "});
    }
    if ((selector & 4U) != 0) {
        policy.filters.push_back({config::PullFilter::Action::kReject, "redirect-gateway"});
    }
    if ((selector & 8U) != 0) {
        policy.filters.push_back({config::PullFilter::Action::kAccept, "dhcp-option"});
    }
    config::PushReplyAssembler assembler(policy);
    std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    while (true) {
        const std::size_t newline = rest.find('\n');
        const auto result = assembler.add(rest.substr(0, newline));
        if (result && *result) {
            const config::PushedOptions& options = **result;
            if (options.routes.size() + options.routes_ipv6.size() + options.dhcp_options.size() >
                config::kMaxPushOptions) {
                std::abort();
            }
            if (options.peer_id && *options.peer_id > 0xFFFFFFU) {
                std::abort();
            }
        }
        if (newline == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(newline + 1);
    }
    return 0;
}
