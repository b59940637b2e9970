// RouteTable: interface addresses and routes through rtnetlink (rtnetlink(7), RFC 3549), what
// openvpn does with `ifconfig`, `ifconfig-ipv6`, `route` and `route-ipv6` (its net_addr_v4_add,
// net_route_v4_add ... in networking_sitnl.c), without spawning `ip`.
//
// Contract: each call sends one request with NLM_F_ACK on a private NETLINK_ROUTE socket and
// waits for the kernel's acknowledgement, so on success the change is in place; on failure the
// kernel's errno comes back (EEXIST for an existing route, EPERM without CAP_NET_ADMIN). Calls
// are synchronous and meant for setup paths (tunnel up/down), not per packet.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "nfv/platform/io/error.hpp"
#include "nfv/platform/io/unique_fd.hpp"

namespace nfv::platform::io {

/// An IPv4 or IPv6 address in network byte order, with a prefix length where one applies.
struct IpPrefix {
    int family = 0;                        // AF_INET or AF_INET6
    std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4
    std::uint8_t prefix_length = 0;

    [[nodiscard]] static IpPrefix ipv4(std::array<std::uint8_t, 4> address,
                                       std::uint8_t prefix_length);
    [[nodiscard]] static IpPrefix ipv6(const std::array<std::uint8_t, 16>& address,
                                       std::uint8_t prefix_length);
};

struct RouteSpec {
    IpPrefix destination;             // 0.0.0.0/0 for a default route
    std::optional<IpPrefix> gateway;  // prefix_length ignored; nullopt: on-link via `ifindex`
    int ifindex = 0;                  // 0: let the kernel pick from the gateway
    std::uint32_t metric = 0;
    std::uint32_t table = 254;  // RT_TABLE_MAIN
};

class RouteTable {
public:
    [[nodiscard]] static IoResult<RouteTable> open();

    /// Adds `address` (with its prefix length) to interface `ifindex`. `peer` gives the remote
    /// end of a point-to-point link (topology net30 / p2p), as `ip addr add A peer P`.
    [[nodiscard]] IoResult<void> add_address(int ifindex, const IpPrefix& address,
                                             const std::optional<IpPrefix>& peer = std::nullopt);
    [[nodiscard]] IoResult<void> delete_address(int ifindex, const IpPrefix& address);

    [[nodiscard]] IoResult<void> add_route(const RouteSpec& route);
    [[nodiscard]] IoResult<void> delete_route(const RouteSpec& route);

    /// The index of interface `name` (if_nametoindex).
    [[nodiscard]] static IoResult<int> interface_index(std::string_view name);

private:
    explicit RouteTable(UniqueFd fd) : fd_(std::move(fd)) {}
    [[nodiscard]] IoResult<void> request(void* message, std::uint32_t length, const char* what);

    UniqueFd fd_;
    std::uint32_t sequence_ = 0;
};

}  // namespace nfv::platform::io
