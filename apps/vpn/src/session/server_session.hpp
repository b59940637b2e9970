// ServerSession: the server side of one OpenVPN 2.6 client connection, sans-I/O. The runtime
// routes a client's datagrams here (by address or peer-id), sends what poll_transmit() yields,
// reacts to poll_event() and calls on_timer() at next_deadline(). One object per client.
//
// Reference: OpenVPN 2.6 src/openvpn/ssl.c (tls_process on the server: the client's
// HARD_RESET_CLIENT_V2/V3 is answered with HARD_RESET_SERVER_V2 on key_id 0; the server writes
// its key-method-2 message only after reading the client's (key_method_2_read/_write);
// key_state_soft_reset and the lame-duck key), ssl_ncp.c (ncp_get_best_cipher: the first of
// our --data-ciphers that the client lists in IV_CIPHERS; a client without IV_CIPHERS that
// announces IV_NCP=2 gets AES-256-GCM or AES-128-GCM; otherwise --data-ciphers-fallback),
// push.c (PUSH_REQUEST -> PUSH_REPLY with peer-id, cipher, protocol-flags), ssl.c
// tls_session_generate_data_channel_keys (EKM when both sides set IV_PROTO_TLS_KEY_EXPORT),
// occ.c / forward.c (OCC EXIT, "EXIT" with cc-exit), ping.c (keepalive);
// /work/shared/reference/openvpn-protocol.md §1.4-1.11.
//
// Life of a connection:
//   1. the client's hard reset (key_id 0) creates key state 0; we answer HARD_RESET_SERVER_V2
//      with our session id (the runtime may first have checked a stateless cookie, see
//      reset_cookie.hpp);
//   2. TLS (server role) runs in P_CONTROL_V1; once it is up we read the client's key-method-2
//      message, choose the data cipher, send ours and raise kAuthenticated (peer CN, options,
//      peer-info);
//   3. PUSH_REQUEST raises kPushRequest and is answered with the PUSH_REPLY built from the
//      config's PushReplyParams plus the negotiated cipher, peer-id and protocol-flags; the data
//      channel keys are installed at that moment (kDataChannelReady);
//   4. data flows; a keepalive ping goes out when nothing was sent for `ping`; nothing from
//      the client for `ping_restart` closes the session (kClosed);
//   Renegotiation: either side's P_CONTROL_SOFT_RESET_V1 on the next key_id (1..7, then 1)
//   starts a new key state; when its key-method-2 exchange is done it becomes primary and the
//   previous key stays for receiving during the transition window.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nfv/platform/random.hpp"
#include "nfv/platform/result.hpp"
#include "nfv/platform/time.hpp"

#include "config/peer_info.hpp"
#include "proto/control_wrap.hpp"
#include "proto/data_channel.hpp"
#include "proto/key_derivation.hpp"
#include "proto/key_method2.hpp"
#include "proto/packet.hpp"
#include "proto/reliable.hpp"
#include "session/client_session.hpp"
#include "session/push_reply_builder.hpp"
#include "session/tls_stream.hpp"

