#include "dns/domain_match.hpp"

#include <gtest/gtest.h>

namespace nfv::dnsvizor::dns {
namespace {

TEST(DomainMatch, NameKeyLowerCasesAndEscapesDots) {
    EXPECT_EQ(name_key(*net::dns::Name::parse_text("WWW.Example.COM.")), "www.example.com");
    EXPECT_EQ(name_key(*net::dns::Name::parse_text("a\\.b.c")), "a\\.b.c");
    EXPECT_EQ(name_key(net::dns::Name{}), "");
}

TEST(DomainMatch, PlainDomainMatchesItselfAndBelowOnLabelBoundary) {
    EXPECT_TRUE(match_domain("example.com", "example.com"));
    EXPECT_TRUE(match_domain("www.example.com", "example.com"));
    EXPECT_FALSE(match_domain("wwwexample.com", "example.com"));
    EXPECT_FALSE(match_domain("com", "example.com"));
    EXPECT_GT(*match_domain("a.b.example.com", "b.example.com"),
              *match_domain("a.b.example.com", "example.com"));
}

TEST(DomainMatch, SpecialPatterns) {
    EXPECT_EQ(match_domain("anything.at.all", "#"), 0U);
    EXPECT_EQ(match_domain("dotless", ""), 1U);
    EXPECT_FALSE(match_domain("dotted.name", ""));
    EXPECT_FALSE(match_domain("", ""));
    EXPECT_TRUE(match_domain("www.example.com", "*.example.com"));
    EXPECT_FALSE(match_domain("example.com", "*.example.com"));
    EXPECT_TRUE(match_domain("fooexample.com", "*example.com"));
    EXPECT_LT(*match_domain("dotless", ""), *match_domain("dotless", "dotless"));
}

TEST(DomainMatch, NormalizeKey) {
    EXPECT_EQ(normalize_key("Example.COM."), "example.com");
    EXPECT_EQ(normalize_key(""), "");
}

}  // namespace
}  // namespace nfv::dnsvizor::dns
