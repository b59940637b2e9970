// The seam between the DNS server runtime (sockets, forwarding, cache) and the local data
// engine: for one parsed query, decide whether it is answered locally, forwarded (and to which
// upstream servers) or refused. Sans-I/O: no sockets, no clock reads; `now` is passed in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nfv/net/dns/message.hpp"
#include "nfv/net/ip_address.hpp"
#include "nfv/platform/time.hpp"

#include "dns/settings.hpp"

namespace nfv::dnsvizor::dns {

/// Who asked, as the runtime saw it.
struct ClientInfo {
    net::IpAddress address;
    std::uint16_t port = 0;
    bool over_tcp = false;
    std::string interface;  // receiving interface name, "" if unknown
};

/// An upstream server chosen for a forwarded query.
struct Upstream {
    net::IpAddress address;
    std::uint16_t port = kDefaultPort;
    std::string source_interface;

    friend bool operator==(const Upstream&, const Upstream&) = default;
};

struct Decision {
    enum class Kind : std::uint8_t {
        kAnswer,   // `reply` is complete (answers, NXDOMAIN, NODATA, REFUSED, ...)
        kForward,  // send the query to `upstreams` (in preference order), cache the answer
    };
    Kind kind = Kind::kAnswer;
    net::dns::Message reply;          // kAnswer: id, question and flags already set
    std::vector<Upstream> upstreams;  // kForward: never empty (no upstream -> REFUSED answer)
};

/// Implemented by the local data engine (dns/local_resolver.hpp).
class QueryResolver {
public:
    virtual ~QueryResolver() = default;
    /// Decides for a query with exactly one question (the runtime answers FORMERR otherwise).
    virtual Decision resolve(const net::dns::Message& query, const ClientInfo& client,
                             platform::Instant now) = 0;

    /// A number that changes whenever the decision for some question may change (local data
    /// reloaded, a lease added, ...): while it stays the same, the kind of decision for a given
    /// (name, type, class) stays the same, whoever asks and whenever, so the runtime may reuse
    /// a "forward" decision without asking again. nullopt when decisions are not that stable
    /// (e.g. they follow live interface addresses); never 0.
    [[nodiscard]] virtual std::optional<std::uint64_t> decision_generation() const {
        return std::nullopt;
    }
};

}  // namespace nfv::dnsvizor::dns
