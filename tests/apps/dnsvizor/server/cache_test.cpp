#include "server/cache.hpp"

#include <chrono>

#include <gtest/gtest.h>

#include "nfv/platform/testing/manual_clock.hpp"

#include "server_test_util.hpp"

namespace nfv::dnsvizor::server {
namespace {

using namespace std::chrono_literals;
using net::dns::Rcode;
using net::dns::RrType;
using test::a_record;
using test::cname_record;
using test::question;
using test::response;
using test::soa_record;

dns::CacheSettings settings(std::size_t size = 150) {
    dns::CacheSettings s;
    s.size = size;
    return s;
}

TEST(Cache, HitReturnsAnswerWithTtlCountedDown) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("www.example.com.");
    ASSERT_TRUE(cache.insert(
        q, response(q, Rcode::kNoError, {a_record("www.example.com.", 300, {192, 0, 2, 1})}),
        clock.now()));
    clock.advance(100s);
    const auto hit = cache.lookup(q, clock.now());
    ASSERT_TRUE(hit);
    ASSERT_EQ(hit->answers.size(), 1U);
    EXPECT_EQ(hit->answers[0].ttl, 200U);
    EXPECT_EQ(hit->rcode, 0U);
    EXPECT_EQ(cache.stats().hits, 1U);
}

TEST(Cache, KeyIgnoresNameCase) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("WWW.Example.COM.");
    ASSERT_TRUE(cache.insert(
        q, response(q, Rcode::kNoError, {a_record("WWW.Example.COM.", 60, {192, 0, 2, 1})}),
        clock.now()));
    EXPECT_TRUE(cache.lookup(question("www.example.com."), clock.now()));
}

TEST(Cache, TypeAndClassArePartOfTheKey) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("www.example.com.");
    ASSERT_TRUE(cache.insert(
        q, response(q, Rcode::kNoError, {a_record("www.example.com.", 60, {192, 0, 2, 1})}),
        clock.now()));
    EXPECT_FALSE(cache.lookup(question("www.example.com.", RrType::kAaaa), clock.now()));
    auto chaos = q;
    chaos.rclass = net::dns::RrClass::kCh;
    EXPECT_FALSE(cache.lookup(chaos, clock.now()));
}

TEST(Cache, ExpiredEntryIsAMissAndRemoved) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("a.example.");
    ASSERT_TRUE(
        cache.insert(q, response(q, Rcode::kNoError, {a_record("a.example.", 10, {192, 0, 2, 1})}),
                     clock.now()));
    clock.advance(10s);
    EXPECT_FALSE(cache.lookup(q, clock.now()));
    EXPECT_EQ(cache.size(), 0U);
    EXPECT_EQ(cache.stats().expired, 1U);
}

TEST(Cache, EntryExpiresWithItsShortestRecord) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("alias.example.");
    ASSERT_TRUE(cache.insert(q,
                             response(q, Rcode::kNoError,
                                      {cname_record("alias.example.", 600, "real.example."),
                                       a_record("real.example.", 30, {192, 0, 2, 7})}),
                             clock.now()));
    clock.advance(29s);
    auto hit = cache.lookup(q, clock.now());
    ASSERT_TRUE(hit);
    ASSERT_EQ(hit->answers.size(), 2U);
    EXPECT_EQ(hit->answers[0].ttl, 571U);
    EXPECT_EQ(hit->answers[1].ttl, 1U);
    clock.advance(1s);
    EXPECT_FALSE(cache.lookup(q, clock.now()));
}

TEST(Cache, NxdomainCachedForSoaMinimum) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("nope.example.");
    ASSERT_TRUE(cache.insert(
        q, response(q, Rcode::kNxDomain, {}, {soa_record("example.", 3600, 60)}), clock.now()));
    clock.advance(59s);
    auto hit = cache.lookup(q, clock.now());
    ASSERT_TRUE(hit);
    EXPECT_TRUE(hit->negative());
    EXPECT_EQ(hit->rcode, static_cast<std::uint16_t>(Rcode::kNxDomain));
    ASSERT_EQ(hit->authorities.size(), 1U);
    EXPECT_EQ(hit->authorities[0].ttl, 1U);
    clock.advance(1s);
    EXPECT_FALSE(cache.lookup(q, clock.now()));
}

