#include "dns/resolv_conf.hpp"

#include <gtest/gtest.h>

namespace nfv::dnsvizor::dns {
namespace {

net::IpAddress ip(std::string_view text) {
    return *net::IpAddress::parse(text);
}

TEST(ResolvConf, ReadsNameserversInOrder) {
    const auto servers = parse_resolv_conf(
        "# generated\nsearch example.com\nnameserver 192.0.2.1\noptions ndots:2\n"
        "nameserver   2001:db8::53  \nnameserver\t10.0.0.1 # local\n");
    EXPECT_EQ(servers,
              (std::vector<net::IpAddress>{ip("192.0.2.1"), ip("2001:db8::53"), ip("10.0.0.1")}));
}

TEST(ResolvConf, SemicolonCommentsAndCommentedNameservers) {
    const auto servers =
        parse_resolv_conf("; nameserver 1.1.1.1\n#nameserver 8.8.8.8\nnameserver 9.9.9.9;x\n");
    EXPECT_EQ(servers, (std::vector<net::IpAddress>{ip("9.9.9.9")}));
}

TEST(ResolvConf, ScopedAddressIsReportedAndSkipped) {
    const auto result = parse_resolv_conf_detailed("nameserver fe80::1%eth0\nnameserver ::1\n");
    EXPECT_EQ(result.nameservers, (std::vector<net::IpAddress>{ip("::1")}));
    ASSERT_EQ(result.problems.size(), 1U);
    EXPECT_EQ(result.problems[0].line, 1U);
    EXPECT_NE(result.problems[0].message.find("scoped"), std::string::npos);
}

TEST(ResolvConf, BadAddressesAreReported) {
    const auto result =
        parse_resolv_conf_detailed("nameserver\nnameserver example.com\nnameserver 1.2.3.4\r\n");
    EXPECT_EQ(result.nameservers, (std::vector<net::IpAddress>{ip("1.2.3.4")}));
    ASSERT_EQ(result.problems.size(), 2U);
    EXPECT_EQ(result.problems[0].line, 1U);
    EXPECT_EQ(result.problems[1].line, 2U);
}

TEST(ResolvConf, KeywordMustBeExact) {
    EXPECT_TRUE(parse_resolv_conf("nameservers 1.2.3.4\n nameserverx 1.2.3.4\n").empty());
    EXPECT_EQ(parse_resolv_conf("  nameserver 1.2.3.4").size(), 1U);
}

}  // namespace
}  // namespace nfv::dnsvizor::dns
