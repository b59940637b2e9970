#include "dns/hosts_file.hpp"

#include <gtest/gtest.h>

namespace nfv::dnsvizor::dns {
namespace {

net::IpAddress ip(std::string_view text) {
    return *net::IpAddress::parse(text);
}

TEST(HostsFile, ParsesAddressesWithSeveralNames) {
    const auto content = parse_hosts_file("192.168.1.10 alpha alpha-alias\n2001:db8::10\tAlpha\n");
    ASSERT_EQ(content.entries.size(), 2U);
    EXPECT_EQ(content.entries[0].address, ip("192.168.1.10"));
    EXPECT_EQ(content.entries[0].names, (std::vector<std::string>{"alpha", "alpha-alias"}));
    EXPECT_EQ(content.entries[0].line, 1U);
    EXPECT_EQ(content.entries[1].address, ip("2001:db8::10"));
    EXPECT_EQ(content.entries[1].names, (std::vector<std::string>{"alpha"}));  // lower-cased
    EXPECT_TRUE(content.problems.empty());
}

TEST(HostsFile, IgnoresCommentsAndBlankLines) {
    const auto content =
        parse_hosts_file("# comment\n\n   \n10.0.0.1 gamma # trailing comment\r\n#10.0.0.2 x\n");
    ASSERT_EQ(content.entries.size(), 1U);
    EXPECT_EQ(content.entries[0].names, (std::vector<std::string>{"gamma"}));
    EXPECT_EQ(content.entries[0].line, 4U);
    EXPECT_TRUE(content.problems.empty());
}

// dnsmasq 2.90 logs "bad address at /tmp/dl/hosts1 line 6" for `bad.address delta` on line 6
// and keeps the other lines (dnsmasq --no-daemon --no-hosts --addn-hosts=/tmp/dl/hosts1).
TEST(HostsFile, BadAddressSkipsTheLineWithItsNumber) {
    const auto content = parse_hosts_file(
        "# c\n192.168.1.10 alpha\n192.168.1.11 beta\n2001:db8::10 alpha\n10.0.0.1 gamma\n"
        "bad.address delta\n192.168.1.12 epsilon\n");
    ASSERT_EQ(content.problems.size(), 1U);
    EXPECT_EQ(content.problems[0].line, 6U);
    EXPECT_NE(content.problems[0].message.find("bad address"), std::string::npos);
    ASSERT_EQ(content.entries.size(), 5U);
    EXPECT_EQ(content.entries[4].names, (std::vector<std::string>{"epsilon"}));
}

TEST(HostsFile, BadNameIsSkippedButOtherNamesKept) {
    const std::string long_label(64, 'a');
    const auto content = parse_hosts_file("10.0.0.1 ok " + long_label + " a..b also-ok.\n");
    ASSERT_EQ(content.entries.size(), 1U);
    EXPECT_EQ(content.entries[0].names, (std::vector<std::string>{"ok", "also-ok"}));
    ASSERT_EQ(content.problems.size(), 2U);
    EXPECT_EQ(content.problems[0].line, 1U);
    EXPECT_NE(content.problems[0].message.find("bad name"), std::string::npos);
}

// dnsmasq accepts "bad_name!" (it answers `dig bad_name! A`).
TEST(HostsFile, AcceptsPunctuationDnsmasqAccepts) {
    const auto content = parse_hosts_file("192.168.1.12 bad_name! epsilon\n");
    ASSERT_EQ(content.entries.size(), 1U);
    EXPECT_EQ(content.entries[0].names, (std::vector<std::string>{"bad_name!", "epsilon"}));
}

TEST(HostsFile, AddressWithoutNamesContributesNothing) {
    const auto content = parse_hosts_file("192.168.1.13\n");
    EXPECT_TRUE(content.entries.empty());
    EXPECT_TRUE(content.problems.empty());
}

TEST(HostsFile, RejectsScopedAndLeadingZeroAddresses) {
    const auto content = parse_hosts_file("fe80::1%eth0 a\n010.0.0.1 b\n");
    EXPECT_TRUE(content.entries.empty());
    ASSERT_EQ(content.problems.size(), 2U);
    EXPECT_EQ(content.problems[1].line, 2U);
}

TEST(HostsFile, LastLineWithoutNewline) {
    const auto content = parse_hosts_file("10.0.0.1 a\n10.0.0.2 b");
    ASSERT_EQ(content.entries.size(), 2U);
    EXPECT_EQ(content.entries[1].line, 2U);
}

}  // namespace
}  // namespace nfv::dnsvizor::dns
