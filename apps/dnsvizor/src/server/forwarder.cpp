#include "server/forwarder.hpp"

#include <algorithm>
#include <array>

namespace nfv::dnsvizor::server {

namespace {

using net::dns::Rcode;

constexpr int kMaxIdAttempts = 64;

std::string group_key(std::span<const dns::Upstream> upstreams) {
    std::string key;
    for (const auto& upstream : upstreams) {
        key += upstream_name(upstream);
        key += ' ';
    }
    return key;
}

bool is_failure(std::uint16_t rcode) {
    return rcode == static_cast<std::uint16_t>(Rcode::kServFail) ||
           rcode == static_cast<std::uint16_t>(Rcode::kRefused);
}

// The EDNS of an answer to a client: ours (edns-packet-max) if the client used EDNS, else none.
void set_client_edns(net::dns::Message& reply, const net::dns::Message& query,
                     std::uint16_t packet_max) {
    if (!query.edns) {
        // Keep a BADVERS-style extended rcode from being silently truncated to 4 bits.
        reply.edns.reset();
        return;
    }
    const std::uint8_t extended = reply.edns ? reply.edns->extended_rcode : 0;
    net::dns::Edns edns;
    edns.udp_payload_size = packet_max;
    edns.extended_rcode = extended;
    edns.dnssec_ok = query.edns->dnssec_ok;
    reply.edns = edns;
}

}  // namespace

std::string upstream_name(const dns::Upstream& upstream) {
    return upstream.address.to_string() + "#" + std::to_string(upstream.port);
}

std::size_t Forwarder::ClientKeyHash::operator()(const ClientKey& key) const {
    std::size_t h = std::hash<std::string>{}(key.address.to_string());
    h ^= (static_cast<std::size_t>(key.port) << 16U) ^ key.id;
    return h ^ (key.connection * 0x9e3779b97f4a7c15ULL);
}

Forwarder::Forwarder(const ForwarderConfig& config, platform::Random& random)
    : config_(config), random_(random) {}

Forwarder::ClientKey Forwarder::client_key(const Pending& pending) {
    return ClientKey{pending.client.address, pending.client.port, pending.client.connection,
                     pending.query.header.id};
}

std::optional<std::uint16_t> Forwarder::fresh_id() {
    for (int attempt = 0; attempt < kMaxIdAttempts; ++attempt) {
        const auto id = static_cast<std::uint16_t>(random_.uniform(0x10000));
        if (!pending_.contains(id)) {
            return id;
        }
    }
    return std::nullopt;
}

void Forwarder::schedule(std::uint16_t id, Pending& pending, platform::Instant at) {
    pending.generation = next_generation_++;
    deadlines_.push_back(Deadline{std::min(at, pending.give_up), id, pending.generation});
}

void Forwarder::send_to(Pending& pending, std::uint16_t /*id*/, std::size_t index,
                        platform::Instant now, ForwarderOutput& out) {
    auto& stats = upstream_stats_[upstream_name(pending.upstreams[index])];
    if (pending.tries[index] == TryState::kUntried) {
        ++stats.queries;
    } else {
        ++stats.retried;
        ++stats_.retransmits;
    }
    pending.tries[index] = TryState::kSent;
    pending.sent_at[index] = now;
    if (pending.over_tcp) {
        ++stats_.tcp_queries;
    }
    out.to_upstreams.push_back(
        UpstreamQuery{pending.upstreams[index], pending.wire, pending.over_tcp});
}

bool Forwarder::forward(const net::dns::Message& query, const ClientAddress& client,
                        std::span<const dns::Upstream> upstreams, platform::Instant now,
                        ForwarderOutput& out) {
    if (upstreams.empty() || query.questions.size() != 1) {
        return false;
    }
    // A client retry of a query still in flight: re-send to every server that has not failed.
    const ClientKey key{client.address, client.port, client.connection, query.header.id};
    if (const auto existing = by_client_.find(key); existing != by_client_.end()) {
        auto& pending = pending_.at(existing->second);
        if (pending.query.questions == query.questions) {
            for (std::size_t i = 0; i < pending.upstreams.size(); ++i) {
                if (pending.tries[i] != TryState::kFailed) {
                    send_to(pending, existing->second, i, now, out);
                }
            }
            return true;
        }
    }
    if (pending_.size() >= config_.max_pending) {
        ++stats_.dropped_limit;
        return false;
    }
    const auto id = fresh_id();
    if (!id) {
        ++stats_.dropped_limit;
        return false;
    }
    net::dns::Message upstream_query = query;
    upstream_query.header.id = *id;
    upstream_query.header.qr = false;
    // EDNS towards the upstream as dnsmasq 2.90 `forward_query` sends it: the client's OPT is
    // passed on (its size, RFC 6891 §6.2.5: below 512 counts as 512), and a query without
    // EDNS goes without EDNS, so an answer too big for the client's size comes back truncated
    // from the upstream and is passed on as such. We cap the size at edns-packet-max, the size
    // of our receive buffers (dnsmasq reads into an edns-packet-max buffer too).
    if (query.edns) {
        net::dns::Edns edns = *query.edns;
        edns.udp_payload_size = static_cast<std::uint16_t>(
            net::dns::effective_udp_limit(query, config_.edns_packet_max));
        edns.extended_rcode = 0;
        upstream_query.edns = edns;
    } else {
        upstream_query.edns.reset();
    }
    auto wire = net::dns::serialize(upstream_query);
    if (!wire) {
        return false;
    }

    Pending pending;
    pending.client = client;
    pending.query = query;
    pending.upstreams.assign(upstreams.begin(), upstreams.end());
    pending.tries.assign(upstreams.size(), TryState::kUntried);
    pending.sent_at.assign(upstreams.size(), now);
    pending.wire = std::move(*wire);
    pending.group = group_key(upstreams);
    pending.give_up = now + config_.give_up;
    pending.over_tcp = client.over_tcp;
    auto& stored = pending_.emplace(*id, std::move(pending)).first->second;
    by_client_.emplace(key, *id);
    ++stats_.forwarded;

    switch (config_.mode) {
        case ForwardMode::kStrictOrder:
            send_to(stored, *id, 0, now, out);
            break;
        case ForwardMode::kAllServers:
            for (std::size_t i = 0; i < stored.upstreams.size(); ++i) {
                send_to(stored, *id, i, now, out);
            }
            break;
        case ForwardMode::kLastGood: {
            auto [group, inserted] = groups_.try_emplace(stored.group);
            auto& state = group->second;
            if (inserted) {
                state.last_probe = now;
            }
            ++state.since_probe;
            const bool probe =
                stored.upstreams.size() > 1 && (state.since_probe >= config_.probe_every_queries ||
                                                now - state.last_probe >= config_.probe_every);
            if (probe) {
                state.since_probe = 0;
                state.last_probe = now;
                for (std::size_t i = 0; i < stored.upstreams.size(); ++i) {
                    send_to(stored, *id, i, now, out);
                }
            } else {
                send_to(stored, *id, std::min(state.last_good, stored.upstreams.size() - 1), now,
                        out);
            }
            break;
        }
    }
    schedule(*id, stored, now + config_.retry_interval);
    return true;
}

std::size_t Forwarder::size_limit_for(const Pending& pending) const {
    if (pending.client.over_tcp) {
        return net::dns::kMaxMessageSize;
    }
    return net::dns::effective_udp_limit(pending.query, config_.edns_packet_max);
}

void Forwarder::finish(std::uint16_t id, ForwarderOutput& out, ForwardedAnswer answer) {
    const auto found = pending_.find(id);
    if (found != pending_.end()) {
        by_client_.erase(client_key(found->second));
        pending_.erase(found);
    }
    out.answers.push_back(std::move(answer));
}

void Forwarder::on_upstream_datagram(std::span<const std::byte> datagram, const dns::Upstream& from,
                                     platform::Instant now, ForwarderOutput& out) {
    auto parsed = net::dns::parse_message(datagram, net::dns::TrailingData::kIgnore);
    if (!parsed) {
        ++stats_.malformed;
        return;
    }
    auto& reply = *parsed;
    const auto found = pending_.find(reply.header.id);
    if (!reply.header.qr || found == pending_.end()) {
        ++stats_.mismatched;
        return;
    }
    const std::uint16_t id = found->first;
    Pending& pending = found->second;
    std::size_t index = pending.upstreams.size();
    for (std::size_t i = 0; i < pending.upstreams.size(); ++i) {
        if (pending.tries[i] != TryState::kUntried &&
            pending.upstreams[i].address == from.address &&
            pending.upstreams[i].port == from.port) {
            index = i;
            break;
        }
    }
    if (index == pending.upstreams.size() || reply.questions != pending.query.questions) {
        ++stats_.mismatched;
        return;
    }
    auto& upstream_stats = upstream_stats_[upstream_name(pending.upstreams[index])];
    const std::uint16_t rcode = reply.rcode();
    if (is_failure(rcode)) {
        ++upstream_stats.failed;
        out.failed_upstreams.push_back(from);
        pending.tries[index] = TryState::kFailed;
        // Move on to the next untried server, in preference order after this one.
        for (std::size_t step = 1; step <= pending.upstreams.size(); ++step) {
            const std::size_t next = (index + step) % pending.upstreams.size();
            if (pending.tries[next] == TryState::kUntried) {
                send_to(pending, id, next, now, out);
                schedule(id, pending, now + config_.retry_interval);
                return;
            }
        }
        const bool all_failed = std::all_of(pending.tries.begin(), pending.tries.end(),
                                            [](TryState s) { return s == TryState::kFailed; });
        if (all_failed) {
            // dnsmasq passes the last server's REFUSED/SERVFAIL on to the client.
            ++stats_.all_failed;
            reply.header.id = pending.query.header.id;
            reply.header.rd = pending.query.header.rd;
            set_client_edns(reply, pending.query, config_.edns_packet_max);
            ForwardedAnswer answer{pending.client, std::move(reply), size_limit_for(pending), true,
                                   pending.upstreams[index]};
            finish(id, out, std::move(answer));
        }
        return;
    }
    ++upstream_stats.replies;
    upstream_stats.latency_sum += now - pending.sent_at[index];
    if (rcode == static_cast<std::uint16_t>(Rcode::kNxDomain)) {
        ++upstream_stats.nxdomain;
    }
    if (config_.mode == ForwardMode::kLastGood) {
        groups_[pending.group].last_good = index;
    }
    reply.header.id = pending.query.header.id;
    reply.header.rd = pending.query.header.rd;
    set_client_edns(reply, pending.query, config_.edns_packet_max);
    ++stats_.replies;
    ForwardedAnswer answer{pending.client, std::move(reply), size_limit_for(pending), true,
                           pending.upstreams[index]};
    finish(id, out, std::move(answer));
}

void Forwarder::on_timeout(platform::Instant now, ForwarderOutput& out) {
    while (!deadlines_.empty() && deadlines_.front().at <= now) {
        const Deadline due = deadlines_.front();
        deadlines_.pop_front();
        const auto found = pending_.find(due.id);
        if (found == pending_.end() || found->second.generation != due.generation) {
            continue;  // answered, or rescheduled since
        }
        Pending& pending = found->second;
        if (now >= pending.give_up) {
            ++stats_.timeouts;
            by_client_.erase(client_key(pending));
            pending_.erase(found);
            continue;
        }
        // Retry on the next server that has not failed, after the last one we sent to.
        std::size_t last = 0;
        for (std::size_t i = 0; i < pending.upstreams.size(); ++i) {
            if (pending.tries[i] == TryState::kSent &&
                pending.sent_at[i] >= pending.sent_at[last]) {
                last = i;
            }
        }
        for (std::size_t step = 1; step <= pending.upstreams.size(); ++step) {
            const std::size_t next = (last + step) % pending.upstreams.size();
            if (pending.tries[next] != TryState::kFailed) {
                send_to(pending, due.id, next, now, out);
                break;
            }
        }
        schedule(due.id, pending, now + config_.retry_interval);
    }
}

std::optional<platform::Instant> Forwarder::next_deadline() {
    while (!deadlines_.empty()) {
        const auto& front = deadlines_.front();
        const auto found = pending_.find(front.id);
        if (found != pending_.end() && found->second.generation == front.generation) {
            return front.at;
        }
        deadlines_.pop_front();
    }
    return std::nullopt;
}

}  // namespace nfv::dnsvizor::server
