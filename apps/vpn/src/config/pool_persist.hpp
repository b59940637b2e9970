// The ifconfig-pool-persist file: which common name had which tunnel addresses, so a client
// keeps its address across server restarts (man openvpn "--ifconfig-pool-persist file
// [seconds]").
//
// Format, as OpenVPN 2.6.14 pool.c ifconfig_pool_read() / ifconfig_pool_list() read and write
// it: one "CN,IPv4,IPv6" line per client; either address may be empty ("CN,IPv4," is what a
// server without an IPv6 pool writes, "CN,,IPv6" has no IPv4). Lines starting with '#' or ';'
// and empty lines are skipped. A line OpenVPN cannot use is skipped with a warning, never
// fatal: the file is the server's own state and a bad line must not stop the service.
// Written by openvpn 2.6.14 for configs/vpn/nyr/server.conf:
//   client1,10.8.0.2,fddd:1194:1194:1194::1000
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/net/ip_address.hpp"

namespace nfv::vpn::config {

/// Common names longer than this (OpenVPN's 128-byte parse buffer) are skipped.
inline constexpr std::size_t kMaxPoolCommonName = 127;
/// Lines read from one file at most (IFCONFIG_POOL_MAX).
inline constexpr std::size_t kMaxPoolEntries = 65536;

struct PoolEntry {
    std::string common_name;
    std::optional<net::Ipv4Address> ipv4;
    std::optional<net::Ipv6Address> ipv6;
    bool operator==(const PoolEntry&) const = default;
};

struct PoolPersistFile {
    std::vector<PoolEntry> entries;
    std::vector<std::string> warnings;  // "line N: why", one per skipped line
};

/// Parses the file text. Never fails; unusable lines become warnings.
[[nodiscard]] PoolPersistFile parse_pool_persist(std::string_view text);

/// The file text for `entries`, in OpenVPN's format ("CN,IPv4,IPv6\n" with empty fields).
[[nodiscard]] std::string format_pool_persist(std::span<const PoolEntry> entries);

}  // namespace nfv::vpn::config
