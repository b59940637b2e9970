#include "server/server_scripts.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::vpn::server {
namespace {

bool has(const std::vector<std::string>& env, const std::string& entry) {
    return std::find(env.begin(), env.end(), entry) != env.end();
}

bool has_name(const std::vector<std::string>& env, const std::string& name) {
    return std::any_of(env.begin(), env.end(),
                       [&](const std::string& e) { return e.starts_with(name + "="); });
}

ClientScriptInfo alice() {
    ClientScriptInfo info;
    info.common_name = "client1";
    info.username = "alice";
    info.password = "s3cret";
    info.real_ip = "10.79.0.2";
    info.real_port = 41689;
    ClientAddresses addresses;
    addresses.ifconfig = {net::Ipv4Address::parse("10.8.0.2").value(),
                          net::Ipv4Address::parse("255.255.255.0").value()};
    addresses.ipv6 = net::Ipv6Address::parse("fddd:1194:1194:1194::1000").value();
    info.addresses = addresses;
    info.peer_info = "IV_VER=2.6.14\nIV_PLAT=linux\nUV_ROLE=laptop\nnot a variable\n";
    info.connected_since = 1796340551;
    info.now = 1796340611;
    info.bytes_received = 2593;
    info.bytes_sent = 2685;
    return info;
}

ServerScriptContext tun0() {
    ServerScriptContext context;
    context.dev = "tun0";
    context.ifconfig_local = net::Ipv4Address::parse("10.8.0.1").value();
    context.ifconfig_netmask = net::Ipv4Address::parse("255.255.255.0").value();
    return context;
}

TEST(ServerScripts, UserPassVerifyViaEnvCarriesThePasswordAndUntrustedAddress) {
    config::VpnConfig config;
    config.server.auth_user_pass_verify = "/bin/check";
    config.server.auth_user_pass_via_file = false;
    const auto env =
        server_script_environment(config, ServerScript::kUserPassVerify, alice(), tun0());
    EXPECT_TRUE(has(env, "script_type=user-pass-verify"));
    EXPECT_TRUE(has(env, "username=alice"));
    EXPECT_TRUE(has(env, "password=s3cret"));
    EXPECT_TRUE(has(env, "common_name=client1"));
    EXPECT_TRUE(has(env, "untrusted_ip=10.79.0.2"));
    EXPECT_TRUE(has(env, "untrusted_port=41689"));
    EXPECT_FALSE(has_name(env, "trusted_ip"));
    EXPECT_TRUE(has(env, "IV_VER=2.6.14"));
    EXPECT_TRUE(has(env, "UV_ROLE=laptop"));
    EXPECT_FALSE(has_name(env, "not a variable"));
}

TEST(ServerScripts, ViaFileKeepsThePasswordOutOfTheEnvironment) {
    config::VpnConfig config;
    config.server.auth_user_pass_verify = "/bin/check";
    config.server.auth_user_pass_via_file = true;
    const auto env =
        server_script_environment(config, ServerScript::kUserPassVerify, alice(), tun0());
    EXPECT_FALSE(has_name(env, "password"));
    EXPECT_TRUE(has(env, "username=alice"));
}

TEST(ServerScripts, ClientConnectHasThePoolAddressesAndTrustedAddress) {
    config::VpnConfig config;
    config.setenv = {{"SITE", "office"}};
    const auto env =
        server_script_environment(config, ServerScript::kClientConnect, alice(), tun0());
    EXPECT_TRUE(has(env, "script_type=client-connect"));
    EXPECT_TRUE(has(env, "trusted_ip=10.79.0.2"));
    EXPECT_TRUE(has(env, "ifconfig_pool_remote_ip=10.8.0.2"));
    EXPECT_TRUE(has(env, "ifconfig_pool_netmask=255.255.255.0"));
    EXPECT_TRUE(has(env, "ifconfig_pool_remote_ip6=fddd:1194:1194:1194::1000"));
    EXPECT_TRUE(has(env, "ifconfig_local=10.8.0.1"));
    EXPECT_TRUE(has(env, "dev=tun0"));
    EXPECT_TRUE(has(env, "time_unix=1796340551"));
    EXPECT_TRUE(has(env, "SITE=office"));
    EXPECT_FALSE(has_name(env, "password"));
    EXPECT_FALSE(has_name(env, "bytes_received"));
}

TEST(ServerScripts, ClientDisconnectHasTheByteCountsAndDuration) {
    const config::VpnConfig config;
    const auto env =
        server_script_environment(config, ServerScript::kClientDisconnect, alice(), tun0());
    EXPECT_TRUE(has(env, "script_type=client-disconnect"));
    EXPECT_TRUE(has(env, "bytes_received=2593"));
    EXPECT_TRUE(has(env, "bytes_sent=2685"));
    EXPECT_TRUE(has(env, "time_duration=60"));
}

TEST(ServerScripts, ATcpClientOverIpv6UsesTheIp6Names) {
    auto info = alice();
    info.real_ip = "fd00::2";
    info.real_ipv6 = true;
    info.tcp = true;
    const config::VpnConfig config;
    const auto env = server_script_environment(config, ServerScript::kClientConnect, info, tun0());
    EXPECT_TRUE(has(env, "trusted_ip6=fd00::2"));
    EXPECT_TRUE(has(env, "proto_1=tcp-server"));
}

TEST(ServerScripts, ScriptSecurityGatesTheHooks) {
    config::VpnConfig config;
    config.tls_verify = "/bin/verify";
    ASSERT_TRUE(check_server_scripts(config));
    EXPECT_NE(check_server_scripts(config)->find("tls-verify"), std::string::npos);
    config.tls_verify.clear();
    config.server.client_connect = "/bin/cc";
    config.script_security = 1;
    ASSERT_TRUE(check_server_scripts(config));
    EXPECT_NE(check_server_scripts(config)->find("client-connect"), std::string::npos);
    config.script_security = 2;
    EXPECT_FALSE(check_server_scripts(config));

    config.server.auth_user_pass_verify = "/bin/check";
    config.server.auth_user_pass_via_file = false;
    ASSERT_TRUE(check_server_scripts(config)) << "via-env needs script-security 3";
    config.script_security = 3;
    EXPECT_FALSE(check_server_scripts(config));
}

}  // namespace
}  // namespace nfv::vpn::server

