// Fuzz target: the server side of a connection fed with untrusted datagrams. Input: records of
// [kind u8][length u16 big-endian][bytes]; kind % 4: 0 = a datagram from an unknown address
// (handle_first_packet, no wrapping), 1 = a control packet for the ServerSession, 2 = a data
// packet for it, 3 = `length` milliseconds pass (then on_timer). TLS is the test-only FakeTls
// so that inputs reach key-method 2, peer-info, PUSH_REQUEST and the data channel; seeds are a
// recorded client conversation (tests/apps/vpn/session/reset_cookie_test.cpp, WriteFuzzSeeds).
// Properties: no crash or out-of-bounds access; the stateless reset reply is never more than
// 12 bytes longer than what provoked it (no amplification); the session never emits a control
// datagram larger than the control MTU.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>
#include <vector>

#include "nfv/platform/testing/seeded_random.hpp"

#include "fake_tls.hpp"
#include "session/reset_cookie.hpp"
#include "session/server_session.hpp"

namespace {

namespace session = nfv::vpn::session;
namespace proto = nfv::vpn::proto;
using nfv::platform::Instant;

session::ServerSessionConfig server_config() {
    session::ServerSessionConfig c;
    c.options_string = "V4,dev-type tun,link-mtu 1549,tun-mtu 1500,proto UDPv4,tls-server";
    c.make_tls = []() -> nfv::Result<std::unique_ptr<session::TlsStream>, std::string> {
        return std::unique_ptr<session::TlsStream>(
            std::make_unique<session::testing::FakeTls>(false));
    };
    c.push.options = {"topology subnet", "route-gateway 10.8.0.1"};
    c.push.ifconfig = {nfv::net::Ipv4Address({10, 8, 0, 2}),
                       nfv::net::Ipv4Address({255, 255, 255, 0})};
    c.ping = std::chrono::seconds(10);
    c.ping_restart = std::chrono::seconds(60);
    c.reneg_interval = std::chrono::seconds(30);
    return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = std::as_bytes(std::span(data, size));
    nfv::platform::testing::SeededRandom random(1);
    auto cookie = session::ResetCookie::create(random).value();
    session::ListenerAuth auth;
    session::Now now{Instant{std::chrono::seconds(1000)}, 1'700'000'000};
    session::ServerSession server(server_config(), random, now);
    const std::array<std::byte, 6> address{};

    std::size_t at = 0;
    while (at + 3 <= input.size()) {
        const auto kind = std::to_integer<unsigned>(input[at]) % 4;
        const std::size_t length = (std::to_integer<std::size_t>(input[at + 1]) << 8U) |
                                   std::to_integer<std::size_t>(input[at + 2]);
        at += 3;
        const auto bytes = input.subspan(at, std::min(length, input.size() - at));
        at += bytes.size();
        std::vector<std::byte> packet(bytes.begin(), bytes.end());
        switch (kind) {
            case 0: {
                const auto r = session::handle_first_packet(packet, address, auth, cookie, now);
                if (r.reply.size() > packet.size() + 12) {
                    std::abort();  // amplification
                }
                break;
            }
            case 1:
                server.on_control_packet(packet, now);
                break;
            case 2:
                (void)server.decrypt(packet, now);
                break;
            default:
                now.mono += std::chrono::milliseconds(length);
                now.unix_seconds += static_cast<std::uint32_t>(length / 1000);
                server.on_timer(now);
                break;
        }
        while (auto out = server.poll_transmit(now)) {
            const auto op = proto::parse_opcode_byte(std::to_integer<std::uint8_t>((*out)[0]));
            if (!op || (proto::is_control(op->opcode) && out->size() > proto::kDefaultTlsMtu)) {
                std::abort();
            }
        }
        while (server.poll_event()) {
        }
    }
    return 0;
}
