#include "proto/control_wrap.hpp"

#include <chrono>
#include <vector>

#include <gtest/gtest.h>

#include "openvpn_vectors.hpp"
#include "proto/packet.hpp"

namespace nfv::vpn::proto {
namespace {

constexpr std::uint32_t kWallSeconds = 0x61d3f8e1;

StaticKey test_key() {
    return StaticKey::parse(testdata::kStaticKeyText).value();
}

const std::vector<std::byte> kResetPlain = testdata::bytes(
    {0x38, 0xf4, 0x19, 0xcb, 0x12, 0xd1, 0xf9, 0xe4, 0x8f, 0x00, 0x00, 0x00, 0x00, 0x00});

platform::Instant at(int seconds) {
    return platform::Instant{} + std::chrono::seconds(seconds);
}

struct Pair {
    ControlWrap client;
    ControlWrap server;
};

Pair tls_crypt_pair() {
    return {ControlWrap(TlsCrypt::create(test_key(), false).value(), {}),
            ControlWrap(TlsCrypt::create(test_key(), true).value(), {})};
}

Pair tls_auth_pair() {
    return {ControlWrap(TlsAuth::create(test_key(), KeyDirection::kInverse).value(), {}),
            ControlWrap(TlsAuth::create(test_key(), KeyDirection::kNormal).value(), {})};
}

std::vector<std::byte> wrap(ControlWrap& wrap, std::span<const std::byte> plain) {
    std::vector<std::byte> wire(plain.size() + wrap.overhead());
    const auto written = wrap.wrap(plain, kWallSeconds, wire);
    EXPECT_TRUE(written);
    wire.resize(written.value_or(0));
    return wire;
}

TEST(ControlWrap, TlsCryptFirstPacketMatchesOpenVpnBytes) {
    auto pair = tls_crypt_pair();
    EXPECT_EQ(pair.client.mode(), WrapMode::kTlsCrypt);
    // The first id is 1 with the time of the first send, as in OpenVPN's capture.
    EXPECT_EQ(wrap(pair.client, kResetPlain), testdata::client_reset_v2_tls_crypt());
    EXPECT_EQ(pair.client.last_sent_id(), 1u);
}

TEST(ControlWrap, RoundTripsInBothModesAndBothDirections) {
    for (auto* make : {&tls_crypt_pair, &tls_auth_pair}) {
        auto pair = make();
        for (int i = 0; i < 3; ++i) {
            const auto wire = wrap(pair.client, kResetPlain);
            std::vector<std::byte> plain(wire.size());
            const auto size = pair.server.unwrap(wire, at(i), plain);
            ASSERT_TRUE(size);
            plain.resize(*size);
            EXPECT_EQ(plain, kResetPlain);

            const auto back = wrap(pair.server, kResetPlain);
            std::vector<std::byte> plain_back(back.size());
            ASSERT_TRUE(pair.client.unwrap(back, at(i), plain_back));
        }
    }
}

TEST(ControlWrap, ReplayedPacketIsRejectedAfterAuthentication) {
    for (auto* make : {&tls_crypt_pair, &tls_auth_pair}) {
        auto pair = make();
        const auto wire = wrap(pair.client, kResetPlain);
        std::vector<std::byte> plain(wire.size());
        ASSERT_TRUE(pair.server.unwrap(wire, at(0), plain));
        const auto again = pair.server.unwrap(wire, at(1), plain);
        ASSERT_FALSE(again);
        EXPECT_EQ(again.error(), WrapError::kReplay);
    }
}

TEST(ControlWrap, ForgedPacketDoesNotMoveTheReplayWindow) {
    auto pair = tls_crypt_pair();
    const auto first = wrap(pair.client, kResetPlain);
    const auto second = wrap(pair.client, kResetPlain);
    // A forgery of the second packet fails authentication ...
    auto forged = second;
    forged.back() ^= std::byte{1};
    std::vector<std::byte> plain(second.size());
    const auto rejected = pair.server.unwrap(forged, at(0), plain);
    ASSERT_FALSE(rejected);
    EXPECT_EQ(rejected.error(), WrapError::kAuthFailed);
    // ... and leaves both genuine packets acceptable, in either order.
    EXPECT_TRUE(pair.server.unwrap(second, at(0), plain));
    EXPECT_TRUE(pair.server.unwrap(first, at(0), plain));
}

TEST(ControlWrap, WrongKeyFailsAuthentication) {
    auto client = ControlWrap(TlsCrypt::create(test_key(), false).value(), {});
    // A server that (wrongly) uses the client role has swapped directions.
    auto confused = ControlWrap(TlsCrypt::create(test_key(), false).value(), {});
    const auto wire = wrap(client, kResetPlain);
    std::vector<std::byte> plain(wire.size());
    const auto result = confused.unwrap(wire, at(0), plain);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), WrapError::kAuthFailed);
}

