// Fuzz target dnsvizor_server_engine: the DNS server core (QueryEngine: cache + forwarder) fed a
// sequence of client messages, upstream datagrams and clock steps.
//
// Input: records of [op:1][length:2 big-endian][bytes]. op % 4:
//   0  client message over UDP      1  client message over TCP
//   2  upstream datagram whose first two bytes are replaced by the id of the last upstream query
//      (so replies can match a pending query), from the server that query went to
//   3  clock advances by bytes[0] seconds (0 if empty), then on_timeout
// Properties: nothing crashes or leaks; every message for a client parses back, and a UDP
// answer never exceeds 512 bytes for a client without EDNS (or edns-packet-max with it).
// Two engines run in lock step on the same input: one whose resolver has a decision generation
// (so repeat cache hits take the wire-bytes fast path) and one without (general path only, with
// log-queries on). Their outputs must be byte for byte the same.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "nfv/net/dns/message.hpp"
#include "nfv/platform/log.hpp"
#include "nfv/platform/metrics.hpp"
#include "nfv/platform/testing/manual_clock.hpp"
#include "nfv/platform/testing/seeded_random.hpp"

#include "server/query_engine.hpp"

namespace {

using namespace nfv;

// Forwards everything to two upstreams except names under "local.", answered with one A record.
class Resolver final : public dnsvizor::dns::QueryResolver {
public:
    explicit Resolver(std::optional<std::uint64_t> generation) : generation_(generation) {}
    [[nodiscard]] std::optional<std::uint64_t> decision_generation() const override {
        return generation_;
    }
    dnsvizor::dns::Decision resolve(const net::dns::Message& query,
                                    const dnsvizor::dns::ClientInfo& /*client*/,
                                    platform::Instant /*now*/) override {
        dnsvizor::dns::Decision decision;
        const auto& q = query.questions.at(0);
        static const auto local = *net::dns::Name::parse_text("local.");
        if (q.name.is_subdomain_of(local)) {
            decision.reply.header = query.header;
            decision.reply.header.qr = true;
            decision.reply.questions = query.questions;
            decision.reply.answers.push_back(net::dns::ResourceRecord{
                q.name, net::dns::RrClass::kIn, 0, net::dns::rdata::A{{10, 0, 0, 1}}});
            return decision;
        }
        decision.kind = dnsvizor::dns::Decision::Kind::kForward;
        decision.upstreams = {dnsvizor::dns::Upstream{net::Ipv4Address({192, 0, 2, 1}), 53, ""},
                              dnsvizor::dns::Upstream{net::Ipv4Address({192, 0, 2, 2}), 53, ""}};
        return decision;
    }

private:
    std::optional<std::uint64_t> generation_;
};

void check(const dnsvizor::server::EngineOutput& out) {
    for (const auto& message : out.to_clients) {
        auto parsed = net::dns::parse_message(message.wire);
        if (!parsed) {
            std::abort();  // we produced a message we cannot parse
        }
        const std::size_t limit = parsed->edns ? dnsvizor::dns::kDefaultEdnsPacketMax : 512;
        if (!message.client.over_tcp && message.wire.size() > limit) {
            std::abort();  // UDP answer larger than the client may receive
        }
    }
}

bool same(const dnsvizor::server::EngineOutput& a, const dnsvizor::server::EngineOutput& b) {
    if (a.to_clients.size() != b.to_clients.size() ||
        a.to_upstreams.size() != b.to_upstreams.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.to_clients.size(); ++i) {
        if (!(a.to_clients[i].client == b.to_clients[i].client) ||
            a.to_clients[i].wire != b.to_clients[i].wire) {
            return false;
        }
    }
    for (std::size_t i = 0; i < a.to_upstreams.size(); ++i) {
        if (!(a.to_upstreams[i].upstream == b.to_upstreams[i].upstream) ||
            a.to_upstreams[i].wire != b.to_upstreams[i].wire) {
            return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> input(data, size);
    platform::testing::ManualClock clock;
    platform::testing::SeededRandom random(1);
    platform::testing::SeededRandom fast_random(1);
    platform::MetricsRegistry metrics;
    platform::MetricsRegistry fast_metrics;
    platform::MemorySink sink;
    platform::Logger log(sink, clock, "fuzz");
    Resolver resolver(std::nullopt);
    Resolver fast_resolver(1);
    dnsvizor::dns::DnsSettings settings;
    settings.cache.size = 8;
    dnsvizor::server::QueryEngine fast(settings, fast_resolver, fast_random, fast_metrics, log);
    settings.log.log_queries = true;
    dnsvizor::server::QueryEngine engine(settings, resolver, random, metrics, log);
    dnsvizor::server::EngineOutput out;
    dnsvizor::server::EngineOutput fast_out;
    std::vector<std::byte> last_upstream;
    dnsvizor::dns::Upstream last_server;
    std::vector<std::byte> bytes;

    std::size_t at = 0;
    while (at + 3 <= input.size()) {
        const std::uint8_t op = input[at] % 4;
        const std::size_t length = std::min<std::size_t>(
            (std::size_t{input[at + 1]} << 8U) | input[at + 2], input.size() - at - 3);
        const auto body = input.subspan(at + 3, length);
        at += 3 + length;
        bytes.assign(reinterpret_cast<const std::byte*>(body.data()),  // NOLINT: fuzz input
                     reinterpret_cast<const std::byte*>(body.data() + body.size()));  // NOLINT
        const dnsvizor::server::ClientAddress client{net::Ipv4Address({198, 51, 100, 7}), 5353,
                                                     op == 1, op == 1 ? 1U : 0U, 0};
        switch (op) {
            case 0:
            case 1:
                engine.on_client_message(bytes, client, clock.now(), out);
                fast.on_client_message(bytes, client, clock.now(), fast_out);
                break;
            case 2:
                if (last_upstream.size() >= 2 && bytes.size() >= 2) {
                    bytes[0] = last_upstream[0];
                    bytes[1] = last_upstream[1];
                }
                engine.on_upstream_datagram(bytes, last_server, clock.now(), out);
                fast.on_upstream_datagram(bytes, last_server, clock.now(), fast_out);
                break;
            default:
                clock.advance(std::chrono::seconds(body.empty() ? 0 : body[0]));
                engine.on_timeout(clock.now(), out);
                fast.on_timeout(clock.now(), fast_out);
                break;
        }
        check(out);
        if (!same(out, fast_out)) {
            std::abort();  // the fast path answered differently from the general path
        }
        if (!out.to_upstreams.empty()) {
            last_upstream = out.to_upstreams.back().wire;
            last_server = out.to_upstreams.back().upstream;
        }
    }
    return 0;
}
