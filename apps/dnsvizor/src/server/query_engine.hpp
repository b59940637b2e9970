// The DNS server core of nfv-dnsvizor: one client query in, actions out (dnsmasq 2.90
// `forward.c: receive_query` / `cache.c` order of work; RFC 1035 §4.1, RFC 6891 §6.1.3, §7).
//
// Sans-I/O. For each client datagram (UDP payload or one TCP frame):
//   1. parse it; malformed input and responses are dropped and counted; an opcode other than
//      QUERY gets NOTIMP, a count of questions other than one FORMERR, EDNS version > 0 BADVERS;
//   2. ask the QueryResolver (local data: hosts, address=, cname=, local=, ...) — local data
//      shadows the cache and upstreams;
//   3. a forwarded query is answered from the Cache when it can be, else handed to the
//      Forwarder; upstream answers are cached and sent back, except answers that stop-dns-rebind
//      doctors (server/rebind_filter.hpp): those are sent emptied and never cached.
// Fast path, before step 1: a plain query (net/dns/query_view.hpp) whose question the cache holds
// and the resolver decided to forward in its current decision generation (QueryResolver::
// decision_generation(), Cache::render()) is answered straight from the cached wire bytes: no
// Message is built and the resolver is not asked again. The bytes are the same the general path
// would send; whatever the fast path is unsure of (EDNS version or DO bit, RD clear, log-queries,
// an answer that would need truncating) goes the general way.
// Answers are serialized for the client's transport: UDP answers are cut to the client's EDNS
// size (or 512) with TC set (RFC 1035 §4.2.1), TCP answers may be up to 65535 bytes.
// log-queries lines are emitted in dnsmasq's wording ("query[A] name from ip", "forwarded name
// to ip", "reply name is ip", "cached ...", "config ..."). Counters go to the MetricsRegistry.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nfv/net/dns/message.hpp"
#include "nfv/platform/byte_buffer.hpp"
#include "nfv/platform/log.hpp"
#include "nfv/platform/metrics.hpp"
#include "nfv/platform/random.hpp"
#include "nfv/platform/time.hpp"

#include "dns/query_resolver.hpp"
#include "dns/settings.hpp"
#include "server/cache.hpp"
#include "server/forwarder.hpp"
#include "server/rebind_filter.hpp"

namespace nfv::dnsvizor::server {

/// A datagram (UDP) or message (TCP, unframed) for a client.
struct ClientMessage {
    ClientAddress client;
    std::vector<std::byte> wire;
};

/// What the runtime must do after one engine call. Reuse one object; the engine clears it.
struct EngineOutput {
    std::vector<ClientMessage> to_clients;
    std::vector<UpstreamQuery> to_upstreams;
    void clear() {
        to_clients.clear();
        to_upstreams.clear();
    }
};

struct EngineStats {
    std::uint64_t queries = 0;
    std::uint64_t answered_locally = 0;  // by the QueryResolver
    std::uint64_t cache_hits = 0;
    std::uint64_t cache_misses = 0;
    std::uint64_t malformed = 0;
    std::uint64_t unanswerable = 0;  // answers that could not be serialized
};

/// Serializes an answer for a client within `size_limit` (whole records that fit, TC if any
/// answer or authority record was left out). A reply that already carries TC (truncated by the
/// upstream) loses its answer, authority and additional sections first, as dnsmasq 2.90 does.
[[nodiscard]] Result<std::vector<std::byte>, net::dns::DnsError> serialize_for_client(
    net::dns::Message& reply, std::size_t size_limit);

class QueryEngine {
public:
    /// `resolver`, `random`, `metrics` and `log` must outlive the engine.
    QueryEngine(const dns::DnsSettings& settings, dns::QueryResolver& resolver,
                platform::Random& random, platform::MetricsRegistry& metrics,
                platform::Logger& log);

    /// A query from a client (a UDP payload or one TCP message without its length prefix).
    /// Clears `out`, then fills it.
    void on_client_message(std::span<const std::byte> message, const ClientAddress& client,
                           platform::Instant now, EngineOutput& out);

    /// A datagram from an upstream server. Clears `out`, then fills it.
    void on_upstream_datagram(std::span<const std::byte> datagram, const dns::Upstream& from,
                              platform::Instant now, EngineOutput& out);

    /// Retries and give-ups of forwarded queries. Clears `out`, then fills it.
    void on_timeout(platform::Instant now, EngineOutput& out);

    /// When on_timeout() next has work; nullopt if nothing is pending.
    [[nodiscard]] std::optional<platform::Instant> next_deadline() {
        return forwarder_.next_deadline();
    }

    /// Forgets every cached answer (SIGHUP).
    void clear_cache() { cache_.clear(); }

    /// The statistics dnsmasq logs on SIGUSR1, one line each.
    [[nodiscard]] std::vector<std::string> statistics_lines(platform::WallTime now) const;

    [[nodiscard]] const EngineStats& stats() const { return stats_; }
    [[nodiscard]] const Cache& cache() const { return cache_; }
    [[nodiscard]] const Forwarder& forwarder() const { return forwarder_; }

private:
    // The fast path of the banner; false when the general path must handle the query.
    bool answer_from_cache(std::span<const std::byte> message, const ClientAddress& client,
                           platform::Instant now, EngineOutput& out);
    void answer(const ClientAddress& client, net::dns::Message& reply,
                const net::dns::Message& query, std::size_t size_limit, EngineOutput& out);
    void reply_error(const ClientAddress& client, const net::dns::Message& query,
                     std::uint16_t rcode, EngineOutput& out);
    void take_forwarder_output(platform::Instant now, EngineOutput& out);
    void sync_forwarder_metrics();
    [[nodiscard]] std::size_t client_limit(const ClientAddress& client,
                                           const net::dns::Message& query) const;
    void log_answer(std::string_view source, const net::dns::Message& reply);

    struct Metrics {
        platform::Counter& queries_udp;
        platform::Counter& queries_tcp;
        platform::Counter& local;
        platform::Counter& cache_hits;
        platform::Counter& cache_misses;
        platform::Counter& forwarded;
        platform::Counter& malformed;
        platform::Counter& mismatched;
        platform::Counter& timeouts;
        platform::Counter& dropped_forward_max;
        platform::Counter& all_failed;
    };

    std::uint16_t edns_packet_max_;
    bool log_queries_;
    dns::QueryResolver& resolver_;
    platform::MetricsRegistry& registry_;
    platform::Logger& log_;
    Cache cache_;
    Forwarder forwarder_;
    RebindPolicy rebind_;
    ForwarderOutput forwarded_;
    Metrics metrics_;
    std::map<std::string, platform::Counter*> upstream_errors_;
    ForwarderStats synced_;                // forwarder stats already added to the counters
    platform::ByteBuffer answer_scratch_;  // answer_from_cache() builds answers here
    EngineStats stats_;
};

/// Forward mode from the settings (strict-order, all-servers, else last-good).
[[nodiscard]] ForwardMode forward_mode(const dns::UpstreamSettings& settings);

/// A name as dnsmasq logs it: no trailing dot, "." for the root.
[[nodiscard]] std::string log_name(const net::dns::Name& name);

}  // namespace nfv::dnsvizor::server
