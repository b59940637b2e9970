#include "dhcp/lease_file.hpp"

#include <gtest/gtest.h>

namespace nfv::dnsvizor::dhcp {
namespace {

// Lines in the shape dnsmasq 2.90 writes them (lease.c), IPv6 part after the duid line.
constexpr std::string_view kDnsmasqFile =
    "1732460000 52:54:00:12:34:56 192.168.1.50 laptop 01:52:54:00:12:34:56\n"
    "0 52:54:00:aa:bb:cc 192.168.1.2 * *\n"
    "1732460100 06-00:11:22:33:44:55 192.168.1.60 printer *\n"
    "duid 00:01:00:01:2c:5e:12:34:52:54:00:12:34:56\n"
    "1732460000 1234 fd00::50 laptop 00:01:00:01\n";

TEST(LeaseFile, ReadsDnsmasqLinesExactly) {
    const auto content = parse_lease_file(kDnsmasqFile);
    ASSERT_TRUE(content.problems.empty());
    ASSERT_EQ(content.leases.size(), 3U);
    const Lease& first = content.leases[0];
    EXPECT_EQ(first.expires.unix_seconds, 1732460000);
    EXPECT_EQ(first.hardware.to_text(), "52:54:00:12:34:56");
    EXPECT_EQ(first.address, net::Ipv4Address({192, 168, 1, 50}));
    EXPECT_EQ(first.hostname, "laptop");
    EXPECT_EQ(first.client_id, (std::vector<std::uint8_t>{1, 0x52, 0x54, 0, 0x12, 0x34, 0x56}));
    EXPECT_TRUE(content.leases[1].infinite());
    EXPECT_TRUE(content.leases[1].hostname.empty());
    EXPECT_TRUE(content.leases[1].client_id.empty());
    EXPECT_EQ(content.leases[2].hardware.type, 6);
    EXPECT_EQ(content.ipv6_lines.size(), 2U);
}

TEST(LeaseFile, RoundTripsByteForByte) {
    const auto content = parse_lease_file(kDnsmasqFile);
    EXPECT_EQ(format_lease_file(content.leases, content.ipv6_lines), kDnsmasqFile);
}

TEST(LeaseFile, SkipsBadLinesWithTheirNumbersAndKeepsTheRest) {
    const auto content = parse_lease_file(
        "1732460000 52:54:00:12:34:56 192.168.1.50 a *\n"
        "garbage\n"
        "-5 52:54:00:12:34:57 192.168.1.51 b *\n"
        "1732460000 zz:54 192.168.1.52 c *\n"
        "1732460000 52:54:00:12:34:58 192.168.1.300 d *\n"
        "1732460000 52:54:00:12:34:59 192.168.1.54 e 0g\n"
        "\n"
        "1732460000 52:54:00:12:34:5a 192.168.1.55 f\n");
    ASSERT_EQ(content.leases.size(), 2U);
    EXPECT_EQ(content.leases[0].hostname, "a");
    EXPECT_EQ(content.leases[1].hostname, "f");
    ASSERT_EQ(content.problems.size(), 5U);
    EXPECT_EQ(content.problems[0].line, 2);
    EXPECT_EQ(content.problems[1].line, 3);
    EXPECT_EQ(content.problems[2].line, 4);
    EXPECT_EQ(content.problems[3].line, 5);
    EXPECT_EQ(content.problems[4].line, 6);
}

TEST(LeaseFile, LeaseExpiryIsAbsoluteAndZeroIsInfinite) {
    Lease lease;
    lease.expires = platform::WallTime{100};
    EXPECT_FALSE(lease.expired_at(platform::WallTime{99}));
    EXPECT_TRUE(lease.expired_at(platform::WallTime{100}));
    lease.expires = platform::WallTime{0};
    EXPECT_FALSE(lease.expired_at(platform::WallTime{1'000'000'000}));
}

TEST(HexBytes, ParsesOneOrTwoDigitsPerByteAndRejectsJunk) {
    std::vector<std::uint8_t> out;
    EXPECT_TRUE(parse_hex_bytes("1:ab:0", out));
    EXPECT_EQ(out, (std::vector<std::uint8_t>{1, 0xab, 0}));
    EXPECT_FALSE(parse_hex_bytes("", out));
    EXPECT_FALSE(parse_hex_bytes("abc", out));
    EXPECT_FALSE(parse_hex_bytes("ab:", out));
    EXPECT_FALSE(parse_hex_bytes("ab::cd", out));
    EXPECT_FALSE(parse_hex_bytes("x1", out));
}

}  // namespace
}  // namespace nfv::dnsvizor::dhcp
