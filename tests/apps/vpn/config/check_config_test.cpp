#include "config/check_config.hpp"

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../proto/openvpn_tls_crypt_v2_vectors.hpp"

namespace nfv::vpn::config {
namespace {

// Reads real test material from configs/vpn/pki (tests run in the source directory), plus
// in-memory files that override it.
class TestReader final : public FileReader {
public:
    std::map<std::string, std::string> files;
    Result<std::string, std::string> read(const std::string& path) override {
        const auto found = files.find(path);
        if (found != files.end()) {
            return found->second;
        }
        return disk_.read(path);
    }

private:
    DiskFileReader disk_;
};

// A client with valid credentials from the test PKI.
const std::string kCredentials =
    "client\nremote h\nca configs/vpn/pki/ca.crt\ncert configs/vpn/pki/client1.crt\n"
    "key configs/vpn/pki/client1.key\n";

CheckedConfig check(TestReader& reader, std::vector<std::string> args) {
    return check_command_line(args, reader);
}

std::string all_errors(const CheckedConfig& checked) {
    std::string out;
    for (const auto& error : checked.diagnostics.errors) {
        out += error.to_string() + "\n";
    }
    return out;
}

TEST(CheckConfig, AcceptsRealPemAndKeyFiles) {
    TestReader reader;
    reader.files["c.conf"] =
        "client\nremote h\nca ca.crt\ncert client1.crt\nkey client1.key\ntls-crypt tc.key\n";
    const auto checked = check(reader, {"--config", "c.conf", "--cd", "configs/vpn/pki"});
    EXPECT_TRUE(checked.diagnostics.ok()) << all_errors(checked);
    EXPECT_TRUE(checked.config);
}

TEST(CheckConfig, MissingFileNamesTheReferencingLine) {
    TestReader reader;
    reader.files["c.conf"] =
        "client\nremote h\n\nca /nonexistent/ca.crt\n<auth-user-pass>\nu\np\n</auth-user-pass>\n";
    const auto checked = check(reader, {"c.conf"});
    ASSERT_EQ(checked.diagnostics.errors.size(), 1U) << all_errors(checked);
    const ConfigError& error = checked.diagnostics.errors[0];
    EXPECT_EQ(error.file, "c.conf");
    EXPECT_EQ(error.line, 4U);
    EXPECT_EQ(error.directive, "ca");
    EXPECT_FALSE(checked.config);
}

TEST(CheckConfig, RejectsNonPemCertificatesAndKeys) {
    TestReader reader;
    reader.files["c.conf"] =
        "client\nremote h\n<ca>\nnot a certificate\n</ca>\n<key>\n-----BEGIN PRIVATE KEY-----\n"
        "AAAA\n-----END PRIVATE KEY-----\n</key>\ncert configs/vpn/pki/client1.crt\n";
    const auto checked = check(reader, {"c.conf"});
    ASSERT_EQ(checked.diagnostics.errors.size(), 2U) << all_errors(checked);
    EXPECT_EQ(checked.diagnostics.errors[0].directive, "ca");
    EXPECT_EQ(checked.diagnostics.errors[0].line, 3U);
    EXPECT_EQ(checked.diagnostics.errors[1].directive, "key");
}

TEST(CheckConfig, ParsesStaticKeysOfTlsAuthAndTlsCrypt) {
    TestReader reader;
    reader.files["bad.key"] = "-----BEGIN OpenVPN Static key V1-----\nabcd\n";
    reader.files["c.conf"] = kCredentials + "tls-auth bad.key 1\n";
    const auto checked = check(reader, {"c.conf"});
    ASSERT_EQ(checked.diagnostics.errors.size(), 1U) << all_errors(checked);
    EXPECT_EQ(checked.diagnostics.errors[0].directive, "tls-auth");
}

TEST(CheckConfig, TlsCryptV2KeyMustMatchTheRole) {
    TestReader reader;
    reader.files["c.conf"] =
        kCredentials + "tls-crypt-v2 configs/vpn/pki/tls-crypt-v2-server.key\n";
    const auto wrong = check(reader, {"c.conf"});
    ASSERT_EQ(wrong.diagnostics.errors.size(), 1U) << all_errors(wrong);
    EXPECT_EQ(wrong.diagnostics.errors[0].directive, "tls-crypt-v2");
    reader.files["c.conf"] =
        kCredentials + "tls-crypt-v2 configs/vpn/pki/tls-crypt-v2-client1.key\n";
    const auto right = check(reader, {"c.conf"});
    EXPECT_TRUE(right.diagnostics.ok()) << all_errors(right);
}

TEST(CheckConfig, TlsCryptV2ClientKeyIsParsedNotOnlyItsLabel) {
    // OpenVPN's own test key (test_tls_crypt.c) loads; without its last base64 line the WKc
    // no longer matches its length field and the key is refused.
    TestReader reader;
    reader.files["v2.key"] = std::string(proto::testdata::kTlsCryptV2ClientKey);
    reader.files["c.conf"] = kCredentials + "tls-crypt-v2 v2.key\n";
    const auto good = check(reader, {"c.conf"});
    EXPECT_TRUE(good.diagnostics.ok()) << all_errors(good);
    std::string truncated(proto::testdata::kTlsCryptV2ClientKey);
    const std::string last_line = "/Z5wtPCAZ0tOzj4ItTI77fBOYRTfEayzHgEr\n";
    truncated.erase(truncated.find(last_line), last_line.size());
    reader.files["v2.key"] = truncated;
    const auto bad = check(reader, {"c.conf"});
    ASSERT_EQ(bad.diagnostics.errors.size(), 1U) << all_errors(bad);
    EXPECT_EQ(bad.diagnostics.errors[0].directive, "tls-crypt-v2");
    EXPECT_NE(bad.diagnostics.errors[0].message.find("wrapped client key"), std::string::npos)
        << bad.diagnostics.errors[0].message;
}

TEST(CheckConfig, AuthUserPassNeedsUserAndPassword) {
    TestReader reader;
    reader.files["c.conf"] =
        "client\nremote h\nca "
        "configs/vpn/pki/ca.crt\n<auth-user-pass>\nonly-user\n</auth-user-pass>\n";
    const auto checked = check(reader, {"c.conf"});
    ASSERT_EQ(checked.diagnostics.errors.size(), 1U) << all_errors(checked);
    EXPECT_EQ(checked.diagnostics.errors[0].directive, "auth-user-pass");
}

TEST(CheckConfig, LexErrorStopsEarlyWithPosition) {
    TestReader reader;
    reader.files["c.conf"] = "client\nremote 'h\n";
    const auto checked = check(reader, {"c.conf"});
    ASSERT_EQ(checked.diagnostics.errors.size(), 1U);
    EXPECT_EQ(checked.diagnostics.errors[0].line, 2U);
}

// Every config in configs/vpn parses and checks cleanly (files relative to configs/vpn/pki
// for servers, as README.md says to run them).
class ConfigFiles : public ::testing::TestWithParam<const char*> {};

TEST_P(ConfigFiles, PassesCheckConfig) {
    TestReader reader;
    const std::string path = std::string("configs/vpn/") + GetParam();
    const auto checked = check(reader, {"--config", path, "--cd", "configs/vpn/pki"});
    EXPECT_TRUE(checked.diagnostics.ok()) << all_errors(checked);
    ASSERT_TRUE(checked.config);
    const bool is_server = std::string(GetParam()).ends_with(".conf");
    EXPECT_EQ(checked.config->role, is_server ? Role::kServer : Role::kClient);
    EXPECT_NE(checked.config->control_key.wrap, ControlWrap::kNone);
}

INSTANTIATE_TEST_SUITE_P(VpnConfigFiles, ConfigFiles,
                         ::testing::Values("nyr/server.conf", "nyr/client.ovpn",
                                           "angristan/server.conf", "angristan/client.ovpn",
                                           "angristan/server-chacha20.conf",
                                           "angristan/client-chacha20.ovpn", "pivpn/server.conf",
                                           "pivpn/client.ovpn", "pivpn/client-legacy-cbc.ovpn"));

}  // namespace
}  // namespace nfv::vpn::config
