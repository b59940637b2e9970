// DhcpService: the DHCPv4 server runtime of nfv-dnsvizor on the io_uring EventLoop.
//
// It only moves bytes: one UDP socket on port 67 (SO_BROADCAST, IP_PKTINFO for the receiving
// interface) feeds datagrams to the sans-I/O LeaseEngine; replies leave per RFC 2131 §4.1 as the
// engine says (ReplyTo): to giaddr:67 for relays, to ciaddr:68, broadcast to 255.255.255.255:68
// out of the receiving interface, or unicast to yiaddr after an ARP entry for chaddr was set
// (dnsmasq's way; broadcast if that fails).
//
// Durability: the datagrams of one wake-up form a batch. Their lease changes are appended to the
// lease journal with one LeaseStore::append (one fdatasync) and only then are the batch's replies
// sent, so an ACK never precedes its lease on disk; SIGTERM or a crash loses nothing that was
// acknowledged. The lease file itself is rewritten (temp file + fsync + rename + directory fsync,
// then the journal emptied) at start, after a second without requests, every
// GroupCommit::kDefaultCompactAfter journal records and on SIGTERM, so at rest it is a dnsmasq
// lease file (between compactions the journal holds the newest state). Leases that expire are
// removed by a timer and journalled the same way.
//
// Lease names: every change of the (hostname, address) pairs held in leases is reported through
// `on_name_change` (for the DNS side to answer name.domain and the PTR); loaded leases are
// reported at start.
//
// Logging in dnsmasq's style ("DHCPACK(eth0) 10.67.0.50 52:54:00:12:34:56 laptop"), unless
// quiet-dhcp; log-dhcp adds per-reply detail. Malformed datagrams are counted, never logged.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nfv/net/ip_address.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/unique_fd.hpp"
#include "nfv/platform/log.hpp"
#include "nfv/platform/metrics.hpp"
#include "nfv/platform/result.hpp"

#include "config/raw_option.hpp"
#include "dhcp/interface_table.hpp"
#include "dhcp/lease_engine.hpp"
#include "dhcp/lease_store.hpp"
#include "dhcp/option_mapper.hpp"
#include "dhcp/script_runner.hpp"

namespace nfv::dnsvizor::dhcp {

/// A lease's host name appeared (added) or went away (!added) for an address.
struct LeaseNameChange {
    std::string hostname;  // unqualified, as in the lease file
    net::Ipv4Address address;
    bool added = false;
};

using LeaseNameHandler = std::function<void(const LeaseNameChange&)>;

/// What the DHCP runtime needs from outside the DHCP options (main fills it from the process
/// and DNS settings).
struct DhcpServiceParams {
    bool dns_enabled = true;  // DNS port != 0: we advertise ourselves as DNS server (option 6)
    bool log_dhcp = false;    // log-dhcp (also accepted among the DHCP options)
    bool quiet_dhcp = false;  // quiet-dhcp (likewise)
    std::vector<std::string> interfaces;         // interface=
    std::vector<std::string> except_interfaces;  // except-interface=, no-dhcp-interface=
    std::uint16_t server_port = 67;              // tests use other ports
    std::uint16_t client_port = 68;
    bool serve_loopback = false;                   // tests only; dnsmasq never serves lo
    platform::MetricsRegistry* metrics = nullptr;  // optional; must outlive the service
};

struct DhcpServiceStats {
    std::uint64_t received = 0;
    std::uint64_t malformed = 0;        // not a DHCP message
    std::uint64_t wrong_interface = 0;  // unknown, filtered or address-less interface
    std::uint64_t replies_sent = 0;
    std::uint64_t send_errors = 0;
    std::uint64_t withheld = 0;  // replies not sent because their lease was not durable
    std::uint64_t lease_write_failures = 0;
};

/// The service's metric handles (registered when DhcpServiceParams::metrics is set).
struct DhcpServiceMetrics {
    std::map<std::string, platform::Counter*, std::less<>> requests;  // by message type
    std::map<std::string, platform::Counter*, std::less<>> replies;
    platform::Counter* malformed = nullptr;
    platform::Counter* wrong_interface = nullptr;
    platform::Counter* withheld = nullptr;
    platform::Gauge* leases = nullptr;
};

class DhcpService final : private platform::io::PollTarget {
public:
    /// Opens the lease file, loads it into the engine (expired leases pruned and the file
    /// rewritten), binds the socket and starts serving. The error names what failed.
    [[nodiscard]] static Result<std::unique_ptr<DhcpService>, std::string> create(
        platform::io::EventLoop& loop, DhcpImport import, const DhcpServiceParams& params,
        platform::Logger& log, LeaseNameHandler on_name_change);
    ~DhcpService();
    DhcpService(const DhcpService&) = delete;
    DhcpService& operator=(const DhcpService&) = delete;

