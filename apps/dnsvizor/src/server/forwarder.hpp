// Forwarding of client queries to upstream servers (dnsmasq 2.90 `forward.c` behaviour;
// query id randomisation against spoofing, RFC 5452 §4 and §9.1; EDNS RFC 6891 §6.2.5).
// EDNS upstream: the client's OPT and size (capped at edns_packet_max), or none, as dnsmasq.
//
// Sans-I/O: the runtime hands in parsed client queries, upstream datagrams and `now`; the
// forwarder returns datagrams to send upstream and completed answers for clients.
//   * Every upstream query gets a fresh random 16-bit id (platform::Random); the client's id is
//     restored in the answer. At most `max_pending` queries (dnsmasq's dns-forward-max) are in
//     flight; more are dropped and counted.
//   * A reply is accepted only if its id, its source (address and port of an upstream the query
//     was sent to) and its question all match; anything else is dropped and counted (spoofing
//     defence, RFC 5452 §9.1).
//   * Server choice (dnsmasq §2.3): strict-order tries the servers in order; all-servers sends
//     to every server and takes the first good reply; the default sends to the "last good"
//     server of the server group and re-probes all of them every 50 queries or 20 s.
//   * REFUSED or SERVFAIL from one server moves on to the next untried one; when every server of
//     the group has failed, the client gets the last server's reply (dnsmasq passes it on). With no
//     reply, the query is retried on the next server every `retry_interval`, and dropped silently
//     after `give_up` (dnsmasq: 10 s).
//   * A client that repeats a pending query (same address, port and id) is a retry: the query is
//     re-sent to every server that has not failed, as dnsmasq does.
//   * Transport: a query that arrived over TCP is forwarded over TCP (dnsmasq 2.90 `tcp_request`
//     relays TCP queries over TCP), so an answer too big for UDP (RFC 1035 §4.2.1, RFC 7766 §5)
//     reaches a TCP client whole instead of truncated. UpstreamQuery::over_tcp tells the runtime;
//     it opens one connection per upstream query (2-byte framing, RFC 1035 §4.2.2) and hands the
//     one reply message to on_upstream_datagram(), which checks it like a datagram. UDP clients
//     get a truncated upstream reply as it is (TC, no records), as dnsmasq passes it on.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "nfv/net/dns/message.hpp"
#include "nfv/net/ip_address.hpp"
#include "nfv/platform/random.hpp"
#include "nfv/platform/time.hpp"

#include "dns/query_resolver.hpp"

namespace nfv::dnsvizor::server {

/// Who asked, as the runtime needs it to send the answer back. Opaque to the forwarder.
struct ClientAddress {
    net::IpAddress address;
    std::uint16_t port = 0;
    bool over_tcp = false;
    std::uint64_t connection = 0;  // runtime's TCP connection id (0 for UDP)
    std::uint32_t listener = 0;    // runtime's index of the receiving socket
    friend bool operator==(const ClientAddress&, const ClientAddress&) = default;
};

enum class ForwardMode : std::uint8_t { kLastGood, kStrictOrder, kAllServers };

struct ForwarderConfig {
    ForwardMode mode = ForwardMode::kLastGood;
    std::uint32_t max_pending = 150;       // dns-forward-max
    std::uint16_t edns_packet_max = 1232;  // cap of the client's size passed upstream and
                                           // towards clients
    platform::Duration retry_interval = std::chrono::seconds(1);
    platform::Duration give_up = std::chrono::seconds(10);
    std::uint32_t probe_every_queries = 50;                     // FORWARD_TEST
    platform::Duration probe_every = std::chrono::seconds(20);  // FORWARD_TIME
};

/// A datagram for an upstream server.
struct UpstreamQuery {
    dns::Upstream upstream;
    std::vector<std::byte> wire;  // the DNS message, unframed
    bool over_tcp = false;        // send on a new TCP connection (framed), not as a datagram
};

/// A finished forwarded query: the answer for the client (client id restored, EDNS set for the
/// client) and the largest size it may have on the client's transport.
struct ForwardedAnswer {
    ClientAddress client;
    net::dns::Message reply;
    std::size_t size_limit = 0;
    bool from_upstream = true;  // the reply came from `upstream` (always, at present)
    std::optional<dns::Upstream> upstream;
};

struct ForwarderOutput {
    std::vector<UpstreamQuery> to_upstreams;
    std::vector<ForwardedAnswer> answers;
    std::vector<dns::Upstream> failed_upstreams;  // REFUSED/SERVFAIL replies, for metrics
    void clear() {
        to_upstreams.clear();
        answers.clear();
        failed_upstreams.clear();
    }
};

struct ForwarderStats {
    std::uint64_t forwarded = 0;      // client queries sent upstream
    std::uint64_t retransmits = 0;    // re-sends after a timeout or a client retry
    std::uint64_t replies = 0;        // good replies passed to clients
    std::uint64_t all_failed = 0;     // every server answered REFUSED/SERVFAIL
    std::uint64_t mismatched = 0;     // replies dropped: unknown id, wrong source or question
    std::uint64_t malformed = 0;      // upstream datagrams that did not parse
    std::uint64_t timeouts = 0;       // queries dropped after give_up
    std::uint64_t dropped_limit = 0;  // client queries dropped at max_pending
    std::uint64_t tcp_queries = 0;    // upstream queries sent over TCP (tries and retries)
};

/// Per upstream server, as dnsmasq's SIGUSR1 dump shows them.
struct UpstreamStats {
    std::uint64_t queries = 0;
    std::uint64_t retried = 0;
    std::uint64_t failed = 0;  // REFUSED / SERVFAIL replies
    std::uint64_t nxdomain = 0;
    std::uint64_t replies = 0;
    platform::Duration latency_sum{};
};

class Forwarder {
public:
    Forwarder(const ForwarderConfig& config, platform::Random& random);

