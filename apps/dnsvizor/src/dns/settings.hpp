// Typed DNS settings of nfv-dnsvizor: what the DNS side needs from dnsmasq's options in the
// groups "Listening / process", "Upstream / forwarding", "Local data" and "Cache / logging"
// (see ../shared/reference/dnsmasq-and-dnsvizor.md §2.3). The config import (config/) maps
// dnsmasq's text onto these structs; the DNS engine (dns/) and the server runtime never see
// option text. Defaults are dnsmasq 2.90's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nfv/net/cidr.hpp"
#include "nfv/net/ip_address.hpp"

namespace nfv::dnsvizor::dns {

/// dnsmasq defaults.
inline constexpr std::uint16_t kDefaultPort = 53;
inline constexpr std::size_t kDefaultCacheSize = 150;
inline constexpr std::uint16_t kDefaultEdnsPacketMax = 1232;
inline constexpr std::uint32_t kDefaultDnsForwardMax = 150;
inline constexpr std::uint32_t kDefaultMaxTcpConnections = 20;

/// `local-service[=net|host]`.
enum class LocalService : std::uint8_t { kOff, kNet, kHost };

struct ListenSettings {
    std::uint16_t port = kDefaultPort;             // 0 disables DNS
    std::vector<std::string> interfaces;           // `interface=` (trailing '*' wildcard kept)
    std::vector<std::string> except_interfaces;    // `except-interface=`
    std::vector<net::IpAddress> listen_addresses;  // `listen-address=`
    bool bind_interfaces = false;
    bool bind_dynamic = false;
    LocalService local_service = LocalService::kOff;
    std::uint32_t max_tcp_connections = kDefaultMaxTcpConnections;
};

/// One `server=`/`local=`/`rev-server=` line (rev-server is mapped onto its reverse zone).
struct ServerRule {
    enum class Kind : std::uint8_t {
        kForward,     // send to `address`
        kLocalOnly,   // `server=/dom/` or `local=/dom/`: never forwarded, NXDOMAIN if unknown
        kUseDefault,  // `server=/dom/#`: use the default (domain-less) servers
    };
    /// Domains this rule applies to, lower case, no trailing dot. Empty vector: a default
    /// server for all names. "" = unqualified names (`//`); a leading '*' is a wildcard.
    std::vector<std::string> domains;
    Kind kind = Kind::kForward;
    std::optional<net::IpAddress> address;  // kForward only
    std::uint16_t port = kDefaultPort;
    std::string source_interface;                  // `@eth0`
    std::optional<net::IpAddress> source_address;  // `@192.0.2.1`
};

struct UpstreamSettings {
    std::vector<ServerRule> servers;  // in config order
    bool no_resolv = false;
    std::string resolv_file = "/etc/resolv.conf";  // `resolv-file=` (several allowed: first kept)
    bool strict_order = false;
    bool all_servers = false;
    bool domain_needed = false;
    bool bogus_priv = false;
    bool stop_dns_rebind = false;
    bool rebind_localhost_ok = false;
    std::vector<std::string> rebind_domain_ok;
    std::uint32_t dns_forward_max = kDefaultDnsForwardMax;
};

/// `address=/dom/[dom/]...[ip]`.
struct AddressRule {
    enum class Kind : std::uint8_t {
        kAddress,      // answer with `addresses` (A or AAAA by family)
        kNxdomain,     // no address given: NXDOMAIN for dom and subdomains
        kNullAddress,  // `#`: 0.0.0.0 and ::
    };
    std::vector<std::string> domains;  // lower case; "#" matches everything
    Kind kind = Kind::kAddress;
    std::vector<net::IpAddress> addresses;
};

struct HostRecord {  // host-record=
    std::vector<std::string> names;
    std::vector<net::IpAddress> addresses;
    std::optional<std::uint32_t> ttl;
};

struct CnameRecord {  // cname=
    std::vector<std::string> aliases;
    std::string target;
    std::optional<std::uint32_t> ttl;
};

struct TxtRecord {  // txt-record=
    std::string name;
    std::vector<std::string> strings;
};

struct SrvRecord {  // srv-host=; no target means "service not provided here"
    std::string name;
    std::string target;
    std::uint16_t port = 0;
    std::uint16_t priority = 0;
    std::uint16_t weight = 0;
};

struct MxRecord {  // mx-host=
    std::string name;
    std::string target;  // default: the name given by `mx-target=`, else our host name
    std::uint16_t preference = 1;
};

struct PtrRecord {  // ptr-record=
    std::string name;
    std::optional<std::string> target;
};

struct NaptrRecord {  // naptr-record=
    std::string name;
    std::uint16_t order = 0;
    std::uint16_t preference = 0;
    std::string flags;
    std::string service;
    std::string regexp;
    std::string replacement;
};

struct CaaRecord {  // caa-record=
    std::string name;
    std::uint8_t flags = 0;
    std::string tag;
    std::string value;
};

struct RawRecord {  // dns-rr=name,type,hex
    std::string name;
    std::uint16_t type = 0;
    std::vector<std::byte> rdata;
};

struct InterfaceNameRecord {  // interface-name=name,IF[/4|/6]
    std::string name;
    std::string interface;
    bool ipv4 = true;
    bool ipv6 = true;
};

struct SynthDomain {  // synth-domain=dom,range[,prefix]
    std::string domain;
    net::IpAddress first;  // a CIDR is stored as its first and last address
    net::IpAddress last;
    std::string prefix;
};

/// `domain=dom[,range[,local]]`; a rule without range is the default domain.
struct DomainRule {
    std::string domain;
    std::optional<net::IpAddress> first;  // range start (or CIDR start)
    std::optional<net::IpAddress> last;
    bool local = false;     // `,local`: also `local=/dom/` and its reverse zone
    std::string interface;  // `domain=dom,IF` form
};

struct LocalDataSettings {
    bool no_hosts = false;                  // skip /etc/hosts
    std::string hosts_file = "/etc/hosts";  // where "no-hosts" would otherwise read
    std::vector<std::string> addn_hosts;    // files or directories
    std::vector<std::string> hostsdirs;
    bool expand_hosts = false;
    std::vector<DomainRule> domains;
    std::vector<AddressRule> addresses;
    std::vector<HostRecord> host_records;
    std::vector<CnameRecord> cnames;
    std::vector<TxtRecord> txt_records;
    std::vector<SrvRecord> srv_records;
    std::vector<MxRecord> mx_records;
    std::string mx_target;
    bool selfmx = false;
    bool localmx = false;
    std::vector<PtrRecord> ptr_records;
    std::vector<NaptrRecord> naptr_records;
    std::vector<CaaRecord> caa_records;
    std::vector<RawRecord> raw_records;
    std::vector<InterfaceNameRecord> interface_names;
    std::vector<SynthDomain> synth_domains;
    std::uint32_t local_ttl = 0;            // dnsmasq answers local data with TTL 0 by default
    std::optional<std::uint32_t> dhcp_ttl;  // default: local_ttl
    std::optional<std::uint32_t> neg_ttl;
    std::optional<std::uint32_t> max_ttl;
};

struct CacheSettings {
    std::size_t size = kDefaultCacheSize;  // 0 disables the cache
    bool no_negcache = false;
    std::optional<std::uint32_t> min_cache_ttl;  // capped at 3600 like dnsmasq
    std::optional<std::uint32_t> max_cache_ttl;
    std::uint16_t edns_packet_max = kDefaultEdnsPacketMax;
    bool no_round_robin = false;
};

struct LogSettings {
    bool log_queries = false;
    bool log_queries_extra = false;
    std::string log_facility;  // "" default (syslog daemon), "-" stderr, "/path" file
    bool no_ident = false;     // disable CHAOS TXT version.bind etc.
};

struct DnsSettings {
    ListenSettings listen;
    UpstreamSettings upstream;
    LocalDataSettings local;
    CacheSettings cache;
    LogSettings log;
};

}  // namespace nfv::dnsvizor::dns
