#include "nfv/net/dns/query_view.hpp"

#include <gtest/gtest.h>

#include "nfv/net/dns/message.hpp"

#include "dns_test_util.hpp"

namespace nfv::net::dns {
namespace {

using testing::hex;

// example.com A, RD, no EDNS.
constexpr std::string_view kPlainQuery =
    "beef 0100 0001 0000 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001";

TEST(QueryView, PlainQueryGivesIdFlagsAndTheQuestionBytes) {
    const auto bytes = hex(kPlainQuery);
    const auto view = parse_query_view(bytes);
    ASSERT_TRUE(view.has_value());
    EXPECT_EQ(view->id, 0xbeef);
    EXPECT_EQ(view->flags, 0x0100);
    EXPECT_TRUE(view->header().rd);
    EXPECT_EQ(view->name_wire, std::string_view("\x07"
                                                "example\x03"
                                                "com"));
    EXPECT_EQ(view->type, RrType::kA);
    EXPECT_EQ(view->rclass, RrClass::kIn);
    EXPECT_EQ(view->question.data(), bytes.data() + kHeaderSize);
    EXPECT_EQ(view->question.size(), bytes.size() - kHeaderSize);
    EXPECT_FALSE(view->edns);
}

TEST(QueryView, OptRecordGivesSizeVersionAndDo) {
    const auto bytes = hex(testing::kQueryWithEdns);  // 1232, DO, a cookie option
    const auto view = parse_query_view(bytes);
    ASSERT_TRUE(view.has_value());
    EXPECT_TRUE(view->edns);
    EXPECT_EQ(view->udp_payload_size, 1232);
    EXPECT_EQ(view->edns_version, 0);
    EXPECT_TRUE(view->dnssec_ok);
    EXPECT_EQ(view->question.size(), 17U);
    // The same as the full parse.
    const auto full = parse_message(bytes);
    ASSERT_TRUE(full.has_value());
    EXPECT_EQ(full->header, view->header());
    EXPECT_EQ(full->edns->udp_payload_size, view->udp_payload_size);
}

TEST(QueryView, AnythingUnusualIsLeftToTheFullParse) {
    const std::string_view rejected[] = {
        // Two questions.
        "0001 0100 0002 0000 0000 0000 01 61 00 0001 0001 01 62 00 0001 0001",
        // No question.
        "0001 0100 0000 0000 0000 0000",
        // An answer record in a query.
        "0001 0100 0001 0001 0000 0000 01 61 00 0001 0001 c00c 0001 0001 00000001 0004 01020304",
        // A compression pointer in the question name.
        "0001 0100 0001 0000 0000 0000 01 61 c00c 0001 0001",
        // A label type other than plain length (0x40).
        "0001 0100 0001 0000 0000 0000 41 61 00 0001 0001",
        // Truncated inside the name, inside the type, inside the OPT.
        "0001 0100 0001 0000 0000 0000 05 61",
        "0001 0100 0001 0000 0000 0000 01 61 00 0001",
        "0001 0100 0001 0000 0000 0001 01 61 00 0001 0001 00 0029 04d0",
        // An additional record that is not OPT, or OPT with a non-root owner.
        "0001 0100 0001 0000 0000 0001 01 61 00 0001 0001 00 0001 0001 00000000 0000",
        "0001 0100 0001 0000 0000 0001 01 61 00 0001 0001 01 61 00 0029 04d0 00000000 0000",
        // OPT options that do not tile the rdata.
        "0001 0100 0001 0000 0000 0001 01 61 00 0001 0001 00 0029 04d0 00000000 0003 000a00",
        // Bytes after the last record.
        "0001 0100 0001 0000 0000 0000 01 61 00 0001 0001 ff",
        // Header only, short.
        "0001 0100 0001",
    };
    for (const auto text : rejected) {
        EXPECT_FALSE(parse_query_view(hex(text)).has_value()) << text;
    }
}

TEST(QueryView, NameLimitsAreTheProtocolLimits) {
    // 63-byte labels are fine, a 64-byte one is not.
    std::string label63 = "3f" + std::string(63 * 2, '6');
    auto ok = hex("0001 0100 0001 0000 0000 0000 " + label63 + " 00 0001 0001");
    EXPECT_TRUE(parse_query_view(ok).has_value());
    std::string label64 = "40" + std::string(64 * 2, '6');
    EXPECT_FALSE(
        parse_query_view(hex("0001 0100 0001 0000 0000 0000 " + label64 + " 00 0001 0001")));
    // Four 63-byte labels make 257 bytes with the root: too long, as for parse_message().
    std::string name;
    for (int i = 0; i < 4; ++i) {
        name += label63 + " ";
    }
    const auto long_name = hex("0001 0100 0001 0000 0000 0000 " + name + "00 0001 0001");
    EXPECT_FALSE(parse_query_view(long_name).has_value());
    EXPECT_FALSE(parse_message(long_name).has_value());
}

}  // namespace
}  // namespace nfv::net::dns
