#include "nfv/net/ip_address.hpp"

#include <array>
#include <set>
#include <string>

#include <gtest/gtest.h>

namespace nfv::net {
namespace {

TEST(Ipv4Address, DefaultIsUnspecified) {
    EXPECT_TRUE(Ipv4Address().is_unspecified());
    EXPECT_EQ(Ipv4Address().to_u32(), 0U);
}

TEST(Ipv4Address, OctetsAndU32AgreeOnNetworkOrder) {
    const Ipv4Address a({192, 0, 2, 1});
    EXPECT_EQ(a.to_u32(), 0xc0000201U);
    EXPECT_EQ(Ipv4Address::from_u32(0xc0000201U), a);
    EXPECT_EQ(a.octets(), (std::array<std::uint8_t, 4>{192, 0, 2, 1}));
    static_assert(Ipv4Address({10, 0, 0, 1}).to_u32() == 0x0a000001U);
}

TEST(Ipv4Address, ParsesValidDottedQuads) {
    struct Case {
        const char* text;
        std::uint32_t value;
    };
    const Case cases[] = {
        {"0.0.0.0", 0},
        {"255.255.255.255", 0xffffffffU},
        {"1.2.3.4", 0x01020304U},
        {"192.168.100.200", 0xc0a864c8U},
        {"10.0.0.0", 0x0a000000U},
    };
    for (const auto& c : cases) {
        const auto parsed = Ipv4Address::parse(c.text);
        ASSERT_TRUE(parsed.has_value()) << c.text;
        EXPECT_EQ(parsed->to_u32(), c.value) << c.text;
        EXPECT_EQ(parsed->to_string(), c.text);
    }
}

TEST(Ipv4Address, RejectsMalformedText) {
    const char* cases[] = {
        "",           "1.2.3",     "1.2.3.4.5", "256.1.1.1",  "1.2.3.256", "01.2.3.4",
        "1.2.3.04",   "00.1.1.1",  "+1.2.3.4",  "1.-2.3.4",   "1..3.4",    ".1.2.3",
        "1.2.3.",     "1.2.3.4 ",  " 1.2.3.4",  "1.2.3.a",    "0x1.2.3.4", "1.2.3.4/24",
        "1234.1.1.1", "1.2.3.4\n", "::1",       "1.2.3.1000",
    };
    for (const char* text : cases) {
        EXPECT_FALSE(Ipv4Address::parse(text).has_value()) << '"' << text << '"';
    }
}

TEST(Ipv4Address, ClassifiesSpecialRanges) {
    EXPECT_TRUE(Ipv4Address({127, 0, 0, 1}).is_loopback());
    EXPECT_TRUE(Ipv4Address({127, 255, 1, 1}).is_loopback());
    EXPECT_FALSE(Ipv4Address({128, 0, 0, 1}).is_loopback());

    EXPECT_TRUE(Ipv4Address({10, 1, 2, 3}).is_private());
    EXPECT_TRUE(Ipv4Address({172, 16, 0, 1}).is_private());
    EXPECT_TRUE(Ipv4Address({172, 31, 255, 255}).is_private());
    EXPECT_FALSE(Ipv4Address({172, 32, 0, 0}).is_private());
    EXPECT_FALSE(Ipv4Address({172, 15, 255, 255}).is_private());
    EXPECT_TRUE(Ipv4Address({192, 168, 0, 1}).is_private());
    EXPECT_FALSE(Ipv4Address({192, 169, 0, 1}).is_private());
    EXPECT_FALSE(Ipv4Address({11, 0, 0, 1}).is_private());

    EXPECT_TRUE(Ipv4Address({169, 254, 1, 1}).is_link_local());
    EXPECT_FALSE(Ipv4Address({169, 253, 1, 1}).is_link_local());

    EXPECT_TRUE(Ipv4Address({224, 0, 0, 1}).is_multicast());
    EXPECT_TRUE(Ipv4Address({239, 255, 255, 255}).is_multicast());
    EXPECT_FALSE(Ipv4Address({240, 0, 0, 0}).is_multicast());
    EXPECT_FALSE(Ipv4Address({223, 255, 255, 255}).is_multicast());

    EXPECT_TRUE(Ipv4Address({255, 255, 255, 255}).is_broadcast());
    EXPECT_FALSE(Ipv4Address({255, 255, 255, 254}).is_broadcast());
}

TEST(Ipv4Address, OrdersNumerically) {
    EXPECT_LT(Ipv4Address({1, 2, 3, 4}), Ipv4Address({1, 2, 3, 5}));
    EXPECT_LT(Ipv4Address({9, 255, 255, 255}), Ipv4Address({10, 0, 0, 0}));
}

TEST(Ipv6Address, ParsesAndFormatsCanonically) {
    struct Case {
        const char* input;
        const char* canonical;
    };
    const Case cases[] = {
        {"::", "::"},
        {"::1", "::1"},
        {"1::", "1::"},
        {"2001:db8::1", "2001:db8::1"},
        {"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
        {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
        {"fe80::1:2", "fe80::1:2"},
        // A single zero group is never compressed (RFC 5952 §4.2.2).
        {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
        // The longest run wins; the first wins a tie (RFC 5952 §4.2.3).
        {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
        {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
        {"1:0:0:0:0:0:0:0", "1::"},
        {"0:0:0:0:0:0:0:1", "::1"},
        {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
        {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},
        {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"},
        {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
        // Embedded IPv4 tails.
        {"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
        {"::FFFF:192.0.2.128", "::ffff:192.0.2.128"},
        {"::1.2.3.4", "::102:304"},
        {"64:ff9b::192.0.2.33", "64:ff9b::c000:221"},
        {"1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:102:304"},
    };
    for (const auto& c : cases) {
        const auto parsed = Ipv6Address::parse(c.input);
        ASSERT_TRUE(parsed.has_value()) << c.input;
        EXPECT_EQ(parsed->to_string(), c.canonical) << c.input;
        const auto again = Ipv6Address::parse(parsed->to_string());
        ASSERT_TRUE(again.has_value()) << c.canonical;
        EXPECT_EQ(*again, *parsed) << c.canonical;
    }
}

TEST(Ipv6Address, RejectsMalformedText) {
    const char* cases[] = {
        "",
        ":",
        ":::",
        "::1::",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8",
        ":1::2",
        "1::2:",
        ":1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:8:",
        "1:::2",
        "12345::",
        "g::1",
        "fe80::1%eth0",
        "::ffff:1.2.3",
        "::ffff:256.1.1.1",
        "::ffff:01.2.3.4",
        "1.2.3.4::",
        "::1.2.3.4:5",
        "1:2:3:4:5:6:7:1.2.3.4",
        "[::1]",
        " ::1",
        "::1/64",
        "1.2.3.4",
    };
    for (const char* text : cases) {
        EXPECT_FALSE(Ipv6Address::parse(text).has_value()) << '"' << text << '"';
    }
}

TEST(Ipv6Address, ClassifiesSpecialRanges) {
    const auto p = [](const char* text) { return *Ipv6Address::parse(text); };
    EXPECT_TRUE(p("::").is_unspecified());
    EXPECT_FALSE(p("::1").is_unspecified());
    EXPECT_TRUE(p("::1").is_loopback());
    EXPECT_FALSE(p("::2").is_loopback());
    EXPECT_TRUE(p("fe80::1").is_link_local());
    EXPECT_TRUE(p("febf::1").is_link_local());
    EXPECT_FALSE(p("fec0::1").is_link_local());
    EXPECT_TRUE(p("fc00::1").is_unique_local());
    EXPECT_TRUE(p("fdff::1").is_unique_local());
    EXPECT_FALSE(p("fe00::1").is_unique_local());
    EXPECT_TRUE(p("ff02::1").is_multicast());
    EXPECT_FALSE(p("fe02::1").is_multicast());
    EXPECT_TRUE(p("::ffff:10.0.0.1").is_v4_mapped());
    EXPECT_FALSE(p("::fffe:10.0.0.1").is_v4_mapped());
    EXPECT_FALSE(p("1::ffff:10.0.0.1").is_v4_mapped());
    EXPECT_EQ(p("::ffff:10.0.0.1").to_v4_mapped(), Ipv4Address({10, 0, 0, 1}));
    EXPECT_EQ(p("::1").to_v4_mapped(), std::nullopt);
    EXPECT_EQ(Ipv6Address::v4_mapped(Ipv4Address({10, 0, 0, 1})), p("::ffff:10.0.0.1"));
}

TEST(Ipv6Address, GroupsMatchOctets) {
    const auto a = Ipv6Address::from_groups({0x2001, 0xdb8, 0, 0, 0, 0, 0x12, 0xabcd});
    EXPECT_EQ(a.group(0), 0x2001);
    EXPECT_EQ(a.group(7), 0xabcd);
    EXPECT_EQ(a.octets()[0], 0x20);
    EXPECT_EQ(a.octets()[15], 0xcd);
    EXPECT_EQ(a.to_string(), "2001:db8::12:abcd");
}

TEST(IpAddress, HoldsEitherFamily) {
    const IpAddress v4 = Ipv4Address({192, 0, 2, 1});
    const IpAddress v6 = *Ipv6Address::parse("2001:db8::1");
    EXPECT_TRUE(v4.is_v4());
    EXPECT_FALSE(v4.is_v6());
    EXPECT_TRUE(v6.is_v6());
    EXPECT_EQ(v4.v4(), Ipv4Address({192, 0, 2, 1}));
    EXPECT_EQ(v6.to_string(), "2001:db8::1");
    EXPECT_EQ(v4.to_string(), "192.0.2.1");
    EXPECT_TRUE(IpAddress().is_v4());
}

TEST(IpAddress, ParsesBothFamiliesAndRejectsGarbage) {
    EXPECT_EQ(IpAddress::parse("10.1.2.3"), IpAddress(Ipv4Address({10, 1, 2, 3})));
    EXPECT_EQ(IpAddress::parse("::1"), IpAddress(*Ipv6Address::parse("::1")));
    EXPECT_EQ(IpAddress::parse("::ffff:1.2.3.4")->is_v6(), true);
    EXPECT_FALSE(IpAddress::parse("").has_value());
    EXPECT_FALSE(IpAddress::parse("example.com").has_value());
    EXPECT_FALSE(IpAddress::parse("1.2.3").has_value());
    EXPECT_FALSE(IpAddress::parse("::1::").has_value());
}

TEST(IpAddress, OrdersV4BeforeV6) {
    const IpAddress high_v4 = Ipv4Address({255, 255, 255, 255});
    const IpAddress low_v6 = Ipv6Address();
    EXPECT_LT(high_v4, low_v6);
    std::set<IpAddress> set{low_v6, high_v4, Ipv4Address({1, 1, 1, 1})};
    EXPECT_EQ(set.begin()->to_string(), "1.1.1.1");
    EXPECT_EQ(set.rbegin()->to_string(), "::");
}

}  // namespace
}  // namespace nfv::net
