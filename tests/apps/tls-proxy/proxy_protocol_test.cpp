#include "proxy_protocol.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::tls_proxy {
namespace {

ProxyHeaderInfo v4_info() {
    ProxyHeaderInfo info;
    info.source = *net::IpAddress::parse("192.168.0.1");
    info.source_port = 56324;
    info.destination = *net::IpAddress::parse("192.168.0.11");
    info.destination_port = 443;
    return info;
}

std::vector<std::uint8_t> bytes(const std::vector<std::byte>& in) {
    std::vector<std::uint8_t> out;
    for (auto b : in) {
        out.push_back(static_cast<std::uint8_t>(b));
    }
    return out;
}

TEST(ProxyV1, Tcp4LineMatchesTheSpecExample) {
    // proxy-protocol.txt §2.1 example.
    EXPECT_EQ(encode_proxy_v1(v4_info()), "PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n");
}

TEST(ProxyV1, Tcp6LineAndLongestAddressFitTheLimit) {
    ProxyHeaderInfo info;
    info.source = *net::IpAddress::parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    info.source_port = 65535;
    info.destination = *net::IpAddress::parse("ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe");
    info.destination_port = 65535;
    const std::string line = encode_proxy_v1(info);
    EXPECT_EQ(line,
              "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "
              "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe 65535 65535\r\n");
    EXPECT_LE(line.size(), kProxyV1MaxSize);
}

TEST(ProxyV1, MixedFamiliesUseTcp6WithMappedAddress) {
    ProxyHeaderInfo info = v4_info();
    info.destination = *net::IpAddress::parse("2001:db8::1");
    EXPECT_EQ(encode_proxy_v1(info), "PROXY TCP6 ::ffff:192.168.0.1 2001:db8::1 56324 443\r\n");
}

TEST(ProxyV1, MappedIpv6PairIsWrittenAsTcp4) {
    ProxyHeaderInfo info = v4_info();
    info.source = *net::IpAddress::parse("::ffff:10.1.2.3");
    EXPECT_EQ(encode_proxy_v1(info), "PROXY TCP4 10.1.2.3 192.168.0.11 56324 443\r\n");
}

TEST(ProxyV2, Ipv4HeaderWithoutTlvsHasTheSpecLayout) {
    const auto out = bytes(encode_proxy_v2(v4_info()));
    const std::vector<std::uint8_t> expected = {
        0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A,  // signature
        0x21,                                                                    // v2, PROXY
        0x11,                                                                    // TCP over IPv4
        0x00, 0x0C,                                                              // 12 bytes
        192,  168,  0,    1,                                                     // src
        192,  168,  0,    11,                                                    // dst
        0xDC, 0x04,                                                              // 56324
        0x01, 0xBB,                                                              // 443
    };
    EXPECT_EQ(out, expected);
}

TEST(ProxyV2, TlvsCarryAlpnAndAuthority) {
    ProxyHeaderInfo info = v4_info();
    info.alpn = "h2";
    info.authority = "a.test";
    const auto out = bytes(encode_proxy_v2(info));
    ASSERT_EQ(out.size(), 16U + 12U + 3U + 2U + 3U + 6U);
    EXPECT_EQ(out[14], 0x00);
    EXPECT_EQ(out[15], 12 + 5 + 9);
    const std::vector<std::uint8_t> tlvs(out.begin() + 28, out.end());
    const std::vector<std::uint8_t> expected = {0x01, 0x00, 0x02, 'h', '2', 0x02, 0x00,
                                                0x06, 'a',  '.',  't', 'e', 's',  't'};
    EXPECT_EQ(tlvs, expected);
}

TEST(ProxyV2, SslTlvWithoutClientCertificate) {
    ProxyHeaderInfo info = v4_info();
    info.tls = ProxyTlsInfo{};
    info.tls->version = "TLSv1.3";
    info.tls->cipher = "TLS_AES_128_GCM_SHA256";
    const auto out = bytes(encode_proxy_v2(info));
    const std::vector<std::uint8_t> tlv(out.begin() + 28, out.end());
    // type 0x20, length 5 + (3 + 7) + (3 + 22) = 40
    std::vector<std::uint8_t> expected = {0x20, 0x00, 40, 0x01, 0x00, 0x00, 0x00, 0x01};
    const auto append = [&expected](std::uint8_t type, const std::string& text) {
        expected.push_back(type);
        expected.push_back(0);
        expected.push_back(static_cast<std::uint8_t>(text.size()));
        expected.insert(expected.end(), text.begin(), text.end());
    };
    append(0x21, "TLSv1.3");
    append(0x23, "TLS_AES_128_GCM_SHA256");
    EXPECT_EQ(tlv, expected);
    EXPECT_EQ(out[15], 12 + 43);
}

TEST(ProxyV2, SslTlvWithVerifiedClientCertificate) {
    ProxyHeaderInfo info = v4_info();
    info.alpn = "h2";
    info.tls = ProxyTlsInfo{.version = "TLSv1.3",
                            .cipher = "C",
                            .certificate_on_connection = true,
                            .certificate_in_session = true,
                            .certificate_verified = true,
                            .common_name = "client.test"};
    const auto out = bytes(encode_proxy_v2(info));
    const std::vector<std::uint8_t> tlv(out.begin() + 28 + 5, out.end());
    std::vector<std::uint8_t> expected = {0x20, 0x00, 5 + 10 + 14 + 4,
                                          0x07, 0,    0,
                                          0,    0,    0x21,
                                          0x00, 7,    'T',
                                          'L',  'S',  'v',
                                          '1',  '.',  '3',
                                          0x22, 0x00, 11};
    for (const char c : std::string("client.test")) {
        expected.push_back(static_cast<std::uint8_t>(c));
    }
    expected.insert(expected.end(), {0x23, 0x00, 1, 'C'});
    EXPECT_EQ(tlv, expected);
    // A resumed session: the certificate belongs to the session, not this connection.
    info.tls->certificate_on_connection = false;
    const auto resumed = bytes(encode_proxy_v2(info));
    EXPECT_EQ(resumed[28 + 5 + 3], 0x05);
}

TEST(ProxyV2, Ipv6HeaderCarries36AddressBytes) {
    ProxyHeaderInfo info;
    info.source = *net::IpAddress::parse("2001:db8::1");
    info.source_port = 1;
    info.destination = *net::IpAddress::parse("10.0.0.1");  // written IPv4-mapped
    info.destination_port = 2;
    const auto out = bytes(encode_proxy_v2(info));
    ASSERT_EQ(out.size(), 16U + 36U);
    EXPECT_EQ(out[13], 0x21);
    EXPECT_EQ(out[15], 36);
    EXPECT_EQ(out[16], 0x20);
    EXPECT_EQ(out[17], 0x01);
    // ::ffff:10.0.0.1
    EXPECT_EQ(out[32 + 10], 0xff);
    EXPECT_EQ(out[32 + 11], 0xff);
    EXPECT_EQ(out[32 + 12], 10);
    EXPECT_EQ(out[32 + 15], 1);
    EXPECT_EQ(out[48], 0);
    EXPECT_EQ(out[49], 1);
    EXPECT_EQ(out[51], 2);
}

}  // namespace
}  // namespace nfv::tls_proxy
