// Client session ids of recently closed UDP clients, so that their late packets (the ACK of an
// AUTH_FAILED, retransmissions, re-acks of message id 0) are dropped instead of passing the
// stateless cookie check again and starting a ghost session.
//
// Why: the reset cookie (reset_cookie.hpp) accepts any packet that acknowledges the server's
// message id 0 under a valid cookie, and OpenVPN clients keep re-acknowledging recent ids, so
// a client whose session the server just closed would be "accepted" once more. A client that
// really reconnects starts a new TLS session with a fresh random session id and is not held up.
// Bounded: at most `capacity` ids, each kept for `lifetime` (the hand-window); the oldest go
// first. Sans-I/O: the runtime passes `now`.
#pragma once

#include <cstddef>
#include <deque>
#include <set>
#include <utility>

#include "nfv/platform/time.hpp"

#include "proto/packet.hpp"

namespace nfv::vpn::server {

class ClosedSessions {
public:
    ClosedSessions(std::size_t capacity, platform::Duration lifetime)
        : capacity_(capacity), lifetime_(lifetime) {}

    void add(const proto::SessionId& id, platform::Instant now);
    /// True if `id` closed less than `lifetime` ago.
    [[nodiscard]] bool contains(const proto::SessionId& id, platform::Instant now);
    [[nodiscard]] std::size_t size() const { return ids_.size(); }

private:
    void expire(platform::Instant now);

    std::size_t capacity_;
    platform::Duration lifetime_;
    std::deque<std::pair<proto::SessionId, platform::Instant>> order_;  // oldest first
    std::multiset<proto::SessionId> ids_;
};

}  // namespace nfv::vpn::server
