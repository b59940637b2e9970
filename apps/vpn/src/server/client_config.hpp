// One client-config-dir file (`client-config-dir DIR`: DIR/<common name>), the per-client
// options a server applies when that client connects.
//
// Reference: man openvpn 2.6 "--client-config-dir" and the options it lists as valid there;
// multi.c multi_client_connect_post / options.c (OPT_P_INSTANCE): `ifconfig-push LOCAL
// REMOTE_NETMASK` and `ifconfig-ipv6-push ADDR/BITS [REMOTE]` replace the pool address, `iroute
// NETWORK [NETMASK]` (netmask default 255.255.255.255) and `iroute-ipv6 NETWORK/BITS` make the
// client own those networks, `push` adds to the inherited push list, `push-reset` drops the
// inherited list first, `disable` refuses the client.
// Contract: pure (the runtime reads the file). Every other directive is an error naming it, so
// nothing in a ccd file is silently ignored; the first error stops parsing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nfv/net/cidr.hpp"
#include "nfv/net/ip_address.hpp"
#include "nfv/platform/result.hpp"

#include "config/config_error.hpp"

namespace nfv::vpn::server {

struct ClientConfig {
    std::optional<std::pair<net::Ipv4Address, net::Ipv4Address>> ifconfig_push;
    std::optional<net::Ipv6Cidr> ifconfig_ipv6_push;
    std::optional<net::Ipv6Address> ifconfig_ipv6_push_remote;
    std::vector<net::IpCidr> iroutes;  // IPv4 and IPv6, in file order
    std::vector<std::string> push;     // added after the inherited list
    bool push_reset = false;           // the inherited push list is dropped
    bool disable = false;
};

/// Parses the text of a ccd file; `file_name` only labels errors.
[[nodiscard]] Result<ClientConfig, config::ConfigError> parse_client_config(
    std::string_view text, std::string_view file_name);

}  // namespace nfv::vpn::server