TEST(Cache, NodataCachedWithNoErrorRcode) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("v4only.example.", RrType::kAaaa);
    ASSERT_TRUE(cache.insert(q, response(q, Rcode::kNoError, {}, {soa_record("example.", 20, 300)}),
                             clock.now()));
    auto hit = cache.lookup(q, clock.now());
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->rcode, 0U);
    EXPECT_TRUE(hit->answers.empty());
    EXPECT_EQ(hit->authorities.at(0).ttl, 20U);  // min(SOA TTL, minimum)
}

TEST(Cache, NegativeWithoutSoaUsesNegTtlOrIsNotCached) {
    platform::testing::ManualClock clock;
    const auto q = question("nope.example.");
    Cache plain(settings());
    EXPECT_FALSE(plain.insert(q, response(q, Rcode::kNxDomain), clock.now()));
    Cache with_neg_ttl(settings(), 5);
    ASSERT_TRUE(with_neg_ttl.insert(q, response(q, Rcode::kNxDomain), clock.now()));
    clock.advance(5s);
    EXPECT_FALSE(with_neg_ttl.lookup(q, clock.now()));
}

TEST(Cache, NoNegcacheRefusesNegativeAnswers) {
    platform::testing::ManualClock clock;
    auto s = settings();
    s.no_negcache = true;
    Cache cache(s);
    const auto q = question("nope.example.");
    EXPECT_FALSE(cache.insert(
        q, response(q, Rcode::kNxDomain, {}, {soa_record("example.", 60, 60)}), clock.now()));
    EXPECT_FALSE(cache.lookup(q, clock.now()));
}

TEST(Cache, OnlyDefaultTypesAreCached) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto mx = question("example.", RrType::kMx);
    net::dns::ResourceRecord record{test::name("example."), net::dns::RrClass::kIn, 60,
                                    net::dns::rdata::Mx{10, test::name("mail.example.")}};
    EXPECT_FALSE(cache.insert(mx, response(mx, Rcode::kNoError, {record}), clock.now()));
    const auto srv = question("_sip._udp.example.", RrType::kSrv);
    net::dns::ResourceRecord srv_rr{test::name("_sip._udp.example."), net::dns::RrClass::kIn, 60,
                                    net::dns::rdata::Srv{1, 2, 5060, test::name("sip.example.")}};
    EXPECT_TRUE(cache.insert(srv, response(srv, Rcode::kNoError, {srv_rr}), clock.now()));
    // PTR replies are cached too (dnsmasq: "cached 10.99.1.1 is intranet.corp.example").
    const auto ptr = question("1.1.99.10.in-addr.arpa.", RrType::kPtr);
    net::dns::ResourceRecord ptr_rr{test::name("1.1.99.10.in-addr.arpa."), net::dns::RrClass::kIn,
                                    60, net::dns::rdata::Ptr{test::name("intranet.corp.example.")}};
    EXPECT_TRUE(cache.insert(ptr, response(ptr, Rcode::kNoError, {ptr_rr}), clock.now()));
    EXPECT_TRUE(cache.lookup(ptr, clock.now()));
}

TEST(Cache, ServfailTruncatedAndZeroTtlAreNotCached) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("a.example.");
    EXPECT_FALSE(cache.insert(q, response(q, Rcode::kServFail), clock.now()));
    auto truncated = response(q, Rcode::kNoError, {a_record("a.example.", 60, {192, 0, 2, 1})});
    truncated.header.tc = true;
    EXPECT_FALSE(cache.insert(q, truncated, clock.now()));
    EXPECT_FALSE(cache.insert(
        q, response(q, Rcode::kNoError, {a_record("a.example.", 0, {192, 0, 2, 1})}), clock.now()));
    EXPECT_EQ(cache.size(), 0U);
}

