#include "config/pool_persist.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::vpn::config {
namespace {

TEST(PoolPersist, ReadsWhatOpenVpnWrites) {
    // Files written by openvpn 2.6.14 (with and without server-ipv6).
    const auto file =
        parse_pool_persist("client1,10.8.0.2,fddd:1194:1194:1194::1000\nclient2,10.8.0.3,\n");
    EXPECT_TRUE(file.warnings.empty());
    ASSERT_EQ(file.entries.size(), 2U);
    EXPECT_EQ(file.entries[0].common_name, "client1");
    EXPECT_EQ(file.entries[0].ipv4, net::Ipv4Address({10, 8, 0, 2}));
    EXPECT_EQ(file.entries[0].ipv6, net::Ipv6Address::parse("fddd:1194:1194:1194::1000"));
    EXPECT_FALSE(file.entries[1].ipv6);
}

TEST(PoolPersist, AcceptsTheShortAndIpv6OnlyForms) {
    const auto file = parse_pool_persist("# comment\n;x\n\na,10.0.0.5\r\nb,,fd00::5\n");
    EXPECT_TRUE(file.warnings.empty());
    ASSERT_EQ(file.entries.size(), 2U);
    EXPECT_EQ(file.entries[0].ipv4, net::Ipv4Address({10, 0, 0, 5}));
    EXPECT_FALSE(file.entries[1].ipv4);
    EXPECT_TRUE(file.entries[1].ipv6);
}

TEST(PoolPersist, BadLinesAreWarningsWithLineNumbers) {
    const auto file = parse_pool_persist("ok,10.0.0.2,\nnocomma\nbad,10.0.0.300,\n,10.0.0.9\n");
    ASSERT_EQ(file.entries.size(), 1U);
    ASSERT_EQ(file.warnings.size(), 3U);
    EXPECT_EQ(file.warnings[0].rfind("line 2:", 0), 0U);
    EXPECT_NE(file.warnings[1].find("CN=bad"), std::string::npos);
}

TEST(PoolPersist, FormatRoundTrips) {
    const std::vector<PoolEntry> entries{
        {"client1", net::Ipv4Address({10, 8, 0, 2}),
         net::Ipv6Address::parse("fddd:1194:1194:1194::1000")},
        {"client2", net::Ipv4Address({10, 8, 0, 3}), std::nullopt},
    };
    const std::string text = format_pool_persist(entries);
    EXPECT_EQ(text, "client1,10.8.0.2,fddd:1194:1194:1194::1000\nclient2,10.8.0.3,\n");
    EXPECT_EQ(parse_pool_persist(text).entries, entries);
}

}  // namespace
}  // namespace nfv::vpn::config
