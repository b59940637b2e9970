#include "dhcp/lease_script.hpp"

#include <algorithm>
#include <cstdio>

namespace nfv::dnsvizor::dhcp {

ScriptCall script_call(std::string_view script, const Lease& lease, const ScriptContext& context,
                       platform::WallTime now) {
    ScriptCall call;
    call.argv = {std::string(script), std::string(context.action), lease.hardware.to_text(),
                 lease.address.to_string()};
    if (!lease.hostname.empty())
        call.argv.push_back(lease.hostname);
    if (!lease.infinite()) {
        call.environment.push_back("DNSMASQ_LEASE_EXPIRES=" +
                                   std::to_string(lease.expires.unix_seconds));
        const auto remaining =
            std::max<std::int64_t>(0, lease.expires.unix_seconds - now.unix_seconds);
        call.environment.push_back("DNSMASQ_TIME_REMAINING=" + std::to_string(remaining));
    }
    if (!lease.client_id.empty()) {
        std::string hex;
        for (const auto byte : lease.client_id) {
            char two[4];
            std::snprintf(two, sizeof two, "%02x", static_cast<unsigned>(byte));
            if (!hex.empty())
                hex += ':';
            hex += two;
        }
        call.environment.push_back("DNSMASQ_CLIENT_ID=" + hex);
    }
    if (!context.domain.empty())
        call.environment.push_back("DNSMASQ_DOMAIN=" + std::string(context.domain));
    if (!context.old_hostname.empty())
        call.environment.push_back("DNSMASQ_OLD_HOSTNAME=" + std::string(context.old_hostname));
    if (context.log_dhcp)
        call.environment.emplace_back("DNSMASQ_LOG_DHCP=1");
    return call;
}

}  // namespace nfv::dnsvizor::dhcp
