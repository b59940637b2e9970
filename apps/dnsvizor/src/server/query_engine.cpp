#include "server/query_engine.hpp"

#include <algorithm>
#include <chrono>
#include <variant>

#include "nfv/net/dns/query_view.hpp"

#include "dns/domain_match.hpp"

namespace nfv::dnsvizor::server {

namespace {

using net::dns::Rcode;
using net::dns::RrType;

constexpr auto kNoError = static_cast<std::uint16_t>(Rcode::kNoError);
constexpr auto kNxDomain = static_cast<std::uint16_t>(Rcode::kNxDomain);

RebindPolicy rebind_policy(const dns::UpstreamSettings& settings) {
    RebindPolicy policy;
    policy.enabled = settings.stop_dns_rebind;
    policy.localhost_ok = settings.rebind_localhost_ok;
    for (const auto& domain : settings.rebind_domain_ok) {
        policy.exempt_domains.push_back(dns::normalize_key(domain));
    }
    return policy;
}

ForwarderConfig forwarder_config(const dns::DnsSettings& settings) {
    ForwarderConfig config;
    config.mode = forward_mode(settings.upstream);
    config.max_pending = settings.upstream.dns_forward_max;
    config.edns_packet_max = settings.cache.edns_packet_max;
    return config;
}

// The client's EDNS on our answers: ours when the client used EDNS, none otherwise.
void fit_edns(net::dns::Message& reply, const net::dns::Message& query, std::uint16_t packet_max) {
    if (!query.edns) {
        if (reply.edns && reply.edns->extended_rcode == 0) {
            reply.edns.reset();
        }
        return;
    }
    if (!reply.edns) {
        reply.edns = net::dns::Edns{};
    }
    reply.edns->udp_payload_size = packet_max;
    reply.edns->dnssec_ok = query.edns->dnssec_ok;
    reply.edns->options.clear();
}

// The header of an answer from the cache, from the query's: the fast path and the general path
// must agree on it bit for bit.
net::dns::Header cache_answer_header(net::dns::Header header) {
    header.qr = true;
    header.aa = false;
    header.tc = false;
    header.ra = true;
    header.ad = false;
    return header;
}

// How dnsmasq's log shows an answer: the first record's data, or NXDOMAIN / NODATA.
std::string describe(const net::dns::Message& reply) {
    const std::uint16_t rcode = reply.rcode();
    if (rcode == kNxDomain) {
        return "NXDOMAIN";
    }
    if (rcode != kNoError) {
        return rcode == static_cast<std::uint16_t>(Rcode::kServFail) ? "SERVFAIL"
               : rcode == static_cast<std::uint16_t>(Rcode::kRefused)
                   ? "REFUSED"
                   : "rcode " + std::to_string(rcode);
    }
    if (reply.answers.empty()) {
        if (!reply.questions.empty() && reply.questions[0].type == RrType::kA) {
            return "NODATA-IPv4";
        }
        if (!reply.questions.empty() && reply.questions[0].type == RrType::kAaaa) {
            return "NODATA-IPv6";
        }
        return "NODATA";
    }
    const auto& first = reply.answers.front();
    if (std::holds_alternative<net::dns::rdata::Cname>(first.rdata)) {
        return "<CNAME>";
    }
    if (std::holds_alternative<net::dns::rdata::A>(first.rdata) ||
        std::holds_alternative<net::dns::rdata::Aaaa>(first.rdata) ||
        std::holds_alternative<net::dns::rdata::Ptr>(first.rdata)) {
        return net::dns::rdata_to_text(first.rdata);
    }
    return "<" + net::dns::to_text(first.type()) + ">";
}

}  // namespace

Result<std::vector<std::byte>, net::dns::DnsError> serialize_for_client(net::dns::Message& reply,
                                                                        std::size_t size_limit) {
    if (reply.header.tc) {
        // An upstream reply that is already truncated reaches the client as header and question
        // only, as dnsmasq 2.90 passes it on (no partial RRsets, RFC 2181 §9); the client
        // retries over TCP.
        reply.answers.clear();
        reply.authorities.clear();
        reply.additionals.clear();
    }
    // Our own answers that do not fit keep the whole records that do and get TC, as dnsmasq's.
    return net::dns::serialize(reply, size_limit);
}

ForwardMode forward_mode(const dns::UpstreamSettings& settings) {
    if (settings.all_servers) {
        return ForwardMode::kAllServers;
    }
    return settings.strict_order ? ForwardMode::kStrictOrder : ForwardMode::kLastGood;
}

std::string log_name(const net::dns::Name& name) {
    std::string text = name.to_text();
    if (text.size() > 1 && text.back() == '.') {
        text.pop_back();
    }
    return text;
}

QueryEngine::QueryEngine(const dns::DnsSettings& settings, dns::QueryResolver& resolver,
                         platform::Random& random, platform::MetricsRegistry& metrics,
                         platform::Logger& log)
    : edns_packet_max_(settings.cache.edns_packet_max),
      log_queries_(settings.log.log_queries),
      resolver_(resolver),
      registry_(metrics),
      log_(log),
      cache_(settings.cache, settings.local.neg_ttl),
      forwarder_(forwarder_config(settings), random),
      rebind_(rebind_policy(settings.upstream)),
      metrics_{
          metrics.counter("dnsvizor_queries_total", "DNS queries received", {{"transport", "udp"}}),
          metrics.counter("dnsvizor_queries_total", "DNS queries received", {{"transport", "tcp"}}),
          metrics.counter("dnsvizor_local_answers_total", "Queries answered from local data"),
          metrics.counter("dnsvizor_cache_hits_total", "Queries answered from the cache"),
          metrics.counter("dnsvizor_cache_misses_total", "Forwardable queries not in the cache"),
          metrics.counter("dnsvizor_forwarded_total", "Queries forwarded upstream"),
          metrics.counter("dnsvizor_malformed_total", "Client messages dropped as malformed"),
          metrics.counter("dnsvizor_upstream_mismatched_total",
                          "Upstream replies dropped: unknown id, source or question"),
          metrics.counter("dnsvizor_forward_timeouts_total",
                          "Forwarded queries dropped without an answer"),
          metrics.counter("dnsvizor_forward_max_drops_total", "Queries dropped at dns-forward-max"),
          metrics.counter("dnsvizor_all_upstreams_failed_total",
                          "Forwarded queries every upstream answered REFUSED/SERVFAIL"),
      } {}

std::size_t QueryEngine::client_limit(const ClientAddress& client,
                                      const net::dns::Message& query) const {
    return client.over_tcp ? net::dns::kMaxMessageSize
                           : net::dns::effective_udp_limit(query, edns_packet_max_);
}

void QueryEngine::answer(const ClientAddress& client, net::dns::Message& reply,
                         const net::dns::Message& query, std::size_t size_limit,
                         EngineOutput& out) {
    fit_edns(reply, query, edns_packet_max_);
    auto wire = serialize_for_client(reply, size_limit);
    if (!wire) {
        ++stats_.unanswerable;
        return;
    }
    out.to_clients.push_back(ClientMessage{client, std::move(*wire)});
}

void QueryEngine::reply_error(const ClientAddress& client, const net::dns::Message& query,
                              std::uint16_t rcode, EngineOutput& out) {
    net::dns::Message reply;
    reply.header = query.header;
    reply.header.qr = true;
    reply.header.aa = false;
    reply.header.tc = false;
    reply.header.ra = true;
    reply.questions = query.questions;
    if (query.edns) {
        reply.edns = net::dns::Edns{};
    }
    reply.set_rcode(rcode);
    answer(client, reply, query, client_limit(client, query), out);
}

void QueryEngine::log_answer(std::string_view source, const net::dns::Message& reply) {
    if (!log_queries_ || reply.questions.empty()) {
        return;
    }
    log_.info(std::string(source) + " " + log_name(reply.questions[0].name) + " is " +
              describe(reply));
}

void QueryEngine::on_client_message(std::span<const std::byte> message, const ClientAddress& client,
                                    platform::Instant now, EngineOutput& out) {
    out.clear();
    (client.over_tcp ? metrics_.queries_tcp : metrics_.queries_udp).inc();
    ++stats_.queries;
    if (answer_from_cache(message, client, now, out)) {
        return;
    }
    auto parsed = net::dns::parse_message(message, net::dns::TrailingData::kIgnore);
    if (!parsed || parsed->header.qr) {
        ++stats_.malformed;
        metrics_.malformed.inc();
        return;
    }
    const net::dns::Message& query = *parsed;
    if (query.header.opcode != net::dns::Opcode::kQuery) {
        reply_error(client, query, static_cast<std::uint16_t>(Rcode::kNotImp), out);
        return;
    }
    if (query.questions.size() != 1) {
        reply_error(client, query, static_cast<std::uint16_t>(Rcode::kFormErr), out);
        return;
    }
    if (query.edns && query.edns->version != 0) {
        reply_error(client, query, static_cast<std::uint16_t>(Rcode::kBadVers), out);
        return;
    }
    const auto& question = query.questions.front();
    if (log_queries_) {
        log_.info("query[" + net::dns::to_text(question.type) + "] " + log_name(question.name) +
                  " from " + client.address.to_string());
    }
    const dns::ClientInfo info{client.address, client.port, client.over_tcp, ""};
    auto decision = resolver_.resolve(query, info, now);
    if (decision.kind == dns::Decision::Kind::kAnswer) {
        ++stats_.answered_locally;
        metrics_.local.inc();
        log_answer("config", decision.reply);
        decision.reply.header.id = query.header.id;
        answer(client, decision.reply, query, client_limit(client, query), out);
        return;
    }
    // dnsmasq 2.90 (observed in tests/interop/dnsvizor_differential.sh) never answers a query
    // with RD clear (cache snooping) or with the DO bit set (its cache holds no DNSSEC records
    // unless it validates) from the cache: both are forwarded.
    const bool cache_allowed = query.header.rd && !(query.edns && query.edns->dnssec_ok);
    if (auto hit = cache_allowed ? cache_.lookup(question, now, resolver_.decision_generation())
                                 : std::nullopt) {
        ++stats_.cache_hits;
        metrics_.cache_hits.inc();
        net::dns::Message reply;
        reply.header = cache_answer_header(query.header);
        // Nothing below reads the query's question any more (only its header and EDNS).
        reply.questions = std::move(parsed->questions);
        reply.answers = std::move(hit->answers);
        reply.authorities = std::move(hit->authorities);
        reply.set_rcode(hit->rcode);
        log_answer("cached", reply);
        answer(client, reply, query, client_limit(client, query), out);
        return;
    }
    ++stats_.cache_misses;
    metrics_.cache_misses.inc();
    forwarded_.clear();
    if (forwarder_.forward(query, client, decision.upstreams, now, forwarded_)) {
        metrics_.forwarded.inc();
        if (log_queries_) {
            for (const auto& sent : forwarded_.to_upstreams) {
                log_.info("forwarded " + log_name(question.name) + " to " +
                          sent.upstream.address.to_string());
            }
        }
    }
    take_forwarder_output(now, out);
}

bool QueryEngine::answer_from_cache(std::span<const std::byte> message, const ClientAddress& client,
                                    platform::Instant now, EngineOutput& out) {
    const auto generation = resolver_.decision_generation();
    if (log_queries_ || !generation) {
        return false;
    }
    const auto query = net::dns::parse_query_view(message);
    if (!query) {
        return false;
    }
    net::dns::Header header = query->header();
    // What the general path answers otherwise: responses are dropped, other opcodes get NOTIMP,
    // other EDNS versions BADVERS; RD clear and DO set are never answered from the cache.
    if (header.qr || header.opcode != net::dns::Opcode::kQuery || !header.rd ||
        (query->edns && (query->edns_version != 0 || query->dnssec_ok))) {
        return false;
    }
    const std::size_t limit =
        client.over_tcp ? net::dns::kMaxMessageSize
                        : net::dns::udp_limit_for(
                              query->edns ? std::optional(query->udp_payload_size) : std::nullopt,
                              edns_packet_max_);
    const std::size_t opt_size = query->edns ? net::dns::kOptFixedSize : 0;
    if (answer_scratch_.size() < net::dns::kMaxMessageSize) {
        answer_scratch_.resize(net::dns::kMaxMessageSize);
    }
    // Header (written last, when the counts are known), the question as asked, the records.
    net::ByteWriter writer{answer_scratch_.span().first(limit - opt_size)};
    writer.write_zeros(net::dns::kHeaderSize);
    writer.write_bytes(query->question);
    const auto hit =
        cache_.render(query->name_wire, query->type, query->rclass, *generation, now, writer);
    if (!hit || writer.overflowed()) {
        return false;  // a miss, or an answer to truncate: the general path does it
    }
    header = cache_answer_header(header);
    header.rcode = static_cast<std::uint8_t>(hit->rcode & 0x0FU);
    net::ByteWriter header_out{answer_scratch_.span().first(net::dns::kHeaderSize)};
    net::dns::write_header(net::dns::WireHeader{header, 1, hit->answers, hit->authorities,
                                                static_cast<std::uint16_t>(query->edns ? 1 : 0)},
                           header_out);
    std::vector<std::byte> wire(writer.position() + opt_size);
    std::copy_n(answer_scratch_.data(), writer.position(), wire.begin());
    if (query->edns) {
        // Ours, as fit_edns() puts it on every answer to an EDNS query.
        net::dns::Edns edns;
        edns.udp_payload_size = edns_packet_max_;
        net::ByteWriter opt_out{std::span<std::byte>(wire).subspan(writer.position())};
        (void)net::dns::write_opt(edns, opt_out);
    }
    ++stats_.cache_hits;
    metrics_.cache_hits.inc();
    out.to_clients.push_back(ClientMessage{client, std::move(wire)});
    return true;
}

void QueryEngine::take_forwarder_output(platform::Instant now, EngineOutput& out) {
    for (auto& sent : forwarded_.to_upstreams) {
        out.to_upstreams.push_back(std::move(sent));
    }
    for (auto& done : forwarded_.answers) {
        if (done.from_upstream && done.reply.questions.size() == 1) {
            // A truncated reply loses its records anyway (serialize_for_client) and is not
            // cached; dnsmasq 2.90 passes it on with TC rather than doctoring it (seen in the
            // differential test: `+bufsize=512` with stop-dns-rebind answers TC, no records).
            if (!done.reply.header.tc && apply_rebind_policy(rebind_, done.reply)) {
                // dnsmasq logs this at warning level and does not cache the answer.
                log_.warn("possible DNS-rebind attack detected: " +
                          log_name(done.reply.questions.front().name));
            } else {
                cache_.insert(done.reply.questions.front(), done.reply, now);
                log_answer("reply", done.reply);
            }
        }
        auto wire = serialize_for_client(done.reply, done.size_limit);
        if (!wire) {
            ++stats_.unanswerable;
            continue;
        }
        out.to_clients.push_back(ClientMessage{done.client, std::move(*wire)});
    }
    for (const auto& failed : forwarded_.failed_upstreams) {
        const std::string name = upstream_name(failed);
        auto found = upstream_errors_.find(name);
        if (found == upstream_errors_.end()) {
            auto& counter = registry_.counter("dnsvizor_upstream_errors_total",
                                              "REFUSED or SERVFAIL replies per upstream server",
                                              {{"server", name}});
            found = upstream_errors_.emplace(name, &counter).first;
        }
        found->second->inc();
    }
    forwarded_.clear();
    sync_forwarder_metrics();
}

void QueryEngine::sync_forwarder_metrics() {
    const auto& now = forwarder_.stats();
    metrics_.mismatched.add(now.mismatched + now.malformed - synced_.mismatched -
                            synced_.malformed);
    metrics_.timeouts.add(now.timeouts - synced_.timeouts);
    metrics_.dropped_forward_max.add(now.dropped_limit - synced_.dropped_limit);
    metrics_.all_failed.add(now.all_failed - synced_.all_failed);
    synced_ = now;
}

void QueryEngine::on_upstream_datagram(std::span<const std::byte> datagram,
                                       const dns::Upstream& from, platform::Instant now,
                                       EngineOutput& out) {
    out.clear();
    forwarded_.clear();
    forwarder_.on_upstream_datagram(datagram, from, now, forwarded_);
    take_forwarder_output(now, out);
}

void QueryEngine::on_timeout(platform::Instant now, EngineOutput& out) {
    out.clear();
    forwarded_.clear();
    forwarder_.on_timeout(now, forwarded_);
    take_forwarder_output(now, out);
}

std::vector<std::string> QueryEngine::statistics_lines(platform::WallTime now) const {
    std::vector<std::string> lines;
    const auto& cache = cache_.stats();
    const auto& fwd = forwarder_.stats();
    lines.push_back("time " + std::to_string(now.unix_seconds));
    lines.push_back("cache size " + std::to_string(cache_.capacity()) + ", " +
                    std::to_string(cache.evictions) + "/" + std::to_string(cache.insertions) +
                    " cache insertions re-used unexpired cache entries.");
    lines.push_back("queries forwarded " + std::to_string(fwd.forwarded) +
                    ", queries answered locally " +
                    std::to_string(stats_.answered_locally + stats_.cache_hits));
    lines.push_back("queries for authoritative zones 0");
    lines.push_back("cache hits " + std::to_string(cache.hits) + ", misses " +
                    std::to_string(stats_.cache_misses) + ", malformed " +
                    std::to_string(stats_.malformed));
    for (const auto& [name, s] : forwarder_.upstream_stats()) {
        const auto latency_ms =
            s.replies == 0
                ? 0
                : std::chrono::duration_cast<std::chrono::milliseconds>(s.latency_sum).count() /
                      static_cast<std::int64_t>(s.replies);
        lines.push_back("server " + name + ": queries sent " + std::to_string(s.queries) +
                        ", retried " + std::to_string(s.retried) + ", failed " +
                        std::to_string(s.failed) + ", nxdomain replies " +
                        std::to_string(s.nxdomain) + ", avg. latency " +
                        std::to_string(latency_ms) + "ms");
    }
    return lines;
}

}  // namespace nfv::dnsvizor::server
