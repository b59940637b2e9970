// ClientSession with tls-crypt-v2: the V3 reset with the WKc, the early-negotiation packet id
// and the server's request to resend the WKc (OpenVPN 2.6 ssl.c tls_session_init,
// parse_early_negotiation_tlvs, control_packet_needs_wkc; ssl_pkt.c tls_reset_standalone).
#include <gtest/gtest.h>

#include "nfv/platform/testing/seeded_random.hpp"

#include "../proto/openvpn_tls_crypt_v2_vectors.hpp"
#include "../proto/openvpn_vectors.hpp"
#include "fake_tls.hpp"
#include "proto/tls_crypt_v2.hpp"
#include "session/client_session.hpp"

namespace nfv::vpn::session {
namespace {

using proto::Opcode;

// The server half of the exchange, played by hand: it unwraps the WKc with the server key
// (as OpenVPN's tls_crypt_v2_extract_client_key does) and answers with its own reset.
class V2Server {
public:
    V2Server()
        : server_key_(
              proto::TlsCryptV2ServerKey::parse(proto::testdata::kTlsCryptV2ServerKey).value()) {}

    struct Seen {
        proto::ReplayId replay_id;
        std::vector<std::byte> plain;
        bool had_wkc = false;
    };

    // Splits `wire` into the tls-crypt packet and an appended WKc (if the opcode carries one),
    // unwraps both and returns the plain control packet.
    Seen receive(std::span<const std::byte> wire) {
        Seen seen;
        const auto op = proto::parse_opcode_byte(std::to_integer<std::uint8_t>(wire[0]));
        EXPECT_TRUE(op);
        std::span<const std::byte> packet = wire;
        if (op && (op->opcode == Opcode::kControlHardResetClientV3 ||
                   op->opcode == Opcode::kControlWkcV1)) {
            // The WKc ends with its own length (tls_crypt_v2_extract_client_key reads it there).
            const auto n = wire.size();
            const std::size_t wkc_size = (std::to_integer<std::size_t>(wire[n - 2]) << 8U) |
                                         std::to_integer<std::size_t>(wire[n - 1]);
            EXPECT_LT(wkc_size, n);
            const auto unwrapped = server_key_.unwrap(wire.last(wkc_size));
            EXPECT_TRUE(unwrapped);
            if (unwrapped && !crypt_) {
                crypt_.emplace(
                    proto::TlsCrypt::create(proto::StaticKey(unwrapped->key), true).value());
            }
            packet = wire.first(n - wkc_size);
            seen.had_wkc = true;
        }
        EXPECT_TRUE(crypt_) << "no WKc seen yet: the server cannot have the client key";
        if (!crypt_) {
            return seen;
        }
        std::vector<std::byte> plain(packet.size());
        const auto opened = crypt_->unwrap(packet, plain);
        EXPECT_TRUE(opened);
        if (opened) {
            plain.resize(opened->size);
            seen.replay_id = opened->replay_id;
            seen.plain = std::move(plain);
        }
        return seen;
    }

    // HARD_RESET_SERVER_V2 acking the client's message 0, with `payload` (TLVs or empty).
    std::vector<std::byte> reset(const proto::SessionId& client_sid,
                                 std::span<const std::byte> payload) {
        proto::ControlPacket packet;
        packet.opcode = Opcode::kControlHardResetServerV2;
        packet.key_id = 0;
        packet.session_id = kServerSid;
        EXPECT_TRUE(packet.acks.push(0));
        packet.remote_session_id = client_sid;
        packet.message_id = 0;
        packet.payload = payload;
        std::vector<std::byte> plain(proto::wire_size(packet));
        EXPECT_TRUE(proto::serialize(packet, plain));
        std::vector<std::byte> wire(plain.size() + proto::kTlsCryptOverhead);
        EXPECT_TRUE(crypt_->wrap(plain, proto::ReplayId{1, 1700000000}, wire));
        return wire;
    }

    static constexpr proto::SessionId kServerSid = {std::byte{0x5e}, std::byte{1}, std::byte{2},
                                                    std::byte{3},    std::byte{4}, std::byte{5},
                                                    std::byte{6},    std::byte{7}};

private:
    proto::TlsCryptV2ServerKey server_key_;
    std::optional<proto::TlsCrypt> crypt_;
};

class ClientSessionTlsCryptV2Test : public ::testing::Test {
protected:
    ClientSessionTlsCryptV2Test()
        : client_key_(
              proto::TlsCryptV2ClientKey::parse(proto::testdata::kTlsCryptV2ClientKey).value()) {}

    ClientSessionConfig config() {
        ClientSessionConfig c;
        const auto wkc = client_key_.wkc();
        c.wrap = proto::ControlWrap(proto::TlsCrypt::create(client_key_.key(), false).value(), {},
                                    {wkc.begin(), wkc.end()});
        c.local_session_id = kClientSid;
        c.options_string = "V4,dev-type tun,tls-client";
        c.make_tls = []() -> Result<std::unique_ptr<TlsStream>, std::string> {
            return std::unique_ptr<TlsStream>(std::make_unique<testing::FakeTls>(true));
        };
        return c;
    }

    static Now now() { return {platform::Instant{}, 1700000000}; }

    static constexpr proto::SessionId kClientSid = {std::byte{0xc1}, std::byte{2}, std::byte{3},
                                                    std::byte{4},    std::byte{5}, std::byte{6},
                                                    std::byte{7},    std::byte{8}};

