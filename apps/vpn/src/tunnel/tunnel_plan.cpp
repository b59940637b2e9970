#include "tunnel/tunnel_plan.hpp"

#include <array>
#include <utility>

namespace nfv::vpn::tunnel {
namespace {

constexpr std::uint16_t kMinimumMtu = 68;        // RFC 791: every IPv4 module must forward 68 bytes
constexpr std::uint16_t kIpv6MinimumMtu = 1280;  // RFC 8200 §5

std::string text(net::Ipv4Address address) {
    return address.to_string();
}

// The gateway routes use when they name none: route-gateway, else the p2p/net30 remote end.
std::optional<net::Ipv4Address> default_gateway(const TunnelNetwork& network) {
    if (network.route_gateway) {
        return network.route_gateway;
    }
    if (network.topology != Topology::kSubnet) {
        return network.ifconfig_second;
    }
    return std::nullopt;
}

Result<void, std::string> plan_ipv4_address(const TunnelNetwork& network, TunnelPlan& plan) {
    if (!network.ifconfig_local) {
        return {};
    }
    const auto local = *network.ifconfig_local;
    if (!network.ifconfig_second) {
        return Unexpected(std::string("ifconfig ") + text(local) + " has no second argument");
    }
    const auto second = *network.ifconfig_second;
    if (network.topology == Topology::kSubnet) {
        const auto prefix = net::Ipv4Cidr::prefix_from_netmask(second);
        if (!prefix || *prefix == 0 || *prefix > 30) {
            return Unexpected("ifconfig " + text(local) + " " + text(second) +
                              ": not a usable netmask for topology subnet");
        }
        plan.addresses.push_back({net::IpAddress(local), *prefix, std::nullopt});
        return {};
    }
    if (network.topology == Topology::kNet30) {
        // tun.c verify_255_255_255_252: both ends in one /30, neither its network nor broadcast.
        const auto block = net::Ipv4Cidr::parse(text(local) + "/30");
        if (!block || !block->contains(second) || local == second || local == block->network() ||
            local == block->broadcast() || second == block->network() ||
            second == block->broadcast()) {
            return Unexpected("ifconfig " + text(local) + " " + text(second) +
                              ": topology net30 needs two host addresses of one /30");
        }
    }
    plan.addresses.push_back({net::IpAddress(local), 32, net::IpAddress(second)});
    return {};
}

Result<void, std::string> plan_ipv4_routes(const TunnelNetwork& network, const HostRoutes& host,
                                           TunnelPlan& plan) {
    const auto vpn_gateway = default_gateway(network);
    const std::uint32_t default_metric = network.route_metric.value_or(0);
    for (const auto& route : network.routes) {
        RouteChange change{net::IpAddress(route.network.network()), route.network.prefix_length(),
                           std::nullopt, true, route.metric.value_or(default_metric)};
        switch (route.gateway.kind) {
            case RouteGateway::Kind::kAddress:
                change.gateway = net::IpAddress(route.gateway.address);
                break;
            case RouteGateway::Kind::kDefault:
            case RouteGateway::Kind::kVpnGateway:
                if (!vpn_gateway) {
                    return Unexpected("route " + route.network.to_string() +
                                      ": no gateway (the server pushed no route-gateway)");
                }
                change.gateway = net::IpAddress(*vpn_gateway);
                break;
            case RouteGateway::Kind::kNetGateway:
                if (!host.net_gateway) {
                    plan.warnings.push_back("route " + route.network.to_string() +
                                            " net_gateway skipped: the host has no default "
                                            "gateway");
                    continue;
                }
                change.gateway = net::IpAddress(*host.net_gateway);
                change.via_tunnel = false;
                break;
        }
        plan.routes.push_back(change);
    }
    if (network.redirect_gateway_def1) {
        if (!vpn_gateway) {
            return Unexpected(std::string("redirect-gateway: no VPN gateway known"));
        }
        // The host route to the server keeps the tunnel's own packets off the tunnel.
        if (host.vpn_server.is_v4() && host.net_gateway) {
            plan.routes.push_back(
                {host.vpn_server, 32, net::IpAddress(*host.net_gateway), false, default_metric});
        } else if (host.vpn_server.is_v4()) {
            plan.warnings.push_back(
                "redirect-gateway: no default gateway on the host, so no bypass route to the "
                "server was added");
        }
        for (const std::uint8_t first_octet : {std::uint8_t{0}, std::uint8_t{128}}) {
            plan.routes.push_back({net::IpAddress(net::Ipv4Address({first_octet, 0, 0, 0})), 1,
                                   net::IpAddress(*vpn_gateway), true, default_metric});
        }
    }
    return {};
}

void plan_ipv6(const TunnelNetwork& network, TunnelPlan& plan) {
    // IPv6 on a TUN device is on-link (`ip -6 addr add local/len dev tun`); the
    // ifconfig-ipv6 remote end is not an address of ours.
    if (network.ifconfig_ipv6) {
        plan.addresses.push_back({net::IpAddress(network.ifconfig_ipv6->address()),
                                  network.ifconfig_ipv6->prefix_length(), std::nullopt});
    }
    const std::uint32_t default_metric = network.route_metric.value_or(0);
    for (const auto& route : network.routes_ipv6) {
        RouteChange change{net::IpAddress(route.network.network()), route.network.prefix_length(),
                           std::nullopt, true, route.metric.value_or(default_metric)};
        if (route.gateway) {
            change.gateway = net::IpAddress(*route.gateway);
        }
        plan.routes.push_back(change);
    }
    if (network.redirect_gateway_ipv6) {
        // As OpenVPN (route.c): the global unicast space 2000::/4 and 3000::/4, and the
        // unique-local fc00::/7, instead of replacing the default route.
        const std::array<std::pair<std::uint8_t, std::uint8_t>, 3> blocks{
            {{0x20, 4}, {0x30, 4}, {0xfc, 7}}};
        for (const auto& [first, length] : blocks) {
            std::array<std::uint8_t, 16> bytes{};
            bytes[0] = first;
            plan.routes.push_back({net::IpAddress(net::Ipv6Address(bytes)), length, std::nullopt,
                                   true, default_metric});
        }
    }
}

}  // namespace

Result<TunnelPlan, std::string> plan_tunnel(const TunnelNetwork& network, const HostRoutes& host) {
    if (!network.ifconfig_local && !network.ifconfig_ipv6) {
        return Unexpected(std::string("no ifconfig or ifconfig-ipv6: the tunnel has no address"));
    }
    if (network.tun_mtu < kMinimumMtu) {
        return Unexpected("tun-mtu " + std::to_string(network.tun_mtu) + " is below " +
                          std::to_string(kMinimumMtu));
    }
    TunnelPlan plan;
    plan.mtu = network.tun_mtu;
    if (network.ifconfig_ipv6 && network.tun_mtu < kIpv6MinimumMtu) {
        plan.warnings.push_back("tun-mtu " + std::to_string(network.tun_mtu) +
                                " is below 1280: the kernel disables IPv6 on the device");
    }
    if (auto r = plan_ipv4_address(network, plan); !r) {
        return Unexpected(r.error());
    }
    if (auto r = plan_ipv4_routes(network, host, plan); !r) {
        return Unexpected(r.error());
    }
    plan_ipv6(network, plan);
    return plan;
}

}  // namespace nfv::vpn::tunnel
