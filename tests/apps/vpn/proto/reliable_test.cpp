#include "proto/reliable.hpp"

#include <algorithm>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/platform/testing/manual_clock.hpp"
#include "nfv/platform/testing/seeded_random.hpp"

namespace nfv::vpn::proto {
namespace {

using namespace std::chrono_literals;

const platform::Instant kT0{std::chrono::seconds(1000)};

SessionId sid(std::uint8_t fill) {
    SessionId id;
    id.fill(std::byte{fill});
    return id;
}

ReliableConfig config_for(std::uint8_t local, std::size_t max_payload = 100) {
    ReliableConfig config;
    config.local_session_id = sid(local);
    config.max_payload = max_payload;
    return config;
}

std::vector<std::byte> make_bytes(std::size_t n, std::uint8_t seed = 0) {
    std::vector<std::byte> out(n);
    for (std::size_t i = 0; i < n; ++i) {
        out[i] = static_cast<std::byte>((i * 31 + seed) & 0xFF);
    }
    return out;
}

// A packet from the peer (session 0xBB) carrying message `id`, optionally acking our ids.
ControlPacket peer_packet(std::uint32_t id, std::span<const std::byte> payload,
                          std::initializer_list<std::uint32_t> acks = {}) {
    ControlPacket packet;
    packet.opcode = Opcode::kControlV1;
    packet.session_id = sid(0xBB);
    packet.message_id = id;
    packet.payload = payload;
    for (const auto a : acks) {
        packet.acks.push(a);
    }
    packet.remote_session_id = sid(0xAA);
    return packet;
}

ControlPacket peer_ack(std::initializer_list<std::uint32_t> acks) {
    ControlPacket packet = peer_packet(0, {}, acks);
    packet.opcode = Opcode::kAckV1;
    return packet;
}

TEST(Reliable, SendsResetAtOnceAndRetransmitsWithExponentialBackoff) {
    Reliable rel(config_for(0xAA));
    rel.send(Opcode::kControlHardResetClientV2, {});
    const auto first = rel.poll_transmit(kT0);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->opcode, Opcode::kControlHardResetClientV2);
    EXPECT_EQ(first->message_id, 0u);
    EXPECT_TRUE(first->acks.empty());
    EXPECT_FALSE(rel.poll_transmit(kT0));
    EXPECT_EQ(rel.next_timeout(), kT0 + 2s);
    EXPECT_FALSE(rel.poll_transmit(kT0 + 1999ms));

    rel.on_timeout(kT0 + 2s);
    const auto again = rel.poll_transmit(kT0 + 2s);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->message_id, 0u);
    EXPECT_EQ(rel.next_timeout(), kT0 + 2s + 4s);
    ASSERT_TRUE(rel.poll_transmit(kT0 + 6s));
    EXPECT_EQ(rel.next_timeout(), kT0 + 6s + 8s);
    EXPECT_EQ(rel.stats().retransmits, 2u);
}

TEST(Reliable, AckStopsRetransmission) {
    Reliable rel(config_for(0xAA));
    rel.send(Opcode::kControlHardResetClientV2, {});
    ASSERT_TRUE(rel.poll_transmit(kT0));
    ASSERT_TRUE(rel.on_packet(peer_ack({0}), kT0 + 10ms));
    EXPECT_FALSE(rel.next_timeout());
    EXPECT_TRUE(rel.idle());
    EXPECT_FALSE(rel.poll_transmit(kT0 + 10s));
}

TEST(Reliable, FragmentsStreamAndRespectsSendWindow) {
    Reliable rel(config_for(0xAA, 100));
    const auto data = make_bytes(1000);
    rel.send(Opcode::kControlV1, data);
    std::vector<std::uint32_t> ids;
    std::size_t bytes = 0;
    while (const auto packet = rel.poll_transmit(kT0)) {
        ids.push_back(packet->message_id);
        EXPECT_LE(packet->payload.size(), 100u);
        bytes += packet->payload.size();
    }
    EXPECT_EQ(ids, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5}));  // window of 6
    EXPECT_EQ(bytes, 600u);
    EXPECT_EQ(rel.queued_bytes(), 400u);
    // Acking 1..5 does not open the window while 0 is outstanding (ids stay within 0 + 6).
    ASSERT_TRUE(rel.on_packet(peer_ack({1, 2, 3, 4, 5}), kT0));
    const auto fast = rel.poll_transmit(kT0);
    ASSERT_TRUE(fast);  // but 0 is fast-retransmitted: 5 later packets were acked
    EXPECT_EQ(fast->message_id, 0u);
    EXPECT_FALSE(rel.poll_transmit(kT0));
    ASSERT_TRUE(rel.on_packet(peer_ack({0}), kT0));
    ids.clear();
    while (const auto packet = rel.poll_transmit(kT0)) {
        ids.push_back(packet->message_id);
    }
    EXPECT_EQ(ids, (std::vector<std::uint32_t>{6, 7, 8, 9}));
}

