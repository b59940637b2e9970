#include "server/client_registry.hpp"

#include <algorithm>

#include "proto/packet.hpp"

namespace nfv::vpn::server {

ClientRegistry::ClientRegistry(std::size_t max_clients)
    : max_clients_(std::min<std::size_t>(max_clients, proto::kMaxPeerId)) {}

std::optional<ClientId> ClientRegistry::add(const PeerEndpoint& endpoint) {
    if (by_endpoint_.size() >= max_clients_ || by_endpoint_.contains(endpoint)) {
        return std::nullopt;
    }
    // The first free slot, as OpenVPN's multi_create_instance picks the peer-id.
    const auto free = std::find_if(slots_.begin(), slots_.end(),
                                   [](const auto& slot) { return !slot.has_value(); });
    const auto index = static_cast<std::size_t>(free - slots_.begin());
    if (free == slots_.end()) {
        slots_.emplace_back(endpoint);
    } else {
        *free = endpoint;
    }
    const auto client = static_cast<ClientId>(index);
    by_endpoint_.emplace(endpoint, client);
    return client;
}

void ClientRegistry::remove(ClientId client) {
    if (client >= slots_.size() || !slots_[client]) {
        return;
    }
    by_endpoint_.erase(*slots_[client]);
    slots_[client].reset();
    while (!slots_.empty() && !slots_.back()) {
        slots_.pop_back();
    }
}

std::optional<ClientRegistry::Match> ClientRegistry::find(
    const PeerEndpoint& from, std::optional<std::uint32_t> peer_id) const {
    // P_DATA_V2 is found by peer-id only, as in OpenVPN's multi_get_create_instance_udp; an
    // unknown peer-id matches nothing even from a client's address. MAX_PEER_ID means "no
    // peer-id" and falls back to the address.
    if (peer_id && *peer_id != proto::kMaxPeerId) {
        if (*peer_id < slots_.size() && slots_[*peer_id]) {
            return Match{static_cast<ClientId>(*peer_id), *slots_[*peer_id] != from};
        }
        return std::nullopt;
    }
    if (const auto it = by_endpoint_.find(from); it != by_endpoint_.end()) {
        return Match{it->second, false};
    }
    return std::nullopt;
}

std::optional<ClientRegistry::Match> ClientRegistry::find_datagram(
    const PeerEndpoint& from, std::span<const std::byte> wire) const {
    if (wire.empty()) {
        return std::nullopt;
    }
    std::optional<std::uint32_t> peer_id;
    const auto op = proto::parse_opcode_byte(std::to_integer<std::uint8_t>(wire[0]));
    if (op && op->opcode == proto::Opcode::kDataV2) {
        const auto header = proto::parse_data_header(wire);
        if (!header) {
            return std::nullopt;  // shorter than opcode + peer-id
        }
        peer_id = header->peer_id;
    }
    return find(from, peer_id);
}

bool ClientRegistry::float_to(ClientId client, const PeerEndpoint& to) {
    if (client >= slots_.size() || !slots_[client]) {
        return false;
    }
    if (const auto it = by_endpoint_.find(to); it != by_endpoint_.end()) {
        return it->second == client;  // already there: nothing to move
    }
    by_endpoint_.erase(*slots_[client]);
    slots_[client] = to;
    by_endpoint_.emplace(to, client);
    return true;
}

std::optional<PeerEndpoint> ClientRegistry::endpoint(ClientId client) const {
    if (client >= slots_.size()) {
        return std::nullopt;
    }
    return slots_[client];
}

}  // namespace nfv::vpn::server
