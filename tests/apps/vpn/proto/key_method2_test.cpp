#include "proto/key_method2.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/platform/testing/seeded_random.hpp"

namespace nfv::vpn::proto {
namespace {

void append(std::vector<std::byte>& v, std::initializer_list<int> bytes) {
    for (const int b : bytes) {
        v.push_back(static_cast<std::byte>(b));
    }
}
void append_string(std::vector<std::byte>& v, std::string_view s, bool with_nul = true) {
    const std::size_t len = s.size() + (with_nul ? 1 : 0);
    append(v, {static_cast<int>(len >> 8), static_cast<int>(len & 0xff)});
    for (const char c : s) {
        v.push_back(static_cast<std::byte>(c));
    }
    if (with_nul) {
        v.push_back(std::byte{0});
    }
}

KeySource fixed_source() {
    KeySource s;
    for (std::size_t i = 0; i < kPreMasterSize; ++i) {
        s.pre_master[i] = static_cast<std::byte>(0xA0 + (i % 16));
    }
    for (std::size_t i = 0; i < kRandomSize; ++i) {
        s.random1[i] = static_cast<std::byte>(i);
        s.random2[i] = static_cast<std::byte>(0x80 + i);
    }
    return s;
}

// A client message assembled by hand from the layout in OpenVPN's key_method_2_write.
std::vector<std::byte> client_bytes(const KeySource& s, std::string_view options,
                                    std::string_view peer_info) {
    std::vector<std::byte> v;
    append(v, {0, 0, 0, 0, 2});
    v.insert(v.end(), s.pre_master.begin(), s.pre_master.end());
    v.insert(v.end(), s.random1.begin(), s.random1.end());
    v.insert(v.end(), s.random2.begin(), s.random2.end());
    append_string(v, options);
    append(v, {0, 0, 0, 0});  // write_empty_string twice: no username/password
    append_string(v, peer_info);
    return v;
}

constexpr std::string_view kOptions =
    "V4,dev-type tun,link-mtu 1541,tun-mtu 1500,proto UDPv4,auth SHA1,keysize 128,key-method "
    "2,tls-client";
constexpr std::string_view kPeerInfo = "IV_VER=2.6.14\nIV_PLAT=linux\nIV_PROTO=990\n";

TEST(KeyMethod2, SerializesClientMessageLikeOpenVpn) {
    KeyMethod2Message m;
    m.key_source = fixed_source();
    m.options = std::string(kOptions);
    m.peer_info = std::string(kPeerInfo);
    std::vector<std::byte> out(wire_size(m, true));
    const auto written = serialize_key_method2(m, true, out);
    ASSERT_TRUE(written);
    EXPECT_EQ(*written, out.size());
    EXPECT_EQ(out, client_bytes(m.key_source, kOptions, kPeerInfo));
}

TEST(KeyMethod2, ParsesClientMessage) {
    const auto src = fixed_source();
    const auto bytes = client_bytes(src, kOptions, kPeerInfo);
    const auto m = parse_key_method2(bytes, true);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->flags, 0);
    EXPECT_EQ(m->key_source.pre_master, src.pre_master);
    EXPECT_EQ(m->key_source.random1, src.random1);
    EXPECT_EQ(m->key_source.random2, src.random2);
    EXPECT_EQ(m->options, kOptions);
    EXPECT_FALSE(m->credentials);
    EXPECT_EQ(m->peer_info, kPeerInfo);
}

TEST(KeyMethod2, ServerMessageHasNoPreMaster) {
    KeyMethod2Message m;
    m.key_source = fixed_source();
    m.options = "V4,dev-type tun,tls-server";
    std::vector<std::byte> out(wire_size(m, false));
    ASSERT_TRUE(serialize_key_method2(m, false, out));
    std::vector<std::byte> expected;
    append(expected, {0, 0, 0, 0, 2});
    expected.insert(expected.end(), m.key_source.random1.begin(), m.key_source.random1.end());
    expected.insert(expected.end(), m.key_source.random2.begin(), m.key_source.random2.end());
    append_string(expected, m.options);
    append(expected, {0, 0, 0, 0, 0, 0});  // no credentials, empty peer info (P2MP server)
    EXPECT_EQ(out, expected);
    const auto parsed = parse_key_method2(out, false);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->key_source.random1, m.key_source.random1);
    EXPECT_EQ(parsed->key_source.random2, m.key_source.random2);
    EXPECT_EQ(parsed->options, m.options);
    EXPECT_TRUE(parsed->peer_info.empty());
    // Parsed as a client message, the randoms would shift: the roles must not be confused.
    const auto as_client = parse_key_method2(out, true);
    EXPECT_TRUE(!as_client || as_client->options != m.options);
}

TEST(KeyMethod2, CredentialsRoundTrip) {
    KeyMethod2Message m;
    m.key_source = fixed_source();
    m.options = "V4";
    m.credentials = UserPass{"alice", "s3cret"};
    m.peer_info = "IV_VER=nfv\n";
    std::vector<std::byte> out(wire_size(m, true));
    ASSERT_TRUE(serialize_key_method2(m, true, out));
    std::vector<std::byte> tail;
    append_string(tail, "alice");
    append_string(tail, "s3cret");
    append_string(tail, "IV_VER=nfv\n");
    EXPECT_TRUE(std::equal(tail.rbegin(), tail.rend(), out.rbegin()));
    const auto parsed = parse_key_method2(out, true);
    ASSERT_TRUE(parsed);
    ASSERT_TRUE(parsed->credentials);
    EXPECT_EQ(parsed->credentials->username, "alice");
    EXPECT_EQ(parsed->credentials->password, "s3cret");
    EXPECT_EQ(parsed->peer_info, "IV_VER=nfv\n");
}

