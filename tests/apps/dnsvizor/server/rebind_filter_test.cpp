#include "server/rebind_filter.hpp"

#include <gtest/gtest.h>

#include "server_test_util.hpp"

namespace nfv::dnsvizor::server {
namespace {

using net::dns::Rcode;
using test::a_record;
using test::cname_record;
using test::question;
using test::response;

net::Ipv4Address v4(const char* text) {
    return *net::Ipv4Address::parse(text);
}
net::Ipv6Address v6(const char* text) {
    return *net::Ipv6Address::parse(text);
}

TEST(RebindFilter, Ipv4RangesAsDnsmasqBansThem) {
    for (const char* banned :
         {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.1.1", "192.0.2.10",
          "198.51.100.7", "203.0.113.66", "255.255.255.255", "127.0.0.1", "0.0.0.0"}) {
        EXPECT_TRUE(is_rebind_banned(v4(banned), false)) << banned;
    }
    for (const char* allowed : {"8.8.8.8", "172.32.0.1", "192.0.3.1", "100.64.0.1", "1.1.1.1"}) {
        EXPECT_FALSE(is_rebind_banned(v4(allowed), false)) << allowed;
    }
    // rebind-localhost-ok lets 127/8 and 0/8 through, nothing else.
    EXPECT_FALSE(is_rebind_banned(v4("127.0.0.2"), true));
    EXPECT_FALSE(is_rebind_banned(v4("0.0.0.0"), true));
    EXPECT_TRUE(is_rebind_banned(v4("10.0.0.1"), true));
}

TEST(RebindFilter, Ipv6RangesAsDnsmasqBansThem) {
    for (const char* banned :
         {"fe80::1", "fec0::1", "fd00::1", "2001:db8::10", "::1", "::", "::ffff:10.0.0.1"}) {
        EXPECT_TRUE(is_rebind_banned(v6(banned), false)) << banned;
    }
    // dnsmasq tests the first octet 0xfd only, so fc00::/8 passes.
    for (const char* allowed : {"2001:4860::1", "fc00::1", "::ffff:8.8.8.8", "2001:db9::1"}) {
        EXPECT_FALSE(is_rebind_banned(v6(allowed), false)) << allowed;
    }
    EXPECT_FALSE(is_rebind_banned(v6("::1"), true));
}

TEST(RebindFilter, DoctorsReplyWithPrivateAddressKeepingRcodeAndFlags) {
    RebindPolicy policy;
    policy.enabled = true;
    const auto q = question("evil.example.");
    auto reply = response(q, Rcode::kNoError,
                          {cname_record("evil.example.", 60, "x.example."),
                           a_record("x.example.", 60, {192, 168, 1, 1})});
    reply.header.aa = true;
    reply.header.tc = true;
    ASSERT_TRUE(apply_rebind_policy(policy, reply));
    EXPECT_TRUE(reply.answers.empty());
    EXPECT_TRUE(reply.authorities.empty());
    EXPECT_FALSE(reply.header.tc);
    EXPECT_TRUE(reply.header.aa);
    EXPECT_EQ(reply.rcode(), static_cast<std::uint16_t>(Rcode::kNoError));
}

TEST(RebindFilter, PublicAnswersAndDisabledPolicyAreLeftAlone) {
    const auto q = question("good.example.");
    const auto original =
        response(q, Rcode::kNoError, {a_record("good.example.", 60, {8, 8, 4, 4})});
    RebindPolicy on;
    on.enabled = true;
    auto reply = original;
    EXPECT_FALSE(apply_rebind_policy(on, reply));
    EXPECT_EQ(reply.answers.size(), 1U);

    auto private_reply =
        response(q, Rcode::kNoError, {a_record("good.example.", 60, {10, 0, 0, 1})});
    EXPECT_FALSE(apply_rebind_policy(RebindPolicy{}, private_reply));
    EXPECT_EQ(private_reply.answers.size(), 1U);
}

TEST(RebindFilter, ExemptDomainsAndLocalhostOk) {
    RebindPolicy policy;
    policy.enabled = true;
    policy.localhost_ok = true;
    policy.exempt_domains = {"plex.direct"};
    const auto q = question("x.plex.direct.");
    auto exempt = response(q, Rcode::kNoError, {a_record("x.plex.direct.", 60, {192, 168, 5, 5})});
    EXPECT_FALSE(apply_rebind_policy(policy, exempt));
    EXPECT_EQ(exempt.answers.size(), 1U);

    const auto lq = question("lo.example.");
    auto loopback = response(lq, Rcode::kNoError, {a_record("lo.example.", 60, {127, 0, 0, 2})});
    EXPECT_FALSE(apply_rebind_policy(policy, loopback));
    policy.localhost_ok = false;
    EXPECT_TRUE(apply_rebind_policy(policy, loopback));
}

}  // namespace
}  // namespace nfv::dnsvizor::server
