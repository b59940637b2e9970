#include "nfv/net/dhcp/options.hpp"

#include <vector>

#include <gtest/gtest.h>

#include "nfv/net/byte_writer.hpp"

namespace nfv::net::dhcp {
namespace {

std::vector<std::byte> bytes(std::initializer_list<int> values) {
    std::vector<std::byte> out;
    for (const int v : values)
        out.push_back(static_cast<std::byte>(v));
    return out;
}

std::vector<std::byte> text_bytes(std::string_view text) {
    std::vector<std::byte> out;
    for (const char c : text)
        out.push_back(static_cast<std::byte>(c));
    return out;
}

TEST(DhcpOptions, ParsesCodesLengthsAndSkipsPadsUntilEnd) {
    DhcpOptions options;
    const auto area = bytes({53, 1, 1, 0, 0, 50, 4, 192, 168, 1, 10, 255, 12, 2, 'x', 'y'});
    ASSERT_TRUE(options.parse_area(area));
    EXPECT_EQ(options.message_type(), MessageType::kDiscover);
    EXPECT_EQ(options.get_address(OptionCode::kRequestedAddress), Ipv4Address({192, 168, 1, 10}));
    EXPECT_FALSE(options.has(OptionCode::kHostName)) << "options after the end option are ignored";
}

TEST(DhcpOptions, RejectsAnOptionRunningPastTheArea) {
    DhcpOptions options;
    EXPECT_FALSE(options.parse_area(bytes({12, 5, 'a', 'b'})));
    DhcpOptions no_length;
    EXPECT_FALSE(no_length.parse_area(bytes({12})));
}

TEST(DhcpOptions, ConcatenatesRepeatedCodesAsRfc3396Says) {
    DhcpOptions options;
    ASSERT_TRUE(options.parse_area(bytes({12, 2, 'a', 'b', 6, 4, 10, 0, 0, 1, 12, 1, 'c', 255})));
    EXPECT_EQ(options.get_text(OptionCode::kHostName), "abc");
}

TEST(DhcpOptions, SplitsLongValuesIntoConsecutiveInstancesAndRoundTrips) {
    DhcpOptions options;
    options.set_u8(OptionCode::kMessageType, 5);
    std::vector<std::byte> long_value(600, std::byte{0x41});
    options.set(OptionCode::kVendorSpecific, long_value);
    std::vector<std::byte> buffer(options.wire_size());
    ByteWriter out(buffer);
    ASSERT_TRUE(options.write(out));
    EXPECT_EQ(out.position(), buffer.size());
    EXPECT_EQ(buffer.size(), 3U + 600U + 3U * 2U + 1U);

    DhcpOptions parsed;
    ASSERT_TRUE(parsed.parse_area(buffer));
    ASSERT_NE(parsed.find(OptionCode::kVendorSpecific), nullptr);
    EXPECT_EQ(*parsed.find(OptionCode::kVendorSpecific), long_value);
}

TEST(DhcpOptions, WritesRequestedCodesFirst) {
    DhcpOptions options;
    options.set_u32(OptionCode::kLeaseTime, 3600);
    options.set_u8(OptionCode::kMessageType, 2);
    std::vector<std::byte> buffer(options.wire_size());
    ByteWriter out(buffer);
    const std::array<std::uint8_t, 1> first{53};
    ASSERT_TRUE(options.write(out, first));
    EXPECT_EQ(buffer[0], std::byte{53});
    EXPECT_EQ(buffer.back(), std::byte{255});
}

TEST(DhcpOptions, WriteReportsOverflow) {
    DhcpOptions options;
    options.set_text(OptionCode::kHostName, "a-long-host-name");
    std::vector<std::byte> buffer(5);
    ByteWriter out(buffer);
    EXPECT_FALSE(options.write(out));
}

TEST(DhcpOptions, TypedReadsRejectWrongLengths) {
    DhcpOptions options;
    options.set(OptionCode::kLeaseTime, bytes({0, 0, 1}));
    options.set(OptionCode::kRouter, bytes({10, 0, 0, 1, 10}));
    options.set(OptionCode::kMessageType, bytes({9}));
    EXPECT_FALSE(options.get_u32(OptionCode::kLeaseTime));
    EXPECT_FALSE(options.get_addresses(OptionCode::kRouter));
    EXPECT_FALSE(options.message_type()) << "9 is not a DHCP message type";
}

TEST(DhcpOptions, AddressListsRoundTrip) {
    DhcpOptions options;
    const std::vector<Ipv4Address> servers{Ipv4Address({10, 0, 0, 1}), Ipv4Address({10, 0, 0, 2})};
    options.set_addresses(OptionCode::kDnsServer, servers);
    EXPECT_EQ(options.get_addresses(OptionCode::kDnsServer), servers);
}

TEST(DhcpOptions, TextDropsTrailingNulSomeClientsSend) {
    DhcpOptions options;
    options.set(OptionCode::kHostName, bytes({'p', 'c', 0}));
    EXPECT_EQ(options.get_text(OptionCode::kHostName), "pc");
}

// RFC 3442 §3 examples of destination encodings.
TEST(ClasslessRoutes, EncodesSignificantOctetsOnlyAsRfc3442Shows) {
    const Ipv4Address router({10, 0, 0, 1});
    const std::vector<ClasslessRoute> routes{
        {Ipv4Cidr(Ipv4Address({0, 0, 0, 0}), 0), router},
        {Ipv4Cidr(Ipv4Address({10, 0, 0, 0}), 8), router},
        {Ipv4Cidr(Ipv4Address({10, 17, 0, 0}), 16), router},
        {Ipv4Cidr(Ipv4Address({10, 229, 0, 128}), 25), router},
    };
    EXPECT_EQ(encode_classless_routes(routes),
              bytes({0,  10, 0, 0, 1,  8,  10,  10, 0,   0,  1, 16, 10, 17,
                     10, 0,  0, 1, 25, 10, 229, 0,  128, 10, 0, 0,  1}));
    const auto decoded = decode_classless_routes(encode_classless_routes(routes));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, routes);
}

TEST(ClasslessRoutes, RejectsBadPrefixAndTruncation) {
    EXPECT_FALSE(decode_classless_routes(bytes({33, 1, 2, 3, 4, 5, 10, 0, 0, 1})));
    EXPECT_FALSE(decode_classless_routes(bytes({24, 192, 168})));
    EXPECT_FALSE(decode_classless_routes(bytes({24, 192, 168, 1, 10, 0})));
}

// RFC 3397 §3 example: "eng.apple.com." and "marketing.apple.com.".
TEST(DomainSearch, EncodesWithCompressionAsRfc3397Example) {
    const std::vector<std::string> domains{"eng.apple.com", "marketing.apple.com"};
    const auto encoded = encode_domain_search(domains);
    ASSERT_TRUE(encoded);
    std::vector<std::byte> expected;
    const auto append = [&](const std::vector<std::byte>& b) {
        expected.insert(expected.end(), b.begin(), b.end());
    };
    append(bytes({3}));
    append(text_bytes("eng"));
    append(bytes({5}));
    append(text_bytes("apple"));
    append(bytes({3}));
    append(text_bytes("com"));
    append(bytes({0, 9}));
    append(text_bytes("marketing"));
    append(bytes({0xc0, 0x04}));
    EXPECT_EQ(*encoded, expected);
    const auto decoded = decode_domain_search(*encoded);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, domains);
}

