// TUN tests run in a forked child inside a fresh network namespace (see netns_child.hpp); they
// skip with a reason when not root or /dev/net/tun is missing.
#include "nfv/platform/io/tun_device.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/byte_writer.hpp"
#include "nfv/platform/clock.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/udp_socket.hpp"
#include "nfv/platform/testing/netns_child.hpp"

namespace nfv::platform::io {
namespace {

using namespace std::chrono_literals;
using platform::testing::NetnsOutcome;

constexpr std::array<std::uint8_t, 4> kLocal = {10, 99, 0, 1};   // our end of the tun
constexpr std::array<std::uint8_t, 4> kRemote = {10, 99, 0, 2};  // "beyond" the tun
constexpr std::uint16_t kRemotePort = 5555;

void run_netns_test(const std::function<std::string()>& body) {
    if (const auto reason = platform::testing::netns_unavailable_reason()) {
        GTEST_SKIP() << *reason;
    }
    const NetnsOutcome outcome = platform::testing::run_in_new_netns(body, 30s);
    if (outcome.kind == NetnsOutcome::Kind::kSkipped) {
        GTEST_SKIP() << outcome.message;
    }
    EXPECT_EQ(outcome.kind, NetnsOutcome::Kind::kPassed) << outcome.message;
}

struct UdpInIpv4 {
    std::array<std::uint8_t, 4> source{};
    std::array<std::uint8_t, 4> destination{};
    std::uint16_t source_port = 0;
    std::uint16_t destination_port = 0;
    std::vector<std::byte> payload;
};

// Parses an IPv4/UDP packet; nullopt for anything else (IPv6 noise, ICMP, fragments ...).
std::optional<UdpInIpv4> parse_udp_in_ipv4(std::span<const std::byte> packet) {
    net::ByteReader r(packet);
    const auto version_ihl = r.read_u8();
    if (!version_ihl || (*version_ihl >> 4U) != 4 || (*version_ihl & 0x0FU) < 5) {
        return std::nullopt;
    }
    const std::size_t header_length = (*version_ihl & 0x0FU) * 4U;
    if (!r.skip(1)) {
        return std::nullopt;
    }
    const auto total_length = r.read_u16();
    if (!total_length || *total_length != packet.size() || !r.skip(5)) {
        return std::nullopt;
    }
    const auto protocol = r.read_u8();
    if (!protocol || *protocol != 17 || !r.skip(2)) {
        return std::nullopt;
    }
    UdpInIpv4 out;
    for (auto& b : out.source) {
        b = r.read_u8().value_or(0);
    }
    for (auto& b : out.destination) {
        b = r.read_u8().value_or(0);
    }
    if (!r.seek(header_length)) {
        return std::nullopt;
    }
    const auto sport = r.read_u16();
    const auto dport = r.read_u16();
    const auto udp_length = r.read_u16();
    if (!sport || !dport || !udp_length || !r.skip(2) || *udp_length < 8) {
        return std::nullopt;
    }
    const auto body = r.read_bytes(*udp_length - 8U);
    if (!body) {
        return std::nullopt;
    }
    out.source_port = *sport;
    out.destination_port = *dport;
    out.payload.assign(body->begin(), body->end());
    return out;
}

std::uint16_t ipv4_header_checksum(std::span<const std::byte> header) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < header.size(); i += 2) {
        sum += (std::to_integer<std::uint32_t>(header[i]) << 8U) |
               std::to_integer<std::uint32_t>(header[i + 1]);
    }
    while ((sum >> 16U) != 0) {
        sum = (sum & 0xFFFFU) + (sum >> 16U);
    }
    return static_cast<std::uint16_t>(~sum);
}

// IPv4 + UDP (checksum 0 = none, allowed for IPv4 by RFC 768).
std::vector<std::byte> build_udp_in_ipv4(const UdpInIpv4& d) {
    std::vector<std::byte> packet(28 + d.payload.size());
    net::ByteWriter w(packet);
    const auto total = static_cast<std::uint16_t>(packet.size());
    (void)w.write_u8(0x45);
    (void)w.write_u8(0);
    (void)w.write_u16(total);
    (void)w.write_u16(0x1234);  // identification
    (void)w.write_u16(0x4000);  // DF
    (void)w.write_u8(64);       // TTL
    (void)w.write_u8(17);       // UDP
    (void)w.write_u16(0);       // checksum, patched below
    for (auto b : d.source) {
        (void)w.write_u8(b);
    }
    for (auto b : d.destination) {
        (void)w.write_u8(b);
    }
    (void)w.patch_u16(10, ipv4_header_checksum(std::span<const std::byte>(packet).first(20)));
    (void)w.write_u16(d.source_port);
    (void)w.write_u16(d.destination_port);
    (void)w.write_u16(static_cast<std::uint16_t>(8 + d.payload.size()));
    (void)w.write_u16(0);
    (void)w.write_bytes(d.payload);
    return packet;
}