namespace nfv::vpn::session {

struct ServerSessionConfig {
    proto::ControlWrap wrap;              // none, tls-auth or tls-crypt (server direction)
    proto::SessionId local_session_id{};  // 8 random bytes (or the verified cookie)
    std::string options_string;           // OCC options string, "...,tls-server"
    TlsStreamFactory make_tls;            // server-role TLS connections
    // --data-ciphers that we implement, in preference order, and --data-ciphers-fallback.
    std::vector<proto::DataCipher> data_ciphers{proto::DataCipher::kAes256Gcm,
                                                proto::DataCipher::kAes128Gcm,
                                                proto::DataCipher::kChaCha20Poly1305};
    std::optional<proto::DataCipher> data_ciphers_fallback;
    proto::DataDigest digest = proto::DataDigest::kSha1;  // --auth, CBC ciphers only
    PushReplyParams push;                                 // cipher/peer-id/flags are filled in
    std::uint32_t peer_id = 0;                            // P_DATA_V2 peer id of this client
    platform::Duration handshake_window = std::chrono::seconds(60);   // --hand-window
    platform::Duration transition_window = std::chrono::seconds(60);  // --tran-window
    std::optional<platform::Duration> reneg_interval;                 // --reneg-sec
    platform::Duration ping{};                                        // keepalive (0 = off)
    platform::Duration ping_restart{};
    std::size_t tls_mtu = proto::kDefaultTlsMtu;
    bool tcp = false;  // strict packet-id order over TCP
    // tls-crypt-v2 (wrap = tls-crypt with this client's Kc): V3 resets and P_CONTROL_WKC_V1
    // arrive with the WKc appended, which is removed before unwrapping.
    bool tls_crypt_v2 = false;
    // Deferred authorization (auth-user-pass-verify, client-connect, client-config-dir): after
    // kAuthenticated nothing is pushed until authorize() or deny(); a PUSH_REQUEST meanwhile is
    // answered once authorize() is called (OpenVPN 2.6 holds the reply the same way while its
    // deferred auth / client-connect is pending).
    bool wait_for_authorization = false;
    // --reneg-bytes / --reneg-pkts: renegotiate once this much traffic (both directions) used
    // the primary key; 0 disables.
    std::uint64_t reneg_bytes = 0;
    std::uint64_t reneg_packets = 0;
};

enum class ServerState : std::uint8_t {
    kWaitReset,     // nothing valid received yet
    kTlsHandshake,  // reset answered, TLS running
    kKeyExchange,   // TLS up, waiting for the client's key-method-2 message
    kWaitPush,      // key exchange done, waiting for PUSH_REQUEST
    kConnected,     // PUSH_REPLY sent, data channel active
    kClosed,        // exit notification, ping-restart, handshake failure ...
};

struct ServerEvent {
    enum class Kind : std::uint8_t {
        kAuthenticated,     // text: the peer certificate's CN (key exchange done on key_id 0)
        kPushRequest,       // the client asked for its options (answered automatically)
        kDataChannelReady,  // text: the negotiated cipher
        kRenegotiated,      // text: new key_id
        kClosed,            // text: why (exit notify, ping-restart, handshake window, error)
    };
    Kind kind = Kind::kClosed;
    std::string text;
};

struct ServerSessionStats {
    std::uint64_t control_dropped = 0;
    std::uint64_t data_dropped = 0;
    std::uint64_t pings_sent = 0;
    std::uint64_t pings_received = 0;
    std::uint64_t renegotiations = 0;
};

/// The data cipher for a client (ssl_ncp.c ncp_get_best_cipher and the fallback rules), or
/// nullopt when there is none in common.
[[nodiscard]] std::optional<proto::DataCipher> choose_data_cipher(
    const config::PeerInfo& peer, std::span<const proto::DataCipher> ours,
    std::optional<proto::DataCipher> fallback);

class ServerSession {
public:
    ServerSession(ServerSessionConfig config, platform::Random& random, Now now);
    /// A session for a client that echoed our stateless reset cookie (reset_cookie.hpp,
    /// kAccept); config.local_session_id must be the cookie. Both resets (message id 0 each
    /// way) count as exchanged and our control packet id 1 as used by the stateless reply;
    /// feed the echoing packet to on_control_packet() next.
    ServerSession(ServerSessionConfig config, platform::Random& random, Now now,
                  const proto::SessionId& client_session_id);
    ~ServerSession();
    ServerSession(const ServerSession&) = delete;
    ServerSession& operator=(const ServerSession&) = delete;

    /// A control packet from this client. Bad packets (unwrap, parse, session id, a first
    /// packet that is not a hard reset) are dropped and counted.
    void on_control_packet(std::span<const std::byte> packet, Now now);
    void on_timer(Now now);
    [[nodiscard]] std::optional<std::vector<std::byte>> poll_transmit(Now now);
    [[nodiscard]] std::optional<ServerEvent> poll_event();
    [[nodiscard]] std::optional<platform::Instant> next_deadline() const;