TEST(DomainSearch, RejectsBadNames) {
    const std::vector<std::string> bad{"a..b"};
    EXPECT_FALSE(encode_domain_search(bad));
    EXPECT_FALSE(decode_domain_search(bytes({3, 'a', 'b'})));
    EXPECT_FALSE(decode_domain_search(bytes({0xc0, 0x00}))) << "a pointer to itself";
}

TEST(ClientFqdn, DecodesCanonicalWireFormFullAndPartial) {
    auto full = decode_client_fqdn(bytes({0x05, 0, 0, 2, 'p', 'c', 3, 'l', 'a', 'n', 0}));
    ASSERT_TRUE(full);
    EXPECT_EQ(full->name, "pc.lan");
    EXPECT_FALSE(full->partial);
    EXPECT_EQ(full->flags & kFqdnFlagS, kFqdnFlagS);
    auto partial = decode_client_fqdn(bytes({0x04, 0, 0, 6, 'l', 'a', 'p', 't', 'o', 'p'}));
    ASSERT_TRUE(partial);
    EXPECT_EQ(partial->name, "laptop");
    EXPECT_TRUE(partial->partial);
}

TEST(ClientFqdn, DecodesDeprecatedAsciiForm) {
    auto fqdn = decode_client_fqdn(bytes({0x00, 0, 0, 'h', 'o', 's', 't'}));
    ASSERT_TRUE(fqdn);
    EXPECT_EQ(fqdn->name, "host");
    EXPECT_TRUE(fqdn->partial);
}

TEST(ClientFqdn, RejectsShortOrMalformedValues) {
    EXPECT_FALSE(decode_client_fqdn(bytes({0x04, 0})));
    EXPECT_FALSE(decode_client_fqdn(bytes({0x04, 0, 0, 5, 'a'})));
    EXPECT_FALSE(decode_client_fqdn(bytes({0x04, 0, 0, 1, 'a', 0, 1})));
}

TEST(ClientFqdn, EncodeDecodeRoundTrip) {
    const ClientFqdn fqdn{kFqdnFlagE | kFqdnFlagS, "printer.office.lan", false};
    const auto decoded = decode_client_fqdn(encode_client_fqdn(fqdn));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->name, fqdn.name);
    EXPECT_EQ(decoded->flags, fqdn.flags);
    EXPECT_FALSE(decoded->partial);
}

}  // namespace
}  // namespace nfv::net::dhcp
