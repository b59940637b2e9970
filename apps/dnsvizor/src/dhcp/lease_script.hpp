// dhcp-script: what dnsmasq(8) 2.90 gives the lease-change script, as a pure value.
//
//   <script> add|old|del <MAC> <IPv4> [hostname]
//
// `add` for a new lease, `old` for a lease that changed (its host name; on every renewal only
// with script-on-renewal, which we do not support) and for each lease read from the lease file
// at start, `del` when a lease is released, expires or is declined. The environment (on top of
// the server's own) carries DNSMASQ_LEASE_EXPIRES (unix seconds; absent for infinite leases),
// DNSMASQ_TIME_REMAINING (seconds), DNSMASQ_CLIENT_ID (hex bytes "01:52:54:..", when the client
// sent one), DNSMASQ_DOMAIN (when the lease has a domain), DNSMASQ_OLD_HOSTNAME (an `old` call
// whose name changed) and DNSMASQ_LOG_DHCP=1 (with log-dhcp). dnsmasq's DNSMASQ_INTERFACE,
// DNSMASQ_VENDOR_CLASS, DNSMASQ_USER_CLASSn, DNSMASQ_SUPPLIED_HOSTNAME, DNSMASQ_TAGS,
// DNSMASQ_REQUESTED_OPTIONS and relay variables are not provided (the lease does not record
// them).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nfv/platform/time.hpp"

#include "dhcp/lease.hpp"

namespace nfv::dnsvizor::dhcp {

struct ScriptCall {
    std::vector<std::string> argv;         // argv[0] is the script path
    std::vector<std::string> environment;  // "NAME=value", added to the server's environment
};

struct ScriptContext {
    std::string_view action;  // "add", "old" or "del"
    std::string_view domain;  // the lease's domain, or empty
    std::string_view old_hostname;
    bool log_dhcp = false;
};

/// The call for one lease change. `now` gives DNSMASQ_TIME_REMAINING. Never throws beyond
/// allocation.
[[nodiscard]] ScriptCall script_call(std::string_view script, const Lease& lease,
                                     const ScriptContext& context, platform::WallTime now);

}  // namespace nfv::dnsvizor::dhcp