    proto::TlsCryptV2ClientKey client_key_;
    platform::testing::SeededRandom random_{7};
};

TEST_F(ClientSessionTlsCryptV2Test, SendsV3ResetWithWkcAndEarlyNegotiationPacketId) {
    ClientSession client(config(), random_, now());
    const auto first = client.poll_transmit(now());
    ASSERT_TRUE(first);
    // opcode 10 << 3, key id 0; the WKc is the last bytes, unchanged.
    EXPECT_EQ((*first)[0], std::byte{0x50});
    ASSERT_GT(first->size(), client_key_.wkc().size());
    EXPECT_TRUE(std::equal(client_key_.wkc().begin(), client_key_.wkc().end(),
                           first->end() - static_cast<std::ptrdiff_t>(client_key_.wkc().size())));
    EXPECT_EQ(first->size(), 14 + proto::kTlsCryptOverhead + client_key_.wkc().size());

    V2Server server;
    const auto seen = server.receive(*first);
    EXPECT_TRUE(seen.had_wkc);
    // EARLY_NEG_START marks support for early negotiation (EARLY_NEG_MASK 0xff000000).
    EXPECT_EQ(seen.replay_id.id & 0xff000000U, proto::kEarlyNegStart);
    const auto packet = proto::parse_control_packet(seen.plain);
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->opcode, Opcode::kControlHardResetClientV3);
    EXPECT_EQ(packet->message_id, 0U);
    EXPECT_TRUE(packet->payload.empty());
}

TEST_F(ClientSessionTlsCryptV2Test, ResendsWkcWithFirstControlPacketWhenServerAsks) {
    ClientSession client(config(), random_, now());
    V2Server server;
    (void)server.receive(client.poll_transmit(now()).value());
    ASSERT_FALSE(client.poll_transmit(now()));

    // The stateless 2.6 server's reset: TLV EARLY_NEG_FLAGS (1), length 2, RESEND_WKC (1).
    const auto tlv = proto::testdata::bytes({0x00, 0x01, 0x00, 0x02, 0x00, 0x01});
    client.on_control_packet(server.reset(kClientSid, tlv), now());
    EXPECT_EQ(client.state(), SessionState::kTlsHandshake);

    const auto next = client.poll_transmit(now());
    ASSERT_TRUE(next);
    EXPECT_EQ((*next)[0], std::byte{0x58});  // P_CONTROL_WKC_V1, key id 0
    const auto seen = server.receive(*next);
    EXPECT_TRUE(seen.had_wkc);
    const auto packet = proto::parse_control_packet(seen.plain);
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->opcode, Opcode::kControlWkcV1);
    EXPECT_EQ(packet->message_id, 1U);
    ASSERT_EQ(packet->acks.count, 1U);  // acks the server reset and echoes its session id
    EXPECT_EQ(packet->remote_session_id, V2Server::kServerSid);
    EXPECT_FALSE(packet->payload.empty());  // the TLS client hello travels in it
    EXPECT_GT(seen.replay_id.id, proto::kEarlyNegStart);
}

TEST_F(ClientSessionTlsCryptV2Test, SendsPlainControlWhenServerDoesNotAsk) {
    // A server keeping state (TCP, or allow-noncookie without the cookie path) sends an empty
    // reset payload; then the WKc is not repeated.
    ClientSession client(config(), random_, now());
    V2Server server;
    (void)server.receive(client.poll_transmit(now()).value());
    client.on_control_packet(server.reset(kClientSid, {}), now());
    const auto next = client.poll_transmit(now());
    ASSERT_TRUE(next);
    EXPECT_EQ((*next)[0], std::byte{0x20});  // P_CONTROL_V1, key id 0
    const auto seen = server.receive(*next);
    EXPECT_FALSE(seen.had_wkc);
    const auto packet = proto::parse_control_packet(seen.plain);
    ASSERT_TRUE(packet);
    EXPECT_EQ(packet->opcode, Opcode::kControlV1);
    EXPECT_EQ(packet->message_id, 1U);
}

TEST_F(ClientSessionTlsCryptV2Test, UnknownTlvIsSkippedAndMalformedTlvFails) {
    {
        ClientSession client(config(), random_, now());
        V2Server server;
        (void)server.receive(client.poll_transmit(now()).value());
        // An unknown type (0x7777, 3 bytes) before the flags is skipped.
        const auto tlvs = proto::testdata::bytes(
            {0x77, 0x77, 0x00, 0x03, 0xaa, 0xbb, 0xcc, 0x00, 0x01, 0x00, 0x02, 0x00, 0x01});
        client.on_control_packet(server.reset(kClientSid, tlvs), now());
        const auto next = client.poll_transmit(now());
        ASSERT_TRUE(next);
        EXPECT_EQ((*next)[0], std::byte{0x58});
    }
    {
        ClientSession client(config(), random_, now());
        V2Server server;
        (void)server.receive(client.poll_transmit(now()).value());
        // The flags TLV must be exactly 2 bytes long.
        const auto bad = proto::testdata::bytes({0x00, 0x01, 0x00, 0x01, 0x01});
        client.on_control_packet(server.reset(kClientSid, bad), now());
        EXPECT_EQ(client.state(), SessionState::kFailed);
    }
}

}  // namespace
}  // namespace nfv::vpn::session
