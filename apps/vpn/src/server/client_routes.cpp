#include "server/client_routes.hpp"

#include <utility>

#include "nfv/net/ipv4.hpp"
#include "nfv/net/ipv6.hpp"

namespace nfv::vpn::server {
namespace {

// The prefix's network address (host bits cleared) as the table key.
net::IpAddress network_of(const net::IpCidr& prefix) {
    if (prefix.is_v4()) {
        return prefix.v4().network();
    }
    return prefix.v6().network();
}

net::IpAddress masked(const net::IpAddress& address, std::uint8_t prefix_length) {
    if (address.is_v4()) {
        return net::Ipv4Cidr(address.v4(), prefix_length).network();
    }
    return net::Ipv6Cidr(address.v6(), prefix_length).network();
}

struct Endpoints {
    net::IpAddress source;
    net::IpAddress destination;
};

// OpenVPN mroute.c marks these destinations MROUTE_EXTRACT_MCAST in TUN mode.
bool is_multicast(const net::IpAddress& address) {
    return address.is_v4() ? address.v4().is_multicast() : address.v6().is_multicast();
}

// Source and destination of an IPv4 (RFC 791 §3.1) or IPv6 (RFC 8200 §3) packet, chosen by the
// version nibble as a TUN device delivers them (no packet information header).
std::optional<Endpoints> endpoints(std::span<const std::byte> packet) {
    if (packet.empty()) {
        return std::nullopt;
    }
    const auto version = std::to_integer<std::uint8_t>(packet[0]) >> 4U;
    if (version == 4) {
        if (const auto view = net::Ipv4View::check(packet)) {
            return Endpoints{view->source(), view->destination()};
        }
    } else if (version == 6) {
        if (const auto view = net::Ipv6View::check(packet)) {
            return Endpoints{view->source(), view->destination()};
        }
    }
    return std::nullopt;
}

RouteDecision drop(RouteDecision::DropReason reason) {
    return RouteDecision{RouteDecision::Action::kDrop, reason, 0};
}

}  // namespace

std::optional<ClientId> ClientRoutes::add(const net::IpCidr& prefix, ClientId client) {
    auto& table = prefix.is_v4() ? v4_ : v6_;
    auto& routes = table[prefix.prefix_length()];
    const auto [it, inserted] = routes.try_emplace(network_of(prefix), client);
    if (inserted || it->second == client) {
        return std::nullopt;
    }
    return std::exchange(it->second, client);
}

std::optional<ClientId> ClientRoutes::add(const net::IpAddress& address, ClientId client) {
    if (address.is_v4()) {
        return add(net::IpCidr(net::Ipv4Cidr(address.v4(), 32)), client);
    }
    return add(net::IpCidr(net::Ipv6Cidr(address.v6(), 128)), client);
}

std::size_t ClientRoutes::remove_client(ClientId client) {
    std::size_t removed = 0;
    for (auto* table : {&v4_, &v6_}) {
        for (auto level = table->begin(); level != table->end();) {
            removed += std::erase_if(
                level->second, [client](const auto& entry) { return entry.second == client; });
            level = level->second.empty() ? table->erase(level) : std::next(level);
        }
    }
    return removed;
}

std::optional<ClientId> ClientRoutes::lookup(const net::IpAddress& address) const {
    const auto& table = address.is_v4() ? v4_ : v6_;
    // Longest prefix first: the table is ordered by prefix length, descending.
    for (const auto& [length, routes] : table) {
        if (const auto it = routes.find(masked(address, length)); it != routes.end()) {
            return it->second;
        }
    }
    return std::nullopt;
}

std::size_t ClientRoutes::size() const {
    std::size_t count = 0;
    for (const auto* table : {&v4_, &v6_}) {
        for (const auto& level : *table) {
            count += level.second.size();
        }
    }
    return count;
}

RouteDecision ClientRoutes::from_tun(std::span<const std::byte> packet) const {
    const auto ends = endpoints(packet);
    if (!ends) {
        return drop(RouteDecision::DropReason::kNotIp);
    }
    if (is_multicast(ends->destination)) {
        return RouteDecision{RouteDecision::Action::kToAllClients, RouteDecision::DropReason::kNone,
                             0};
    }
    const auto owner = lookup(ends->destination);
    if (!owner) {
        return drop(RouteDecision::DropReason::kNoRoute);
    }
    return RouteDecision{RouteDecision::Action::kToClient, RouteDecision::DropReason::kNone,
                         *owner};
}

RouteDecision ClientRoutes::from_client(ClientId client, std::span<const std::byte> packet,
                                        bool client_to_client) const {
    const auto ends = endpoints(packet);
    if (!ends) {
        return drop(RouteDecision::DropReason::kNotIp);
    }
    // OpenVPN multi.c: the source must resolve (longest prefix) to the sending client.
    if (lookup(ends->source) != client) {
        return drop(RouteDecision::DropReason::kBadSource);
    }
    if (client_to_client) {
        if (is_multicast(ends->destination)) {
            return RouteDecision{RouteDecision::Action::kToTunAndOtherClients,
                                 RouteDecision::DropReason::kNone, client};
        }
        if (const auto owner = lookup(ends->destination); owner && *owner != client) {
            return RouteDecision{RouteDecision::Action::kToClient, RouteDecision::DropReason::kNone,
                                 *owner};
        }
    }
    return RouteDecision{RouteDecision::Action::kToTun, RouteDecision::DropReason::kNone, 0};
}

}  // namespace nfv::vpn::server
