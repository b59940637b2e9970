#include "config/push_reply.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::vpn::config {
namespace {

// Captured from a Debian openvpn 2.6.14 server (configs/vpn/nyr/server.conf) talking to
// openvpn 2.6.14 (configs/vpn/nyr/client.ovpn).
constexpr std::string_view kNyrReply =
    "PUSH_REPLY,redirect-gateway def1 ipv6 bypass-dhcp,dhcp-option DNS 1.1.1.1,dhcp-option DNS "
    "1.0.0.1,block-outside-dns,tun-ipv6,route-gateway 10.8.0.1,topology subnet,ping 10,"
    "ping-restart 120,ifconfig-ipv6 fddd:1194:1194:1194::1000/64 fddd:1194:1194:1194::1,ifconfig "
    "10.8.0.2 255.255.255.0,peer-id 0,cipher AES-256-GCM,protocol-flags cc-exit tls-ekm "
    "dyn-tls-crypt,tun-mtu 1500";

struct Parsed {
    Result<bool, PushError> complete = false;
    PushedOptions options;
    std::vector<PushWarning> warnings;
};

Parsed parse(std::string_view message, const PullPolicy& policy = {}) {
    Parsed parsed;
    parsed.complete = apply_push_reply(message, policy, parsed.options, parsed.warnings);
    return parsed;
}

TEST(PushReply, ParsesWhatOpenVpn26Pushes) {
    const Parsed parsed = parse(kNyrReply);
    ASSERT_TRUE(parsed.complete) << parsed.complete.error().message;
    EXPECT_TRUE(*parsed.complete);
    const PushedOptions& o = parsed.options;
    EXPECT_EQ(o.ifconfig, std::make_pair(net::Ipv4Address({10, 8, 0, 2}),
                                         net::Ipv4Address({255, 255, 255, 0})));
    EXPECT_EQ(o.ifconfig_ipv6, net::Ipv6Address::parse("fddd:1194:1194:1194::1000"));
    EXPECT_EQ(o.ifconfig_ipv6_prefix, 64U);
    EXPECT_EQ(o.route_gateway, net::Ipv4Address({10, 8, 0, 1}));
    EXPECT_EQ(o.topology, Topology::kSubnet);
    EXPECT_EQ(o.ping, 10U);
    EXPECT_EQ(o.ping_restart, 120U);
    EXPECT_EQ(o.peer_id, 0U);
    EXPECT_EQ(o.cipher, "AES-256-GCM");
    EXPECT_EQ(o.protocol_flags, (ProtocolFlags{true, true, true}));
    EXPECT_EQ(o.tun_mtu, 1500U);
    EXPECT_TRUE(o.redirect_gateway.def1);
    EXPECT_TRUE(o.redirect_gateway.ipv6);
    EXPECT_TRUE(o.redirect_gateway.bypass_dhcp);
    ASSERT_EQ(o.dns_servers.size(), 2U);
    EXPECT_EQ(o.dns_servers[1].to_string(), "1.0.0.1");
    EXPECT_EQ(o.dhcp_options.size(), 2U);
    // block-outside-dns (Windows only) and tun-ipv6 are named, not applied.
    ASSERT_EQ(parsed.warnings.size(), 2U);
    EXPECT_EQ(parsed.warnings[0].option, "block-outside-dns");
    EXPECT_EQ(parsed.warnings[1].option, "tun-ipv6");
}

TEST(PushReply, EmptyReplyIsComplete) {
    const Parsed parsed = parse("PUSH_REPLY");
    ASSERT_TRUE(parsed.complete);
    EXPECT_TRUE(*parsed.complete);
    EXPECT_FALSE(parsed.options.ifconfig);
}

TEST(PushReply, RejectsOtherMessages) {
    EXPECT_EQ(parse("AUTH_FAILED").complete.error().kind, PushErrorKind::kNotPushReply);
    EXPECT_EQ(parse("PUSH_REPLYX,ping 1").complete.error().kind, PushErrorKind::kNotPushReply);
    EXPECT_EQ(parse("PUSH_REPLY,ping 1\n").complete.error().kind, PushErrorKind::kMalformed);
}

TEST(PushReply, RoutesWithMaskGatewayAndMetric) {
    const Parsed parsed = parse(
        "PUSH_REPLY,route 192.168.200.0 255.255.255.0,route 10.0.0.0 255.0.0.0 net_gateway 7,"
        "route-ipv6 2000::/3 fddd::1,route-metric 50");
    ASSERT_TRUE(parsed.complete);
    const auto& routes = parsed.options.routes;
    ASSERT_EQ(routes.size(), 2U);
    EXPECT_EQ(routes[0].network, net::Ipv4Address({192, 168, 200, 0}));
    EXPECT_EQ(routes[0].netmask, net::Ipv4Address({255, 255, 255, 0}));
    EXPECT_EQ(routes[1].gateway, "net_gateway");
    EXPECT_EQ(routes[1].metric, 7U);
    ASSERT_EQ(parsed.options.routes_ipv6.size(), 1U);
    EXPECT_EQ(parsed.options.routes_ipv6[0].prefix_length, 3U);
    EXPECT_EQ(parsed.options.route_metric, 50U);
}

TEST(PushReply, MalformedValuesFailTheReply) {
    for (const char* bad : {"PUSH_REPLY,ifconfig 10.8.0.2 garbage", "PUSH_REPLY,route host.example",
                            "PUSH_REPLY,route 10.0.0.0 255.0.255.0", "PUSH_REPLY,peer-id 16777216",
                            "PUSH_REPLY,ping x", "PUSH_REPLY,topology star",
                            "PUSH_REPLY,dhcp-option DNS nope", "PUSH_REPLY,tun-mtu 100",
                            "PUSH_REPLY,redirect-gateway def2", "PUSH_REPLY,route \"10.0.0.0"}) {
        const Parsed parsed = parse(bad);
        ASSERT_FALSE(parsed.complete) << bad;
        EXPECT_EQ(parsed.complete.error().kind, PushErrorKind::kMalformed) << bad;
    }
}

TEST(PushReply, UnknownAndUnpushableOptionsAreNamedWarnings) {
    const Parsed parsed = parse("PUSH_REPLY,frobnicate 1,up /bin/sh,ping 5");
    ASSERT_TRUE(parsed.complete);
    ASSERT_EQ(parsed.warnings.size(), 2U);
    EXPECT_EQ(parsed.warnings[0].option, "frobnicate 1");
    EXPECT_EQ(parsed.warnings[1].option, "up /bin/sh");
    EXPECT_EQ(parsed.options.ping, 5U);
}

TEST(PushReply, PullFilterFirstMatchWins) {
    PullPolicy policy;
    policy.filters = {{PullFilter::Action::kAccept, "route 10."},
                      {PullFilter::Action::kIgnore, "route "},
                      {PullFilter::Action::kIgnore, "dhcp-option"}};
    const Parsed parsed = parse(
        "PUSH_REPLY,route 10.1.0.0 255.255.0.0,route 172.16.0.0 255.240.0.0,dhcp-option DNS "
        "1.1.1.1, route 192.168.0.0 255.255.0.0",
        policy);
    ASSERT_TRUE(parsed.complete);
    ASSERT_EQ(parsed.options.routes.size(), 1U);
    EXPECT_EQ(parsed.options.routes[0].network, net::Ipv4Address({10, 1, 0, 0}));
    EXPECT_TRUE(parsed.options.dns_servers.empty());
    EXPECT_EQ(parsed.warnings.size(), 3U);
}

TEST(PushReply, PullFilterRejectFailsTheReply) {
    PullPolicy policy;
    policy.filters = {{PullFilter::Action::kReject, "redirect-gateway"}};
    const Parsed parsed = parse("PUSH_REPLY,ping 1,redirect-gateway def1", policy);
    ASSERT_FALSE(parsed.complete);
    EXPECT_EQ(parsed.complete.error().kind, PushErrorKind::kRejectedByFilter);
}

TEST(PushReply, RouteNopullDropsRoutesAndDnsButKeepsTheRest) {
    PullPolicy policy;
    policy.route_nopull = true;
    const Parsed parsed = parse(
        "PUSH_REPLY,route 10.0.0.0 255.0.0.0,dhcp-option DNS 1.1.1.1,redirect-gateway def1,"
        "route-gateway 10.8.0.1,ifconfig 10.8.0.2 255.255.255.0",
        policy);
    ASSERT_TRUE(parsed.complete);
    EXPECT_TRUE(parsed.options.routes.empty());
    EXPECT_TRUE(parsed.options.dns_servers.empty());
    EXPECT_FALSE(parsed.options.redirect_gateway.enabled);
    EXPECT_TRUE(parsed.options.route_gateway);
    EXPECT_TRUE(parsed.options.ifconfig);
    EXPECT_EQ(parsed.warnings.size(), 3U);
}

TEST(PushReply, RealCompressionIsUnsupportedStubIsAccepted) {
    EXPECT_EQ(parse("PUSH_REPLY,comp-lzo yes").complete.error().kind, PushErrorKind::kUnsupported);
    EXPECT_EQ(parse("PUSH_REPLY,compress lz4-v2").complete.error().kind,
              PushErrorKind::kUnsupported);
    const Parsed stub = parse("PUSH_REPLY,comp-lzo no");
    ASSERT_TRUE(stub.complete);
    EXPECT_EQ(stub.options.compression, Compression::kLzoStub);
}

TEST(PushReply, UnknownProtocolFlagIsAWarning) {
    const Parsed parsed = parse("PUSH_REPLY,protocol-flags tls-ekm aead-epoch");
    ASSERT_TRUE(parsed.complete);
    EXPECT_EQ(parsed.options.protocol_flags, (ProtocolFlags{false, true, false}));
    EXPECT_EQ(parsed.warnings.size(), 1U);
}

TEST(PushReply, BoundsAreEnforced) {
    std::string long_option = "PUSH_REPLY,setenv X " + std::string(kMaxPushOptionLength, 'a');
    EXPECT_EQ(parse(long_option).complete.error().kind, PushErrorKind::kTooLarge);
    std::string huge = "PUSH_REPLY";
    while (huge.size() <= kMaxPushMessageSize) {
        huge += ",ping 1";
    }
    EXPECT_EQ(parse(huge).complete.error().kind, PushErrorKind::kTooLarge);
}

TEST(PushReplyAssembler, MergesContinuations) {
    PushReplyAssembler assembler(PullPolicy{});
    auto first = assembler.add("PUSH_REPLY,route 10.1.0.0 255.255.0.0,ping 10,push-continuation 2");
    ASSERT_TRUE(first);
    EXPECT_FALSE(*first);
    auto second = assembler.add("PUSH_REPLY,route 10.2.0.0 255.255.0.0,push-continuation 2");
    ASSERT_TRUE(second);
    EXPECT_FALSE(*second);
    auto last = assembler.add("PUSH_REPLY,ifconfig 10.8.0.2 255.255.255.0,push-continuation 1");
    ASSERT_TRUE(last);
    ASSERT_TRUE(*last);
    const PushedOptions& merged = **last;
    EXPECT_EQ(merged.routes.size(), 2U);
    EXPECT_EQ(merged.ping, 10U);
    EXPECT_TRUE(merged.ifconfig);
    // The next message starts a new reply.
    auto fresh = assembler.add("PUSH_REPLY,ping 3");
    ASSERT_TRUE(fresh);
    ASSERT_TRUE(*fresh);
    EXPECT_TRUE((*fresh)->routes.empty());
}

TEST(PushReplyAssembler, StopsEndlessContinuations) {
    PushReplyAssembler assembler(PullPolicy{});
    bool failed = false;
    for (std::size_t i = 0; i <= kMaxPushMessages; ++i) {
        auto result = assembler.add("PUSH_REPLY,ping 1,push-continuation 2");
        if (!result) {
            EXPECT_EQ(result.error().kind, PushErrorKind::kTooLarge);
            failed = true;
            break;
        }
    }
    EXPECT_TRUE(failed);
}

TEST(PushReplyAssembler, BadContinuationValueIsMalformed) {
    PushReplyAssembler assembler(PullPolicy{});
    auto result = assembler.add("PUSH_REPLY,push-continuation 3");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().kind, PushErrorKind::kMalformed);
}

}  // namespace
}  // namespace nfv::vpn::config
