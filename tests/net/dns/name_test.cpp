#include "nfv/net/dns/name.hpp"

#include <string>
#include <unordered_map>

#include <gtest/gtest.h>

#include "nfv/net/dns/name_compressor.hpp"

#include "dns_test_util.hpp"

namespace nfv::net::dns {
namespace {

using testing::hex;

Name text_name(std::string_view text) {
    auto name = Name::parse_text(text);
    EXPECT_TRUE(name.has_value()) << text;
    return name.value_or(Name());
}

Result<Name, DnsError> wire_name(std::string_view hex_text, std::size_t offset = 0) {
    const auto bytes = hex(hex_text);
    ByteReader reader(bytes);
    EXPECT_TRUE(reader.seek(offset));
    return Name::parse_wire(reader);
}

TEST(DnsName, ParsesTextAndPrintsWithTrailingDot) {
    const auto name = text_name("www.Example.com");
    EXPECT_EQ(name.label_count(), 3U);
    EXPECT_EQ(name.label(1), "Example");
    EXPECT_EQ(name.to_text(), "www.Example.com.");
    EXPECT_EQ(name.wire_size(), 17U);
    EXPECT_EQ(text_name("www.Example.com."), name);
}

TEST(DnsName, RootIsDot) {
    const auto root = text_name(".");
    EXPECT_TRUE(root.is_root());
    EXPECT_EQ(root.to_text(), ".");
    EXPECT_EQ(root.wire_size(), 1U);
    EXPECT_EQ(root.label_count(), 0U);
}

TEST(DnsName, EscapesRoundTrip) {
    const auto name = text_name(R"(a\.b.c\032d.\\.e)");
    ASSERT_EQ(name.label_count(), 4U);
    EXPECT_EQ(name.label(0), "a.b");
    EXPECT_EQ(name.label(1), "c d");
    EXPECT_EQ(name.label(2), "\\");
    EXPECT_EQ(name.to_text(), R"(a\.b.c\032d.\\.e.)");
    EXPECT_TRUE(text_name(name.to_text()).identical(name));
}

TEST(DnsName, RejectsBadText) {
    EXPECT_EQ(Name::parse_text("").error(), DnsError::kBadText);
    EXPECT_EQ(Name::parse_text("a..b").error(), DnsError::kBadText);
    EXPECT_EQ(Name::parse_text(".a").error(), DnsError::kBadText);
    EXPECT_EQ(Name::parse_text("a\\").error(), DnsError::kBadText);
    EXPECT_EQ(Name::parse_text("a\\25").error(), DnsError::kBadText);
    EXPECT_EQ(Name::parse_text("a\\256").error(), DnsError::kBadText);
    EXPECT_EQ(Name::parse_text(std::string(64, 'x')).error(), DnsError::kLabelTooLong);
    EXPECT_TRUE(Name::parse_text(std::string(63, 'x')).has_value());
}

TEST(DnsName, EnforcesTotalLengthOf255) {
    // 3 labels of 63 + 1 of 61: 3*64 + 62 + 1 = 255 bytes exactly.
    const std::string l63(63, 'a');
    const std::string ok = l63 + "." + l63 + "." + l63 + "." + std::string(61, 'b');
    const auto name = text_name(ok);
    EXPECT_EQ(name.wire_size(), 255U);
    EXPECT_EQ(Name::parse_text(ok + "b").error(), DnsError::kNameTooLong);
    EXPECT_EQ(name.prepend("x").error(), DnsError::kNameTooLong);
}

TEST(DnsName, ComparesCaseInsensitivelyAndHashesConsistently) {
    const auto a = text_name("WWW.Example.COM");
    const auto b = text_name("www.example.com");
    EXPECT_EQ(a, b);
    EXPECT_FALSE(a.identical(b));
    EXPECT_EQ(a.hash(), b.hash());
    EXPECT_NE(a, text_name("www.example.org"));
    // Only ASCII letters fold: '[' (0x5b) and '{' (0x7b) differ by 0x20 but are not letters.
    EXPECT_NE(text_name("a["), text_name("a{"));
    std::unordered_map<Name, int, NameHash> map;
    map[a] = 7;
    EXPECT_EQ(map.at(b), 7);
}

TEST(DnsName, SubdomainAndParent) {
    const auto host = text_name("a.b.example.com");
    EXPECT_TRUE(host.is_subdomain_of(text_name("EXAMPLE.com")));
    EXPECT_TRUE(host.is_subdomain_of(host));
    EXPECT_TRUE(host.is_subdomain_of(Name()));
    EXPECT_FALSE(host.is_subdomain_of(text_name("ample.com")));
    EXPECT_FALSE(text_name("example.com").is_subdomain_of(host));
    EXPECT_EQ(host.parent(), text_name("b.example.com"));
    EXPECT_TRUE(Name().parent().is_root());
    EXPECT_EQ(text_name("example.com").prepend("www").value(), text_name("www.example.com"));
}

TEST(DnsName, ParsesCompressedWireName) {
    // offset 0: "example.com", offset 13: "www" + pointer to 0.
    const auto bytes = hex("07 6578616d706c65 03 636f6d 00 03 777777 c000 ff");
    ByteReader reader(bytes);
    ASSERT_TRUE(reader.seek(13));
    const auto name = Name::parse_wire(reader);
    ASSERT_TRUE(name.has_value());
    EXPECT_EQ(name->to_text(), "www.example.com.");
    EXPECT_EQ(reader.position(), 19U);  // just past the pointer, not past the target
}

TEST(DnsName, RejectsSelfPointer) {
    EXPECT_EQ(wire_name("00 c001", 1).error(), DnsError::kBadPointer);
}

TEST(DnsName, RejectsForwardPointer) {
    EXPECT_EQ(wire_name("c002 00").error(), DnsError::kBadPointer);
}

TEST(DnsName, RejectsPointerLoopThroughLabels) {
    // offset 0: label "a", then a pointer back to 0: a loop that always adds a label.
    EXPECT_EQ(wire_name("01 61 c000").error(), DnsError::kBadPointer);
    // Two pointers bouncing: 4 -> 2 -> 4.
    EXPECT_EQ(wire_name("0000 c004 c002", 4).error(), DnsError::kBadPointer);
}

TEST(DnsName, RejectsReservedLabelTypes) {
    EXPECT_EQ(wire_name("40 00").error(), DnsError::kBadLabelType);
    EXPECT_EQ(wire_name("80 00").error(), DnsError::kBadLabelType);
}

TEST(DnsName, RejectsWireNameOver255) {
    std::string hex_text;
    for (int i = 0; i < 5; ++i) {
        hex_text += "3f";
        for (int k = 0; k < 63; ++k) {
            hex_text += "61";
        }
    }
    hex_text += "00";
    EXPECT_EQ(wire_name(hex_text).error(), DnsError::kNameTooLong);
}

TEST(DnsName, RejectsTruncatedWireName) {
    EXPECT_EQ(wire_name("").error(), DnsError::kTruncated);
    EXPECT_EQ(wire_name("03 6162").error(), DnsError::kTruncated);
    EXPECT_EQ(wire_name("03 616263").error(), DnsError::kTruncated);
    EXPECT_EQ(wire_name("00 c0", 1).error(), DnsError::kTruncated);
}

TEST(DnsNameCompressor, ReusesSuffixesCaseInsensitively) {
    std::vector<std::byte> buffer(128);
    ByteWriter out(buffer);
    NameCompressor compressor;
    compressor.write(text_name("www.example.com"), out);
    EXPECT_EQ(out.position(), 17U);
    compressor.write(text_name("MAIL.EXAMPLE.COM"), out);
    EXPECT_EQ(out.position(), 17U + 5 + 2);  // "mail" + pointer
    compressor.write(text_name("www.example.com"), out);
    EXPECT_EQ(out.position(), 17U + 7 + 2);  // just a pointer
    const auto expected =
        hex("03 777777 07 6578616d706c65 03 636f6d 00"
            " 04 4d41494c c004 c000");
    EXPECT_EQ(std::vector<std::byte>(out.written().begin(), out.written().end()), expected);
    // And it reads back.
    ByteReader reader(out.written());
    ASSERT_TRUE(reader.seek(17));
    EXPECT_EQ(Name::parse_wire(reader).value().to_text(), "MAIL.example.com.");
}

TEST(DnsNameCompressor, StopsRememberingAtTheCapButStaysCorrect) {
    // More distinct suffixes than it remembers: the first ones are still pointed to, the later
    // ones are written in full, and every name reads back.
    std::vector<std::byte> buffer(16384);
    ByteWriter out(buffer);
    NameCompressor compressor;
    std::vector<std::size_t> starts;
    const std::size_t names = NameCompressor::kMaxRemembered + 40;
    for (std::size_t i = 0; i < names; ++i) {
        starts.push_back(out.position());
        compressor.write(text_name("n" + std::to_string(i) + ".x"), out);
    }
    // "n0.x" was remembered: a pointer. The last name's own suffix was not: written in full
    // (up to the remembered "x").
    std::size_t at = out.position();
    compressor.write(text_name("N0.X"), out);
    EXPECT_EQ(out.position(), at + 2);
    at = out.position();
    compressor.write(text_name("n" + std::to_string(names - 1) + ".x"), out);
    EXPECT_GT(out.position(), at + 2);
    ASSERT_FALSE(out.overflowed());
    for (std::size_t i = 0; i < names; ++i) {
        ByteReader reader(out.written());
        ASSERT_TRUE(reader.seek(starts[i]));
        EXPECT_EQ(Name::parse_wire(reader).value().to_text(), "n" + std::to_string(i) + ".x.");
    }
}

}  // namespace
}  // namespace nfv::net::dns
