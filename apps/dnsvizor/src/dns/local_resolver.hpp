// LocalResolver: answers a query from local data exactly as dnsmasq 2.90 does, or says where to
// forward it (dnsmasq rfc1035.c answer_request, forward.c, domain-match.c; man page dnsmasq(8)
// "--address", "--server", "--local", "--host-record", "--cname", "--bogus-priv",
// "--domain-needed", "--expand-hosts", "--no-ident").
//
// Order of decisions for the one question of a query (each step was checked against dnsmasq
// 2.90 with dig; the test file names the command):
//  1. CHAOS class: version.bind / authors.bind / copyright.bind / cachesize.bind answered with
//     TXT unless `no-ident`; other CHAOS names are REFUSED (we never forward CHAOS).
//  2. Local records of the asked type: cname (followed through local data), host-record, hosts
//     files (with expand-hosts), DHCP lease names, interface-name, synth-domain, txt-record,
//     srv-host, mx-host, ptr-record, naptr-record, caa-record, dns-rr; automatic PTR for the
//     address records. Positive local answers carry AA.
//  3. A/AAAA for a name that holds only the other family in hosts/host-record/leases: NODATA
//     (NOERROR, empty, no AA).
//  4. `address=/dom/...`: the most specific rule answers A/AAAA (AA); `#` gives 0.0.0.0 / ::;
//     the no-address form is NXDOMAIN (no AA) for every type; other types are forwarded (2.86+).
//     A `server=` rule for a more specific domain takes precedence.
//  5. `bogus-priv`: PTR for a private address (dnsmasq's private_net set) not known locally and
//     not covered by a `server=/.../` rule: NXDOMAIN with AA.
//  6. `local=/dom/` or `server=/dom/`: NXDOMAIN (no AA). `domain-needed`: A/AAAA for a dotless
//     name that no `server=//` rule covers: NXDOMAIN (no AA).
//  7. Otherwise forward to the chosen upstreams, or REFUSED when there is none.
// Every reply has QR and RA set, copies ID, opcode, RD and CD, and carries an OPT record with
// our edns-packet-max when the query had one. TTL is local-ttl (default 0) unless a record
// says otherwise; DHCP names use dhcp-ttl if set.
//
// Sans-I/O: hosts files are read by load_hosts() (hosts_loader.hpp) and handed in; interface
// addresses come from an injected function; resolv.conf servers from set_default_upstreams().
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/net/dns/message.hpp"
#include "nfv/net/ip_address.hpp"

#include "dns/address_table.hpp"
#include "dns/hosts_loader.hpp"
#include "dns/local_records.hpp"
#include "dns/query_resolver.hpp"
#include "dns/settings.hpp"
#include "dns/upstream_selector.hpp"

namespace nfv::dnsvizor::dns {

/// The addresses an interface currently has (for `interface-name=`); empty if unknown.
using InterfaceAddresses = std::function<std::vector<net::IpAddress>(std::string_view interface)>;

/// What CHAOS TXT version.bind answers.
inline constexpr std::string_view kVersionText = "dnsvizor-nfv-0.1";

class LocalResolver final : public QueryResolver {
public:
    /// `settings` is copied. `hosts` is the parsed content of the hosts files (load_hosts()).
    LocalResolver(const DnsSettings& settings, const HostsData& hosts,
                  InterfaceAddresses interface_addresses = {});

    /// See the banner. The query must have exactly one question; a query with another count
    /// gets FORMERR, a non-QUERY opcode NOTIMP. Never throws on any input.
    Decision resolve(const net::dns::Message& query, const ClientInfo& client,
                     platform::Instant now) override;

    /// Stable while no setter below is called, unless `interface-name=` rules follow live
    /// interface addresses (then nullopt).
    [[nodiscard]] std::optional<std::uint64_t> decision_generation() const override;

    /// Replaces all hosts-file data (SIGHUP: call load_hosts() again and pass the result).
    void set_hosts(const HostsData& hosts);

    /// Adds the DHCP lease name `hostname` (unqualified, as the client sent it) for `address`:
    /// A for "hostname" and, when a `domain=` applies to the address, "hostname.domain"; PTR to
    /// the qualified name (or the bare one without domain). TTL dhcp-ttl, else local-ttl.
    /// A hostname that contains a dot is used as given (no domain appended). An empty or invalid
    /// hostname is ignored.
    void set_lease_name(std::string_view hostname, net::Ipv4Address address);
    /// Removes what set_lease_name(hostname, address) added.
    void remove_lease_name(std::string_view hostname, net::Ipv4Address address);

    /// The servers read from resolv.conf (used when `no-resolv` is not set), after `server=ip`.
    void set_default_upstreams(std::vector<Upstream> upstreams);

    /// The machine's host name (gethostname(2), read by the runtime): the default target of
    /// `mx-host` without a target and of `localmx`, and the owner of the `mx-target` MX record.
    void set_host_name(std::string host_name);

    /// Configuration items that could not be used (bad record names and the like), as
    /// "option: message" lines for the runtime to log as warnings at start-up.
    [[nodiscard]] const std::vector<std::string>& problems() const { return records_.problems(); }

    /// The `domain=` that applies to `address` (a range rule containing it, else the default
    /// domain), or nullopt.
    [[nodiscard]] std::optional<std::string> domain_for(const net::IpAddress& address) const;

private:
    enum class Outcome : std::uint8_t { kNone, kAnswered, kNoData, kNxDomain };
    struct Lookup {
        Outcome outcome = Outcome::kNone;
        bool authoritative = false;
    };

    // resolve() without the reply's question section (added only to answers).
    [[nodiscard]] Decision decide(const net::dns::Message& query) const;
    [[nodiscard]] Lookup lookup_local(const net::dns::Question& question, std::string_view key,
                                      net::dns::Message& reply) const;
    [[nodiscard]] Lookup lookup_aliased(const net::dns::Question& question, std::string_view key,
                                        net::dns::Message& reply) const;
    // No local record of the asked type: bogus-priv, address= and local= rules.
    [[nodiscard]] Lookup lookup_unanswered(const net::dns::Question& question, std::string_view key,
                                           net::dns::Message& reply) const;
    std::size_t append_typed(const net::dns::Name& owner, std::string_view key,
                             net::dns::RrType type, net::dns::Message& reply) const;
    std::size_t append_mx(const net::dns::Name& owner, std::string_view key,
                          net::dns::Message& reply) const;
    void append_additionals(net::dns::Message& reply) const;
    [[nodiscard]] bool is_local_machine(std::string_view key) const;
    [[nodiscard]] bool is_table_name(std::string_view key) const;
    std::size_t append_addresses(const net::dns::Name& owner, std::string_view key,
                                 net::dns::RrType type, std::vector<net::dns::ResourceRecord>& out,
                                 bool& other_family) const;
    [[nodiscard]] bool answer_reverse(const net::dns::Name& owner, const net::IpAddress& address,
                                      net::dns::Message& reply) const;
    [[nodiscard]] Lookup answer_address_rule(const net::dns::Question& question,
                                             std::string_view key, net::dns::Message& reply) const;
    [[nodiscard]] bool answer_chaos(const net::dns::Question& question,
                                    net::dns::Message& reply) const;
    void add_hosts_entries(const HostsData& hosts);

    DnsSettings settings_;
    InterfaceAddresses interface_addresses_;
    UpstreamSelector selector_;
    AddressTable host_records_;
    AddressTable hosts_;
    AddressTable leases_;
    LocalRecords records_;
    std::string host_name_;
    std::uint64_t generation_ = 1;  // bumped by every setter (decision_generation())
};

}  // namespace nfv::dnsvizor::dns
