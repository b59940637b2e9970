// PUSH_REPLY: the options an OpenVPN server pushes to a pulling client, parsed from the
// untrusted control-channel message.
//
// Behaviour follows OpenVPN 2.6 push.c process_incoming_push_reply() and options.c
// apply_push_options() / apply_pull_filter() / add_option() in pull mode:
//  * "PUSH_REPLY" is followed either by nothing (an empty reply) or by ',' and a
//    comma-separated list of options, each tokenised like a config line (parse_line());
//  * pull-filter rules run on each option's raw text (leading whitespace skipped) in order,
//    first prefix match wins: accept keeps it, ignore drops it, reject fails the whole reply
//    (OpenVPN then restarts the connection);
//  * `route-nopull` drops routes, redirect-gateway/private, route-metric, block-ipv6 and
//    dhcp-option (the OPT_P_ROUTE and OPT_P_DHCPDNS permissions);
//  * `push-continuation 2` means more PUSH_REPLY messages follow, `1` marks the last one; the
//    messages add up (send_push_reply() splits at PUSH_BUNDLE_SIZE 1024);
//  * an option the client cannot use (unknown, Windows-only such as block-outside-dns, or not
//    pushable) is a named warning and does not fail the reply, as OpenVPN logs them at
//    D_PUSH_ERRORS and continues.
// The input is untrusted: sizes and counts are bounded (kMaxPush*), every parameter is
// validated, nothing is ever indexed without a check, and malformed values fail the reply.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/net/ip_address.hpp"
#include "nfv/platform/result.hpp"

#include "config/vpn_config.hpp"

namespace nfv::vpn::config {

/// Largest PUSH_REPLY message accepted (OpenVPN's TLS_CHANNEL_BUF_SIZE is 2048; servers split
/// at 1024 bytes).
inline constexpr std::size_t kMaxPushMessageSize = 8192;
/// Largest single option (OPTION_PARM_SIZE - 1).
inline constexpr std::size_t kMaxPushOptionLength = 255;
/// Most options accepted in one reply after merging continuations.
inline constexpr std::size_t kMaxPushOptions = 1024;
/// Most PUSH_REPLY messages merged through push-continuation.
inline constexpr std::size_t kMaxPushMessages = 64;

struct PushedRoute {
    net::Ipv4Address network;
    net::Ipv4Address netmask = net::Ipv4Address({255, 255, 255, 255});
    std::string gateway;  // empty, an IPv4 address, or vpn_gateway / net_gateway / remote_host
    std::optional<std::uint32_t> metric;
    bool operator==(const PushedRoute&) const = default;
};

struct PushedRouteIpv6 {
    net::Ipv6Address network;
    std::uint8_t prefix_length = 128;
    std::optional<net::Ipv6Address> gateway;
    std::optional<std::uint32_t> metric;
    bool operator==(const PushedRouteIpv6&) const = default;
};

/// protocol-flags (2.6: cc-exit, tls-ekm, dyn-tls-crypt).
struct ProtocolFlags {
    bool cc_exit = false;
    bool tls_ekm = false;
    bool dyn_tls_crypt = false;
    bool operator==(const ProtocolFlags&) const = default;
};

/// Everything a PUSH_REPLY (with its continuations) set. Options absent from the reply stay
/// unset; repeated options append (routes, dhcp-option) or the last one wins (scalars).
struct PushedOptions {
    // ifconfig LOCAL REMOTE_OR_NETMASK (netmask with topology subnet, peer with net30/p2p).
    std::optional<std::pair<net::Ipv4Address, net::Ipv4Address>> ifconfig;
    // ifconfig-ipv6 ADDRESS/BITS REMOTE
    std::optional<net::Ipv6Address> ifconfig_ipv6;
    std::uint8_t ifconfig_ipv6_prefix = 64;
    std::optional<net::Ipv6Address> ifconfig_ipv6_remote;
    std::vector<PushedRoute> routes;
    std::vector<PushedRouteIpv6> routes_ipv6;
    std::optional<net::Ipv4Address> route_gateway;
    bool route_gateway_dhcp = false;
    std::optional<std::uint32_t> route_metric;
    std::optional<Topology> topology;
    RedirectGateway redirect_gateway;
    std::vector<DhcpOption> dhcp_options;     // all of them, in order (for scripts' foreign_option)
    std::vector<net::IpAddress> dns_servers;  // DNS and DNS6
    std::vector<std::string> search_domains;  // DOMAIN then DOMAIN-SEARCH
    bool block_ipv6 = false;
    std::optional<std::uint32_t> ping;
    std::optional<std::uint32_t> ping_restart;
    std::optional<std::uint32_t> ping_exit;
    std::optional<std::uint32_t> inactive;
    std::optional<std::uint32_t> peer_id;
    std::optional<std::string> cipher;
    std::optional<ProtocolFlags> protocol_flags;
    bool key_derivation_tls_ekm = false;
    std::optional<std::uint32_t> tun_mtu;
    std::optional<std::string> auth_token;
    std::optional<std::string> auth_token_user;
    std::optional<std::uint32_t> explicit_exit_notify;
    std::optional<Compression> compression;
};

/// A pushed option that was not applied, and why.
struct PushWarning {
    std::string option;  // the option text as received (bounded by kMaxPushOptionLength)
    std::string message;
    bool operator==(const PushWarning&) const = default;
};

enum class PushErrorKind : std::uint8_t {
    kNotPushReply,      // does not start with "PUSH_REPLY"
    kTooLarge,          // message, option or option count over the limits
    kMalformed,         // bad characters, quoting, or a bad parameter
    kRejectedByFilter,  // a pull-filter reject rule matched
    kUnsupported,       // an option we cannot honour and must not ignore (real compression)
};

struct PushError {
    PushErrorKind kind = PushErrorKind::kMalformed;
    std::string message;  // names the option
};

/// How the client treats pushed options (from its own config).
struct PullPolicy {
    std::vector<PullFilter> filters;
    bool route_nopull = false;
};

/// Parses one PUSH_REPLY message and applies its options on top of `into`. Returns true when
/// the reply is complete, false when `push-continuation 2` announced more messages. Warnings
/// for options that were not applied are appended to `warnings`. On error `into` may be
/// partially updated and must be discarded.
[[nodiscard]] Result<bool, PushError> apply_push_reply(std::string_view message,
                                                       const PullPolicy& policy,
                                                       PushedOptions& into,
                                                       std::vector<PushWarning>& warnings);

/// Collects PUSH_REPLY messages until the last continuation. Bounded: at most
/// kMaxPushMessages messages and kMaxPushOptions options per reply.
class PushReplyAssembler {
public:
    explicit PushReplyAssembler(PullPolicy policy) : policy_(std::move(policy)) {}

    /// Feeds one message. Returns the merged options once the reply is complete, nullopt
    /// while more messages are expected. After an error or a completed reply the assembler
    /// starts afresh with the next message.
    [[nodiscard]] Result<std::optional<PushedOptions>, PushError> add(std::string_view message);

    /// Warnings of the reply being assembled or last completed.
    [[nodiscard]] const std::vector<PushWarning>& warnings() const { return warnings_; }

private:
    PullPolicy policy_;
    PushedOptions pending_;
    std::vector<PushWarning> warnings_;
    std::size_t messages_ = 0;
    bool completed_ = false;
};

}  // namespace nfv::vpn::config