TEST(Reliable, CoalescesSmallWritesIntoOnePacket) {
    Reliable rel(config_for(0xAA, 100));
    const auto a = make_bytes(30, 1);
    const auto b = make_bytes(30, 2);
    rel.send(Opcode::kControlV1, a);
    rel.send(Opcode::kControlV1, b);
    const auto packet = rel.poll_transmit(kT0);
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->payload.size(), 60u);
    EXPECT_FALSE(rel.poll_transmit(kT0));
}

TEST(Reliable, FastRetransmitAfterThreeLaterAcks) {
    Reliable rel(config_for(0xAA, 10));
    rel.send(Opcode::kControlV1, make_bytes(50));
    while (rel.poll_transmit(kT0)) {
    }
    ASSERT_TRUE(rel.on_packet(peer_ack({1, 2}), kT0 + 50ms));
    EXPECT_FALSE(rel.poll_transmit(kT0 + 50ms));  // two later acks: not yet
    ASSERT_TRUE(rel.on_packet(peer_ack({3}), kT0 + 60ms));
    const auto packet = rel.poll_transmit(kT0 + 60ms);
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->message_id, 0u);
    EXPECT_EQ(rel.stats().retransmits, 1u);
}

TEST(Reliable, DeliversOutOfOrderPacketsInOrder) {
    Reliable rel(config_for(0xAA));
    const auto p0 = make_bytes(5, 0);
    const auto p1 = make_bytes(5, 1);
    const auto p2 = make_bytes(5, 2);
    ASSERT_TRUE(rel.on_packet(peer_packet(2, p2), kT0));
    ASSERT_TRUE(rel.on_packet(peer_packet(1, p1), kT0));
    EXPECT_FALSE(rel.poll_message());
    ASSERT_TRUE(rel.on_packet(peer_packet(0, p0), kT0));
    for (const auto* expected : {&p0, &p1, &p2}) {
        const auto message = rel.poll_message();
        ASSERT_TRUE(message);
        EXPECT_EQ(message->payload, *expected);
    }
    EXPECT_FALSE(rel.poll_message());
    // All three get acked in one P_ACK_V1, addressed to the peer's session.
    const auto ack = rel.poll_transmit(kT0);
    ASSERT_TRUE(ack);
    EXPECT_EQ(ack->opcode, Opcode::kAckV1);
    EXPECT_EQ(ack->acks.count, 3);
    EXPECT_EQ(ack->remote_session_id, sid(0xBB));
    EXPECT_EQ(ack->session_id, sid(0xAA));
}

TEST(Reliable, DuplicateIsAckedAgainButDeliveredOnce) {
    Reliable rel(config_for(0xAA));
    const auto p0 = make_bytes(5);
    ASSERT_TRUE(rel.on_packet(peer_packet(0, p0), kT0));
    ASSERT_TRUE(rel.poll_message());
    ASSERT_TRUE(rel.poll_transmit(kT0));  // ack for 0
    ASSERT_TRUE(rel.on_packet(peer_packet(0, p0), kT0 + 2s));
    EXPECT_FALSE(rel.poll_message());
    const auto ack = rel.poll_transmit(kT0 + 2s);
    ASSERT_TRUE(ack);
    EXPECT_TRUE(ack->acks.contains(0));
    EXPECT_EQ(rel.stats().duplicates, 1u);
    EXPECT_EQ(rel.stats().delivered, 1u);
}

TEST(Reliable, DropsPacketBeyondReceiveWindowWithoutAck) {
    Reliable rel(config_for(0xAA));
    const auto p = make_bytes(5);
    ASSERT_TRUE(rel.on_packet(peer_packet(12, p), kT0));  // window is 0..11
    EXPECT_FALSE(rel.poll_transmit(kT0));
    EXPECT_EQ(rel.stats().out_of_window, 1u);
    ASSERT_TRUE(rel.on_packet(peer_packet(11, p), kT0));
    EXPECT_TRUE(rel.poll_transmit(kT0));
}

