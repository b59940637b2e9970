// dnsmasq's DHCP options (dnsmasq(8) 2.90, DHCPv4 part) -> the DHCP server's typed settings.
//
// The config reader hands over every DHCP-group option verbatim and in order (RawOption: name,
// value, where). This mapper interprets them:
//   dhcp-range     [tag:t,..][set:t,|net:t,|t,]start,end|static[,netmask[,broadcast]][,lease]
//                  lease N[s|m|h|d|w] or `infinite`, default 1h, clamped to at least 120 s;
//                  start > end is swapped; "bad dhcp-range" / "inconsistent DHCP range" errors.
//   dhcp-host      [mac..][,id:clid|*][,set:t][,tag:t][,ipv4][,name][,lease][,ignore]
//                  MACs with `*` wildcards and a `TT-` hardware-type prefix.
//   dhcp-option, dhcp-option-force      see option_values.hpp
//   dhcp-ignore=tag:t[,tag:t]  (no answer for clients matching all the tags),
//   dhcp-authoritative, dhcp-rapid-commit, dhcp-sequential-ip, dhcp-lease-max=N,
//   domain=dom[,range], dhcp-leasefile=path, leasefile-ro, log-dhcp, quiet-dhcp, no-ping,
//   dhcp-hostsfile, dhcp-hostsdir, read-ethers (host_files.hpp),
//   dhcp-match=set:t,opt[,value], dhcp-vendorclass=set:t,text, dhcp-userclass=set:t,text,
//   tag-if=set:t[,set:u][,tag:c..] (tags computed before the host lookup and option selection),
//   dhcp-script=path (add/old/del calls, lease_script.hpp),
//   no-dhcp-interface=if and no-dhcpv4-interface=if (the runtime serves no DHCP there; DNS
//   still does).
// DHCPv6 ranges, option6:, enable-ra, ra-param and no-dhcpv6-interface become the warning
// "DHCPv6/RA is not supported yet; ignored". Every other DHCP option is either a named error
// (options whose absence would change who gets which address, e.g. dhcp-mac,
// dhcp-optsfile) or a named warning (options that only change details, e.g. dhcp-broadcast,
// dhcp-fqdn).
//
// Errors and warnings start with "<file>:<line>: <option>: " (or "command line: ..."), so a user
// can find the line.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/platform/result.hpp"

#include "config/raw_option.hpp"
#include "dhcp/server_config.hpp"

namespace nfv::dnsvizor::dhcp {

/// dnsmasq's default lease file on Debian (dnsmasq(8) --dhcp-leasefile).
inline constexpr std::string_view kDefaultLeaseFile = "/var/lib/misc/dnsmasq.leases";

/// Everything the DHCP options configure: the engine's settings and the runtime's knobs.
struct DhcpImport {
    DhcpServerSettings settings;
    std::string lease_file{kDefaultLeaseFile};
    bool lease_file_readonly = false;             // leasefile-ro: leases live in memory only
    std::string script;                           // dhcp-script=path (lease_script.hpp)
    bool log_dhcp = false;                        // log-dhcp: extra per-packet detail
    bool quiet_dhcp = false;                      // quiet-dhcp: no per-packet log lines
    bool no_ping = false;                         // no-ping (we never ping; kept for reporting)
    std::vector<std::string> no_dhcp_interfaces;  // no-dhcp-interface=: DNS only there
    bool ipv6_requested = false;                  // some DHCPv6/RA option was present (and ignored)
    // dhcp-hostsfile / dhcp-hostsdir / read-ethers sources, reread on SIGHUP (host_files.hpp),
    // and how many of settings.hosts come from dhcp-host lines (the file hosts follow them).
    struct HostSource {
        std::string option;  // "dhcp-hostsfile", "dhcp-hostsdir" or "read-ethers"
        std::string path;
    };
    std::vector<HostSource> host_sources;
    std::size_t config_host_count = 0;
    std::vector<std::string> warnings;

    /// True when at least one IPv4 dhcp-range is configured (the server should run).
    [[nodiscard]] bool enabled() const { return !settings.ranges.empty(); }
};

/// Maps the DHCP options in order. Stops at the first error, whose text names file, line and
/// option. Never throws.
[[nodiscard]] Result<DhcpImport, std::string> map_dhcp_options(
    std::span<const config::RawOption> options);

/// Maps one dhcp-host value (`option.value`) into out.settings.hosts; the error names file, line
/// and option. Also used for the lines of dhcp-hostsfile / dhcp-hostsdir / read-ethers.
[[nodiscard]] Result<void, std::string> map_dhcp_host(const config::RawOption& option,
                                                      DhcpImport& out);

/// "file:line" or "command line argument N", for messages.
[[nodiscard]] std::string describe_location(const config::SourceLocation& where);

}  // namespace nfv::dnsvizor::dhcp
