// Reads the hosts files dnsmasq 2.90 reads (cache.c read_hostsfile / hostsdir handling):
// /etc/hosts (or LocalDataSettings::hosts_file) unless `no-hosts`, then every `addn-hosts=`
// path in order (a directory contributes each regular file in it, sorted by name, skipping
// names that dnsmasq also skips: dot files, editor backups ending in '~' and "#...#"), then
// every `hostsdir=` directory the same way.
//
// This is the only file-system code of the DNS engine; parsing is parse_hosts_file(). A file
// that cannot be read is reported (dnsmasq: "failed to load names from ...") and the others are
// still used. Call load_hosts() again to re-read everything (SIGHUP), then hand the result to
// LocalResolver::set_hosts().
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "dns/hosts_file.hpp"
#include "dns/settings.hpp"

namespace nfv::dnsvizor::dns {

struct HostsFileData {
    std::string path;
    std::vector<HostsEntry> entries;
};

/// A problem while loading: `line` 0 means the whole file (unreadable, not a file).
struct HostsLoadProblem {
    std::string file;
    std::size_t line = 0;
    std::string message;
};

struct HostsData {
    std::vector<HostsFileData> files;  // in reading order
    std::vector<HostsLoadProblem> problems;
};

/// Reads and parses every hosts file named by `settings` (see the banner).
[[nodiscard]] HostsData load_hosts(const LocalDataSettings& settings);

/// Reads and parses one path (a file, or a directory of files), appending to `out`.
void load_hosts_path(const std::string& path, HostsData& out);

/// "file:line: message" (or "file: message" when line is 0), for logs.
[[nodiscard]] std::string to_string(const HostsLoadProblem& problem);

}  // namespace nfv::dnsvizor::dns