TEST(Cache, SignaturesOfADoAnswerAreNotCached) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("signed.example.");
    net::dns::ResourceRecord rrsig{test::name("signed.example."), net::dns::RrClass::kIn, 60,
                                   net::dns::rdata::Opaque{RrType::kRrsig, {std::byte{1}}}};
    ASSERT_TRUE(cache.insert(
        q,
        response(q, Rcode::kNoError, {a_record("signed.example.", 60, {198, 51, 100, 1}), rrsig}),
        clock.now()));
    const auto hit = cache.lookup(q, clock.now());
    ASSERT_TRUE(hit);
    ASSERT_EQ(hit->answers.size(), 1U);
    EXPECT_EQ(hit->answers[0].type(), RrType::kA);
}

// Entries are kept in wire form: what comes back is what went in, record for record (every rdata
// type the cache holds round-trips), only the TTLs count down. Names are stored compressed
// against the question, as every answer sends them, so a suffix shared with the question comes
// back in the question's case (what a client sees either way).
TEST(Cache, RecordsComeBackAsTheyWereStored) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("Alias.Example.", RrType::kSrv);
    const std::vector<net::dns::ResourceRecord> answers = {
        cname_record("alias.example.", 600, "_sip._udp.Target.example."),
        net::dns::ResourceRecord{test::name("_sip._udp.Target.example."), net::dns::RrClass::kIn,
                                 300,
                                 net::dns::rdata::Srv{10, 20, 5060, test::name("host.example.")}},
        net::dns::ResourceRecord{test::name("_sip._udp.Target.example."), net::dns::RrClass::kIn,
                                 100, net::dns::rdata::Opaque{RrType::kNull, {std::byte{7}}}},
    };
    ASSERT_TRUE(cache.insert(q, response(q, Rcode::kNoError, answers), clock.now()));
    clock.advance(40s);
    const auto hit = cache.lookup(question("alias.example.", RrType::kSrv), clock.now());
    ASSERT_TRUE(hit);
    ASSERT_EQ(hit->answers.size(), answers.size());
    const std::uint32_t expected_ttls[] = {560, 260, 60};
    for (std::size_t i = 0; i < answers.size(); ++i) {
        EXPECT_EQ(hit->answers[i].name, answers[i].name) << i;
        EXPECT_EQ(hit->answers[i].rdata, answers[i].rdata) << i;
        EXPECT_EQ(hit->answers[i].ttl, expected_ttls[i]) << i;
    }
    // The entry dies with its shortest record.
    clock.advance(60s);
    EXPECT_FALSE(cache.lookup(q, clock.now()));
}

TEST(Cache, RenderNeedsALookupThatConfirmedTheGeneration) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("www.example.");
    ASSERT_TRUE(cache.insert(
        q, response(q, Rcode::kNoError, {a_record("www.example.", 300, {192, 0, 2, 1})}),
        clock.now()));
    std::vector<std::byte> buffer(512);
    const auto render = [&](std::uint64_t generation) {
        net::ByteWriter out(buffer);
        out.write_zeros(12 + 13 + 4);  // header and question
        return cache.render(q.name.wire_without_root(), q.type, q.rclass, generation, clock.now(),
                            out);
    };
    EXPECT_FALSE(render(1)) << "never confirmed";
    ASSERT_TRUE(cache.lookup(q, clock.now()));
    EXPECT_FALSE(render(1)) << "a lookup without a generation confirms nothing";
    ASSERT_TRUE(cache.lookup(q, clock.now(), 1));
    const auto rendered = render(1);
    ASSERT_TRUE(rendered);
    EXPECT_EQ(rendered->answers, 1);
    EXPECT_EQ(rendered->authorities, 0);
    EXPECT_EQ(rendered->rcode, 0);
    EXPECT_FALSE(render(2)) << "a later generation must ask the resolver again";
    EXPECT_FALSE(render(0));
    EXPECT_EQ(cache.stats().hits, 3U);  // two lookups and one render
}

