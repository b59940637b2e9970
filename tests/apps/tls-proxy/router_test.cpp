#include "router.hpp"

#include <gtest/gtest.h>

namespace nfv::tls_proxy {
namespace {

Router make_router() {
    Router r;
    EXPECT_TRUE(r.add("a.example.org", 1));
    EXPECT_TRUE(r.add("*.example.org", 2));
    EXPECT_TRUE(r.add("example.org", 3));
    return r;
}

TEST(Router, ExactBeatsWildcard) {
    const Router r = make_router();
    EXPECT_EQ(r.match("a.example.org"), 1U);
    EXPECT_EQ(r.match("b.example.org"), 2U);
    EXPECT_EQ(r.match("example.org"), 3U);
}

TEST(Router, WildcardCoversExactlyOneLabel) {
    const Router r = make_router();
    EXPECT_FALSE(r.match("x.b.example.org"));
    EXPECT_FALSE(r.match(".example.org"));
    EXPECT_FALSE(r.match("other.org"));
}

TEST(Router, MatchIsCaseInsensitiveAndIgnoresTrailingDot) {
    const Router r = make_router();
    EXPECT_EQ(r.match("A.EXAMPLE.ORG"), 1U);
    EXPECT_EQ(r.match("Zz.Example.Org."), 2U);
}

TEST(Router, DefaultCatchesUnmatchedAndMissingNames) {
    Router r = make_router();
    r.set_default(9);
    EXPECT_EQ(r.match("unknown.test"), 9U);
    EXPECT_EQ(r.match(""), 9U);
    EXPECT_EQ(r.match("a.example.org"), 1U);
    EXPECT_FALSE(r.match_explicit("unknown.test"));
}

TEST(Router, RejectsDuplicateAndNonCanonicalPatterns) {
    Router r = make_router();
    EXPECT_FALSE(r.add("a.example.org", 5));
    EXPECT_FALSE(r.add("*.example.org", 5));
    EXPECT_FALSE(r.add("A.example.org", 5));
    EXPECT_FALSE(r.add("a.*.org", 5));
    EXPECT_EQ(r.size(), 3U);
    EXPECT_EQ(r.match("a.example.org"), 1U);
}

}  // namespace
}  // namespace nfv::tls_proxy
