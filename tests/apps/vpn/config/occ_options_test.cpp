#include "config/occ_options.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace nfv::vpn::config {
namespace {

// The config as `openvpn --config PATH --dev null` parses it (how the expected strings were
// captured: openvpn 2.6.14 --verb 7, "Local Options String" / "Expected Remote Options String").
VpnConfig load(const std::string& path) {
    DiskFileReader reader;
    const std::vector<std::string> args{"--config", path, "--dev", "null"};
    auto directives = load_command_line(args, reader);
    EXPECT_TRUE(directives) << directives.error().to_string();
    ParsedConfig parsed = parse_vpn_config(*directives);
    EXPECT_TRUE(parsed.diagnostics.ok());
    return parsed.config;
}

VpnConfig from_text(std::string_view text) {
    auto directives = lex_config(text, "t");
    EXPECT_TRUE(directives);
    return parse_vpn_config(*directives).config;
}

TEST(OccOptions, ClientDefaultsMatchOpenVpn) {
    const VpnConfig config = from_text("client\nremote h\nca c\ncert c\nkey k\n");
    EXPECT_EQ(occ_options_string(config, false),
              "V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 128,"
              "key-method 2,tls-client");
    EXPECT_EQ(occ_options_string(config, true),
              "V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 128,"
              "key-method 2,tls-server");
}

TEST(OccOptions, NyrClientMatchesOpenVpn) {
    EXPECT_EQ(occ_options_string(load("configs/vpn/nyr/client.ovpn"), false),
              "V4,dev-type null,link-mtu 1585,tun-mtu 1500,proto UDPv4,auth SHA512,keysize 128,"
              "key-method 2,tls-client");
}

TEST(OccOptions, AeadCipherInDataCiphersIsListedWithNullDigest) {
    EXPECT_EQ(occ_options_string(load("configs/vpn/angristan/client.ovpn"), false),
              "V4,dev-type null,link-mtu 1549,tun-mtu 1500,proto UDPv4,cipher AES-128-GCM,"
              "auth [null-digest],keysize 128,key-method 2,tls-client");
    EXPECT_EQ(occ_options_string(load("configs/vpn/angristan/client-chacha20.ovpn"), false),
              "V4,dev-type null,link-mtu 1534,tun-mtu 1500,proto UDPv4,cipher CHACHA20-POLY1305,"
              "auth [null-digest],keysize 256,key-method 2,tls-client");
}

TEST(OccOptions, CbcWithTlsAuthAndKeyDirection) {
    // cipher AES-256-CBC is not in the default data-ciphers: not listed, but it sizes link-mtu.
    const VpnConfig pivpn = load("configs/vpn/pivpn/client.ovpn");
    EXPECT_EQ(occ_options_string(pivpn, false),
              "V4,dev-type null,link-mtu 1569,tun-mtu 1500,proto UDPv4,keydir 1,auth SHA256,"
              "keysize 256,tls-auth,key-method 2,tls-client");
    EXPECT_EQ(occ_options_string(pivpn, true),
              "V4,dev-type null,link-mtu 1569,tun-mtu 1500,proto UDPv4,keydir 0,auth SHA256,"
              "keysize 256,tls-auth,key-method 2,tls-server");
    EXPECT_EQ(occ_options_string(load("configs/vpn/pivpn/client-legacy-cbc.ovpn"), false),
              "V4,dev-type null,link-mtu 1569,tun-mtu 1500,proto UDPv4,keydir 1,"
              "cipher AES-256-CBC,auth SHA256,keysize 256,tls-auth,key-method 2,tls-client");
}

TEST(OccOptions, TcpAddsLengthFieldAndMirrorsClientServer) {
    const VpnConfig config = from_text("client\nremote h\nproto tcp\nca c\ncert c\nkey k\n");
    EXPECT_EQ(occ_link_mtu(config), 1543U);
    EXPECT_NE(occ_options_string(config, false).find("proto TCPv4_CLIENT"), std::string::npos);
    EXPECT_NE(occ_options_string(config, true).find("proto TCPv4_SERVER"), std::string::npos);
}

TEST(OccOptions, CompressionStubAddsFramingByteAndFlag) {
    const VpnConfig config = from_text("client\nremote h\ncomp-lzo no\nca c\ncert c\nkey k\n");
    EXPECT_EQ(occ_link_mtu(config), 1542U);
    EXPECT_NE(occ_options_string(config, false).find(",comp-lzo,"), std::string::npos);
}

TEST(OccOptions, ServerSaysTlsServer) {
    const VpnConfig config =
        from_text("server 10.8.0.0 255.255.255.0\nca c\ncert c\nkey k\ncipher AES-256-GCM\n");
    EXPECT_EQ(occ_options_string(config, false),
              "V4,dev-type tun,link-mtu 1549,tun-mtu 1500,proto UDPv4,cipher AES-256-GCM,"
              "auth [null-digest],keysize 256,key-method 2,tls-server");
}

}  // namespace
}  // namespace nfv::vpn::config
