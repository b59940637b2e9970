#include "config/vpn_config.hpp"

#include <string>

#include <gtest/gtest.h>

namespace nfv::vpn::config {
namespace {

ParsedConfig parse_text(std::string_view text) {
    auto lexed = lex_config(text, "c.ovpn");
    EXPECT_TRUE(lexed) << lexed.error().to_string();
    return parse_vpn_config(*lexed);
}

std::string all_errors(const ParsedConfig& parsed) {
    std::string out;
    for (const auto& error : parsed.diagnostics.errors) {
        out += error.to_string() + "\n";
    }
    return out;
}

constexpr std::string_view kClient =
    "client\n"
    "dev tun\n"
    "proto udp\n"
    "remote vpn1.example.com 1194\n"
    "remote vpn2.example.com 443 tcp\n"
    "remote-random\n"
    "resolv-retry infinite\n"
    "nobind\n"
    "persist-key\n"
    "persist-tun\n"
    "remote-cert-tls server\n"
    "verify-x509-name server_abc name\n"
    "auth SHA256\n"
    "auth-nocache\n"
    "cipher AES-128-GCM\n"
    "data-ciphers AES-128-GCM:chacha20-poly1305\n"
    "tls-version-min 1.2\n"
    "connect-retry 5 60\n"
    "keepalive 10 120\n"
    "explicit-exit-notify\n"
    "verb 3\n"
    "<ca>\nCA\n</ca>\n<cert>\nC\n</cert>\n<key>\nK\n</key>\n"
    "<tls-crypt>\nTC\n</tls-crypt>\n";

TEST(VpnConfig, ParsesATypicalInstallerClient) {
    const ParsedConfig parsed = parse_text(kClient);
    ASSERT_TRUE(parsed.diagnostics.ok()) << all_errors(parsed);
    const VpnConfig& config = parsed.config;
    EXPECT_EQ(config.role, Role::kClient);
    EXPECT_TRUE(config.tls_client);
    EXPECT_TRUE(config.client.pull);
    ASSERT_EQ(config.client.remotes.size(), 2U);
    EXPECT_EQ(config.client.remotes[0].host, "vpn1.example.com");
    EXPECT_EQ(config.client.remotes[0].port, 1194);
    EXPECT_FALSE(config.client.remotes[0].protocol);
    EXPECT_EQ(config.client.remotes[1].protocol, (Protocol{Transport::kTcp, AddressFamily::kAny}));
    EXPECT_EQ(config.client.remotes[1].origin, (Origin{"c.ovpn", 5}));
    EXPECT_TRUE(config.client.remote_random);
    EXPECT_FALSE(config.client.resolv_retry_seconds);
    EXPECT_TRUE(config.client.nobind);
    EXPECT_FALSE(config.bind);
    EXPECT_EQ(config.remote_cert_tls, RemoteCertTls::kServer);
    ASSERT_TRUE(config.verify_x509_name);
    EXPECT_EQ(config.verify_x509_name->type, VerifyX509Name::Type::kName);
    EXPECT_EQ(config.auth, "SHA256");
    EXPECT_EQ(config.cipher, "AES-128-GCM");
    EXPECT_EQ(config.data_ciphers, (std::vector<std::string>{"AES-128-GCM", "CHACHA20-POLY1305"}));
    EXPECT_EQ(config.client.connect_retry_seconds, 5U);
    EXPECT_EQ(config.client.connect_retry_max_seconds, 60U);
    EXPECT_EQ(config.keepalive, std::make_pair(10U, 120U));
    EXPECT_EQ(config.explicit_exit_notify, 1U);
    EXPECT_EQ(config.verb, 3U);
    EXPECT_TRUE(config.ca.is_inline);
    EXPECT_EQ(config.ca.inline_text, "CA\n");
    EXPECT_EQ(config.control_key.wrap, ControlWrap::kTlsCrypt);
    EXPECT_EQ(config.control_key.key.inline_text, "TC\n");
}

TEST(VpnConfig, DefaultsAreOpenVpn26Defaults) {
    const ParsedConfig parsed = parse_text("client\nremote h\nca c\ncert c\nkey k\n");
    ASSERT_TRUE(parsed.diagnostics.ok()) << all_errors(parsed);
    const VpnConfig& config = parsed.config;
    EXPECT_EQ(config.port, 1194);
    EXPECT_EQ(config.protocol, (Protocol{Transport::kUdp, AddressFamily::kAny}));
    EXPECT_EQ(config.data_ciphers,
              (std::vector<std::string>{"AES-256-GCM", "AES-128-GCM", "CHACHA20-POLY1305"}));
    EXPECT_EQ(config.auth, "SHA1");
    EXPECT_EQ(config.tun_mtu, 1500U);
    EXPECT_EQ(config.reneg_sec, 3600U);
    EXPECT_EQ(config.hand_window, 60U);
    EXPECT_EQ(config.compression, Compression::kNotConfigured);
}

TEST(VpnConfig, LaterDirectiveOverridesEarlier) {
    const ParsedConfig parsed =
        parse_text("client\nremote h\nca c\ncert c\nkey k\nverb 3\nverb 5\nport 1\nport 2\n");
    EXPECT_EQ(parsed.config.verb, 5U);
    EXPECT_EQ(parsed.config.port, 2);
}

TEST(VpnConfig, TlsAuthDirectionFromParameterOrKeyDirection) {
    const ParsedConfig own =
        parse_text("client\nremote h\nca c\ncert c\nkey k\ntls-auth ta.key 1\n");
    ASSERT_TRUE(own.diagnostics.ok()) << all_errors(own);
    EXPECT_EQ(own.config.control_key.direction, KeyDirection::kInverse);
    EXPECT_EQ(own.config.control_key.key.path, "ta.key");

    const ParsedConfig inline_key = parse_text(
        "client\nremote h\nca c\ncert c\nkey k\nkey-direction 1\n<tls-auth>\nK\n</tls-auth>\n");
    ASSERT_TRUE(inline_key.diagnostics.ok()) << all_errors(inline_key);
    EXPECT_EQ(inline_key.config.control_key.direction, KeyDirection::kInverse);
    EXPECT_TRUE(inline_key.config.control_key.key.is_inline);
}

TEST(VpnConfig, OnlyOneControlChannelWrapping) {
    const ParsedConfig parsed =
        parse_text("client\nremote h\nca c\ncert c\nkey k\ntls-auth a 1\ntls-crypt b\n");
    ASSERT_EQ(parsed.diagnostics.errors.size(), 1U);
    EXPECT_EQ(parsed.diagnostics.errors[0].line, 7U);
}

TEST(VpnConfig, AuthUserPassPromptIsAnErrorFileAndInlineWork) {
    const ParsedConfig prompt =
        parse_text("client\nremote h\nca c\ncert c\nkey k\nauth-user-pass\n");
    ASSERT_EQ(prompt.diagnostics.errors.size(), 1U);
    EXPECT_EQ(prompt.diagnostics.errors[0].directive, "auth-user-pass");
    EXPECT_EQ(prompt.diagnostics.errors[0].line, 6U);

    const ParsedConfig file =
        parse_text("client\nremote h\nca c\ncert c\nkey k\nauth-user-pass creds.txt\n");
    ASSERT_TRUE(file.diagnostics.ok()) << all_errors(file);
    EXPECT_EQ(file.config.client.auth_user_pass->source, AuthUserPass::Source::kFile);

    const ParsedConfig block = parse_text(
        "client\nremote h\nca c\ncert c\nkey k\n<auth-user-pass>\nuser\npass\n</auth-user-pass>\n");
    ASSERT_TRUE(block.diagnostics.ok()) << all_errors(block);
    EXPECT_EQ(block.config.client.auth_user_pass->credentials.inline_text, "user\npass\n");
}

TEST(VpnConfig, CompressionStubFormsWarnRealCompressionFails) {
    const ParsedConfig stub = parse_text("client\nremote h\nca c\ncert c\nkey k\ncomp-lzo no\n");
    EXPECT_TRUE(stub.diagnostics.ok());
    EXPECT_EQ(stub.config.compression, Compression::kLzoStub);
    EXPECT_EQ(stub.diagnostics.warnings.size(), 1U);

    const ParsedConfig v2 = parse_text("client\nremote h\nca c\ncert c\nkey k\ncompress stub-v2\n");
    EXPECT_TRUE(v2.diagnostics.ok());
    EXPECT_EQ(v2.config.compression, Compression::kStubV2);

    EXPECT_FALSE(parse_text("client\nremote h\nca c\ncert c\nkey k\ncomp-lzo\n").diagnostics.ok());
    EXPECT_FALSE(
        parse_text("client\nremote h\nca c\ncert c\nkey k\ncompress lz4-v2\n").diagnostics.ok());
}

TEST(VpnConfig, RejectsUnsupportedCiphers) {
    const ParsedConfig parsed =
        parse_text("client\nremote h\nca c\ncert c\nkey k\ncipher BF-CBC\n");
    ASSERT_EQ(parsed.diagnostics.errors.size(), 1U);
    EXPECT_EQ(parsed.diagnostics.errors[0].directive, "cipher");
    // An optional ("?") unknown cipher is skipped with a warning.
    const ParsedConfig optional = parse_text(
        "client\nremote h\nca c\ncert c\nkey k\ndata-ciphers AES-256-GCM:?ARIA-256-GCM\n");
    EXPECT_TRUE(optional.diagnostics.ok());
    EXPECT_EQ(optional.config.data_ciphers, (std::vector<std::string>{"AES-256-GCM"}));
}

TEST(VpnConfig, BadValuesNameFileLineAndDirective) {
    const ParsedConfig parsed = parse_text(
        "client\nremote h 99999\nkeepalive 10 5\nproto sctp\nverb x\nremote ok\n"
        "ca c\ncert c\nkey k\n");
    ASSERT_EQ(parsed.diagnostics.errors.size(), 4U) << all_errors(parsed);
    EXPECT_EQ(parsed.diagnostics.errors[0].directive, "remote");
    EXPECT_EQ(parsed.diagnostics.errors[0].line, 2U);
    EXPECT_EQ(parsed.diagnostics.errors[1].directive, "keepalive");
    EXPECT_EQ(parsed.diagnostics.errors[2].directive, "proto");
    EXPECT_EQ(parsed.diagnostics.errors[3].to_string(),
              "c.ovpn:5: verb: expected a number, got \"x\"");
}

TEST(VpnConfig, KeepaliveConflictsWithPing) {
    const ParsedConfig parsed =
        parse_text("client\nremote h\nca c\ncert c\nkey k\nkeepalive 10 60\nping 5\n");
    ASSERT_EQ(parsed.diagnostics.errors.size(), 1U);
    EXPECT_EQ(parsed.diagnostics.errors[0].directive, "keepalive");
}

TEST(VpnConfig, ClientNeedsARemote) {
    const ParsedConfig parsed = parse_text("client\ndev tun\nca c\ncert c\nkey k\n");
    ASSERT_EQ(parsed.diagnostics.errors.size(), 1U);
    EXPECT_EQ(parsed.diagnostics.errors[0].line, 1U);
}

TEST(VpnConfig, ServerOptionInClientModeIsAnError) {
    const ParsedConfig parsed =
        parse_text("client\nremote h\nca c\ncert c\nkey k\nclient-to-client\n");
    ASSERT_EQ(parsed.diagnostics.errors.size(), 1U);
    EXPECT_EQ(parsed.diagnostics.errors[0].directive, "client-to-client");
}

TEST(VpnConfig, PullFiltersKeepTheirOrder) {
    const ParsedConfig parsed = parse_text(
        "client\nremote h\nca c\ncert c\nkey k\npull-filter ignore \"route \"\npull-filter accept "
        "route\n");
    ASSERT_TRUE(parsed.diagnostics.ok()) << all_errors(parsed);
    ASSERT_EQ(parsed.config.client.pull_filters.size(), 2U);
    EXPECT_EQ(parsed.config.client.pull_filters[0],
              (PullFilter{PullFilter::Action::kIgnore, "route "}));
}

TEST(VpnConfig, RoutesAndRedirectGateway) {
    const ParsedConfig parsed = parse_text(
        "client\nremote h\nca c\ncert c\nkey k\nroute 10.0.0.0 255.0.0.0 vpn_gateway 5\nroute-ipv6 "
        "2001:db8::/32\n"
        "redirect-gateway def1 bypass-dhcp ipv6\ndhcp-option DNS 10.8.0.1\n");
    ASSERT_TRUE(parsed.diagnostics.ok()) << all_errors(parsed);
    const VpnConfig& config = parsed.config;
    ASSERT_EQ(config.routes.size(), 1U);
    EXPECT_EQ(config.routes[0].netmask, net::Ipv4Address({255, 0, 0, 0}));
    EXPECT_EQ(config.routes[0].gateway, "vpn_gateway");
    EXPECT_EQ(config.routes[0].metric, 5U);
    EXPECT_EQ(config.routes_ipv6[0].network, "2001:db8::/32");
    EXPECT_TRUE(config.redirect_gateway.def1);
    EXPECT_TRUE(config.redirect_gateway.bypass_dhcp);
    EXPECT_TRUE(config.redirect_gateway.ipv6);
    EXPECT_EQ(config.dhcp_options[0], (DhcpOption{"DNS", {"10.8.0.1"}}));
}

constexpr std::string_view kServer =
    "port 1194\nproto udp\ndev tun\nca ca.crt\ncert server.crt\nkey server.key\ndh none\n"
    "topology subnet\nserver 10.8.0.0 255.255.255.0\nserver-ipv6 fd42:42:42:42::/112\n"
    "ifconfig-pool-persist ipp.txt\npush \"redirect-gateway def1 bypass-dhcp\"\n"
    "push \"dhcp-option DNS 1.1.1.1\"\npush \"block-outside-dns\"\nkeepalive 10 120\n"
    "tls-crypt-v2 tls-crypt-v2.key force-cookie\ncrl-verify crl.pem\nclient-config-dir ccd\n"
    "client-to-client\nduplicate-cn\nmax-clients 100\nuser nobody\ngroup nogroup\n"
    "status /var/log/openvpn/status.log 20\nstatus-version 3\n"
    "management /var/run/openvpn/server.sock unix\nverify-client-cert require\n"
    "auth-user-pass-verify /etc/openvpn/check.sh via-file\nverb 3\n";

TEST(VpnConfig, ParsesAnInstallerServer) {
    const ParsedConfig parsed = parse_text(kServer);
    ASSERT_TRUE(parsed.diagnostics.ok()) << all_errors(parsed);
    const VpnConfig& config = parsed.config;
    const ServerConfig& server = config.server;
    EXPECT_EQ(config.role, Role::kServer);
    EXPECT_TRUE(config.tls_server);
    EXPECT_EQ(config.topology, Topology::kSubnet);
    EXPECT_EQ(server.network, net::Ipv4Address({10, 8, 0, 0}));
    EXPECT_EQ(server.netmask, net::Ipv4Address({255, 255, 255, 0}));
    EXPECT_EQ(server.network_ipv6, "fd42:42:42:42::/112");
    EXPECT_EQ(server.push.size(), 3U);
    EXPECT_EQ(server.push[0], "redirect-gateway def1 bypass-dhcp");
    EXPECT_EQ(config.control_key.wrap, ControlWrap::kTlsCryptV2);
    EXPECT_TRUE(config.control_key.force_cookie);
    EXPECT_EQ(server.ifconfig_pool_persist, "ipp.txt");
    EXPECT_EQ(server.dh.path, "none");
    EXPECT_TRUE(server.client_to_client);
    EXPECT_TRUE(server.duplicate_cn);
    EXPECT_EQ(server.max_clients, 100U);
    EXPECT_EQ(server.status_version, 3U);
    EXPECT_EQ(config.status_seconds, 20U);
    EXPECT_EQ(server.management_port, "unix");
    EXPECT_TRUE(server.auth_user_pass_via_file);
}

TEST(VpnConfig, PushResetAndPushRemove) {
    const ParsedConfig parsed = parse_text(
        "server 10.8.0.0 255.255.255.0\nca c\ncert c\nkey k\npush \"route 1.0.0.0 255.0.0.0\"\n"
        "push-reset\n"
        "push \"dhcp-option DNS 1.1.1.1\"\npush \"route 2.0.0.0 255.0.0.0\"\npush-remove route\n");
    ASSERT_TRUE(parsed.diagnostics.ok()) << all_errors(parsed);
    EXPECT_EQ(parsed.config.server.push, (std::vector<std::string>{"dhcp-option DNS 1.1.1.1"}));
}

TEST(VpnConfig, TlsModeNeedsCaAndOwnCredentials) {
    const ParsedConfig none = parse_text("client\nremote h\n");
    ASSERT_EQ(none.diagnostics.errors.size(), 2U) << all_errors(none);
    EXPECT_EQ(none.diagnostics.errors[0].directive, "client");
    EXPECT_EQ(none.diagnostics.errors[0].line, 1U);
    // A pulling client may authenticate with a username and password only.
    EXPECT_TRUE(parse_text("client\nremote h\nca c\nauth-user-pass f\n").diagnostics.ok());
    EXPECT_EQ(parse_text("client\nremote h\nca c\ncert c\n").diagnostics.errors.size(), 1U);
    EXPECT_EQ(parse_text("server 10.8.0.0 255.255.255.0\nca c\nauth-user-pass-verify s via-env\n")
                  .diagnostics.errors.size(),
              1U);
}

TEST(VpnConfig, ServerRejectsHostBitsAndClientOptions) {
    const ParsedConfig bits = parse_text("server 10.8.0.1 255.255.255.0\nca c\ncert c\nkey k\n");
    EXPECT_EQ(bits.diagnostics.errors.size(), 1U);
    const ParsedConfig remote =
        parse_text("server 10.8.0.0 255.255.255.0\nremote x\nca c\ncert c\nkey k\n");
    ASSERT_EQ(remote.diagnostics.errors.size(), 1U);
    EXPECT_EQ(remote.diagnostics.errors[0].directive, "remote");
}

}  // namespace
}  // namespace nfv::vpn::config
