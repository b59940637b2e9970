#include "config/peer_info.hpp"

#include <string>

#include <gtest/gtest.h>

namespace nfv::vpn::config {
namespace {

VpnConfig from_text(std::string_view text) {
    auto directives = lex_config(text, "t");
    EXPECT_TRUE(directives);
    return parse_vpn_config(*directives).config;
}

// What openvpn 2.6.14 (Debian) announces as a pulling client with default settings: IV_PROTO
// 990 = DATA_V2, REQUEST_PUSH, TLS_KEY_EXPORT, AUTH_PENDING_KW, DNS_OPTION, CC_EXIT_NOTIFY,
// AUTH_FAIL_TEMP, DYN_TLS_CRYPT.
constexpr std::string_view kOpenVpnClientPeerInfo =
    "IV_VER=2.6.14\nIV_PLAT=linux\nIV_TCPNL=1\nIV_MTU=1600\nIV_NCP=2\n"
    "IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\nIV_PROTO=990\nIV_LZO_STUB=1\n"
    "IV_COMP_STUB=1\nIV_COMP_STUBv2=1\n";

TEST(PeerInfo, SameCapabilitiesGiveOpenVpnsText) {
    PeerInfoCapabilities all;
    all.data_v2 = all.request_push = all.tls_key_export = all.auth_pending_kw = true;
    all.dns_option = all.cc_exit_notify = all.auth_fail_temp = all.dyn_tls_crypt = true;
    all.compression_stubs = true;
    const VpnConfig config = from_text("client\nremote h\n");
    EXPECT_EQ(build_peer_info(peer_info_params(config, all)), kOpenVpnClientPeerInfo);
}

TEST(PeerInfo, IvProtoHasOnlyTheCapabilitiesGiven) {
    PeerInfoCapabilities some;
    some.request_push = some.tls_key_export = some.cc_exit_notify = true;
    EXPECT_EQ(some.iv_proto(), 140U);  // what MirageVPN announces (bits 2, 3, 7)
    const std::string text = build_peer_info(peer_info_params(from_text("client\n"), some));
    EXPECT_NE(text.find("IV_PROTO=140\n"), std::string::npos);
    EXPECT_EQ(text.find("IV_LZO_STUB"), std::string::npos);
}

TEST(PeerInfo, NcpNeedsBothAesGcmCiphers) {
    // openvpn 2.6.14 with data-ciphers AES-256-CBC sends IV_CIPHERS=AES-256-CBC and no IV_NCP.
    const VpnConfig config = from_text("client\ndata-ciphers AES-256-CBC\ntun-mtu 1400\n");
    const std::string text = build_peer_info(peer_info_params(config, {}));
    EXPECT_EQ(text.find("IV_NCP"), std::string::npos);
    EXPECT_NE(text.find("IV_CIPHERS=AES-256-CBC\n"), std::string::npos);
    EXPECT_NE(text.find("IV_MTU=1500\n"), std::string::npos);
}

TEST(PeerInfo, ExtraVariablesFromSetenv) {
    const VpnConfig config = from_text("client\nsetenv UV_ID abc\nsetenv OTHER x\n");
    const std::string text = build_peer_info(peer_info_params(config, {}));
    EXPECT_NE(text.find("\nUV_ID=abc\n"), std::string::npos);
    EXPECT_EQ(text.find("OTHER"), std::string::npos);
}

TEST(ParsePeerInfo, ReadsWhatOpenVpnSends) {
    const auto info = parse_peer_info(kOpenVpnClientPeerInfo);
    ASSERT_TRUE(info) << info.error();
    EXPECT_EQ(info->iv_proto, 990U);
    EXPECT_EQ(info->iv_ncp, 2U);
    EXPECT_EQ(info->mtu, 1600U);
    EXPECT_EQ(info->version, "2.6.14");
    EXPECT_EQ(info->platform, "linux");
    EXPECT_EQ(info->ciphers,
              (std::vector<std::string>{"AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"}));
    EXPECT_EQ(info->get("IV_COMP_STUBv2"), "1");
    EXPECT_FALSE(info->get("IV_SSO"));
}

TEST(ParsePeerInfo, RejectsMalformedAndOversizedInput) {
    EXPECT_FALSE(parse_peer_info("IV_PROTO=abc\n"));
    EXPECT_FALSE(parse_peer_info("no equals sign\n"));
    EXPECT_FALSE(parse_peer_info("IV VER=1\n"));
    EXPECT_FALSE(parse_peer_info("IV_VER=\x01\n"));
    EXPECT_FALSE(parse_peer_info(std::string(kMaxPeerInfoSize + 1, 'A')));
    std::string many;
    for (std::size_t i = 0; i <= kMaxPeerInfoVariables; ++i) {
        many += "UV_" + std::to_string(i) + "=x\n";
    }
    EXPECT_FALSE(parse_peer_info(many));
}

}  // namespace
}  // namespace nfv::vpn::config
