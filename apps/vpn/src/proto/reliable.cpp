#include "proto/reliable.hpp"

#include <algorithm>

namespace nfv::vpn::proto {

namespace {

constexpr std::size_t kMinPayload = 64;
constexpr std::size_t kPiggybackAckBlock = 1 + 4 * kMessageIdSize + kSessionIdSize;
// Received ids waiting to be acked; beyond this a duplicate flood is not acked (the sender
// retransmits), like OpenVPN's fixed-size rec_ack.
constexpr std::size_t kMaxPendingAcks = 64;

}  // namespace

std::size_t control_payload_size(std::size_t tls_mtu, std::size_t wrap_overhead,
                                 std::size_t datagram_overhead) {
    const std::size_t overhead = datagram_overhead + wrap_overhead + 1 + kSessionIdSize +
                                 kPiggybackAckBlock + kMessageIdSize;
    return tls_mtu > overhead + kMinPayload ? tls_mtu - overhead : kMinPayload;
}

Reliable::Reliable(const ReliableConfig& config) : config_(config) {
    config_.send_window = std::max<std::size_t>(config_.send_window, 1);
    config_.receive_window = std::max<std::size_t>(config_.receive_window, 1);
    config_.max_payload = std::max<std::size_t>(config_.max_payload, 1);
    config_.piggyback_acks = std::min(config_.piggyback_acks, kMaxAcksPerPacket);
    config_.ack_only_acks = std::clamp<std::size_t>(config_.ack_only_acks, 1, kMaxAcksPerPacket);
    config_.fast_retransmit_acks = std::max<std::uint32_t>(config_.fast_retransmit_acks, 1);
    receive_ring_.resize(config_.receive_window);
}

void Reliable::send(Opcode opcode, std::span<const std::byte> data) {
    if (!is_reliable(opcode)) {
        return;
    }
    if (opcode != Opcode::kControlV1) {
        queue_.push_back(Outbound{opcode, {data.begin(), data.end()}});
        return;
    }
    while (!data.empty()) {
        // Top up a partly filled stream packet that has not been sent yet.
        if (queue_.empty() || queue_.back().opcode != Opcode::kControlV1 ||
            queue_.back().payload.size() >= config_.max_payload) {
            queue_.push_back(Outbound{Opcode::kControlV1, {}});
        }
        auto& tail = queue_.back().payload;
        const std::size_t take = std::min(data.size(), config_.max_payload - tail.size());
        tail.insert(tail.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(take));
        data = data.subspan(take);
    }
}

std::size_t Reliable::queued_bytes() const {
    std::size_t total = 0;
    for (const auto& item : queue_) {
        total += item.payload.size();
    }
    return total;
}

void Reliable::process_acks(const AckList& acks) {
    for (const std::uint32_t acked : acks.view()) {
        const auto it = std::find_if(in_flight_.begin(), in_flight_.end(),
                                     [acked](const InFlight& e) { return e.id == acked; });
        if (it == in_flight_.end()) {
            continue;  // already acked, or never sent: ignore
        }
        in_flight_.erase(it);
        // Earlier packets still unacked were probably lost: count towards fast retransmit.
        for (auto& entry : in_flight_) {
            if (entry.id < acked && ++entry.later_acks >= config_.fast_retransmit_acks) {
                entry.due = true;
            }
        }
    }
}

void Reliable::remember_ack(std::uint32_t id) {
    if (std::find(pending_acks_.begin(), pending_acks_.end(), id) != pending_acks_.end()) {
        return;
    }
    if (pending_acks_.size() < kMaxPendingAcks) {
        pending_acks_.push_back(id);
    }
}

Result<void, ReliableError> Reliable::on_packet(const ControlPacket& packet,
                                                platform::Instant /*now*/) {
    if (!is_control(packet.opcode)) {
        return Unexpected(ReliableError::kNotControl);
    }
    if (packet.key_id != (config_.key_id & kKeyIdMask)) {
        return Unexpected(ReliableError::kWrongKeyId);
    }
    if (remote_session_id_ && *remote_session_id_ != packet.session_id) {
        return Unexpected(ReliableError::kWrongSession);
    }
    if (!packet.acks.empty() && packet.remote_session_id != config_.local_session_id) {
        return Unexpected(ReliableError::kBadAckSession);
    }
    remote_session_id_ = packet.session_id;
    process_acks(packet.acks);

    if (!is_reliable(packet.opcode)) {
        return {};
    }
    const std::uint32_t id = packet.message_id;
    if (id < next_deliver_id_) {
        ++stats_.duplicates;  // delivered before; our ack was probably lost
        remember_ack(id);
        return {};
    }
    if (static_cast<std::uint64_t>(id) >=
        static_cast<std::uint64_t>(next_deliver_id_) + config_.receive_window) {
        ++stats_.out_of_window;  // no room: no ack, the peer retransmits later
        return {};
    }
    auto& slot = receive_ring_[id % config_.receive_window];
    if (slot) {
        ++stats_.duplicates;
    } else {
        slot = InboundMessage{packet.opcode, {packet.payload.begin(), packet.payload.end()}};
    }
    remember_ack(id);
    return {};
}

std::optional<InboundMessage> Reliable::poll_message() {
    auto& slot = receive_ring_[next_deliver_id_ % config_.receive_window];
    if (!slot) {
        return std::nullopt;
    }
    std::optional<InboundMessage> message = std::move(slot);
    slot.reset();
    ++next_deliver_id_;
    ++stats_.delivered;
    return message;
}

void Reliable::promote_queued() {
    while (!queue_.empty() && in_flight_.size() < config_.send_window) {
        std::uint32_t lowest = next_send_id_;
        for (const auto& entry : in_flight_) {
            lowest = std::min(lowest, entry.id);
        }
        // Keep ids within one window of the oldest unacked packet, so the peer's receive
        // window (at least as large) can always take them.
        if (static_cast<std::uint64_t>(next_send_id_) >=
            static_cast<std::uint64_t>(lowest) + config_.send_window) {
            return;
        }
        InFlight entry;
        entry.id = next_send_id_++;
        entry.opcode = queue_.front().opcode;
        entry.payload = std::move(queue_.front().payload);
        entry.timeout = config_.initial_timeout;
        queue_.pop_front();
        in_flight_.push_back(std::move(entry));
    }
}

AckList Reliable::take_acks(std::size_t max) {
    AckList acks;
    if (!remote_session_id_ || max == 0) {
        return acks;
    }
    // New acks go first and become the most recent; spare slots re-ack recent ids, which
    // covers lost ack packets without waiting for a retransmission.
    std::vector<std::uint32_t> fresh;
    while (!pending_acks_.empty() && fresh.size() < max) {
        fresh.push_back(pending_acks_.front());
        pending_acks_.pop_front();
    }
    for (auto it = fresh.rbegin(); it != fresh.rend(); ++it) {
        const std::uint32_t id = *it;
        recent_acks_.erase(std::remove(recent_acks_.begin(), recent_acks_.end(), id),
                           recent_acks_.end());
        recent_acks_.push_front(id);
    }
    while (recent_acks_.size() > kMaxAcksPerPacket) {
        recent_acks_.pop_back();
    }
    for (const std::uint32_t id : recent_acks_) {
        if (acks.count >= max) {
            break;
        }
        acks.push(id);
    }
    return acks;
}

std::optional<ControlPacket> Reliable::poll_transmit(platform::Instant now) {
    promote_queued();
    on_timeout(now);

    InFlight* best = nullptr;
    for (auto& entry : in_flight_) {
        if (entry.due && (best == nullptr || entry.id < best->id)) {
            best = &entry;
        }
    }
    ControlPacket packet;
    packet.key_id = config_.key_id;
    packet.session_id = config_.local_session_id;
    if (best != nullptr) {
        if (best->next_try) {
            ++stats_.retransmits;
        } else {
            ++stats_.packets_sent;
        }
        best->next_try = now + best->timeout;
        best->timeout = std::min(best->timeout * 2, config_.max_timeout);
        best->later_acks = 0;
        best->due = false;
        packet.opcode = best->opcode;
        packet.message_id = best->id;
        packet.payload = best->payload;
        packet.acks = take_acks(config_.piggyback_acks);
    } else if (!pending_acks_.empty() && remote_session_id_) {
        packet.opcode = Opcode::kAckV1;
        packet.acks = take_acks(config_.ack_only_acks);
        ++stats_.ack_packets_sent;
    } else {
        return std::nullopt;
    }
    if (!packet.acks.empty()) {
        packet.remote_session_id = *remote_session_id_;
    }
    return packet;
}

std::optional<platform::Instant> Reliable::next_timeout() const {
    std::optional<platform::Instant> earliest;
    for (const auto& entry : in_flight_) {
        if (entry.next_try && (!earliest || *entry.next_try < *earliest)) {
            earliest = entry.next_try;
        }
    }
    return earliest;
}

void Reliable::on_timeout(platform::Instant now) {
    for (auto& entry : in_flight_) {
        if (entry.next_try && *entry.next_try <= now) {
            entry.due = true;
        }
    }
}

}  // namespace nfv::vpn::proto