    [[nodiscard]] const DhcpServiceStats& stats() const { return stats_; }
    [[nodiscard]] const LeaseEngine& engine() const { return engine_; }
    [[nodiscard]] std::uint16_t local_port() const { return local_port_; }

    /// Writes the lease file now if anything is not yet durable (called on shutdown too).
    void flush();

    /// SIGHUP: rereads dhcp-hostsfile, dhcp-hostsdir and /etc/ethers (read-ethers) and installs
    /// the new static host table after the config's dhcp-host lines (dnsmasq rereads these on
    /// SIGHUP too; the main config is not reread). Problems are logged as warnings.
    void reload_hosts();

private:
    DhcpService(platform::io::EventLoop& loop, DhcpImport import, const DhcpServiceParams& params,
                platform::Logger& log, LeaseNameHandler on_name_change, LeaseStore store);
    void on_ready(int tag, std::uint32_t revents) override;
    void handle_datagram(std::span<const std::byte> payload, std::uint32_t ifindex);
    void commit_and_send();
    void send(const GroupCommit::Held& held);
    void apply_changes(const std::vector<LeaseChange>& changes, bool at_start = false);
    [[nodiscard]] std::string_view lease_domain(net::Ipv4Address address) const;
    void on_expiry_timer();
    void schedule_timer();
    void log_outcome(const std::string& text);
    void count_request(const net::dhcp::DhcpMessage& request);

    platform::io::EventLoop& loop_;
    DhcpServiceParams params_;
    platform::Logger log_;
    LeaseNameHandler on_name_change_;
    LeaseEngine engine_;
    DhcpImport host_import_;  // config hosts and host_sources, for reload_hosts()
    LeaseStore store_;
    GroupCommit batch_;
    InterfaceTable interfaces_;
    std::string script_path_;  // dhcp-script; empty: none
    bool log_dhcp_ = false;
    bool quiet_dhcp_ = false;
    platform::io::UniqueFd fd_;
    std::uint16_t local_port_ = 0;
    platform::io::Watch watch_;
    std::optional<platform::io::TimerId> timer_;
    // No later than the earliest finite lease expiry (may be earlier: then the timer rescans).
    std::optional<platform::WallTime> next_expiry_;
    bool compaction_failed_ = false;              // the last idle compaction failed: retry slowly
    std::map<std::uint32_t, std::string> names_;  // address -> host name announced
    DhcpServiceStats stats_;
    std::vector<std::byte> send_buffer_;

    std::optional<DhcpServiceMetrics> metrics_;
    // Last member: destroyed first, so a running script is waited for before the rest goes.
    std::optional<ScriptRunner> script_;
};

/// main's entry point: maps `dhcp_options` (DhcpImport; warnings are logged), and starts the
/// service. Returns nullptr when no IPv4 dhcp-range is configured (DHCP off), an error naming
/// file:line and option for bad config, or the start-up failure (lease file, socket).
[[nodiscard]] Result<std::unique_ptr<DhcpService>, std::string> start_dhcp_service(
    platform::io::EventLoop& loop, std::span<const config::RawOption> dhcp_options,
    const DhcpServiceParams& params, platform::Logger& log, LeaseNameHandler on_name_change);

}  // namespace nfv::dnsvizor::dhcp
