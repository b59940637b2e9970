// Upstream choice for a forwarded query, as dnsmasq 2.90 makes it (domain-match.c lookup_domain,
// forward.c): the `server=/dom/` rules whose domain matches the query name most specifically
// win; among them `server=/dom/ip` forwards to ip, `server=/dom/#` uses the default servers and
// `server=/dom/` or `local=/dom/` (no address) means "answer from local data only". A name no
// domain rule matches goes to the default servers: the `server=ip` lines plus the servers read
// from resolv.conf (injected with set_default_upstreams(), because reading the file is I/O).
#pragma once

#include <string_view>
#include <vector>

#include "dns/query_resolver.hpp"
#include "dns/settings.hpp"

namespace nfv::dnsvizor::dns {

struct UpstreamChoice {
    enum class Kind : std::uint8_t {
        kForward,    // `upstreams` is not empty
        kLocalOnly,  // a `local=`/`server=/dom/` rule: never forward
        kNoServer,   // nothing configured for this name: REFUSED
    };
    Kind kind = Kind::kNoServer;
    std::vector<Upstream> upstreams;
    bool domain_specific = false;  // a `server=/dom/...` rule decided (not the defaults)
};

class UpstreamSelector {
public:
    UpstreamSelector() = default;
    /// Takes the rules in config order (order is kept inside each result).
    explicit UpstreamSelector(std::vector<ServerRule> rules);

    /// Replaces the resolv.conf servers (used after the `server=ip` defaults).
    void set_default_upstreams(std::vector<Upstream> upstreams);

    /// The choice for a name key (see domain_match.hpp).
    [[nodiscard]] UpstreamChoice select(std::string_view key) const;

    /// True if a domain-specific rule (not a default server) matches `key`.
    [[nodiscard]] bool has_domain_rule(std::string_view key) const;

private:
    [[nodiscard]] std::vector<Upstream> defaults() const;

    std::vector<ServerRule> rules_;
    std::vector<Upstream> resolv_upstreams_;
};

}  // namespace nfv::dnsvizor::dns
