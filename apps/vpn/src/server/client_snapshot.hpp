// One connected client as the server reports it: the status file (status_file.hpp) and the
// operator seam VpnServer::clients() both read this, never the runtime's own client state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nfv/net/ip_address.hpp"

namespace nfv::vpn::server {

struct ClientSnapshot {
    std::uint32_t peer_id = 0;
    std::string common_name;
    std::string real_address;  // "1.2.3.4:5678"
    bool tcp = false;
    std::optional<net::Ipv4Address> virtual_ipv4;
    std::optional<net::Ipv6Address> virtual_ipv6;
    std::vector<std::string> iroutes;   // client-config-dir iroutes, "192.168.1.0/24"
    std::uint64_t bytes_received = 0;   // link bytes from the client (control and data), as
    std::uint64_t bytes_sent = 0;       // OpenVPN's status file counts them
    std::uint32_t connected_since = 0;  // Unix seconds
    std::uint32_t last_ref = 0;         // Unix seconds of the last routed packet
    std::string cipher;
};

}  // namespace nfv::vpn::server