// The fast path must send exactly what the general path sends: the records render() appends
// after a question are the bytes serialize() writes for the answer lookup() returns.
TEST(Cache, RenderWritesWhatTheGeneralPathSerializes) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("Alias.Example.");
    const auto nx = question("nx.example.");
    ASSERT_TRUE(cache.insert(q,
                             response(q, Rcode::kNoError,
                                      {cname_record("alias.example.", 600, "www.target.example."),
                                       a_record("www.target.example.", 300, {192, 0, 2, 1}),
                                       a_record("www.target.example.", 200, {192, 0, 2, 2})}),
                             clock.now()));
    ASSERT_TRUE(cache.insert(
        nx, response(nx, Rcode::kNxDomain, {}, {soa_record("example.", 3600, 900)}), clock.now()));
    clock.advance(40s);
    for (const auto& asked : {question("ALIAS.example."), question("nx.EXAMPLE.")}) {
        const auto hit = cache.lookup(asked, clock.now(), 5);
        ASSERT_TRUE(hit);
        net::dns::Message reply = test::query(asked);
        reply.answers = hit->answers;
        reply.authorities = hit->authorities;
        const auto general = test::wire(reply);

        std::vector<std::byte> buffer(512);
        net::ByteWriter out(buffer);
        const std::size_t question_end = 12 + asked.name.wire_without_root().size() + 1 + 4;
        out.write_bytes(std::span(general).first(question_end));
        const auto rendered = cache.render(asked.name.wire_without_root(), asked.type, asked.rclass,
                                           5, clock.now(), out);
        ASSERT_TRUE(rendered);
        EXPECT_EQ(rendered->answers, hit->answers.size());
        EXPECT_EQ(rendered->authorities, hit->authorities.size());
        EXPECT_EQ(rendered->rcode, hit->rcode);
        const auto written = out.written();
        EXPECT_EQ(std::vector<std::byte>(written.begin(), written.end()), general)
            << asked.name.to_text();
    }
}

TEST(Cache, RenderDeclinesWhatDoesNotFitOrHasExpired) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("www.example.");
    ASSERT_TRUE(cache.insert(
        q, response(q, Rcode::kNoError, {a_record("www.example.", 30, {192, 0, 2, 1})}),
        clock.now()));
    ASSERT_TRUE(cache.lookup(q, clock.now(), 1));
    std::vector<std::byte> small(12 + 13 + 4 + 10);  // the A record needs 16
    net::ByteWriter out(small);
    out.write_zeros(12 + 13 + 4);
    EXPECT_FALSE(cache.render(q.name.wire_without_root(), q.type, q.rclass, 1, clock.now(), out));
    EXPECT_EQ(cache.stats().hits, 1U);

    clock.advance(30s);
    std::vector<std::byte> buffer(512);
    net::ByteWriter again(buffer);
    EXPECT_FALSE(cache.render(q.name.wire_without_root(), q.type, q.rclass, 1, clock.now(), again));
    EXPECT_EQ(cache.size(), 1U) << "the general path removes it and counts the miss";
    EXPECT_FALSE(cache.lookup(q, clock.now(), 1));
    EXPECT_EQ(cache.size(), 0U);
}

TEST(Cache, AnswerOfOnlySignaturesIsNotCached) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("signed.example.");
    net::dns::ResourceRecord rrsig{test::name("signed.example."), net::dns::RrClass::kIn, 60,
                                   net::dns::rdata::Opaque{RrType::kRrsig, {std::byte{1}}}};
    EXPECT_FALSE(cache.insert(q, response(q, Rcode::kNoError, {rrsig}), clock.now()));
    EXPECT_FALSE(cache.lookup(q, clock.now()));
}

TEST(Cache, ReplyForAnotherQuestionIsRejected) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto q = question("a.example.");
    const auto other = question("b.example.");
    EXPECT_FALSE(cache.insert(
        q, response(other, Rcode::kNoError, {a_record("b.example.", 60, {192, 0, 2, 1})}),
        clock.now()));
    // Answer records not starting at the question name.
    EXPECT_FALSE(
        cache.insert(q, response(q, Rcode::kNoError, {a_record("b.example.", 60, {192, 0, 2, 1})}),
                     clock.now()));
}