std::vector<std::byte> bytes(std::string_view text) {
    std::vector<std::byte> out;
    for (char c : text) {
        out.push_back(static_cast<std::byte>(c));
    }
    return out;
}

TEST(TunDevice, OpensWithKernelChosenOrGivenNameAndSetsMtu) {
    run_netns_test([]() -> std::string {
        SystemClock clock;
        auto loop = EventLoop::create(clock);
        if (!loop) {
            return loop.error().message();
        }
        auto chosen = TunDevice::open(**loop, {}, [](auto) {});
        if (!chosen) {
            return chosen.error().message();
        }
        if ((*chosen)->name().rfind("tun", 0) != 0) {
            return "unexpected kernel-chosen name " + (*chosen)->name();
        }
        TunOptions named;
        named.name = "nfvtest7";
        auto given = TunDevice::open(**loop, named, [](auto) {});
        if (!given) {
            return given.error().message();
        }
        if ((*given)->name() != "nfvtest7") {
            return "name not kept: " + (*given)->name();
        }
        if (auto r = (*given)->set_mtu(1380); !r) {
            return r.error().message();
        }
        const auto mtu = (*given)->mtu();
        if (!mtu || *mtu != 1380) {
            return "MTU not applied";
        }
        TunOptions too_long;
        too_long.name = std::string(40, 'x');
        auto bad = TunDevice::open(**loop, too_long, [](auto) {});
        if (bad || bad.error().error_number != ENAMETOOLONG) {
            return "over-long name was not rejected with ENAMETOOLONG";
        }
        return {};
    });
}

TEST(TunDevice, ReadsRoutedDatagramAndInjectsReply) {
    run_netns_test([]() -> std::string {
        SystemClock clock;
        auto created = EventLoop::create(clock);
        if (!created) {
            return created.error().message();
        }
        EventLoop& loop = **created;

        std::optional<UdpInIpv4> captured;
        std::size_t packets_seen = 0;
        auto tun = TunDevice::open(loop, {}, [&](std::span<const std::span<const std::byte>> b) {
            for (const auto packet : b) {
                ++packets_seen;
                auto udp = parse_udp_in_ipv4(packet);
                if (udp && udp->destination_port == kRemotePort) {
                    captured = std::move(udp);
                }
            }
        });
        if (!tun) {
            return tun.error().message();
        }
        if (auto r = (*tun)->set_mtu(1400); !r) {
            return r.error().message();
        }
        if (auto r = (*tun)->set_ipv4_address(kLocal, 24); !r) {
            return r.error().message();
        }
        if (auto r = (*tun)->set_up(); !r) {
            return r.error().message();
        }

        std::vector<std::string> replies;
        std::vector<SocketAddress> reply_peers;
        auto socket = UdpSocket::bind(
            loop, SocketAddress::ipv4(kLocal, 0), {}, [&](std::span<const ReceivedDatagram> batch) {
                for (const auto& d : batch) {
                    replies.emplace_back(reinterpret_cast<const char*>(d.payload.data()),
                                         d.payload.size());
                    reply_peers.push_back(d.peer);
                }
            });
        if (!socket) {
            return socket.error().message();
        }
        // Out through the routing table into the tun.
        if (auto s =
                (*socket)->send_to(SocketAddress::ipv4(kRemote, kRemotePort), bytes("to-the-tun"));
            !s) {
            return s.error().message();
        }
        const auto run_until = [&](const std::function<bool()>& done) {
            const Instant end = clock.now() + 10s;
            while (!done() && clock.now() < end) {
                if (!loop.run_once(50ms)) {
                    return false;
                }
            }
            return done();
        };
        if (!run_until([&] { return captured.has_value(); })) {
            return "no UDP packet read from the tun (saw " + std::to_string(packets_seen) +
                   " other packets)";
        }
        if (captured->source != kLocal || captured->destination != kRemote ||
            captured->source_port != (*socket)->local_address().port() ||
            captured->payload != bytes("to-the-tun")) {
            return "packet read from the tun has the wrong addresses or payload";
        }

        // And back in: the kernel must route our injected packet to the socket.
        UdpInIpv4 reply;
        reply.source = kRemote;
        reply.destination = kLocal;
        reply.source_port = kRemotePort;
        reply.destination_port = (*socket)->local_address().port();
        reply.payload = bytes("from-the-tun");
        if (auto w = (*tun)->write_packet(build_udp_in_ipv4(reply)); !w) {
            return w.error().message();
        }
        if (!run_until([&] { return !replies.empty(); })) {
            return "injected packet never reached the socket";
        }
        if (replies[0] != "from-the-tun" ||
            reply_peers[0] != SocketAddress::ipv4(kRemote, kRemotePort)) {
            return "socket got the wrong reply: " + replies[0];
        }
        if ((*tun)->stats().packets_written != 1) {
            return "write not counted";
        }
        return {};
    });
}

}  // namespace
}  // namespace nfv::platform::io
