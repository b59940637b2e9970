// The PUSH_REPLY a server sends to one client: the configured push list (ServerPlan::push, in
// order) followed by the per-client options the server adds at connection time.
//
// Reference: OpenVPN 2.6 push.c (prepare_push_reply: ifconfig-ipv6, ifconfig, peer-id, cipher,
// protocol-flags, tun-mtu are appended after the push list; send_push_reply: options are joined
// with ',' into messages of at most PUSH_BUNDLE_SIZE (1024) bytes, each but the last ending in
// "push-continuation 2", the last in "push-continuation 1" when the reply was split). The order
// matches a reply captured from openvpn 2.6.14 (tests/apps/vpn/config/push_reply_test.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nfv/net/ip_address.hpp"

namespace nfv::vpn::session {

/// PUSH_BUNDLE_SIZE: the longest PUSH_REPLY message a 2.6 server sends.
inline constexpr std::size_t kPushBundleSize = 1024;

struct PushReplyParams {
    std::vector<std::string> options;  // the push list, in order
    // ifconfig LOCAL REMOTE_OR_NETMASK for this client (from the pool or ifconfig-push).
    std::optional<std::pair<net::Ipv4Address, net::Ipv4Address>> ifconfig;
    std::optional<net::Ipv6Address> ifconfig_ipv6;
    std::uint8_t ifconfig_ipv6_prefix = 64;
    std::optional<net::Ipv6Address> ifconfig_ipv6_remote;
    std::optional<std::uint32_t> peer_id;  // only to clients that announced IV_PROTO_DATA_V2
    std::string cipher;                    // the negotiated data cipher ("AES-256-GCM")
    bool cc_exit = false;                  // protocol-flags cc-exit
    bool tls_ekm = false;                  // protocol-flags tls-ekm
    std::optional<std::uint32_t> tun_mtu;
};

/// The per-client options in OpenVPN's order, without the "PUSH_REPLY," prefix.
[[nodiscard]] std::vector<std::string> push_reply_options(const PushReplyParams& params);

/// The PUSH_REPLY messages for `params` (one unless they exceed `bundle_size`). An option
/// longer than a whole bundle still goes out alone in its own message.
[[nodiscard]] std::vector<std::string> build_push_reply(const PushReplyParams& params,
                                                        std::size_t bundle_size = kPushBundleSize);

}  // namespace nfv::vpn::session