TEST(Cache, MinAndMaxCacheTtlClampPositiveAnswers) {
    platform::testing::ManualClock clock;
    auto s = settings();
    s.min_cache_ttl = 100000;  // capped to 3600 like dnsmasq
    s.max_cache_ttl = 7200;
    Cache cache(s);
    const auto low = question("low.example.");
    const auto high = question("high.example.");
    ASSERT_TRUE(cache.insert(
        low, response(low, Rcode::kNoError, {a_record("low.example.", 5, {192, 0, 2, 1})}),
        clock.now()));
    ASSERT_TRUE(cache.insert(
        high, response(high, Rcode::kNoError, {a_record("high.example.", 86400, {192, 0, 2, 2})}),
        clock.now()));
    EXPECT_EQ(cache.lookup(low, clock.now())->answers[0].ttl, kMaxMinCacheTtl);
    EXPECT_EQ(cache.lookup(high, clock.now())->answers[0].ttl, 7200U);
}

TEST(Cache, LeastRecentlyUsedIsEvictedAtCapacity) {
    platform::testing::ManualClock clock;
    Cache cache(settings(2));
    const auto a = question("a.example.");
    const auto b = question("b.example.");
    const auto c = question("c.example.");
    ASSERT_TRUE(
        cache.insert(a, response(a, Rcode::kNoError, {a_record("a.example.", 60, {192, 0, 2, 1})}),
                     clock.now()));
    ASSERT_TRUE(
        cache.insert(b, response(b, Rcode::kNoError, {a_record("b.example.", 60, {192, 0, 2, 2})}),
                     clock.now()));
    ASSERT_TRUE(cache.lookup(a, clock.now()));  // a becomes most recent
    ASSERT_TRUE(
        cache.insert(c, response(c, Rcode::kNoError, {a_record("c.example.", 60, {192, 0, 2, 3})}),
                     clock.now()));
    EXPECT_EQ(cache.size(), 2U);
    EXPECT_TRUE(cache.lookup(a, clock.now()));
    EXPECT_FALSE(cache.lookup(b, clock.now()));
    EXPECT_TRUE(cache.lookup(c, clock.now()));
    EXPECT_EQ(cache.stats().evictions, 1U);
}

TEST(Cache, ReinsertReplacesWithoutGrowing) {
    platform::testing::ManualClock clock;
    Cache cache(settings(2));
    const auto a = question("a.example.");
    ASSERT_TRUE(
        cache.insert(a, response(a, Rcode::kNoError, {a_record("a.example.", 60, {192, 0, 2, 1})}),
                     clock.now()));
    ASSERT_TRUE(
        cache.insert(a, response(a, Rcode::kNoError, {a_record("a.example.", 90, {192, 0, 2, 9})}),
                     clock.now()));
    EXPECT_EQ(cache.size(), 1U);
    const auto hit = cache.lookup(a, clock.now());
    ASSERT_TRUE(hit);
    EXPECT_EQ(hit->answers[0].ttl, 90U);
}

TEST(Cache, SizeZeroDisablesCaching) {
    platform::testing::ManualClock clock;
    Cache cache(settings(0));
    const auto a = question("a.example.");
    EXPECT_FALSE(
        cache.insert(a, response(a, Rcode::kNoError, {a_record("a.example.", 60, {192, 0, 2, 1})}),
                     clock.now()));
    EXPECT_FALSE(cache.lookup(a, clock.now()));
    EXPECT_EQ(cache.stats().misses, 1U);
}

TEST(Cache, ClearEmptiesTheCache) {
    platform::testing::ManualClock clock;
    Cache cache(settings());
    const auto a = question("a.example.");
    ASSERT_TRUE(
        cache.insert(a, response(a, Rcode::kNoError, {a_record("a.example.", 60, {192, 0, 2, 1})}),
                     clock.now()));
    cache.clear();
    EXPECT_EQ(cache.size(), 0U);
    EXPECT_FALSE(cache.lookup(a, clock.now()));
}

}  // namespace
}  // namespace nfv::dnsvizor::server
