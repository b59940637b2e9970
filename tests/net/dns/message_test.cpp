#include "nfv/net/dns/message.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dns_test_util.hpp"

namespace nfv::net::dns {
namespace {

using testing::hex;

Message parse_ok(std::string_view hex_text) {
    const auto bytes = hex(hex_text);
    auto message = parse_message(bytes);
    EXPECT_TRUE(message.has_value()) << (message ? "" : to_string(message.error()));
    return message.has_value() ? *message : Message{};
}

DnsError parse_error(const std::vector<std::byte>& bytes) {
    auto message = parse_message(bytes);
    EXPECT_FALSE(message.has_value());
    return message.has_value() ? DnsError::kBadText : message.error();
}

Name name(std::string_view text) {
    return Name::parse_text(text).value();
}

// parse -> serialize -> parse must give an equal message.
void expect_round_trip(const Message& message) {
    const auto wire = serialize(message);
    ASSERT_TRUE(wire.has_value());
    const auto again = parse_message(*wire);
    ASSERT_TRUE(again.has_value()) << to_string(again.error());
    EXPECT_EQ(*again, message);
}

TEST(DnsMessage, ParsesQueryWithEdns) {
    const auto m = parse_ok(testing::kQueryWithEdns);
    EXPECT_EQ(m.header.id, 0x1234);
    EXPECT_FALSE(m.header.qr);
    EXPECT_TRUE(m.header.rd);
    EXPECT_TRUE(m.header.ad);
    EXPECT_EQ(m.header.opcode, Opcode::kQuery);
    ASSERT_EQ(m.questions.size(), 1U);
    EXPECT_EQ(to_text(m.questions[0]), "example.com. IN A");
    EXPECT_TRUE(m.additionals.empty());
    ASSERT_TRUE(m.edns.has_value());
    EXPECT_EQ(m.edns->udp_payload_size, 1232);
    EXPECT_TRUE(m.edns->dnssec_ok);
    EXPECT_EQ(m.edns->version, 0);
    ASSERT_EQ(m.edns->options.size(), 1U);
    EXPECT_EQ(m.edns->options[0].code, 10);  // COOKIE
    EXPECT_EQ(m.edns->options[0].data.size(), 8U);
    EXPECT_EQ(serialize(m).value(), hex(testing::kQueryWithEdns));
}

TEST(DnsMessage, ParsesCompressedCnameChainAndReserializesIdentically) {
    const auto m = parse_ok(testing::kCnameChain);
    EXPECT_TRUE(m.header.qr);
    EXPECT_TRUE(m.header.ra);
    ASSERT_EQ(m.answers.size(), 2U);
    EXPECT_EQ(to_text(m.answers[0]), "www.example.com. 300 IN CNAME web.example.com.");
    EXPECT_EQ(to_text(m.answers[1]), "web.example.com. 60 IN A 192.0.2.1");
    EXPECT_EQ(serialize(m).value(), hex(testing::kCnameChain));
}

TEST(DnsMessage, ParsesNxdomainWithSoa) {
    const auto m = parse_ok(testing::kNxdomain);
    EXPECT_EQ(m.rcode(), static_cast<std::uint16_t>(Rcode::kNxDomain));
    ASSERT_EQ(m.authorities.size(), 1U);
    const auto& soa = std::get<rdata::Soa>(m.authorities[0].rdata);
    EXPECT_EQ(soa.mname.to_text(), "ns.example.com.");
    EXPECT_EQ(soa.rname.to_text(), "hostmaster.example.com.");
    EXPECT_EQ(soa.serial, 0x78563412U);
    EXPECT_EQ(soa.minimum, 300U);
    EXPECT_EQ(to_text(m.authorities[0]),
              "example.com. 3600 IN SOA ns.example.com. hostmaster.example.com. 2018915346 7200 "
              "3600 604800 300");
    EXPECT_EQ(serialize(m).value(), hex(testing::kNxdomain));
}

TEST(DnsMessage, ParsesTxtWithSeveralStrings) {
    const auto m = parse_ok(testing::kTxt);
    ASSERT_EQ(m.answers.size(), 1U);
    const auto& txt = std::get<rdata::Txt>(m.answers[0].rdata);
    EXPECT_EQ(txt.strings, (std::vector<std::string>{"hello", "world", ""}));
    EXPECT_EQ(rdata_to_text(m.answers[0].rdata), R"("hello" "world" "")");
    expect_round_trip(m);
}

TEST(DnsMessage, ParsesSrvWithCompressedTargetAndWritesItUncompressed) {
    const auto m = parse_ok(testing::kSrv);
    ASSERT_EQ(m.answers.size(), 1U);
    EXPECT_EQ(to_text(m.answers[0]),
              "_sip._tcp.example.com. 300 IN SRV 10 5 5060 sip.example.com.");
    const auto wire = serialize(m).value();
    // RFC 2782: the target goes out uncompressed, so the output is longer than the input by
    // "example.com" (13 bytes) minus the 2-byte pointer.
    EXPECT_EQ(wire.size(), hex(testing::kSrv).size() + 13 - 2);
    expect_round_trip(m);
}

TEST(DnsMessage, ParsesCaa) {
    const auto m = parse_ok(testing::kCaa);
    ASSERT_EQ(m.answers.size(), 1U);
    EXPECT_EQ(m.answers[0].type(), RrType::kCaa);
    EXPECT_EQ(rdata_to_text(m.answers[0].rdata), R"(0 issue "letsencrypt.org")");
    EXPECT_EQ(serialize(m).value(), hex(testing::kCaa));
}

TEST(DnsMessage, ParsesNaptr) {
    const auto m = parse_ok(testing::kNaptr);
    ASSERT_EQ(m.answers.size(), 1U);
    EXPECT_EQ(rdata_to_text(m.answers[0].rdata),
              R"(100 10 "S" "SIP+D2U" "" _sip._udp.example.com.)");
    EXPECT_EQ(serialize(m).value(), hex(testing::kNaptr));
}

TEST(DnsMessage, KeepsUnknownTypeOpaque) {
    const auto m = parse_ok(testing::kUnknownType);
    ASSERT_EQ(m.answers.size(), 1U);
    EXPECT_EQ(m.answers[0].type(), static_cast<RrType>(65534));
    EXPECT_EQ(to_text(m.answers[0]), R"(example.com. 0 IN TYPE65534 \# 3 010203)");
    EXPECT_EQ(serialize(m).value(), hex(testing::kUnknownType));
}

TEST(DnsMessage, DecompressesNamesInsideLegacyTypes) {
    // example.com MB (type 7) whose rdata is a pointer to the question name: kept Opaque, but
    // rewritten uncompressed so it stays valid at any offset.
    const auto m = parse_ok(
        "0007 8180 0001 0001 0000 0000 07 6578616d706c65 03 636f6d 00 0007 0001"
        " c00c 0007 0001 00000000 0002 c00c");
    const auto& opaque = std::get<rdata::Opaque>(m.answers.at(0).rdata);
    EXPECT_EQ(opaque.data, hex("07 6578616d706c65 03 636f6d 00"));
    expect_round_trip(m);
}

TEST(DnsMessage, CompressionShrinksRepeatedNames) {
    Message m;
    m.header.qr = true;
    m.questions.push_back({name("a-rather-long-host-name.example.com"), RrType::kA, RrClass::kIn});
    for (std::uint8_t i = 0; i < 10; ++i) {
        m.answers.push_back({name("a-rather-long-host-name.example.com"), RrClass::kIn, 60,
                             rdata::A{{192, 0, 2, i}}});
    }
    const auto wire = serialize(m).value();
    const std::size_t name_size = m.questions[0].name.wire_size();
    const std::size_t uncompressed = kHeaderSize + (name_size + 4) + 10 * (name_size + 10 + 4);
    EXPECT_EQ(wire.size(), uncompressed - 10 * (name_size - 2));
    expect_round_trip(m);
}

TEST(DnsMessage, RejectsTruncatedHeader) {
    const auto bytes = hex(testing::kCnameChain);
    EXPECT_EQ(parse_error({bytes.begin(), bytes.begin() + 11}), DnsError::kTruncated);
}

TEST(DnsMessage, RejectsEveryTruncationOfARecord) {
    const auto bytes = hex(testing::kNxdomain);
    for (std::size_t size = kHeaderSize; size < bytes.size(); ++size) {
        const std::vector<std::byte> cut(bytes.begin(),
                                         bytes.begin() + static_cast<std::ptrdiff_t>(size));
        EXPECT_FALSE(parse_message(cut).has_value()) << size;
    }
}

TEST(DnsMessage, RejectsRdlengthBeyondMessage) {
    auto bytes = hex(testing::kCnameChain);
    bytes[bytes.size() - 5] = std::byte{0x10};  // A record rdlength 4 -> 16
    EXPECT_EQ(parse_error(bytes), DnsError::kTruncated);
}

TEST(DnsMessage, RejectsRdlengthThatDoesNotMatchTypedRdata) {
    // A record with 5 bytes of rdata.
    const auto bytes =
        hex("0008 8180 0000 0001 0000 0000 07 6578616d706c65 03 636f6d 00 0001 0001 00000000 0005"
            " c000020101");
    EXPECT_EQ(parse_error(bytes), DnsError::kBadRdata);
    // CNAME whose name ends before rdlength does.
    const auto cname = hex("0008 8180 0000 0001 0000 0000 00 0005 0001 00000000 0003 00 0000");
    EXPECT_EQ(parse_error(cname), DnsError::kBadRdata);
}

TEST(DnsMessage, RejectsCountsLargerThanPresent) {
    auto bytes = hex(testing::kCnameChain);
    bytes[7] = std::byte{3};  // ancount 2 -> 3
    EXPECT_EQ(parse_error(bytes), DnsError::kTruncated);
    auto huge = hex(testing::kCnameChain);
    huge[10] = std::byte{0xff};  // arcount 0xff00: cannot fit, rejected up front
    EXPECT_EQ(parse_error(huge), DnsError::kTruncated);
}

TEST(DnsMessage, TrailingDataIsRejectedUnlessIgnored) {
    auto bytes = hex(testing::kCnameChain);
    bytes.push_back(std::byte{0});
    EXPECT_EQ(parse_error(bytes), DnsError::kTrailingData);
    const auto lenient = parse_message(bytes, TrailingData::kIgnore);
    ASSERT_TRUE(lenient.has_value());
    EXPECT_EQ(lenient->answers.size(), 2U);
}

TEST(DnsMessage, RejectsMisplacedOrDuplicateOpt) {
    // OPT in the answer section.
    EXPECT_EQ(parse_error(hex("0009 0000 0000 0001 0000 0000 00 0029 0200 00000000 0000")),
              DnsError::kBadOpt);
    // Two OPT records.
    EXPECT_EQ(parse_error(hex("0009 0000 0000 0000 0000 0002 00 0029 0200 00000000 0000"
                              " 00 0029 0200 00000000 0000")),
              DnsError::kBadOpt);
    // OPT with a non-root owner.
    EXPECT_EQ(parse_error(hex("0009 0000 0000 0000 0000 0001 01 61 00 0029 0200 00000000 0000")),
              DnsError::kBadOpt);
    // Option running past the OPT rdata.
    EXPECT_EQ(parse_error(hex("0009 0000 0000 0000 0000 0001 00 0029 0200 00000000 0004"
                              " 000a 0008")),
              DnsError::kBadOpt);
}

TEST(DnsMessage, RejectsCompressionLoopInQuestion) {
    EXPECT_EQ(parse_error(hex("000a 0000 0001 0000 0000 0000 c00c 0001 0001")),
              DnsError::kBadPointer);
}

Message big_response(std::size_t answers, bool with_edns) {
    Message m;
    m.header.qr = true;
    m.header.id = 77;
    m.questions.push_back({name("many.example.com"), RrType::kTxt, RrClass::kIn});
    for (std::size_t i = 0; i < answers; ++i) {
        m.answers.push_back({name("many.example.com"), RrClass::kIn, 60,
                             rdata::Txt{{std::string(40, static_cast<char>('a' + i % 26))}}});
    }
    if (with_edns) {
        m.edns = Edns{};
    }
    return m;
}

TEST(DnsMessage, TruncationSetsTcAndStaysUnderLimit) {
    const auto m = big_response(100, false);
    const auto wire = serialize(m, kPlainUdpLimit).value();
    EXPECT_LE(wire.size(), kPlainUdpLimit);
    const auto parsed = parse_message(wire).value();
    EXPECT_TRUE(parsed.header.tc);
    EXPECT_GT(parsed.answers.size(), 0U);
    EXPECT_LT(parsed.answers.size(), 100U);
    // Whole records only: one more would not have fit.
    EXPECT_GT(wire.size() + 2 + 10 + 41, kPlainUdpLimit);
    // Without a limit nothing is dropped and TC stays clear.
    const auto full = parse_message(serialize(m).value()).value();
    EXPECT_FALSE(full.header.tc);
    EXPECT_EQ(full.answers.size(), 100U);
}

TEST(DnsMessage, TruncationKeepsOpt) {
    const auto m = big_response(100, true);
    const auto wire = serialize(m, 1232).value();
    EXPECT_LE(wire.size(), 1232U);
    const auto parsed = parse_message(wire).value();
    EXPECT_TRUE(parsed.header.tc);
    ASSERT_TRUE(parsed.edns.has_value());
    EXPECT_EQ(parsed.edns->udp_payload_size, kDefaultEdnsUdpSize);
}

TEST(DnsMessage, DroppingOnlyAdditionalRecordsDoesNotSetTc) {
    auto m = big_response(2, false);
    for (int i = 0; i < 20; ++i) {
        m.additionals.push_back(
            {name("glue.example.net"), RrClass::kIn, 60, rdata::Txt{{std::string(40, 'g')}}});
    }
    const auto parsed = parse_message(serialize(m, kPlainUdpLimit).value()).value();
    EXPECT_FALSE(parsed.header.tc);
    EXPECT_EQ(parsed.answers.size(), 2U);
    EXPECT_LT(parsed.additionals.size(), 20U);
}

TEST(DnsMessage, FailsWhenQuestionAloneDoesNotFit) {
    const auto m = big_response(0, true);
    EXPECT_EQ(serialize(m, 20).error(), DnsError::kDoesNotFit);
}

TEST(DnsMessage, RejectsOversizedCharacterString) {
    auto m = big_response(0, false);
    m.answers.push_back({name("x.example"), RrClass::kIn, 1, rdata::Txt{{std::string(256, 'x')}}});
    EXPECT_EQ(serialize(m).error(), DnsError::kTooLarge);
}

TEST(DnsMessage, ExtendedRcodeUsesEdns) {
    Message m;
    m.set_rcode(static_cast<std::uint16_t>(Rcode::kBadVers));
    EXPECT_EQ(m.header.rcode, 0);
    ASSERT_TRUE(m.edns.has_value());
    EXPECT_EQ(m.edns->extended_rcode, 1);
    const auto parsed = parse_message(serialize(m).value()).value();
    EXPECT_EQ(parsed.rcode(), 16);
}

TEST(DnsMessage, EffectiveUdpLimit) {
    Message query;
    EXPECT_EQ(effective_udp_limit(query), 512U);
    query.edns = Edns{};
    query.edns->udp_payload_size = 4096;
    EXPECT_EQ(effective_udp_limit(query), 1232U);
    EXPECT_EQ(effective_udp_limit(query, 4000), 4000U);
    query.edns->udp_payload_size = 100;
    EXPECT_EQ(effective_udp_limit(query), 512U);
}

TEST(DnsHeader, QueryHeadParsesOnlyTheFirstQuestion) {
    auto bytes = hex(testing::kQueryWithEdns);
    bytes.resize(kHeaderSize + 17);  // cut the OPT record: the hot path does not look at it
    const auto head = parse_query_head(bytes);
    ASSERT_TRUE(head.has_value());
    EXPECT_EQ(head->wire.header.id, 0x1234);
    EXPECT_EQ(head->wire.arcount, 1);
    ASSERT_TRUE(head->question.has_value());
    EXPECT_EQ(head->question->name, name("EXAMPLE.com"));
    EXPECT_EQ(head->question->type, RrType::kA);
    EXPECT_EQ(head->question_end, kHeaderSize + 17);
    EXPECT_FALSE(parse_message(bytes).has_value());
}

TEST(DnsHeader, FlagsRoundTrip) {
    for (unsigned flags = 0; flags <= 0xFFFF; flags += 0x11) {
        const auto header = decode_flags(1, static_cast<std::uint16_t>(flags));
        EXPECT_EQ(encode_flags(header), flags);
    }
}

}  // namespace
}  // namespace nfv::net::dns
