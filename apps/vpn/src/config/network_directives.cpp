// Link and virtual-network directives of parse_vpn_config(): proto, ports, dev, topology, MTU,
// ifconfig, routes, redirect-gateway, dhcp-option (OpenVPN 2.6 options.c add_option(); man
// openvpn, "Link Options" and "Virtual Network Adapter").
#include <string>

#include "config/directive_handlers.hpp"

namespace nfv::vpn::config::detail {
namespace {

bool set_port(const Directive& d, std::size_t index, std::uint16_t& field,
              DirectiveContext& context) {
    auto port = parse_port(d.args[index]);
    if (!port) {
        context.error(d, port.error());
        return false;
    }
    field = *port;
    return true;
}

// ifconfig / route addresses may also be host names that the runtime resolves; only reject
// what is clearly neither.
bool looks_like_host(const std::string& text) {
    if (text.empty() || text.size() > 253) {
        return false;
    }
    for (const char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

void apply_route(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    Route route;
    route.network = d.args[0];
    if (!looks_like_host(route.network)) {
        context.error(d, "bad route network \"" + route.network + "\"");
        return;
    }
    if (d.args.size() >= 2 && d.args[1] != "default") {
        auto netmask = parse_netmask(d.args[1]);
        if (!netmask) {
            context.error(d, netmask.error());
            return;
        }
        route.netmask = *netmask;
    }
    if (d.args.size() >= 3 && d.args[2] != "default") {
        route.gateway = d.args[2];
    }
    if (d.args.size() >= 4 && d.args[3] != "default") {
        std::uint32_t metric = 0;
        if (!set_number(d, 3, metric, context)) {
            return;
        }
        route.metric = metric;
    }
    config.routes.push_back(std::move(route));
}

void apply_route_ipv6(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    auto network = parse_ipv6_prefix(d.args[0]);
    if (!network) {
        context.error(d, network.error());
        return;
    }
    RouteIpv6 route;
    route.network = std::move(*network);
    if (d.args.size() >= 2) {
        route.gateway = d.args[1];
    }
    if (d.args.size() >= 3 && d.args[2] != "default") {
        std::uint32_t metric = 0;
        if (!set_number(d, 2, metric, context)) {
            return;
        }
        route.metric = metric;
    }
    config.routes_ipv6.push_back(std::move(route));
}

void apply_redirect(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    RedirectGateway redirect;
    redirect.enabled = true;
    redirect.is_private = d.name == "redirect-private";
    for (const std::string& flag : d.args) {
        if (!set_redirect_flag(redirect, flag)) {
            context.error(d, "unknown flag " + flag);
            return;
        }
    }
    config.redirect_gateway = redirect;
}

void apply_ifconfig(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    if (!net::Ipv4Address::parse(d.args[0])) {
        context.error(d, "bad local address \"" + d.args[0] + "\"");
        return;
    }
    if (!net::Ipv4Address::parse(d.args[1])) {
        context.error(d, "bad remote address or netmask \"" + d.args[1] + "\"");
        return;
    }
    config.ifconfig = std::make_pair(d.args[0], d.args[1]);
}

}  // namespace

bool apply_network_directive(const Directive& d, VpnConfig& config, DirectiveContext& context) {
    const std::string& name = d.name;
    if (name == "proto") {
        auto protocol = parse_protocol(d.args[0]);
        if (!protocol) {
            context.error(d, protocol.error());
        } else {
            config.protocol = *protocol;
        }
    } else if (name == "port") {
        set_port(d, 0, config.port, context);
    } else if (name == "lport") {
        std::uint16_t port = 0;
        if (set_port(d, 0, port, context)) {
            config.lport = port;
        }
    } else if (name == "rport") {
        std::uint16_t port = 0;
        if (set_port(d, 0, port, context)) {
            config.rport = port;
        }
    } else if (name == "local") {
        LocalLine line{d.args[0], std::nullopt, std::nullopt, Origin{d.file, d.line}};
        if (d.args.size() >= 2) {
            std::uint16_t port = 0;
            if (!set_port(d, 1, port, context)) {
                return true;
            }
            line.port = port;
        }
        if (d.args.size() == 3) {
            auto protocol = parse_protocol(d.args[2]);
            if (!protocol) {
                context.error(d, protocol.error());
                return true;
            }
            line.protocol = *protocol;
        }
        config.locals.push_back(std::move(line));
    } else if (name == "bind") {
        config.bind = true;
        if (!d.args.empty() && d.args[0] != "ipv6only") {
            context.error(d, "the only parameter is ipv6only");
        }
        config.bind_ipv6only = !d.args.empty() && d.args[0] == "ipv6only";
    } else if (name == "float") {
        config.float_peer = true;
    } else if (name == "dev") {
        config.dev = d.args[0];
        if (d.args[0].starts_with("tap")) {
            context.error(d, "TAP (layer 2) devices are not supported; use dev tun");
        } else if (d.args[0] == "null") {
            config.dev_type = "null";
        } else if (!d.args[0].starts_with("tun")) {
            // OpenVPN needs dev-type for custom names; keep "tun" unless dev-type says more.
        }
    } else if (name == "dev-type") {
        if (d.args[0] != "tun" && d.args[0] != "null") {
            context.error(d, "only tun (and null for tests) is supported");
        } else {
            config.dev_type = d.args[0];
        }
    } else if (name == "topology") {
        if (d.args[0] == "net30") {
            config.topology = Topology::kNet30;
        } else if (d.args[0] == "p2p") {
            config.topology = Topology::kP2p;
        } else if (d.args[0] == "subnet") {
            config.topology = Topology::kSubnet;
        } else {
            context.error(d, "expected net30, p2p or subnet");
        }
    } else if (name == "tun-mtu") {
        set_number(d, 0, config.tun_mtu, context, 576, 65535);
        if (d.args.size() == 2) {
            context.warning(d, "the occ-mtu parameter is not used (ignored)");
        }
    } else if (name == "mssfix") {
        std::uint32_t mssfix = 1492;
        if (!d.args.empty() && !set_number(d, 0, mssfix, context, 0, 65535)) {
            return true;
        }
        if (d.args.size() == 2 && d.args[1] != "mtu" && d.args[1] != "fixed") {
            context.error(d, "second parameter must be mtu or fixed");
            return true;
        }
        config.mssfix = mssfix;
        // "mssfix" alone is the default, 1492 mtu; "mssfix N" counts the UDP/TCP payload.
        config.mssfix_mode = d.args.empty()       ? MssfixMode::kMtu
                             : d.args.size() < 2  ? MssfixMode::kPayload
                             : d.args[1] == "mtu" ? MssfixMode::kMtu
                                                  : MssfixMode::kFixed;
    } else if (name == "ifconfig") {
        apply_ifconfig(d, config, context);
    } else if (name == "ifconfig-ipv6") {
        auto local = parse_ipv6_prefix(d.args[0]);
        if (!local) {
            context.error(d, local.error());
        } else {
            config.ifconfig_ipv6 = std::make_pair(*local, d.args[1]);
        }
    } else if (name == "ifconfig-noexec") {
        config.ifconfig_noexec = true;
    } else if (name == "route") {
        apply_route(d, config, context);
    } else if (name == "route-ipv6") {
        apply_route_ipv6(d, config, context);
    } else if (name == "route-gateway") {
        if (d.args[0] != "dhcp" && !net::Ipv4Address::parse(d.args[0])) {
            context.error(d, "expected an IPv4 address or dhcp");
        } else {
            config.route_gateway = d.args[0];
        }
    } else if (name == "route-ipv6-gateway") {
        if (!net::Ipv6Address::parse(d.args[0])) {
            context.error(d, "expected an IPv6 address");
        } else {
            config.route_ipv6_gateway = d.args[0];
        }
    } else if (name == "route-metric") {
        std::uint32_t metric = 0;
        if (set_number(d, 0, metric, context, 0, 255)) {
            config.route_metric = metric;
        }
    } else if (name == "route-noexec") {
        config.route_noexec = true;
    } else if (name == "redirect-gateway" || name == "redirect-private") {
        apply_redirect(d, config, context);
    } else if (name == "dhcp-option") {
        DhcpOption option;
        option.type = d.args[0];
        option.values.assign(d.args.begin() + 1, d.args.end());
        config.dhcp_options.push_back(std::move(option));
    } else if (name == "block-ipv6") {
        config.block_ipv6 = true;
    } else {
        return false;
    }
    return true;
}

}  // namespace nfv::vpn::config::detail
