#include "nfv/net/dns/types.hpp"

#include <gtest/gtest.h>

#include "nfv/net/dns/error.hpp"

namespace nfv::net::dns {
namespace {

TEST(DnsTypes, MnemonicsAndGenericFormsRoundTrip) {
    EXPECT_EQ(to_text(RrType::kAaaa), "AAAA");
    EXPECT_EQ(to_text(static_cast<RrType>(65534)), "TYPE65534");
    EXPECT_EQ(to_text(static_cast<RrClass>(42)), "CLASS42");
    EXPECT_EQ(parse_rr_type("aaaa"), RrType::kAaaa);
    EXPECT_EQ(parse_rr_type("type65534"), static_cast<RrType>(65534));
    EXPECT_EQ(parse_rr_type("TYPE1"), RrType::kA);
    EXPECT_EQ(parse_rr_class("in"), RrClass::kIn);
    EXPECT_EQ(parse_rr_class("CLASS3"), RrClass::kCh);
}

TEST(DnsTypes, RejectsBadMnemonics) {
    EXPECT_FALSE(parse_rr_type("TYPE").has_value());
    EXPECT_FALSE(parse_rr_type("TYPE65536").has_value());
    EXPECT_FALSE(parse_rr_type("TYPE1x").has_value());
    EXPECT_FALSE(parse_rr_type("AAAAA").has_value());
    EXPECT_FALSE(parse_rr_class("CLASS-1").has_value());
}

TEST(DnsError, NamesAreStable) {
    EXPECT_EQ(to_string(DnsError::kBadPointer), "bad_pointer");
    EXPECT_EQ(to_string(DnsError::kTruncated), "truncated");
}

}  // namespace
}  // namespace nfv::net::dns
