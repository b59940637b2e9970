// The result of importing a dnsmasq command line and config files (dnsmasq 2.90 semantics).
//
// `process` and `dns` are typed and validated here; `dhcp` holds every option of the DHCP group
// (dhcp-*, DHCPv6/RA, domain=, read-ethers, no-ping, pxe-*, tftp-*, ...) verbatim and in order,
// for the DHCP side to map and validate; `warnings` names every option that was accepted but is
// not implemented, in the order met.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config_error.hpp"
#include "config/raw_option.hpp"
#include "dns/settings.hpp"

namespace nfv::dnsvizor::config {

/// Process-level settings (dnsmasq's "Listening / process" group minus the DNS listeners).
struct ProcessSettings {
    std::string user;   // `user=`; "" = dnsmasq's default (nobody) unless run as non-root
    std::string group;  // `group=`; "" = dnsmasq's default (dip)
    std::string pid_file = "/var/run/dnsmasq.pid";
    bool keep_in_foreground = false;         // -k
    bool no_daemon = false;                  // -d (debug mode: foreground, log to stderr)
    bool log_dhcp = false;                   // log-dhcp
    bool quiet_dhcp = false;                 // quiet-dhcp
    bool quiet_dhcp6 = false;                // quiet-dhcp6
    bool quiet_ra = false;                   // quiet-ra
    bool log_debug = false;                  // log-debug
    std::optional<std::uint32_t> log_async;  // log-async[=N]: queue length (default 5)
    std::vector<std::string> config_files;   // every file actually read, in order
};

struct DnsmasqConfig {
    ProcessSettings process;
    dns::DnsSettings dns;
    std::vector<RawOption> dhcp;
    std::vector<ConfigWarning> warnings;
};

}  // namespace nfv::dnsvizor::config