    /// Forwards a client query (exactly one question) to `upstreams` (non-empty, preference
    /// order). Appends upstream datagrams to `out.to_upstreams`. Returns false if the query was
    /// dropped because max_pending queries are in flight (counted in stats().dropped_limit).
    bool forward(const net::dns::Message& query, const ClientAddress& client,
                 std::span<const dns::Upstream> upstreams, platform::Instant now,
                 ForwarderOutput& out);

    /// A datagram received from `from` on the upstream socket. Appends a finished answer and/or
    /// further upstream datagrams to `out`; a datagram that does not belong to a pending query is
    /// dropped and counted.
    void on_upstream_datagram(std::span<const std::byte> datagram, const dns::Upstream& from,
                              platform::Instant now, ForwarderOutput& out);

    /// Runs due retries and drops queries older than give_up. Call at next_deadline().
    void on_timeout(platform::Instant now, ForwarderOutput& out);

    /// The earliest time on_timeout() has work, or nullopt when nothing is pending.
    [[nodiscard]] std::optional<platform::Instant> next_deadline();

    [[nodiscard]] std::size_t pending() const { return pending_.size(); }
    [[nodiscard]] const ForwarderStats& stats() const { return stats_; }
    /// Keyed by "address#port" in dnsmasq's notation.
    [[nodiscard]] const std::map<std::string, UpstreamStats>& upstream_stats() const {
        return upstream_stats_;
    }

private:
    enum class TryState : std::uint8_t { kUntried, kSent, kFailed };
    struct Pending {
        ClientAddress client;
        net::dns::Message query;  // as the client sent it
        std::vector<dns::Upstream> upstreams;
        std::vector<TryState> tries;
        std::vector<platform::Instant> sent_at;
        std::vector<std::byte> wire;  // the upstream query, with our id
        std::string group;
        platform::Instant give_up;
        std::uint32_t generation = 0;
        bool over_tcp = false;  // forward over TCP (the client asked over TCP)
    };
    struct Deadline {
        platform::Instant at;
        std::uint16_t id;
        std::uint32_t generation;
    };
    struct ClientKey {
        net::IpAddress address;
        std::uint16_t port;
        std::uint64_t connection;
        std::uint16_t id;
        friend bool operator==(const ClientKey&, const ClientKey&) = default;
    };
    struct ClientKeyHash {
        std::size_t operator()(const ClientKey& key) const;
    };
    struct GroupState {
        std::size_t last_good = 0;
        std::uint32_t since_probe = 0;
        platform::Instant last_probe;
    };

    [[nodiscard]] std::optional<std::uint16_t> fresh_id();
    void send_to(Pending& pending, std::uint16_t id, std::size_t index, platform::Instant now,
                 ForwarderOutput& out);
    void schedule(std::uint16_t id, Pending& pending, platform::Instant at);
    void finish(std::uint16_t id, ForwarderOutput& out, ForwardedAnswer answer);
    [[nodiscard]] std::size_t size_limit_for(const Pending& pending) const;
    [[nodiscard]] static ClientKey client_key(const Pending& pending);

    ForwarderConfig config_;
    platform::Random& random_;
    std::unordered_map<std::uint16_t, Pending> pending_;
    std::unordered_map<ClientKey, std::uint16_t, ClientKeyHash> by_client_;
    std::deque<Deadline> deadlines_;  // non-decreasing `at` (all are now + constant)
    std::map<std::string, GroupState> groups_;
    std::map<std::string, UpstreamStats> upstream_stats_;
    std::uint32_t next_generation_ = 1;
    ForwarderStats stats_;
};

/// "192.0.2.1#53" (dnsmasq's notation for a server).
[[nodiscard]] std::string upstream_name(const dns::Upstream& upstream);

}  // namespace nfv::dnsvizor::server
