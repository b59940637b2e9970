// ClientRegistry: which connected client a UDP datagram belongs to, by the sender's address or,
// for P_DATA_V2, by its peer-id; and "float" (a client's address change) without letting one
// client take over another's slot (issue 6: "float ... found by peer-id").
//
// Reference behaviour (OpenVPN 2.6 multi.c, UDP server):
//  * each client gets a peer-id, the index of the first free instance slot, below max-clients
//    (and below the 24-bit MAX_PEER_ID); it is pushed in PUSH_REPLY and carried by every
//    P_DATA_V2 packet;
//  * a P_DATA_V2 packet is matched by its peer-id alone, every other datagram by its source
//    address; when a P_DATA_V2 packet comes from another address than its client's, the client
//    floats there only after that packet authenticated with the client's data channel keys
//    (multi_process_float after decryption). find() reports such a match as `floated`; the
//    runtime decrypts and then calls float_to(), or drops the packet and changes nothing;
//  * a client never floats onto an address another client holds: OpenVPN refuses when the
//    holder has another certificate ("Disallow float to an address taken by another client")
//    and otherwise closes the holder ("float collision"). float_to() refuses while the address
//    is held; the runtime compares certificates and removes the holder first if they match.
// Datagrams that match nothing belong to the stateless reset-cookie listener.
//
// Sans-I/O: addresses are nfv::net values; the runtime converts socket addresses at the edge.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "nfv/net/ip_address.hpp"

#include "server/client_routes.hpp"

namespace nfv::vpn::server {

/// A client's address as the server sees it, and which of the server's listening sockets it
/// talks to (two sockets never share a client: the same address:port on another socket is
/// another peer).
struct PeerEndpoint {
    net::IpAddress address;
    std::uint16_t port = 0;
    std::uint16_t listener = 0;  // index into the server's listening sockets

    auto operator<=>(const PeerEndpoint&) const = default;
};

class ClientRegistry {
public:
    /// `max_clients`: the max-clients option (OpenVPN's default is 1024); clamped to the 24-bit
    /// peer-id space minus the reserved "unset" value 0xFFFFFF.
    explicit ClientRegistry(std::size_t max_clients);

    /// Registers a client that passed the reset cookie at `endpoint`. Returns its id, which is
    /// also its peer-id, or nullopt if max-clients are connected or the address is already a
    /// client's (the runtime hands that datagram to the existing client instead).
    [[nodiscard]] std::optional<ClientId> add(const PeerEndpoint& endpoint);
    /// Forgets a client (disconnect, timeout, kill); its peer-id becomes free again.
    void remove(ClientId client);

    struct Match {
        ClientId client = 0;
        /// True if matched by peer-id from an address that is not the client's: authenticate
        /// the packet, then float_to(client, endpoint).
        bool floated = false;

        friend bool operator==(const Match&, const Match&) = default;
    };
    /// The client a datagram from `from` belongs to. `peer_id` is the P_DATA_V2 peer id, or
    /// nullopt for every other opcode; 0xFFFFFF (MAX_PEER_ID, "unset") is looked up by address.
    [[nodiscard]] std::optional<Match> find(const PeerEndpoint& from,
                                            std::optional<std::uint32_t> peer_id) const;
    /// find() for a datagram as received: the peer-id is read from a P_DATA_V2 header; a
    /// P_DATA_V2 too short to hold one matches nothing.
    [[nodiscard]] std::optional<Match> find_datagram(const PeerEndpoint& from,
                                                     std::span<const std::byte> wire) const;
    /// Moves `client` to `to` after an authenticated packet came from there. False (nothing
    /// changes) if `client` is unknown or another client holds `to`.
    bool float_to(ClientId client, const PeerEndpoint& to);

    /// The address of a connected client.
    [[nodiscard]] std::optional<PeerEndpoint> endpoint(ClientId client) const;
    [[nodiscard]] std::size_t size() const { return by_endpoint_.size(); }
    [[nodiscard]] std::size_t max_clients() const { return max_clients_; }

private:
    std::size_t max_clients_;
    std::vector<std::optional<PeerEndpoint>> slots_;  // index = peer-id
    std::map<PeerEndpoint, ClientId> by_endpoint_;
};

}  // namespace nfv::vpn::server
