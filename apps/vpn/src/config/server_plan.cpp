#include "config/server_plan.hpp"

#include "nfv/net/cidr.hpp"

#include "config/config_values.hpp"

namespace nfv::vpn::config {
namespace {

net::Ipv4Address add(net::Ipv4Address address, std::uint32_t value) {
    return net::Ipv4Address::from_u32(address.to_u32() + value);
}

// add_in6_addr(): adds a small value to the low 64 bits (no carry beyond them is needed for
// the offsets OpenVPN uses).
net::Ipv6Address add(const net::Ipv6Address& address, std::uint32_t value) {
    auto octets = address.octets();
    std::uint64_t carry = value;
    for (std::size_t i = octets.size(); i-- > 0 && carry != 0;) {
        const std::uint64_t sum = octets[i] + (carry & 0xffU);
        octets[i] = static_cast<std::uint8_t>(sum & 0xffU);
        carry = (carry >> 8U) + (sum >> 8U);
    }
    return net::Ipv6Address(octets);
}

std::string topology_name(Topology topology) {
    switch (topology) {
        case Topology::kNet30:
            return "net30";
        case Topology::kP2p:
            return "p2p";
        case Topology::kSubnet:
            return "subnet";
    }
    return "net30";
}

Result<void, std::string> plan_ipv6(const VpnConfig& config, ServerPlan& plan) {
    const std::string& text = *config.server.network_ipv6;
    const std::size_t slash = text.find('/');
    const auto network = net::Ipv6Address::parse(std::string_view(text).substr(0, slash));
    if (!network || slash == std::string::npos) {
        return Unexpected("--server-ipv6 needs ADDRESS/BITS, got " + text);
    }
    const auto parsed_bits = parse_number(std::string_view(text).substr(slash + 1), 0, 128);
    const std::uint64_t bits = parsed_bits ? *parsed_bits : 0;
    if (bits < 64 || bits > 124) {
        return Unexpected(std::string("--server-ipv6 prefix must be /64 to /124"));
    }
    if (config.server.nopool) {
        return Unexpected(std::string("--server-ipv6 is incompatible with 'nopool' option"));
    }
    if (config.server.ifconfig_ipv6_pool) {
        return Unexpected(std::string(
            "--server-ipv6 already defines an ifconfig-ipv6-pool, so you can't also specify "
            "--ifconfig-ipv6-pool explicitly"));
    }
    plan.ipv6_prefix = static_cast<std::uint8_t>(bits);
    plan.ifconfig_ipv6 = add(*network, 1);
    plan.ifconfig_ipv6_remote = add(*network, 2);
    plan.ipv6_pool_base = add(*network, bits < 112 ? 0x1000U : 2U);
    plan.push.emplace_back("tun-ipv6");
    return {};
}

Result<void, std::string> plan_ipv4(const VpnConfig& config, ServerPlan& plan) {
    const net::Ipv4Address network = *config.server.network;
    const net::Ipv4Address netmask = config.server.netmask;
    const auto prefix = net::Ipv4Cidr::prefix_from_netmask(netmask);
    if (!prefix) {
        return Unexpected(std::string("--server directive netmask is invalid"));
    }
    if (*prefix < kMinServerPrefix) {
        return Unexpected(
            std::string("--server directive netmask allows for too many host "
                        "addresses (subnet must be 255.255.0.0 or higher)"));
    }
    if (!config.server.nopool && config.server.ifconfig_pool) {
        return Unexpected(
            std::string("--server already defines an ifconfig-pool, so you can't "
                        "also specify --ifconfig-pool explicitly"));
    }
    if (*prefix > 29) {
        return Unexpected(
            std::string("--server directive when used with --dev tun must define a subnet of "
                        "255.255.255.248 or lower"));
    }
    const net::Ipv4Address broadcast =
        net::Ipv4Address::from_u32(network.to_u32() | ~netmask.to_u32());
    if (plan.topology == Topology::kNet30 || plan.topology == Topology::kP2p) {
        const std::uint32_t reserve = *prefix == 29 ? 0U : 4U;
        plan.ifconfig = std::make_pair(add(network, 1), add(network, 2));
        if (!config.server.nopool) {
            plan.pool = std::make_pair(add(network, 4),
                                       net::Ipv4Address::from_u32(broadcast.to_u32() - reserve));
        }
        Route route;
        route.network = network.to_string();
        route.netmask = netmask;
        plan.routes.push_back(route);
        if (config.server.client_to_client) {
            plan.push.push_back("route " + network.to_string() + " " + netmask.to_string());
        } else if (plan.topology == Topology::kNet30) {
            plan.push.push_back("route " + add(network, 1).to_string());
        }
    } else {
        plan.ifconfig = std::make_pair(add(network, 1), netmask);
        if (!config.server.nopool) {
            plan.pool =
                std::make_pair(add(network, 2), net::Ipv4Address::from_u32(broadcast.to_u32() - 1));
        }
        plan.pool_netmask = netmask;
        plan.push.push_back("route-gateway " + add(network, 1).to_string());
    }
    plan.push.push_back("topology " + topology_name(plan.topology));
    return {};
}

}  // namespace

std::pair<std::uint32_t, std::uint32_t> effective_ping(const VpnConfig& config) {
    if (!config.keepalive) {
        return {config.ping, config.ping_restart};
    }
    const auto [interval, timeout] = *config.keepalive;
    if (config.role == Role::kServer) {
        return {interval, timeout * 2};
    }
    return {interval, timeout};
}

Result<ServerPlan, std::string> plan_server(const VpnConfig& config) {
    ServerPlan plan;
    plan.topology = config.topology;
    plan.push = config.server.push;
    if (config.keepalive && (config.ping != 0 || config.ping_restart != 0)) {
        return Unexpected(std::string(
            "--keepalive conflicts with --ping, --ping-exit, or --ping-restart. If you use "
            "--keepalive, you don't need any of the other --ping directives."));
    }
    if (config.server.network_ipv6) {
        if (auto planned = plan_ipv6(config, plan); !planned) {
            return Unexpected(planned.error());
        }
    }
    if (config.server.network) {
        if (auto planned = plan_ipv4(config, plan); !planned) {
            return Unexpected(planned.error());
        }
    } else if (config.server.ifconfig_pool) {
        plan.pool = config.server.ifconfig_pool;
    }
    const auto [ping, restart] = effective_ping(config);
    plan.ping = ping;
    plan.ping_restart = restart;
    if (config.keepalive) {
        plan.push.push_back("ping " + std::to_string(config.keepalive->first));
        plan.push.push_back("ping-restart " + std::to_string(config.keepalive->second));
    }
    return plan;
}

}  // namespace nfv::vpn::config
