// The DHCPv4 server's own typed settings: what the lease engine needs from dnsmasq's dhcp-range,
// dhcp-host, dhcp-option(-force), dhcp-authoritative, dhcp-rapid-commit, dhcp-lease-max,
// dhcp-sequential-ip and domain= lines. The config import maps dnsmasq's syntax onto these; the
// engine never sees option text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nfv/net/ip_address.hpp"

#include "dhcp/lease.hpp"

namespace nfv::dnsvizor::dhcp {

/// dnsmasq's default lease time (1 hour) and the 2-minute minimum it enforces on ranges.
inline constexpr std::uint32_t kDefaultLeaseSeconds = 3600;
inline constexpr std::uint32_t kMinimumLeaseSeconds = 120;
inline constexpr std::uint32_t kInfiniteLease = 0xffffffff;

/// A tag condition: `tag:name` (must be set) or `tag:!name` (must not be set).
struct TagCondition {
    std::string name;
    bool negated = false;
};

struct DhcpRange {
    net::Ipv4Address start;
    net::Ipv4Address end;                     // == start for a `static` range given by one address
    std::optional<net::Ipv4Address> netmask;  // default: the interface's
    std::optional<net::Ipv4Address> broadcast;           // default: derived from the netmask
    std::uint32_t lease_seconds = kDefaultLeaseSeconds;  // kInfiniteLease for `infinite`
    bool static_only = false;         // `static`: only dhcp-host addresses are given out
    std::vector<TagCondition> match;  // `tag:` conditions for this range to apply
    std::string set_tag;              // `set:` tag when this range is used
    std::string domain;               // `domain=dom,range` for this range
};

/// A hardware-address pattern; a byte of -1 is the `*` wildcard.
struct HardwarePattern {
    std::optional<std::uint8_t> type;  // nullopt: any type
    std::vector<int> bytes;
};

struct StaticHost {
    std::vector<HardwarePattern> hardware;  // any of these matches
    std::vector<std::uint8_t> client_id;    // `id:`; empty if none
    bool client_id_any = false;             // `id:*`: ignore the client id for this host
    std::optional<net::Ipv4Address> address;
    std::string hostname;
    std::optional<std::uint32_t> lease_seconds;
    bool ignore = false;
    std::string set_tag;
    std::vector<TagCondition> match;
};

/// A configured option value (already encoded bytes). An empty value suppresses a default.
struct ServedOption {
    std::uint8_t code = 0;
    std::vector<std::byte> value;
    std::vector<TagCondition> match;
    bool force = false;  // dhcp-option-force: sent even if the client did not ask for it
    // Byte offsets in `value` of 0.0.0.0 addresses, which mean "this server": each reply
    // carries the address of the interface the request arrived on there.
    std::vector<std::size_t> server_address_at;
};

/// dhcp-match / dhcp-vendorclass / dhcp-userclass: a tag set from what the client sends, before
/// the dhcp-host lookup and option selection (dnsmasq(8) 2.90).
struct ClientMatch {
    enum class Kind : std::uint8_t {
        kOption,       // dhcp-match: option `code` present, or containing `value`
        kVendorClass,  // dhcp-vendorclass: `value` is a substring of option 60
        kUserClass,    // dhcp-userclass: `value` is a substring of a user class (option 77)
    };
    Kind kind = Kind::kOption;
    std::string set_tag;
    std::uint8_t code = 0;         // kOption only
    std::vector<std::byte> value;  // kOption: empty = presence only
    bool prefix_only = false;      // kOption, hex value: compared at the start of the option
    std::size_t step = 1;          // kOption: offsets searched (1 = text; else the item size)
};

/// tag-if=set:a[,set:b][,tag:c[,tag:!d]]: when every condition holds, the set: tags are added;
/// rules run in order, each seeing the tags earlier ones set.
struct TagIf {
    std::vector<std::string> set_tags;
    std::vector<TagCondition> match;
};

struct DhcpServerSettings {
    std::vector<DhcpRange> ranges;
    std::vector<StaticHost> hosts;
    std::vector<ServedOption> options;
    // dhcp-ignore rules: a client for which all conditions of one rule hold gets no answer.
    std::vector<std::vector<TagCondition>> ignore;
    std::vector<ClientMatch> client_matches;  // dhcp-match, dhcp-vendorclass, dhcp-userclass
    std::vector<TagIf> tag_ifs;               // tag-if, in config order
    std::string domain;  // `domain=`: the default domain (option 15) and lease DNS suffix
    bool authoritative = false;
    bool rapid_commit = false;
    bool sequential_ip = false;
    std::uint32_t lease_max = 1000;  // dnsmasq's default dhcp-lease-max
    bool dns_enabled = true;         // port != 0: advertise ourselves as DNS server by default
};

}  // namespace nfv::dnsvizor::dhcp
