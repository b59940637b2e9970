#include "dns/synth_domain.hpp"

#include <gtest/gtest.h>

namespace nfv::dnsvizor::dns {
namespace {

net::IpAddress ip(std::string_view text) {
    return *net::IpAddress::parse(text);
}

const SynthDomain kV4{"synth.test", ip("192.168.50.0"), ip("192.168.50.255"), "host-"};
const SynthDomain kV6{"synth6.test", ip("2001:db8:5::"), ip("2001:db8:5::ffff"), ""};

TEST(SynthDomain, EncodesAndDecodesIpv4) {
    EXPECT_EQ(synth_name(kV4, ip("192.168.50.7")), "host-192-168-50-7.synth.test");
    EXPECT_EQ(synth_address(kV4, "host-192-168-50-7.synth.test"), ip("192.168.50.7"));
    EXPECT_FALSE(synth_name(kV4, ip("192.168.51.7")));
    EXPECT_FALSE(synth_address(kV4, "host-192-168-51-7.synth.test"));
    EXPECT_FALSE(synth_address(kV4, "x.host-192-168-50-7.synth.test"));
    EXPECT_FALSE(synth_address(kV4, "synth.test"));
    EXPECT_FALSE(synth_address(kV4, "host-2001-db8-5--1.synth.test"));
}

TEST(SynthDomain, EncodesAndDecodesIpv6) {
    EXPECT_EQ(synth_name(kV6, ip("2001:db8:5::1")), "2001-db8-5--1.synth6.test");
    EXPECT_EQ(synth_address(kV6, "2001-db8-5--1.synth6.test"), ip("2001:db8:5::1"));
    EXPECT_FALSE(synth_address(kV6, "192-168-50-7.synth6.test"));
    EXPECT_FALSE(synth_name(kV6, ip("192.168.50.7")));
}

}  // namespace
}  // namespace nfv::dnsvizor::dns
