// Helpers for the server tests: build DNS names, questions, records and messages tersely.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/net/dns/message.hpp"

namespace nfv::dnsvizor::server::test {

namespace ndns = net::dns;

inline ndns::Name name(std::string_view text) {
    auto parsed = ndns::Name::parse_text(text);
    EXPECT_TRUE(parsed) << text;
    return parsed ? *parsed : ndns::Name();
}

inline ndns::Question question(std::string_view text, ndns::RrType type = ndns::RrType::kA) {
    return ndns::Question{name(text), type, ndns::RrClass::kIn};
}

inline ndns::ResourceRecord a_record(std::string_view owner, std::uint32_t ttl,
                                     std::array<std::uint8_t, 4> address) {
    return ndns::ResourceRecord{name(owner), ndns::RrClass::kIn, ttl, ndns::rdata::A{address}};
}

inline ndns::ResourceRecord cname_record(std::string_view owner, std::uint32_t ttl,
                                         std::string_view target) {
    return ndns::ResourceRecord{name(owner), ndns::RrClass::kIn, ttl,
                                ndns::rdata::Cname{name(target)}};
}

inline ndns::ResourceRecord soa_record(std::string_view owner, std::uint32_t ttl,
                                       std::uint32_t minimum) {
    ndns::rdata::Soa soa{name("ns.example."), name("admin.example."), 1, 3600, 600, 86400, minimum};
    return ndns::ResourceRecord{name(owner), ndns::RrClass::kIn, ttl, soa};
}

/// A query with one question, RD set.
inline ndns::Message query(const ndns::Question& q, std::uint16_t id = 0x1234) {
    ndns::Message m;
    m.header.id = id;
    m.header.rd = true;
    m.questions.push_back(q);
    return m;
}

/// A response to `q` with the given rcode and answers.
inline ndns::Message response(const ndns::Question& q, ndns::Rcode rcode,
                              std::vector<ndns::ResourceRecord> answers = {},
                              std::vector<ndns::ResourceRecord> authorities = {},
                              std::uint16_t id = 0x1234) {
    ndns::Message m = query(q, id);
    m.header.qr = true;
    m.header.ra = true;
    m.set_rcode(static_cast<std::uint16_t>(rcode));
    m.answers = std::move(answers);
    m.authorities = std::move(authorities);
    return m;
}

inline std::vector<std::byte> wire(const ndns::Message& m) {
    auto bytes = ndns::serialize(m);
    EXPECT_TRUE(bytes);
    return bytes ? *bytes : std::vector<std::byte>{};
}

inline ndns::Message parse(std::span<const std::byte> bytes) {
    auto parsed = ndns::parse_message(bytes);
    EXPECT_TRUE(parsed);
    return parsed ? *parsed : ndns::Message{};
}

}  // namespace nfv::dnsvizor::server::test
