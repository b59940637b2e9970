#include "setup/key_material.hpp"

#include <chrono>
#include <map>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/platform/testing/seeded_random.hpp"

#include "../proto/openvpn_vectors.hpp"

namespace nfv::vpn::setup {
namespace {

// Files by path; counts the reads so inline material can be shown to need none.
class MapReader final : public config::FileReader {
public:
    std::map<std::string, std::string> files;
    int reads = 0;

    Result<std::string, std::string> read(const std::string& path) override {
        ++reads;
        const auto it = files.find(path);
        if (it == files.end()) {
            return Unexpected(std::string("No such file or directory"));
        }
        return it->second;
    }
};

// A P_CONTROL_HARD_RESET_CLIENT_V2 as OpenVPN sends it (proto/openvpn_vectors.hpp capture).
const std::vector<std::byte> kResetPlain = proto::testdata::bytes(
    {0x38, 0xf4, 0x19, 0xcb, 0x12, 0xd1, 0xf9, 0xe4, 0x8f, 0x00, 0x00, 0x00, 0x00, 0x00});

config::VpnConfig with_key(config::ControlWrap wrap,
                           std::optional<config::KeyDirection> direction) {
    config::VpnConfig config;
    config.cd = "/etc/openvpn/server";
    config.control_key.wrap = wrap;
    config.control_key.key.path = "tc.key";
    config.control_key.key.origin = {"server.conf", 7};
    config.control_key.direction = direction;
    return config;
}

std::vector<std::byte> wrap(proto::ControlWrap& wrap, std::span<const std::byte> plain) {
    std::vector<std::byte> wire(wrap.wire_size(plain));
    const auto written = wrap.wrap(plain, 0x61d3f8e1, wire);
    EXPECT_TRUE(written);
    wire.resize(written.value_or(0));
    return wire;
}

bool unwraps(proto::ControlWrap& wrap, std::span<const std::byte> wire) {
    std::vector<std::byte> plain(wire.size());
    const auto length = wrap.unwrap(wire, platform::Instant{} + std::chrono::seconds(1), plain);
    return length &&
           std::vector(plain.begin(), plain.begin() + static_cast<long>(*length)) == kResetPlain;
}

TEST(KeyMaterial, TlsCryptIsKeyedByRoleSoClientAndServerTalk) {
    MapReader reader;
    reader.files["/etc/openvpn/server/tc.key"] = std::string(proto::testdata::kStaticKeyText);
    const auto config = with_key(config::ControlWrap::kTlsCrypt, std::nullopt);
    auto client = load_control_wrap(config, reader, Role::kClient);
    auto server = load_control_wrap(config, reader, Role::kServer);
    auto other_client = load_control_wrap(config, reader, Role::kClient);
    ASSERT_TRUE(client && server && other_client);
    EXPECT_EQ(server->mode(), proto::WrapMode::kTlsCrypt);
    const auto wire = wrap(*client, kResetPlain);
    EXPECT_TRUE(unwraps(*server, wire)) << "the server reads what the client wrote";
    EXPECT_FALSE(unwraps(*other_client, wire)) << "a client cannot read another client's packet";
}

TEST(KeyMaterial, TlsAuthUsesTheKeyDirections) {
    MapReader reader;
    reader.files["/etc/openvpn/server/tc.key"] = std::string(proto::testdata::kStaticKeyText);
    auto server =
        load_control_wrap(with_key(config::ControlWrap::kTlsAuth, config::KeyDirection::kNormal),
                          reader, Role::kServer);
    auto client =
        load_control_wrap(with_key(config::ControlWrap::kTlsAuth, config::KeyDirection::kInverse),
                          reader, Role::kClient);
    // Another peer with key-direction 1 verifies with the other HMAC half.
    auto also_inverse =
        load_control_wrap(with_key(config::ControlWrap::kTlsAuth, config::KeyDirection::kInverse),
                          reader, Role::kServer);
    ASSERT_TRUE(server && client && also_inverse);
    EXPECT_EQ(server->mode(), proto::WrapMode::kTlsAuth);
    const auto wire = wrap(*client, kResetPlain);
    EXPECT_TRUE(unwraps(*server, wire));
    EXPECT_FALSE(unwraps(*also_inverse, wire)) << "key-direction 1 on both ends does not match";
}

TEST(KeyMaterial, MissingFileErrorNamesDirectivePathAndConfigLine) {
    MapReader reader;
    const auto wrap = load_control_wrap(with_key(config::ControlWrap::kTlsCrypt, std::nullopt),
                                        reader, Role::kServer);
    ASSERT_FALSE(wrap);
    EXPECT_EQ(wrap.error(), "tls-crypt tc.key: No such file or directory (server.conf:7)");
}

TEST(KeyMaterial, NotAStaticKeyIsAnError) {
    MapReader reader;
    reader.files["/etc/openvpn/server/tc.key"] = "-----BEGIN CERTIFICATE-----\n";
    const auto wrap = load_control_wrap(with_key(config::ControlWrap::kTlsCrypt, std::nullopt),
                                        reader, Role::kServer);
    ASSERT_FALSE(wrap);
    EXPECT_EQ(wrap.error(), "tls-crypt: not an OpenVPN static key");
}

TEST(KeyMaterial, TlsCryptV2OnTheServerIsRefusedNotIgnored) {
    MapReader reader;
    const auto wrap = load_control_wrap(with_key(config::ControlWrap::kTlsCryptV2, std::nullopt),
                                        reader, Role::kServer);
    ASSERT_FALSE(wrap);
    EXPECT_NE(wrap.error().find("tls-crypt-v2"), std::string::npos) << wrap.error();
    EXPECT_EQ(reader.reads, 0);
}

TEST(KeyMaterial, InlineMaterialNeedsNoFileAndPathsFollowCd) {
    MapReader reader;
    config::VpnConfig config;
    config.cd = "/etc/openvpn";
    config::FileOrInline source;
    source.is_inline = true;
    source.inline_text = "inline text";
    EXPECT_EQ(read_material(config, source, "ca", reader).value_or(""), "inline text");
    EXPECT_EQ(reader.reads, 0);
    EXPECT_EQ(resolve_path(config, "ca.crt"), "/etc/openvpn/ca.crt");
    EXPECT_EQ(resolve_path(config, "/abs/ca.crt"), "/abs/ca.crt");
    config.cd.clear();
    EXPECT_EQ(resolve_path(config, "ca.crt"), "ca.crt");
}

// A hard reset wrapped as `client_config` says, judged by the cookie listener of `server_config`.
session::FirstPacketVerdict listener_verdict(const config::VpnConfig& server_config,
                                             const config::VpnConfig& client_config) {
    MapReader reader;
    reader.files["/etc/openvpn/server/tc.key"] = std::string(proto::testdata::kStaticKeyText);
    auto client = load_control_wrap(client_config, reader, Role::kClient);
    auto listener = load_listener_auth(server_config, reader);
    EXPECT_TRUE(client && listener);
    if (!client || !listener) {
        return session::FirstPacketVerdict::kDrop;
    }
    platform::testing::SeededRandom random(7);
    auto cookie = session::ResetCookie::create(random).value();
    const std::vector<std::byte> from{std::byte{192}, std::byte{0}, std::byte{2}, std::byte{1}};
    const auto wire = wrap(*client, kResetPlain);
    return session::handle_first_packet(wire, from, *listener, cookie,
                                        {platform::Instant{}, 0x61d3f8e1})
        .verdict;
}

TEST(KeyMaterial, ListenerAuthAnswersAResetWrappedWithTheSameKeyOnly) {
    using config::ControlWrap;
    using config::KeyDirection;
    using session::FirstPacketVerdict;
    EXPECT_EQ(listener_verdict(with_key(ControlWrap::kTlsCrypt, std::nullopt),
                               with_key(ControlWrap::kTlsCrypt, std::nullopt)),
              FirstPacketVerdict::kReply);
    EXPECT_EQ(listener_verdict(with_key(ControlWrap::kTlsAuth, KeyDirection::kNormal),
                               with_key(ControlWrap::kTlsAuth, KeyDirection::kInverse)),
              FirstPacketVerdict::kReply);
    EXPECT_EQ(listener_verdict(with_key(ControlWrap::kTlsAuth, KeyDirection::kNormal),
                               with_key(ControlWrap::kTlsAuth, KeyDirection::kNormal)),
              FirstPacketVerdict::kDrop)
        << "both ends with key-direction 0";
    EXPECT_EQ(listener_verdict(with_key(ControlWrap::kTlsCrypt, std::nullopt),
                               with_key(ControlWrap::kTlsAuth, KeyDirection::kInverse)),
              FirstPacketVerdict::kDrop)
        << "tls-auth packet at a tls-crypt server";
}

TEST(KeyMaterial, ListenerAuthRejectsAStaticKeyAsTlsCryptV2ServerKey) {
    MapReader reader;
    reader.files["/etc/openvpn/server/tc.key"] = std::string(proto::testdata::kStaticKeyText);
    const auto listener =
        load_listener_auth(with_key(config::ControlWrap::kTlsCryptV2, std::nullopt), reader);
    ASSERT_FALSE(listener);
    EXPECT_NE(listener.error().find("tls-crypt-v2 server key"), std::string::npos)
        << listener.error();
}

TEST(KeyMaterial, NoWrappingGivesAPlainWrap) {
    MapReader reader;
    const auto wrap = load_control_wrap(config::VpnConfig{}, reader, Role::kServer);
    ASSERT_TRUE(wrap);
    EXPECT_EQ(wrap->mode(), proto::WrapMode::kNone);
}

}  // namespace
}  // namespace nfv::vpn::setup
