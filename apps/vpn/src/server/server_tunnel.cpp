#include "server/server_tunnel.hpp"

namespace nfv::vpn::server {

Result<client::TunnelSettings, std::string> server_tunnel_settings(const config::VpnConfig& config,
                                                                   const config::ServerPlan& plan) {
    if (config.redirect_gateway.enabled) {
        return Unexpected(std::string(
            "redirect-gateway: a client option; on a server use push \"redirect-gateway ...\""));
    }
    // The server's routes first (net30's route to the pool network), then its own `route`s.
    config::VpnConfig own = config;
    own.routes = plan.routes;
    own.routes.insert(own.routes.end(), config.routes.begin(), config.routes.end());
    own.topology = plan.topology;

    config::PushedOptions server;
    server.topology = plan.topology;
    server.ifconfig = plan.ifconfig;
    if (plan.ifconfig && plan.topology == config::Topology::kSubnet &&
        config.route_gateway.empty()) {
        // helper.c: route_default_gateway = server network + 2 (the first pool address).
        const auto network = plan.ifconfig->first.to_u32() & plan.ifconfig->second.to_u32();
        server.route_gateway = net::Ipv4Address::from_u32(network + 2);
    }
    if (plan.ifconfig_ipv6) {
        server.ifconfig_ipv6 = plan.ifconfig_ipv6;
        server.ifconfig_ipv6_prefix = plan.ipv6_prefix;
        server.ifconfig_ipv6_remote = plan.ifconfig_ipv6_remote;
    }
    return client::tunnel_settings(own, server);
}

}  // namespace nfv::vpn::server
