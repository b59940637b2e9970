// Acceptance: 100,000 UDP datagrams through the event loop over loopback, none lost or damaged.
#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/platform/io/udp_socket.hpp"

#include "loop_test_util.hpp"

namespace nfv::platform::io {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t kDatagrams = 100'000;
constexpr std::uint32_t kWindow = 128;  // datagrams sent but not yet received
constexpr std::size_t kHeader = 8;      // u32 sequence + u32 checksum, big-endian

std::size_t length_for(std::uint32_t seq) {
    return 16 + (seq * 7919U) % 1200U;
}
std::byte pattern(std::uint32_t seq, std::size_t i) {
    return static_cast<std::byte>((seq * 31U + static_cast<std::uint32_t>(i) * 7U) & 0xFFU);
}

void put_u32(std::span<std::byte> out, std::uint32_t v) {
    for (std::size_t i = 0; i < 4; ++i) {
        out[i] = static_cast<std::byte>((v >> (24U - 8U * i)) & 0xFFU);
    }
}
std::uint32_t get_u32(std::span<const std::byte> in) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        v = (v << 8U) | std::to_integer<std::uint32_t>(in[i]);
    }
    return v;
}
std::uint32_t checksum(std::span<const std::byte> body) {  // Fletcher-like, order-sensitive
    std::uint32_t a = 1;
    std::uint32_t b = 0;
    for (std::byte x : body) {
        a = (a + std::to_integer<std::uint32_t>(x)) % 65521U;
        b = (b + a) % 65521U;
    }
    return (b << 16U) | a;
}

TEST(UdpThroughput, HundredThousandDatagramsArriveIntactOverLoopback) {
    test::LoopFixture f;
    UdpOptions options;
    options.receive_buffer_bytes = 4 << 20;
    options.send_buffer_bytes = 4 << 20;
    options.max_datagram_size = 2048;

    std::vector<bool> seen(kDatagrams, false);
    std::uint32_t received = 0;
    std::uint32_t duplicates = 0;
    std::uint32_t corrupt = 0;
    std::uint32_t sent = 0;
    std::unique_ptr<UdpSocket> sender;
    SocketAddress destination;
    std::array<std::byte, 2048> scratch{};

    // Keep at most kWindow datagrams in flight, so the receive buffer can never overflow.
    const auto top_up = [&] {
        while (sent < kDatagrams && sent - received < kWindow) {
            const std::uint32_t seq = sent;
            const std::size_t length = length_for(seq);
            std::span<std::byte> packet(scratch.data(), length);
            for (std::size_t i = kHeader; i < length; ++i) {
                packet[i] = pattern(seq, i);
            }
            put_u32(packet.subspan(0, 4), seq);
            put_u32(packet.subspan(4, 4), checksum(packet.subspan(kHeader)));
            auto status = sender->send_to(destination, packet);
            ASSERT_TRUE(status) << status.error().message();
            if (*status == SendStatus::kQueueFull) {
                return;  // on_writable tops up again
            }
            ++sent;
        }
    };

    auto receiver = UdpSocket::bind(
        *f.loop, *SocketAddress::parse("127.0.0.1", 0), options,
        [&](std::span<const ReceivedDatagram> batch) {
            for (const ReceivedDatagram& d : batch) {
                if (d.payload.size() < kHeader) {
                    ++corrupt;
                    continue;
                }
                const std::uint32_t seq = get_u32(d.payload.subspan(0, 4));
                const std::uint32_t sum = get_u32(d.payload.subspan(4, 4));
                bool intact = seq < kDatagrams && d.payload.size() == length_for(seq) &&
                              sum == checksum(d.payload.subspan(kHeader));
                for (std::size_t i = kHeader; intact && i < d.payload.size(); ++i) {
                    intact = d.payload[i] == pattern(seq, i);
                }
                if (!intact) {
                    ++corrupt;
                    continue;
                }
                if (seen[seq]) {
                    ++duplicates;
                    continue;
                }
                seen[seq] = true;
                ++received;
            }
            top_up();
        });
    ASSERT_TRUE(receiver) << receiver.error().message();
    auto bound_sender =
        UdpSocket::bind(*f.loop, *SocketAddress::parse("127.0.0.1", 0), options, [](auto) {});
    ASSERT_TRUE(bound_sender) << bound_sender.error().message();
    sender = std::move(*bound_sender);
    sender->set_on_writable(top_up);
    destination = (*receiver)->local_address();

    const auto wakeups_before = f.loop->stats().wakeups;
    const auto start = std::chrono::steady_clock::now();
    top_up();
    const bool done = f.run_until([&] { return received == kDatagrams; }, 60s);
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;

    EXPECT_TRUE(done) << "received " << received << " of " << kDatagrams << " in 60 s";
    EXPECT_EQ(received, kDatagrams);
    EXPECT_EQ(duplicates, 0U);
    EXPECT_EQ(corrupt, 0U);
    EXPECT_EQ(std::count(seen.begin(), seen.end(), false), 0);
    EXPECT_EQ((*receiver)->stats().truncated, 0U);
    EXPECT_EQ(sender->stats().send_errors, 0U);

    const auto wakeups = f.loop->stats().wakeups - wakeups_before;
    const auto& rx = (*receiver)->stats();
    std::printf(
        "[ info ] %u datagrams in %.3f s = %.0f datagrams/s; %.1f datagrams per wake-up "
        "(%llu wake-ups), %.1f per receive batch, %.1f per sendmmsg\n",
        received, elapsed.count(), received / elapsed.count(),
        static_cast<double>(received) / static_cast<double>(std::max<std::uint64_t>(wakeups, 1)),
        static_cast<unsigned long long>(wakeups),
        static_cast<double>(rx.received) /
            static_cast<double>(std::max<std::uint64_t>(rx.receive_batches, 1)),
        static_cast<double>(sender->stats().sent) /
            static_cast<double>(std::max<std::uint64_t>(sender->stats().send_calls, 1)));
}

}  // namespace
}  // namespace nfv::platform::io