    [[nodiscard]] ServerState state() const { return state_; }
    [[nodiscard]] const ServerSessionStats& stats() const { return stats_; }
    /// The client's key-method-2 message (options, credentials, peer-info) once received.
    [[nodiscard]] const std::optional<proto::KeyMethod2Message>& client_message() const {
        return client_message_;
    }
    [[nodiscard]] const config::PeerInfo& peer_info() const { return peer_info_; }
    /// The client's verified certificate chain (leaf first) of the primary key state.
    [[nodiscard]] std::vector<proto::PeerCertificate> peer_chain() const;
    [[nodiscard]] std::optional<proto::DataCipher> cipher() const { return cipher_; }
    /// True once the client announced P_DATA_V2 (IV_PROTO bit 1): data packets carry its peer id.
    [[nodiscard]] bool uses_data_v2() const { return peer_id_.has_value(); }
    [[nodiscard]] const std::optional<proto::SessionId>& remote_session_id() const {
        return remote_session_id_;
    }

    /// Starts a renegotiation now (as reneg-sec would); false when one is running or the
    /// session is not connected.
    bool renegotiate(Now now);

    /// With wait_for_authorization: lets the client in. `push` replaces the configured push
    /// parameters (client-config-dir ifconfig-push, push, push-reset); a PUSH_REQUEST that
    /// already arrived is answered now. False unless the key exchange is done and no decision
    /// was made yet.
    bool authorize(std::optional<PushReplyParams> push, Now now);
    /// With wait_for_authorization: refuses the client with "AUTH_FAILED[,reason]" (the reason
    /// only when non-empty) and closes the session. False when there is nothing to refuse.
    bool deny(std::string_view reason, Now now);

    [[nodiscard]] Result<std::size_t, proto::DataError> encrypt(std::span<const std::byte> packet,
                                                                std::span<std::byte> out, Now now);
    [[nodiscard]] std::size_t max_encrypted_size(std::size_t packet_size) const;
    /// Decrypts a data packet in place: the IP packet, or an empty span for a keepalive ping or
    /// an OCC EXIT (which closes the session).
    [[nodiscard]] Result<std::span<std::byte>, proto::DataError> decrypt(
        std::span<std::byte> packet, Now now);
    /// Tells the client we are going away: "RESTART" over the control channel (OpenVPN 2.6
    /// server explicit-exit-notify) and an OCC EXIT data packet; closes the session.
    void notify_exit(Now now);

private:
    struct KeyState;

    std::unique_ptr<KeyState> start_key_state(std::uint8_t key_id, proto::Opcode reset, Now now);
    KeyState* key_state(std::uint8_t key_id);
    void process_key_state(KeyState& key, Now now);
    void handle_key_method(KeyState& key, std::span<const std::byte> record, Now now);
    void handle_control_message(KeyState& key, std::string_view message, Now now);
    void send_control_message(KeyState& key, std::string_view message);
    void send_push_reply(KeyState& key, Now now);
    [[nodiscard]] Result<void, std::string> install_keys(KeyState& key);
    void close(std::string reason);
    void emit(ServerEvent::Kind kind, std::string text);
    void flush_reliable(KeyState& key, Now now);
    void queue_data_message(std::span<const std::byte> message, Now now);
    void count_traffic(std::size_t bytes, Now now);

    ServerSessionConfig config_;
    platform::Random* random_;
    ServerState state_ = ServerState::kWaitReset;
    platform::Instant started_;
    std::optional<proto::SessionId> remote_session_id_;
    std::optional<proto::KeyMethod2Message> client_message_;
    config::PeerInfo peer_info_;
    std::optional<proto::DataCipher> cipher_;
    bool use_ekm_ = false;
    std::optional<std::uint32_t> peer_id_;  // set when the client speaks P_DATA_V2
    bool authorized_ = false;
    bool push_pending_ = false;      // PUSH_REQUEST received before authorize()
    std::uint64_t key_bytes_ = 0;    // traffic on the primary key (reneg-bytes)
    std::uint64_t key_packets_ = 0;  // (reneg-pkts)

    std::unique_ptr<KeyState> primary_;
    std::unique_ptr<KeyState> renegotiating_;
    std::unique_ptr<KeyState> lame_duck_;
    std::optional<platform::Instant> lame_duck_expiry_;
    std::uint8_t last_key_id_ = 0;

    platform::Instant last_received_;
    platform::Instant last_sent_;

    std::deque<std::vector<std::byte>> outgoing_;
    std::deque<ServerEvent> events_;
    ServerSessionStats stats_;
};

}  // namespace nfv::vpn::session
