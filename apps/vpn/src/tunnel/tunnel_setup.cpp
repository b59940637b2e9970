#include "tunnel/tunnel_setup.hpp"

#include <ranges>

namespace nfv::vpn::tunnel {

platform::io::IpPrefix to_prefix(const net::IpAddress& address, std::uint8_t prefix_length) {
    if (address.is_v4()) {
        return platform::io::IpPrefix::ipv4(address.v4().octets(), prefix_length);
    }
    return platform::io::IpPrefix::ipv6(address.v6().octets(), prefix_length);
}

Result<void, std::string> TunnelSetup::apply(const TunnelPlan& plan) {
    for (const auto& change : plan.addresses) {
        const auto local = to_prefix(change.local, change.prefix_length);
        std::optional<platform::io::IpPrefix> peer;
        if (change.peer) {
            peer = to_prefix(*change.peer, change.prefix_length);
        }
        if (auto r = table_->add_address(tun_ifindex_, local, peer); !r) {
            undo();
            return Unexpected("adding address " + change.local.to_string() + "/" +
                              std::to_string(change.prefix_length) + ": " + r.error().message());
        }
        applied_.push_back({false, local, {}});
    }
    for (const auto& change : plan.routes) {
        platform::io::RouteSpec route;
        route.destination = to_prefix(change.destination, change.prefix_length);
        if (change.gateway) {
            route.gateway = to_prefix(*change.gateway, 0);
        }
        route.ifindex = change.via_tunnel ? tun_ifindex_ : 0;
        route.metric = change.metric;
        if (auto r = table_->add_route(route); !r) {
            undo();
            return Unexpected("adding route " + change.destination.to_string() + "/" +
                              std::to_string(change.prefix_length) + ": " + r.error().message());
        }
        applied_.push_back({true, route.destination, route});
    }
    return {};
}

void TunnelSetup::undo() {
    for (const auto& applied : std::views::reverse(applied_)) {
        if (applied.is_route) {
            (void)table_->delete_route(applied.route);
        } else {
            (void)table_->delete_address(tun_ifindex_, applied.address);
        }
    }
    applied_.clear();
}

}  // namespace nfv::vpn::tunnel
