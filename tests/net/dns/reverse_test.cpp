#include "nfv/net/dns/reverse.hpp"

#include <gtest/gtest.h>

namespace nfv::net::dns {
namespace {

TEST(DnsReverse, BuildsAndParsesInAddrArpa) {
    const std::array<std::uint8_t, 4> address{192, 0, 2, 10};
    const auto name = reverse_name(address);
    EXPECT_EQ(name.to_text(), "10.2.0.192.in-addr.arpa.");
    EXPECT_EQ(parse_reverse_v4(name), address);
    EXPECT_EQ(parse_reverse_v4(Name::parse_text("10.2.0.192.IN-ADDR.ARPA").value()), address);
}

TEST(DnsReverse, RejectsPartialOrMalformedInAddrArpa) {
    for (const char* text :
         {"2.0.192.in-addr.arpa", "256.2.0.192.in-addr.arpa", "01.2.0.192.in-addr.arpa",
          "a.2.0.192.in-addr.arpa", "1.10.2.0.192.in-addr.arpa", "10.2.0.192.ip6.arpa"}) {
        EXPECT_FALSE(parse_reverse_v4(Name::parse_text(text).value()).has_value()) << text;
    }
}

TEST(DnsReverse, BuildsAndParsesIp6Arpa) {
    std::array<std::uint8_t, 16> address{0x20, 0x01, 0x0d, 0xb8};
    address[15] = 0x1f;
    const auto name = reverse_name(address);
    EXPECT_EQ(name.to_text(),
              "f.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.");
    EXPECT_EQ(parse_reverse_v6(name), address);
    const auto upper = Name::parse_text(
        "F.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.B.D.0.1.0.0.2.IP6.ARPA.");
    EXPECT_EQ(parse_reverse_v6(upper.value()), address);
    EXPECT_FALSE(parse_reverse_v6(name.parent()).has_value());
    EXPECT_FALSE(parse_reverse_v6(reverse_name(std::array<std::uint8_t, 4>{1, 2, 3, 4})));
}

}  // namespace
}  // namespace nfv::net::dns
