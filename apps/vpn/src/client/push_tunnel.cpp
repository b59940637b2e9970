#include "client/push_tunnel.hpp"

namespace nfv::vpn::client {
namespace {

tunnel::Topology topology(config::Topology value) {
    switch (value) {
        case config::Topology::kSubnet:
            return tunnel::Topology::kSubnet;
        case config::Topology::kP2p:
            return tunnel::Topology::kP2p;
        case config::Topology::kNet30:
            break;
    }
    return tunnel::Topology::kNet30;
}

Result<tunnel::RouteGateway, std::string> gateway(const std::string& text, std::string_view what) {
    tunnel::RouteGateway out;
    if (text.empty()) {
        return out;
    }
    if (text == "vpn_gateway") {
        out.kind = tunnel::RouteGateway::Kind::kVpnGateway;
    } else if (text == "net_gateway") {
        out.kind = tunnel::RouteGateway::Kind::kNetGateway;
    } else if (auto address = net::Ipv4Address::parse(text)) {
        out.kind = tunnel::RouteGateway::Kind::kAddress;
        out.address = *address;
    } else {
        return Unexpected(std::string(what) + ": gateway '" + text +
                          "' is not an IPv4 address, vpn_gateway or net_gateway");
    }
    return out;
}

Result<net::Ipv4Cidr, std::string> network_of(net::Ipv4Address address, net::Ipv4Address netmask,
                                              std::string_view what) {
    const auto prefix = net::Ipv4Cidr::prefix_from_netmask(netmask);
    if (!prefix) {
        return Unexpected(std::string(what) + ": netmask " + netmask.to_string() +
                          " is not contiguous");
    }
    auto cidr = net::Ipv4Cidr::parse(address.to_string() + "/" + std::to_string(*prefix));
    if (!cidr) {
        return Unexpected(std::string(what) + ": bad network");
    }
    return *cidr;
}

}  // namespace

Result<TunnelSettings, std::string> tunnel_settings(const config::VpnConfig& own,
                                                    const config::PushedOptions& pushed) {
    TunnelSettings out;
    auto& network = out.network;
    network.topology = topology(pushed.topology.value_or(own.topology));
    network.tun_mtu = static_cast<std::uint16_t>(pushed.tun_mtu.value_or(own.tun_mtu));
    network.route_metric = pushed.route_metric ? pushed.route_metric : own.route_metric;

    if (pushed.ifconfig) {
        network.ifconfig_local = pushed.ifconfig->first;
        network.ifconfig_second = pushed.ifconfig->second;
    } else if (own.ifconfig) {
        const auto local = net::Ipv4Address::parse(own.ifconfig->first);
        const auto second = net::Ipv4Address::parse(own.ifconfig->second);
        if (!local || !second) {
            return Unexpected(std::string("ifconfig: not two IPv4 addresses"));
        }
        network.ifconfig_local = local;
        network.ifconfig_second = second;
    }
    if (pushed.ifconfig_ipv6) {
        network.ifconfig_ipv6 = net::Ipv6Cidr::parse(pushed.ifconfig_ipv6->to_string() + "/" +
                                                     std::to_string(pushed.ifconfig_ipv6_prefix));
        network.ifconfig_ipv6_remote = pushed.ifconfig_ipv6_remote;
    }
    if (pushed.route_gateway) {
        network.route_gateway = pushed.route_gateway;
    } else if (!own.route_gateway.empty()) {
        network.route_gateway = net::Ipv4Address::parse(own.route_gateway);
        if (!network.route_gateway) {
            return Unexpected("route-gateway " + own.route_gateway + ": not an IPv4 address");
        }
    }

    for (const auto& route : own.routes) {
        const auto address = net::Ipv4Address::parse(route.network);
        if (!address) {
            return Unexpected("route " + route.network +
                              ": host names in routes are not supported yet; use an address");
        }
        auto cidr = network_of(*address, route.netmask, "route " + route.network);
        auto via = gateway(route.gateway, "route " + route.network);
        if (!cidr || !via) {
            return Unexpected(!cidr ? cidr.error() : via.error());
        }
        network.routes.push_back({*cidr, *via, route.metric});
    }
    for (const auto& route : pushed.routes) {
        const auto what = "pushed route " + route.network.to_string();
        auto cidr = network_of(route.network, route.netmask, what);
        auto via = gateway(route.gateway, what);
        if (!cidr || !via) {
            return Unexpected(!cidr ? cidr.error() : via.error());
        }
        network.routes.push_back({*cidr, *via, route.metric});
    }
    for (const auto& route : own.routes_ipv6) {
        const auto cidr = net::Ipv6Cidr::parse(route.network);
        if (!cidr) {
            return Unexpected("route-ipv6 " + route.network + ": not an IPv6 prefix");
        }
        std::optional<net::Ipv6Address> via;
        if (!route.gateway.empty()) {
            via = net::Ipv6Address::parse(route.gateway);
            if (!via) {
                return Unexpected("route-ipv6 " + route.network + ": bad gateway");
            }
        }
        network.routes_ipv6.push_back({*cidr, via, route.metric});
    }
    for (const auto& route : pushed.routes_ipv6) {
        const auto cidr = net::Ipv6Cidr::parse(route.network.to_string() + "/" +
                                               std::to_string(route.prefix_length));
        if (!cidr) {
            return Unexpected("pushed route-ipv6 " + route.network.to_string() + ": bad prefix");
        }
        network.routes_ipv6.push_back({*cidr, route.gateway, route.metric});
    }

    const auto& redirect =
        pushed.redirect_gateway.enabled ? pushed.redirect_gateway : own.redirect_gateway;
    if (redirect.enabled && !redirect.is_private) {
        network.redirect_gateway_def1 = redirect.ipv4;
        network.redirect_gateway_ipv6 = redirect.ipv6;
        if (!redirect.def1) {
            out.warnings.emplace_back(
                "redirect-gateway without def1 is applied as def1: 0.0.0.0/1 and 128.0.0.0/1 "
                "through the tunnel, the host's default route is kept");
        }
        if (redirect.block_local || redirect.bypass_dns || redirect.local || redirect.autolocal) {
            out.warnings.emplace_back(
                "redirect-gateway flags local/autolocal/bypass-dns/block-local are not "
                "supported yet and were not applied");
        }
    }
    return out;
}

}  // namespace nfv::vpn::client
