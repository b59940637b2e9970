#include "config/value_syntax.hpp"

#include <gtest/gtest.h>

namespace nfv::dnsvizor::config {
namespace {

TEST(ValueSyntax, SplitTrimsBlanksAroundSeparators) {
    EXPECT_EQ(split_fields("a , b,c ,  d", {}), (std::vector<std::string>{"a", "b", "c", "d"}));
    EXPECT_EQ(split_fields("", {}), (std::vector<std::string>{""}));
    EXPECT_EQ(split_fields("a,,b", {}), (std::vector<std::string>{"a", "", "b"}));
}

TEST(ValueSyntax, SplitRespectsQuotedCharacters) {
    const std::string text = "a, b ,c";
    std::vector<bool> quoted(text.size(), false);
    quoted[1] = quoted[2] = true;  // ", " quoted: not a separator, blank kept
    EXPECT_EQ(split_fields(text, quoted), (std::vector<std::string>{"a, b", "c"}));
}

TEST(ValueSyntax, Decimal) {
    EXPECT_EQ(parse_decimal("0", 10), 0U);
    EXPECT_EQ(parse_decimal("65535", 65535), 65535U);
    EXPECT_FALSE(parse_decimal("65536", 65535));
    EXPECT_FALSE(parse_decimal("-1", 65535));
    EXPECT_FALSE(parse_decimal("+1", 65535));
    EXPECT_FALSE(parse_decimal("", 65535));
    EXPECT_FALSE(parse_decimal("1 ", 65535));
    EXPECT_FALSE(parse_decimal("99999999999999999999999", ~std::uint64_t{0}));
}

TEST(ValueSyntax, DomainNormalisation) {
    EXPECT_EQ(normalise_domain("Example.COM."), "example.com");
    EXPECT_EQ(normalise_domain("_ldap._tcp.lan"), "_ldap._tcp.lan");
    EXPECT_FALSE(normalise_domain(""));
    EXPECT_FALSE(normalise_domain("."));
    EXPECT_FALSE(normalise_domain("a..b"));
    EXPECT_FALSE(normalise_domain("a b"));
    EXPECT_FALSE(normalise_domain(std::string(64, 'a') + ".lan"));
    EXPECT_FALSE(normalise_domain("*.lan"));
    EXPECT_EQ(normalise_domain("*.lan", true), "*.lan");
}

TEST(ValueSyntax, AddressWithPort) {
    const auto v4 = parse_address_port("192.0.2.1#5353");
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->port, 5353);
    const auto v6 = parse_address_port("2001:db8::1");
    ASSERT_TRUE(v6);
    EXPECT_FALSE(v6->port);
    EXPECT_FALSE(parse_address_port("192.0.2.1#"));
    EXPECT_FALSE(parse_address_port("host.lan"));
}

TEST(ValueSyntax, InterfaceNames) {
    EXPECT_TRUE(is_interface_name("eth0"));
    EXPECT_TRUE(is_interface_name("wlan*"));
    EXPECT_FALSE(is_interface_name(""));
    EXPECT_FALSE(is_interface_name("sixteen-chars-xx"));
    EXPECT_FALSE(is_interface_name("a/b"));
}

}  // namespace
}  // namespace nfv::dnsvizor::config
