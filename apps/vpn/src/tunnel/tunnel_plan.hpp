// The network changes a VPN client makes when its tunnel comes up: the TUN device's addresses
// and MTU and the routes, computed from the pushed (or configured) `ifconfig`, `ifconfig-ipv6`,
// `topology`, `route`, `route-ipv6`, `route-gateway`, `redirect-gateway` and `tun-mtu` options.
//
// Reference: OpenVPN 2.6 src/openvpn/tun.c (do_ifconfig_ipv4/ipv6: topology net30/p2p give a
// point-to-point address "local peer remote", topology subnet gives "local/netmask"),
// route.c (init_route: the default gateway of a route is `route-gateway`, else the net30/p2p
// remote end; the keywords vpn_gateway, net_gateway and remote_host; redirect-gateway def1 adds
// 0.0.0.0/1 and 128.0.0.0/1 instead of replacing the default route, plus a host route to the
// VPN server through the original gateway), options.c (topology defaults to net30 in 2.6).
//
// plan_tunnel() is pure: it validates and returns the list of changes; tunnel_setup.hpp
// applies them with rtnetlink and removes them in reverse order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nfv/net/cidr.hpp"
#include "nfv/net/ip_address.hpp"
#include "nfv/platform/result.hpp"

namespace nfv::vpn::tunnel {

enum class Topology : std::uint8_t { kNet30, kP2p, kSubnet };

/// Where a `route` goes: an address, or one of OpenVPN's gateway keywords.
struct RouteGateway {
    enum class Kind : std::uint8_t {
        kDefault,     // not given: route-gateway, else the p2p/net30 remote end
        kAddress,     // an explicit address
        kVpnGateway,  // `vpn_gateway`: same as kDefault
        kNetGateway,  // `net_gateway`: the gateway the host had before the tunnel
    };
    Kind kind = Kind::kDefault;
    net::Ipv4Address address;  // kAddress only
};

struct Route4 {
    net::Ipv4Cidr network;
    RouteGateway gateway;
    std::optional<std::uint32_t> metric;
};

struct Route6 {
    net::Ipv6Cidr network;
    std::optional<net::Ipv6Address> gateway;  // nullopt: the ifconfig-ipv6 remote, else on-link
    std::optional<std::uint32_t> metric;
};

/// The network part of a PUSH_REPLY merged with the client's own options.
struct TunnelNetwork {
    Topology topology = Topology::kNet30;
    std::optional<net::Ipv4Address> ifconfig_local;
    /// `ifconfig`'s second argument: the netmask (subnet) or the remote end (net30/p2p).
    std::optional<net::Ipv4Address> ifconfig_second;
    std::optional<net::Ipv6Cidr> ifconfig_ipv6;  // local address and prefix length
    std::optional<net::Ipv6Address> ifconfig_ipv6_remote;
    std::optional<net::Ipv4Address> route_gateway;
    std::vector<Route4> routes;
    std::vector<Route6> routes_ipv6;
    bool redirect_gateway_def1 = false;         // `redirect-gateway def1` (IPv4)
    bool redirect_gateway_ipv6 = false;         // `redirect-gateway ipv6` / `!ipv4`
    std::optional<std::uint32_t> route_metric;  // `route-metric`: default metric
    std::uint16_t tun_mtu = 1500;
};

/// What the host looked like before the tunnel: needed for net_gateway and for the bypass
/// route to the server that redirect-gateway adds.
struct HostRoutes {
    net::IpAddress vpn_server;                    // the remote we are connected to
    std::optional<net::Ipv4Address> net_gateway;  // the IPv4 default gateway, if any
};

struct AddressChange {
    net::IpAddress local;
    std::uint8_t prefix_length = 0;
    std::optional<net::IpAddress> peer;  // point-to-point remote end
};

struct RouteChange {
    net::IpAddress destination;
    std::uint8_t prefix_length = 0;
    std::optional<net::IpAddress> gateway;
    bool via_tunnel = true;  // false: through the host's original interface (bypass route)
    std::uint32_t metric = 0;
};

struct TunnelPlan {
    std::uint16_t mtu = 1500;
    std::vector<AddressChange> addresses;
    std::vector<RouteChange> routes;
    std::vector<std::string> warnings;  // routes skipped the way OpenVPN skips them, with why
};

/// Validates `network` and computes the changes. Errors: no ifconfig at all, a netmask that is
/// not contiguous (topology subnet), a net30 pair outside one /30 or on its network/broadcast
/// address, an MTU below 68 (the IPv4 minimum); a route whose gateway cannot be determined.
[[nodiscard]] Result<TunnelPlan, std::string> plan_tunnel(const TunnelNetwork& network,
                                                          const HostRoutes& host);

}  // namespace nfv::vpn::tunnel
