// Static DHCP hosts kept outside the main config: dhcp-hostsfile=PATH, dhcp-hostsdir=DIR and
// read-ethers (dnsmasq(8) 2.90).
//   dhcp-hostsfile  a file, or a directory whose files are all read; each line is the value of a
//                   dhcp-host option without the "dhcp-host=" prefix.
//   dhcp-hostsdir   every file of the directory, same line format.
//   read-ethers     /etc/ethers: "MAC hostname-or-IPv4" per line, the same as
//                   dhcp-host=MAC,hostname-or-IPv4 (dnsmasq(8) --read-ethers).
// Lines are trimmed; blank lines and `#` comments (at the start of a line or after a blank) are
// skipped. As in dnsmasq, a bad line is not fatal: it becomes a warning naming the file and the
// line, and is skipped; an unreadable file is a warning too. Directory entries whose names start
// with '.' or end with '~' or '#' (editor leftovers) are skipped, and files are read in name
// order so that the result does not depend on the directory's order.
// The hosts are appended after the config's own dhcp-host lines, so those match first. SIGHUP
// rereads all these files (dnsmasq does): reload_host_sources() rebuilds the table.
#pragma once

#include <string>
#include <string_view>

#include "dhcp/option_mapper.hpp"

namespace nfv::dnsvizor::dhcp {

/// dnsmasq's ethers file (config.h ETHERSFILE).
inline constexpr std::string_view kEthersFile = "/etc/ethers";

/// Appends the hosts of `text`, dhcp-host values one per line, to out.settings.hosts. `file`
/// names the source in warnings ("<file>:<line>: <option>: ..."); `option` is dhcp-hostsfile or
/// dhcp-hostsdir. Bad lines are appended to out.warnings and skipped.
void add_host_lines(std::string_view text, const std::string& file, std::string_view option,
                    DhcpImport& out);

/// Appends the hosts of `text` in /etc/ethers format to out.settings.hosts; bad lines are
/// warnings ("<file>:<line>: read-ethers: ...") and are skipped.
void add_ethers_lines(std::string_view text, const std::string& file, DhcpImport& out);

/// Reads every source in out.host_sources (files, directories, /etc/ethers) and appends their
/// hosts after the first out.config_host_count entries of out.settings.hosts, replacing the
/// hosts a previous call added. Problems are warnings appended to `warnings`.
void reload_host_sources(DhcpImport& out, std::vector<std::string>& warnings);

}  // namespace nfv::dnsvizor::dhcp
