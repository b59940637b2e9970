// LeaseEngine: the sans-I/O DHCPv4 server (RFC 2131 §4.3, RFC 4039 rapid commit, RFC 3046
// relay agent information), with dnsmasq's allocation and option rules.
//
// In: a parsed request, the interface it arrived on, the wall-clock time. Out: at most one reply
// with where to send it (RFC 2131 §4.1), the lease changes it caused, and a dnsmasq-style log
// line. The caller must make `changes` durable (the lease file) BEFORE sending the reply: an
// acknowledged lease must survive a crash.
//
// Client identity: the client identifier (option 61) when present, else the hardware address.
// States of a DHCPREQUEST (§4.3.2): SELECTING (server id present), INIT-REBOOT (requested
// address, no ciaddr), RENEWING/REBINDING (ciaddr set). Unknown clients in INIT-REBOOT and
// REBINDING get silence unless the server is authoritative (then a free address is granted, so
// a lost lease database rebuilds itself, as dnsmasq's dhcp-authoritative does).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "nfv/net/cidr.hpp"
#include "nfv/net/dhcp/message.hpp"
#include "nfv/platform/time.hpp"

#include "dhcp/lease.hpp"
#include "dhcp/server_config.hpp"

namespace nfv::dnsvizor::dhcp {

/// The interface a request arrived on.
struct InterfaceInfo {
    std::string name;
    net::Ipv4Address address;  // our address there: the server identifier
    net::Ipv4Cidr subnet;      // the interface's subnet
};

/// RFC 2131 §4.1 reply destinations.
enum class ReplyTo : std::uint8_t {
    kRelay,            // to giaddr, port 67
    kClientAddress,    // to ciaddr, port 68
    kBroadcast,        // to 255.255.255.255, port 68
    kHardwareUnicast,  // to yiaddr at chaddr, port 68 (needs an ARP entry; broadcast also works)
};

struct Reply {
    net::dhcp::DhcpMessage message;
    ReplyTo to = ReplyTo::kBroadcast;
    net::Ipv4Address destination;  // giaddr, ciaddr or yiaddr; unused for kBroadcast
};

enum class LeaseEvent : std::uint8_t { kAdded, kRenewed, kReleased, kExpired, kDeclined };

[[nodiscard]] std::string_view to_string(LeaseEvent event);

struct LeaseChange {
    LeaseEvent event = LeaseEvent::kAdded;
    Lease lease;
};

struct Outcome {
    std::optional<Reply> reply;
    std::vector<LeaseChange> changes;  // durable before the reply goes out
    std::string log;                   // "DHCPACK(eth0) 192.168.1.50 52:54:00:12:34:56 laptop"
};

struct EngineCounters {
    std::uint64_t requests = 0;
    std::uint64_t offers = 0;
    std::uint64_t acks = 0;
    std::uint64_t naks = 0;
    std::uint64_t ignored = 0;  // dropped: not for us, ignored host, no range, pool exhausted
};

class LeaseEngine {
public:
    explicit LeaseEngine(DhcpServerSettings settings);

    /// Installs leases read at start (e.g. a dnsmasq lease file); expired ones are dropped.
    void load(const std::vector<Lease>& leases, platform::WallTime now);

    /// Handles one request from a client (op BOOTREQUEST). Never throws.
    [[nodiscard]] Outcome handle(const net::dhcp::DhcpMessage& request, const InterfaceInfo& iface,
                                 platform::WallTime now);

    /// Removes leases that expired by `now` and reports them.
    [[nodiscard]] std::vector<LeaseChange> expire(platform::WallTime now);

    /// The earliest finite lease expiry, to schedule the next expire() call.
    [[nodiscard]] std::optional<platform::WallTime> next_expiry() const;

    /// Every current lease, in address order.
    [[nodiscard]] std::vector<Lease> leases() const;
    /// How many leases are held (O(1); leases() copies them all).
    [[nodiscard]] std::size_t lease_count() const { return leases_.size(); }

    [[nodiscard]] const EngineCounters& counters() const { return counters_; }
    [[nodiscard]] const DhcpServerSettings& settings() const { return settings_; }

    /// Replaces the static host table (dhcp-host plus the reread dhcp-hostsfile/-hostsdir/ethers
    /// hosts, on SIGHUP). Leases already granted stay; the new table applies from the next
    /// request, as in dnsmasq.
    void set_hosts(std::vector<StaticHost> hosts) { settings_.hosts = std::move(hosts); }

private:
    struct Context;

    Outcome discover(Context& context);
    Outcome on_request(Context& context);
    Outcome decline(Context& context);
    Outcome release(Context& context);
    Outcome inform(Context& context);

    [[nodiscard]] const DhcpRange* range_for(const Context& context,
                                             net::Ipv4Address address) const;
    [[nodiscard]] const DhcpRange* range_for_network(const Context& context) const;
    [[nodiscard]] bool address_available(const Context& context, net::Ipv4Address address) const;
    [[nodiscard]] std::optional<net::Ipv4Address> allocate(const Context& context,
                                                           const DhcpRange& range) const;
    [[nodiscard]] Lease* lease_of_client(const Context& context);
    Outcome commit_and_ack(Context& context, net::Ipv4Address address, const DhcpRange* range,
                           bool rapid_commit);
    Outcome nak(Context& context, std::string_view why);
    Reply make_reply(Context& context, net::dhcp::MessageType type, net::Ipv4Address yiaddr,
                     const DhcpRange* range, std::optional<std::uint32_t> lease_seconds);
    [[nodiscard]] std::uint32_t lease_seconds_for(const Context& context,
                                                  const DhcpRange* range) const;

    DhcpServerSettings settings_;
    // Every insertion and removal goes through put_lease/erase_lease so that the index by client
    // key stays in step with leases_ (finding a client's lease is O(log n), not a scan: perfdhcp
    // with 50,000 clients spent most of its time in that scan).
    void put_lease(const Lease& lease);
    std::map<std::uint32_t, Lease>::iterator erase_lease(
        std::map<std::uint32_t, Lease>::iterator it);

    std::map<std::uint32_t, Lease> leases_;  // by address
    // client key (client id, else hardware address) -> the addresses leased under it; the lowest
    // one is "the client's lease", as the address-ordered scan it replaces would find.
    std::unordered_map<std::string, std::set<std::uint32_t>> by_client_;
    struct Hold {
        std::string client_key;
        platform::WallTime until;
    };
    std::map<std::uint32_t, Hold> offered_;  // addresses offered and not yet requested
    std::map<std::uint32_t, platform::WallTime> declined_;  // addresses a client said are in use
    EngineCounters counters_;
};

}  // namespace nfv::dnsvizor::dhcp
