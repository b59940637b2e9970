#include "server/closed_sessions.hpp"

namespace nfv::vpn::server {

void ClosedSessions::add(const proto::SessionId& id, platform::Instant now) {
    expire(now);
    if (capacity_ == 0) {
        return;
    }
    while (order_.size() >= capacity_) {
        ids_.erase(ids_.find(order_.front().first));
        order_.pop_front();
    }
    order_.emplace_back(id, now);
    ids_.insert(id);
}

bool ClosedSessions::contains(const proto::SessionId& id, platform::Instant now) {
    expire(now);
    return ids_.contains(id);
}

void ClosedSessions::expire(platform::Instant now) {
    while (!order_.empty() && now - order_.front().second >= lifetime_) {
        ids_.erase(ids_.find(order_.front().first));
        order_.pop_front();
    }
}

}  // namespace nfv::vpn::server