namespace nfv::vpn::server {
namespace {

TEST(ServerScripts, TlsVerifySeesTheChainFromTheTopDownToItsDepth) {
    proto::PeerCertificate leaf;
    leaf.depth = 0;
    leaf.subject = "CN=client1";
    leaf.serial = "10";
    leaf.serial_hex = "0a";
    leaf.sha1 = "aa:bb";
    leaf.sha256 = "cc:dd";
    leaf.fields = {{"CN", "client1"}};
    proto::PeerCertificate ca;
    ca.depth = 1;
    ca.subject = "CN=Test CA";
    ca.fields = {{"CN", "Test CA"}};
    const std::vector<proto::PeerCertificate> chain{leaf, ca};
    const config::VpnConfig config;
    auto info = alice();

    const auto at_ca = tls_verify_environment(config, info, chain, 1);
    EXPECT_TRUE(has(at_ca, "script_type=tls-verify"));
    EXPECT_TRUE(has(at_ca, "tls_id_1=CN=Test CA"));
    EXPECT_TRUE(has(at_ca, "X509_1_CN=Test CA"));
    EXPECT_FALSE(has_name(at_ca, "tls_id_0")) << "the leaf is verified after the CA";
    EXPECT_TRUE(has(at_ca, "untrusted_ip=10.79.0.2"));

    const auto at_leaf = tls_verify_environment(config, info, chain, 0);
    EXPECT_TRUE(has(at_leaf, "tls_id_0=CN=client1"));
    EXPECT_TRUE(has(at_leaf, "tls_serial_0=10"));
    EXPECT_TRUE(has(at_leaf, "tls_serial_hex_0=0a"));
    EXPECT_TRUE(has(at_leaf, "tls_digest_0=aa:bb"));
    EXPECT_TRUE(has(at_leaf, "tls_digest_sha256_0=cc:dd"));
    EXPECT_TRUE(has(at_leaf, "X509_0_CN=client1"));
    EXPECT_TRUE(has(at_leaf, "tls_id_1=CN=Test CA"));
}

}  // namespace
}  // namespace nfv::vpn::server