TEST(Reliable, PiggybacksAtMostFourAcksAndReacksRecentIds) {
    Reliable rel(config_for(0xAA));
    const auto p = make_bytes(3);
    for (std::uint32_t id = 0; id < 6; ++id) {
        ASSERT_TRUE(rel.on_packet(peer_packet(id, p), kT0));
    }
    rel.send(Opcode::kControlV1, p);
    const auto data = rel.poll_transmit(kT0);
    ASSERT_TRUE(data);
    EXPECT_EQ(data->opcode, Opcode::kControlV1);
    EXPECT_EQ(data->acks.count, 4);
    const auto ack = rel.poll_transmit(kT0);
    ASSERT_TRUE(ack);
    EXPECT_EQ(ack->opcode, Opcode::kAckV1);
    // Two new acks (4, 5) first, then re-acks of recent ids fill up to eight... of six known.
    EXPECT_EQ(ack->acks.count, 6);
    EXPECT_EQ(ack->acks.ids[0], 4u);
    EXPECT_EQ(ack->acks.ids[1], 5u);
    EXPECT_FALSE(rel.poll_transmit(kT0));
}

TEST(Reliable, RejectsForeignSessionAndBadAckSession) {
    Reliable rel(config_for(0xAA));
    const auto p = make_bytes(3);
    ASSERT_TRUE(rel.on_packet(peer_packet(0, p), kT0));
    auto other = peer_packet(1, p);
    other.session_id = sid(0xCC);
    const auto wrong = rel.on_packet(other, kT0);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error(), ReliableError::kWrongSession);
    auto bad_ack = peer_packet(1, p, {0});
    bad_ack.remote_session_id = sid(0x01);
    const auto bad = rel.on_packet(bad_ack, kT0);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error(), ReliableError::kBadAckSession);
    auto other_key = peer_packet(1, p);
    other_key.key_id = 1;
    EXPECT_FALSE(rel.on_packet(other_key, kT0));
}

TEST(ControlPayloadSize, FitsTlsMtu) {
    // 1250 - 48 (IPv6+UDP) - 0 - 1 - 8 - 25 (4 acks) - 4 = 1164
    EXPECT_EQ(control_payload_size(1250, 0), 1164u);
    EXPECT_EQ(control_payload_size(1250, 40), 1124u);  // tls-crypt
    EXPECT_EQ(control_payload_size(100, 40), 64u);     // floor
}

// ---- Simulation: two endpoints over a lossy, reordering, duplicating wire ----------------

struct Datagram {
    platform::Instant deliver_at;
    int to = 0;
    std::vector<std::byte> bytes;
};

class LossyWire {
public:
    LossyWire(platform::testing::SeededRandom& random, double loss, double duplicate)
        : random_(random), loss_(loss), duplicate_(duplicate) {}

    void send(platform::Instant now, int to, std::vector<std::byte> bytes) {
        if (chance(loss_)) {
            ++dropped_;
            return;
        }
        const int copies = chance(duplicate_) ? 2 : 1;
        for (int i = 0; i < copies; ++i) {
            // 5..80 ms of jitter reorders packets freely.
            const auto delay = std::chrono::milliseconds(5 + random_.uniform(76));
            queue_.push_back(Datagram{now + delay, to, bytes});
        }
    }
    [[nodiscard]] std::optional<platform::Instant> next_delivery() const {
        std::optional<platform::Instant> earliest;
        for (const auto& d : queue_) {
            if (!earliest || d.deliver_at < *earliest) {
                earliest = d.deliver_at;
            }
        }
        return earliest;
    }
    std::vector<Datagram> take_due(platform::Instant now) {
        std::vector<Datagram> due;
        auto split = std::stable_partition(queue_.begin(), queue_.end(),
                                           [now](const Datagram& d) { return d.deliver_at > now; });
        std::move(split, queue_.end(), std::back_inserter(due));
        queue_.erase(split, queue_.end());
        // Deliver in random order among those due at once.
        for (std::size_t i = due.size(); i > 1; --i) {
            std::swap(due[i - 1], due[random_.uniform(i)]);
        }
        return due;
    }
    [[nodiscard]] std::uint64_t dropped() const { return dropped_; }

private:
    bool chance(double p) { return static_cast<double>(random_.uniform(1'000'000)) < p * 1e6; }

    platform::testing::SeededRandom& random_;
    double loss_;
    double duplicate_;
    std::vector<Datagram> queue_;
    std::uint64_t dropped_ = 0;
};

struct Endpoint {
    Reliable rel;
    std::vector<std::byte> received;
    std::vector<Opcode> opcodes;
};

