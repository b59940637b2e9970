// Test helpers: matching ClientSession and ServerSession configs (tls-crypt with OpenVPN's test
// key, fake TLS), and a client-side handler that applies a PUSH_REPLY the way the runtime does
// (parse, then activate_data_channel with the pushed cipher, peer-id and protocol-flags).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "../proto/openvpn_vectors.hpp"
#include "config/push_reply.hpp"
#include "fake_tls.hpp"
#include "session/client_session.hpp"
#include "session/server_session.hpp"

namespace nfv::vpn::session::testing {

inline proto::StaticKey pair_test_key() {
    return proto::StaticKey::parse(proto::testdata::kStaticKeyText).value();
}

inline ClientSessionConfig pair_client_config(std::string peer_info) {
    ClientSessionConfig c;
    c.wrap = proto::ControlWrap(
        proto::TlsCrypt::create(pair_test_key(), /*is_server=*/false).value(), {});
    c.local_session_id = {std::byte{0xc1}, std::byte{2}, std::byte{3}, std::byte{4},
                          std::byte{5},    std::byte{6}, std::byte{7}, std::byte{8}};
    c.options_string = "V4,dev-type tun,link-mtu 1549,tun-mtu 1500,proto UDPv4,tls-client";
    c.peer_info = std::move(peer_info);
    c.make_tls = []() -> Result<std::unique_ptr<TlsStream>, std::string> {
        return std::unique_ptr<TlsStream>(std::make_unique<FakeTls>(true));
    };
    return c;
}

/// IV_PROTO=990: DATA_V2, REQUEST_PUSH, TLS_KEY_EXPORT, AUTH_PENDING_KW, DNS_OPTION,
/// CC_EXIT_NOTIFY, AUTH_FAIL_TEMP, DYN_TLS_CRYPT (a 2.6.14 client).
inline constexpr std::string_view kModernPeerInfo =
    "IV_VER=2.6.14\nIV_PLAT=linux\nIV_PROTO=990\nIV_NCP=2\n"
    "IV_CIPHERS=AES-256-GCM:AES-128-GCM:CHACHA20-POLY1305\n";

inline ServerSessionConfig pair_server_config() {
    ServerSessionConfig c;
    c.wrap = proto::ControlWrap(
        proto::TlsCrypt::create(pair_test_key(), /*is_server=*/true).value(), {});
    c.local_session_id = {std::byte{0x5e}, std::byte{1}, std::byte{2}, std::byte{3},
                          std::byte{4},    std::byte{5}, std::byte{6}, std::byte{7}};
    c.options_string = "V4,dev-type tun,link-mtu 1549,tun-mtu 1500,proto UDPv4,tls-server";
    c.make_tls = []() -> Result<std::unique_ptr<TlsStream>, std::string> {
        return std::unique_ptr<TlsStream>(std::make_unique<FakeTls>(false));
    };
    c.push.options = {"route-gateway 10.8.0.1", "topology subnet", "ping 10", "ping-restart 60",
                      "dhcp-option DNS 10.8.0.1"};
    c.push.ifconfig = {net::Ipv4Address({10, 8, 0, 2}), net::Ipv4Address({255, 255, 255, 0})};
    c.peer_id = 7;
    return c;
}

/// What the client runtime does with PUSH_REPLY messages.
class PushApplier {
public:
    /// Feeds one kPushReply event; activates the data channel once the reply is complete and
    /// the client is not connected yet (a repeated reply after a lost ack is ignored).
    void on_push_reply(ClientSession& client, const std::string& message) {
        auto result = assembler_.add(message);
        ASSERT_TRUE(result) << result.error().message;
        if (!*result || client.state() == SessionState::kConnected) {
            return;
        }
        options = std::move(**result);
        proto::DataChannelConfig data;
        if (options->cipher) {
            const auto cipher = proto::parse_data_cipher(*options->cipher);
            ASSERT_TRUE(cipher) << *options->cipher;
            data.cipher = *cipher;
        }
        const bool ekm = options->protocol_flags && options->protocol_flags->tls_ekm;
        ASSERT_TRUE(client.activate_data_channel(data, ekm, options->peer_id));
    }

    std::optional<config::PushedOptions> options;

private:
    config::PushReplyAssembler assembler_{config::PullPolicy{}};
};

}  // namespace nfv::vpn::session::testing
