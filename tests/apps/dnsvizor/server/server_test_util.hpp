// Helpers for the server tests: build DNS names, questions, records and messages tersely.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/net/dns/message.hpp"

namespace nfv::dnsvizor::server::test {

namespace dns = net::dns;

inline dns::Name name(std::string_view text) {
    auto parsed = dns::Name::parse_text(text);
    EXPECT_TRUE(parsed) << text;
    return parsed ? *parsed : dns::Name();
}

inline dns::Question question(std::string_view text, dns::RrType type = dns::RrType::kA) {
    return dns::Question{name(text), type, dns::RrClass::kIn};
}

inline dns::ResourceRecord a_record(std::string_view owner, std::uint32_t ttl,
                                    std::array<std::uint8_t, 4> address) {
    return dns::ResourceRecord{name(owner), dns::RrClass::kIn, ttl, dns::rdata::A{address}};
}

inline dns::ResourceRecord cname_record(std::string_view owner, std::uint32_t ttl,
                                        std::string_view target) {
    return dns::ResourceRecord{name(owner), dns::RrClass::kIn, ttl,
                               dns::rdata::Cname{name(target)}};
}

inline dns::ResourceRecord soa_record(std::string_view owner, std::uint32_t ttl,
                                      std::uint32_t minimum) {
    dns::rdata::Soa soa{name("ns.example."), name("admin.example."), 1, 3600, 600, 86400, minimum};
    return dns::ResourceRecord{name(owner), dns::RrClass::kIn, ttl, soa};
}

/// A query with one question, RD set.
inline dns::Message query(const dns::Question& q, std::uint16_t id = 0x1234) {
    dns::Message m;
    m.header.id = id;
    m.header.rd = true;
    m.questions.push_back(q);
    return m;
}

/// A response to `q` with the given rcode and answers.
inline dns::Message response(const dns::Question& q, dns::Rcode rcode,
                             std::vector<dns::ResourceRecord> answers = {},
                             std::vector<dns::ResourceRecord> authorities = {},
                             std::uint16_t id = 0x1234) {
    dns::Message m = query(q, id);
    m.header.qr = true;
    m.header.ra = true;
    m.set_rcode(static_cast<std::uint16_t>(rcode));
    m.answers = std::move(answers);
    m.authorities = std::move(authorities);
    return m;
}

inline std::vector<std::byte> wire(const dns::Message& m) {
    auto bytes = dns::serialize(m);
    EXPECT_TRUE(bytes);
    return bytes ? *bytes : std::vector<std::byte>{};
}

inline dns::Message parse(std::span<const std::byte> bytes) {
    auto parsed = dns::parse_message(bytes);
    EXPECT_TRUE(parsed);
    return parsed ? *parsed : dns::Message{};
}

}  // namespace nfv::dnsvizor::server::test