TEST(KeyMethod2, PasswordOnlyIsKept) {
    // auth-token style: an empty username with a password is still credentials.
    KeyMethod2Message m;
    m.credentials = UserPass{"", "token"};
    std::vector<std::byte> out(wire_size(m, false));
    ASSERT_TRUE(serialize_key_method2(m, false, out));
    const auto parsed = parse_key_method2(out, false);
    ASSERT_TRUE(parsed && parsed->credentials);
    EXPECT_EQ(parsed->credentials->password, "token");
}

TEST(KeyMethod2, EveryTruncationIsRejectedOrEndsAtAFieldBoundary) {
    KeyMethod2Message m;
    m.key_source = fixed_source();
    m.options = "V4,dev-type tun";
    m.credentials = UserPass{"bob", "pw"};
    m.peer_info = "IV_PROTO=2\n";
    std::vector<std::byte> full(wire_size(m, true));
    ASSERT_TRUE(serialize_key_method2(m, true, full));
    const std::size_t after_options = 5 + 48 + 64 + 2 + m.options.size() + 1;
    const std::size_t after_credentials = after_options + 2 + 4 + 2 + 3;
    for (std::size_t n = 0; n < full.size(); ++n) {
        const auto parsed = parse_key_method2(std::span(full).first(n), true);
        if (n == after_options || n == after_credentials) {
            ASSERT_TRUE(parsed) << n;  // OpenVPN tolerates missing trailing fields
            EXPECT_EQ(parsed->credentials.has_value(), n == after_credentials);
            EXPECT_TRUE(parsed->peer_info.empty());
        } else {
            ASSERT_FALSE(parsed) << n;
            EXPECT_EQ(parsed.error(), KeyMethod2Error::kTruncated) << n;
        }
    }
}

TEST(KeyMethod2, RejectsOtherKeyMethodsButKeepsFlags) {
    auto bytes = client_bytes(fixed_source(), "V4", "");
    bytes[4] = std::byte{1};
    auto parsed = parse_key_method2(bytes, true);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error(), KeyMethod2Error::kUnsupportedMethod);
    bytes[4] = std::byte{0x32};
    parsed = parse_key_method2(bytes, true);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->flags, 0x30);
}

TEST(KeyMethod2, EnforcesOptionsAndCredentialLimits) {
    const std::string long_options(kMaxOptionsStringSize, 'x');  // + NUL = 513
    auto bytes = client_bytes(fixed_source(), long_options, "");
    auto parsed = parse_key_method2(bytes, true);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error(), KeyMethod2Error::kOptionsTooLong);
    KeyMethod2Message m;
    m.options = long_options;
    std::vector<std::byte> out(wire_size(m, true));
    EXPECT_FALSE(serialize_key_method2(m, true, out));
    m.options = std::string(kMaxOptionsStringSize - 1, 'y');  // exactly at the limit
    out.resize(wire_size(m, true));
    EXPECT_TRUE(serialize_key_method2(m, true, out));

    std::vector<std::byte> v;
    append(v, {0, 0, 0, 0, 2});
    v.resize(v.size() + 64);
    append_string(v, "V4");
    append_string(v, std::string(kMaxUserPassSize, 'u'));
    append_string(v, "p");
    parsed = parse_key_method2(v, false);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error(), KeyMethod2Error::kCredentialsTooLong);
}

TEST(KeyMethod2, StringsEndAtTheirFirstNulAndTrailingBytesAreIgnored) {
    std::vector<std::byte> v;
    append(v, {0, 0, 0, 0, 2});
    v.resize(v.size() + 64);
    append_string(v, std::string("V4\0junk", 7));
    append(v, {0, 0, 0, 0});
    append_string(v, "IV_A=1", /*with_nul=*/false);  // OpenVPN overwrites the last byte
    append(v, {1, 2, 3});
    const auto parsed = parse_key_method2(v, false);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->options, "V4");
    EXPECT_EQ(parsed->peer_info, "IV_A=");
}

TEST(KeyMethod2, SerializeChecksTheBuffer) {
    KeyMethod2Message m;
    m.options = "V4";
    std::vector<std::byte> out(wire_size(m, true) - 1);
    const auto written = serialize_key_method2(m, true, out);
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error(), KeyMethod2Error::kBufferTooSmall);
}

TEST(KeyMethod2, KeySourceHasPreMasterOnlyForTheClient) {
    platform::testing::SeededRandom random(5);
    const KeySource client = make_key_source(random, true);
    const KeySource server = make_key_source(random, false);
    auto zero = [](std::span<const std::byte> s) {
        return std::all_of(s.begin(), s.end(), [](std::byte b) { return b == std::byte{0}; });
    };
    EXPECT_FALSE(zero(client.pre_master));
    EXPECT_TRUE(zero(server.pre_master));
    EXPECT_FALSE(zero(server.random1));
    EXPECT_NE(client.random1, server.random1);
    EXPECT_NE(server.random1, server.random2);
}

}  // namespace
}  // namespace nfv::vpn::proto