TEST(ControlWrap, PlainModeCopiesAndRejectsDataOpcodes) {
    ControlWrap plain_wrap;
    EXPECT_EQ(plain_wrap.mode(), WrapMode::kNone);
    EXPECT_EQ(plain_wrap.overhead(), 0u);
    const auto wire = wrap(plain_wrap, kResetPlain);
    EXPECT_EQ(wire, kResetPlain);
    std::vector<std::byte> out(wire.size());
    ASSERT_TRUE(plain_wrap.unwrap(wire, at(0), out));
    EXPECT_EQ(out, kResetPlain);

    const std::vector<std::byte> data = testdata::bytes({0x48, 0, 0, 1});  // P_DATA_V2
    const auto rejected = plain_wrap.unwrap(data, at(0), out);
    ASSERT_FALSE(rejected);
    EXPECT_EQ(rejected.error(), WrapError::kBadOpcode);
    EXPECT_FALSE(plain_wrap.unwrap({}, at(0), out));
}

TEST(ControlWrap, ShortOutputIsAnErrorNotAnOverflow) {
    auto pair = tls_auth_pair();
    std::vector<std::byte> small(kResetPlain.size());
    const auto result = pair.client.wrap(kResetPlain, kWallSeconds, small);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), WrapError::kBufferTooSmall);
}

TEST(ControlWrap, TruncatedWirePacketIsRejected) {
    auto pair = tls_crypt_pair();
    const auto wire = wrap(pair.client, kResetPlain);
    std::vector<std::byte> plain(wire.size());
    for (std::size_t n = 0; n < wire.size(); ++n) {
        EXPECT_FALSE(pair.server.unwrap(std::span(wire).first(n), at(0), plain)) << n;
    }
}

TEST(ControlWrap, DynamicTlsCryptWrapsRenegotiationsOnly) {
    // ssl_pkt.h tls_session_get_tls_wrap: key_id 0 keeps the configured wrapping (tls-auth
    // here), key_id > 0 uses the dynamic tls-crypt key once it is enabled on both sides.
    auto pair = tls_auth_pair();
    pair.client.set_original_key(test_key());
    pair.server.set_original_key(test_key());
    std::array<std::byte, kStaticKeySize> exported{};
    for (std::size_t i = 0; i < exported.size(); ++i) {
        exported[i] = static_cast<std::byte>(i * 7);
    }
    auto soft_reset = kResetPlain;
    soft_reset[0] = std::byte{(3 << 3) | 1};  // P_CONTROL_SOFT_RESET_V1, key_id 1
    const auto tls_auth_overhead = pair.client.overhead();
    EXPECT_EQ(pair.client.overhead(1), tls_auth_overhead);
    ASSERT_TRUE(pair.client.enable_dynamic_tls_crypt(exported, /*is_server=*/false));
    EXPECT_TRUE(pair.client.dynamic_tls_crypt());
    EXPECT_EQ(pair.client.overhead(0), tls_auth_overhead);
    EXPECT_EQ(pair.client.overhead(1), kTlsCryptOverhead);

    std::vector<std::byte> wire(pair.client.wire_size(soft_reset));
    EXPECT_EQ(wire.size(), soft_reset.size() + kTlsCryptOverhead);
    ASSERT_TRUE(pair.client.wrap(soft_reset, kWallSeconds, wire));
    std::vector<std::byte> plain(wire.size());
    // A server without the dynamic key cannot read it ...
    EXPECT_FALSE(pair.server.unwrap(wire, at(0), plain));
    // ... one with it can, and key_id 0 still goes through tls-auth.
    ASSERT_TRUE(pair.server.enable_dynamic_tls_crypt(exported, /*is_server=*/true));
    const auto size = pair.server.unwrap(wire, at(0), plain);
    ASSERT_TRUE(size);
    plain.resize(*size);
    EXPECT_EQ(plain, soft_reset);
    EXPECT_EQ(pair.server.unwrap(wire, at(0), plain).error(), WrapError::kReplay);
    const auto initial = wrap(pair.client, kResetPlain);
    EXPECT_EQ(initial.size(), kResetPlain.size() + tls_auth_overhead);
    std::vector<std::byte> initial_plain(initial.size());
    EXPECT_TRUE(pair.server.unwrap(initial, at(0), initial_plain));
    // The dynamic key is XORed with the original key: a side with another original fails.
    auto stranger = tls_auth_pair();
    ASSERT_TRUE(stranger.server.enable_dynamic_tls_crypt(exported, true));
    std::vector<std::byte> second(pair.client.wire_size(soft_reset));
    ASSERT_TRUE(pair.client.wrap(soft_reset, kWallSeconds, second));
    EXPECT_EQ(stranger.server.unwrap(second, at(0), plain).error(), WrapError::kAuthFailed);
}

}  // namespace
}  // namespace nfv::vpn::proto