void run_transfer(std::uint64_t seed, std::size_t stream_size, double loss, double duplicate) {
    platform::testing::SeededRandom random(seed);
    platform::testing::ManualClock clock;
    LossyWire wire(random, loss, duplicate);

    ReliableConfig client_config;
    client_config.local_session_id = sid(0xC1);
    ReliableConfig server_config;
    server_config.local_session_id = sid(0x5E);
    std::array<Endpoint, 2> ends{Endpoint{Reliable(client_config), {}, {}},
                                 Endpoint{Reliable(server_config), {}, {}}};

    const auto to_server = make_bytes(stream_size, 7);
    const auto to_client = make_bytes(stream_size, 9);
    ends[0].rel.send(Opcode::kControlHardResetClientV2, {});
    ends[0].rel.send(Opcode::kControlV1, to_server);
    ends[1].rel.send(Opcode::kControlHardResetServerV2, {});
    // Feed the server's stream in TLS-record-sized pieces to exercise coalescing.
    for (std::size_t off = 0; off < to_client.size(); off += 700) {
        const auto n = std::min<std::size_t>(700, to_client.size() - off);
        ends[1].rel.send(Opcode::kControlV1, std::span(to_client).subspan(off, n));
    }

    constexpr int kMaxSteps = 200'000;
    const platform::Instant deadline = clock.now() + std::chrono::hours(1);
    std::vector<std::byte> buffer(2048);
    int steps = 0;
    auto done = [&] {
        return ends[0].received.size() == to_client.size() &&
               ends[1].received.size() == to_server.size() && ends[0].rel.idle() &&
               ends[1].rel.idle();
    };
    for (; steps < kMaxSteps && !done(); ++steps) {
        const auto now = clock.now();
        ASSERT_LT(now, deadline) << "transfer did not finish in virtual time";
        for (int side = 0; side < 2; ++side) {
            auto& end = ends[static_cast<std::size_t>(side)];
            while (const auto packet = end.rel.poll_transmit(now)) {
                ASSERT_LE(wire_size(*packet), 1250u - kDatagramOverheadIpv6Udp);
                const auto written = serialize(*packet, buffer);
                ASSERT_TRUE(written);
                wire.send(now, 1 - side,
                          {buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*written)});
            }
            while (auto message = end.rel.poll_message()) {
                end.opcodes.push_back(message->opcode);
                end.received.insert(end.received.end(), message->payload.begin(),
                                    message->payload.end());
            }
        }
        if (done()) {
            break;
        }
        std::optional<platform::Instant> next = wire.next_delivery();
        for (const auto& end : ends) {
            const auto t = end.rel.next_timeout();
            if (t && (!next || *t < *next)) {
                next = t;
            }
        }
        ASSERT_TRUE(next) << "stalled: nothing in flight and nothing scheduled";
        if (*next > now) {
            clock.advance(*next - now);
        }
        for (auto& datagram : wire.take_due(clock.now())) {
            const auto packet = parse_control_packet(datagram.bytes);
            ASSERT_TRUE(packet);
            auto& end = ends[static_cast<std::size_t>(datagram.to)];
            ASSERT_TRUE(end.rel.on_packet(*packet, clock.now()));
        }
        for (auto& end : ends) {
            end.rel.on_timeout(clock.now());
        }
    }
    ASSERT_TRUE(done()) << "after " << steps << " steps";
    EXPECT_EQ(ends[1].received, to_server);
    EXPECT_EQ(ends[0].received, to_client);
    ASSERT_FALSE(ends[0].opcodes.empty());
    EXPECT_EQ(ends[0].opcodes.front(), Opcode::kControlHardResetServerV2);
    EXPECT_EQ(ends[1].opcodes.front(), Opcode::kControlHardResetClientV2);
    if (loss > 0) {
        EXPECT_GT(wire.dropped(), 0u);
        EXPECT_GT(ends[0].rel.stats().retransmits + ends[1].rel.stats().retransmits, 0u);
    }
    ::testing::Test::RecordProperty("steps", steps);
}

TEST(ReliableSimulation, StreamArrivesIntactOverCleanWire) {
    run_transfer(/*seed=*/1, 100'000, /*loss=*/0.0, /*duplicate=*/0.0);
}

TEST(ReliableSimulation, StreamArrivesIntactDespiteLossReorderingAndDuplicates) {
    for (const std::uint64_t seed : {42u, 7u, 2024u}) {
        SCOPED_TRACE(seed);
        run_transfer(seed, 100'000, /*loss=*/0.20, /*duplicate=*/0.05);
    }
}

TEST(ReliableSimulation, SurvivesHeavyLoss) {
    run_transfer(/*seed=*/99, 20'000, /*loss=*/0.5, /*duplicate=*/0.1);
}

}  // namespace
}  // namespace nfv::vpn::proto
