// ClientSession: the client side of one OpenVPN 2.6 connection, sans-I/O. Packets and time go in;
// packets to send, events and the next deadline come out. The runtime owns sockets, the TUN
// device and the clock; it parses PUSH_REPLY and then activates the data channel.
//
// Reference: OpenVPN 2.6 src/openvpn/ssl.c (tls_process: S_INITIAL -> S_PRE_START -> S_START ->
// S_SENT_KEY -> S_GOT_KEY -> S_ACTIVE; key_state_soft_reset; the lame-duck key and
// --transition-window), ssl_pkt.c (session ids, tls_pre_decrypt), push.c (PUSH_REQUEST every
// few seconds until PUSH_REPLY), forward.c (check_incoming_control_channel: AUTH_FAILED,
// RESTART, HALT, INFO), ping.c (keepalive magic, --ping / --ping-restart);
// /work/shared/reference/openvpn-protocol.md §1.4-1.11.
//
// Life of a connection:
//   1. HARD_RESET_CLIENT_V2 (key_id 0) -> the server's HARD_RESET_SERVER_V2 gives its session id;
//      with tls-crypt-v2 the reset is HARD_RESET_CLIENT_V3 + WKc, and when the server's reset
//      carries EARLY_NEG_FLAGS with RESEND_WKC (its stateless HMAC-cookie mode) our first
//      P_CONTROL_V1 is sent as P_CONTROL_WKC_V1 + WKc (ssl.c control_packet_needs_wkc);
//   2. TLS runs inside P_CONTROL_V1 (reliable layer, wrapped by tls-auth/tls-crypt if set);
//   3. after the handshake we send our key-method-2 message and read the server's;
//   4. PUSH_REQUEST every `push_request_interval` until PUSH_REPLY (event kPushReply, one per
//      message: the runtime merges push-continuation parts and then calls
//      activate_data_channel());
//   5. data packets flow; keepalive pings go out when nothing was sent for `ping`; no packet
//      from the server for `ping_restart` raises kRestart.
//   Renegotiation: the server's P_CONTROL_SOFT_RESET_V1 (or our own after reneg-sec,
//   reneg-bytes, reneg-pkts or the packet-id wrap trigger) starts a new key state on the next
//   key_id (1..7, wrapping to 1); when its key-method-2 exchange is done it becomes the primary key
//   and the previous one stays usable for receiving during the transition window (60 s).
#pragma once

#include <array>
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

#include "proto/control_wrap.hpp"
#include "proto/data_channel.hpp"
#include "proto/key_derivation.hpp"
#include "proto/key_method2.hpp"
#include "proto/packet.hpp"
#include "proto/reliable.hpp"
#include "session/tls_stream.hpp"

namespace nfv::vpn::session {

/// The two clocks a session needs: monotonic time for timers, Unix seconds for the packet-id
/// time field of tls-auth/tls-crypt.
struct Now {
    platform::Instant mono;
    std::uint32_t unix_seconds = 0;
};

/// The 16-byte keepalive payload (ping.c ping_string).
inline constexpr std::array<std::uint8_t, 16> kPingMagic = {
    0x2a, 0x18, 0x7b, 0xf3, 0x64, 0x1e, 0xb4, 0xcb, 0x07, 0xed, 0x2d, 0x0a, 0x98, 0x1f, 0xc7, 0x48};
/// The OCC message prefix (occ.c occ_magic); followed by one opcode byte, 6 = EXIT.
inline constexpr std::array<std::uint8_t, 16> kOccMagic = {
    0x28, 0x7f, 0x34, 0x6b, 0xd4, 0xef, 0x7a, 0x81, 0x2d, 0x56, 0xb8, 0xd3, 0xaf, 0xc5, 0x45, 0x9c};
inline constexpr std::uint8_t kOccExit = 6;

struct ClientSessionConfig {
    proto::ControlWrap wrap;              // none, tls-auth, tls-crypt or tls-crypt-v2
    proto::SessionId local_session_id{};  // 8 random bytes
    std::string options_string;           // OCC options string, "...,tls-client"
    std::string peer_info;                // "IV_VER=...\n..." lines
    std::optional<proto::UserPass> credentials;
    TlsStreamFactory make_tls;
    platform::Duration handshake_window = std::chrono::seconds(60);  // --hand-window
    platform::Duration push_request_interval = std::chrono::seconds(5);
    platform::Duration transition_window = std::chrono::seconds(60);  // --tran-window
    std::optional<platform::Duration> reneg_interval;                 // --reneg-sec (client)
    std::uint64_t reneg_bytes = 0;    // --reneg-bytes: data bytes on one key, both ways (0 = off)
    std::uint64_t reneg_packets = 0;  // --reneg-pkts: data packets on one key, both ways (0 = off)
    std::size_t tls_mtu = proto::kDefaultTlsMtu;
    bool tcp = false;  // strict packet-id order (no replay backtrack) over TCP
};

enum class SessionState : std::uint8_t {
    kResetSent,      // waiting for HARD_RESET_SERVER_V2
    kTlsHandshake,   // TLS running
    kKeyExchange,    // our key-method 2 sent, waiting for the server's
    kPushRequested,  // waiting for PUSH_REPLY
    kConnected,      // data channel active
    kFailed,         // fatal error; the runtime restarts or exits
};

struct SessionEvent {
    enum class Kind : std::uint8_t {
        kTlsEstablished,  // text: TLS version/cipher/peer
        kPushReply,       // text: one PUSH_REPLY message ("PUSH_REPLY,...")
        kAuthFailed,      // text: the server's reason
        kRestart,         // text: why (server RESTART, ping-restart)
        kHalt,            // server asked us to stop
        kFailed,          // text: fatal protocol error (handshake window, TLS error ...)
        kRenegotiated,    // text: new key_id
        kInfo,            // text: INFO / unhandled control message
    };
    Kind kind = Kind::kInfo;
    std::string text;
};

struct SessionStats {
    std::uint64_t control_dropped = 0;  // unwrap/parse/session-id failures
    std::uint64_t data_dropped = 0;     // decrypt/replay failures or no key
    std::uint64_t pings_sent = 0;
    std::uint64_t pings_received = 0;
};

class ClientSession {
public:
    /// Starts the connection: the first call to poll_transmit() yields the hard reset.
    ClientSession(ClientSessionConfig config, platform::Random& random, Now now);
    ~ClientSession();
    ClientSession(const ClientSession&) = delete;
    ClientSession& operator=(const ClientSession&) = delete;

    /// A control packet from the server (the first byte is not P_DATA_V1/V2). Bad packets are
    /// dropped and counted.
    void on_control_packet(std::span<const std::byte> packet, Now now);
    /// Timer expiry (call at next_deadline() or later).
    void on_timer(Now now);
    /// Next datagram to send, or nullopt.
    [[nodiscard]] std::optional<std::vector<std::byte>> poll_transmit(Now now);
    [[nodiscard]] std::optional<SessionEvent> poll_event();
    [[nodiscard]] std::optional<platform::Instant> next_deadline() const;

    [[nodiscard]] SessionState state() const { return state_; }
    [[nodiscard]] const SessionStats& stats() const { return stats_; }

    /// After PUSH_REPLY: builds the data-channel key of the active key state. `use_ekm`: the
    /// server pushed `protocol-flags tls-ekm` (or `key-derivation tls-ekm`); otherwise the
    /// legacy PRF is used. `peer_id`: the pushed peer-id (P_DATA_V2), nullopt for P_DATA_V1.
    /// `dyn_tls_crypt`: the server pushed `protocol-flags dyn-tls-crypt`; renegotiations then
    /// use the dynamic tls-crypt key derived from this first TLS session.
    [[nodiscard]] Result<void, std::string> activate_data_channel(
        const proto::DataChannelConfig& config, bool use_ekm, std::optional<std::uint32_t> peer_id,
        bool dyn_tls_crypt = false);
    /// Keepalive from the pushed `ping` / `ping-restart` (zero disables either).
    void set_keepalive(platform::Duration ping, platform::Duration ping_restart, Now now);

    /// Encrypts one IP packet from the TUN device into `out` (see max_encrypted_size()).
    [[nodiscard]] Result<std::size_t, proto::DataError> encrypt(std::span<const std::byte> packet,
                                                                std::span<std::byte> out, Now now);
    [[nodiscard]] std::size_t max_encrypted_size(std::size_t packet_size) const;
    /// Decrypts a data packet in place. Returns the IP packet for the TUN device, or an empty
    /// span for a keepalive ping (consumed here). Failures are counted and returned.
    [[nodiscard]] Result<std::span<std::byte>, proto::DataError> decrypt(
        std::span<std::byte> packet, Now now);
    /// An OCC EXIT data packet (explicit-exit-notify), or nullopt without a data channel.
    [[nodiscard]] std::optional<std::vector<std::byte>> exit_notification(Now now);

private:
    struct KeyState;

    std::unique_ptr<KeyState> start_key_state(std::uint8_t key_id, bool soft_reset, Now now);
    KeyState* key_state(std::uint8_t key_id);
    void process_key_state(KeyState& key, Now now);
    void handle_record(KeyState& key, std::span<const std::byte> record, Now now);
    void handle_control_message(std::string_view message, Now now);
    void send_control_message(KeyState& key, std::string_view message);
    [[nodiscard]] Result<void, std::string> install_keys(KeyState& key);
    void fail(std::string reason);
    void emit(SessionEvent::Kind kind, std::string text);
    void flush_reliable(KeyState& key, Now now);
    void queue_ping(Now now);
    [[nodiscard]] bool usage_renegotiation_due() const;

    ClientSessionConfig config_;
    platform::Random* random_;
    SessionState state_ = SessionState::kResetSent;
    platform::Instant started_;
    std::optional<proto::SessionId> remote_session_id_;

    std::unique_ptr<KeyState> primary_;
    std::unique_ptr<KeyState> renegotiating_;
    std::unique_ptr<KeyState> lame_duck_;
    std::optional<platform::Instant> lame_duck_expiry_;
    std::uint8_t last_key_id_ = 0;

    // Data channel settings kept for renegotiated keys.
    std::optional<proto::DataChannelConfig> data_config_;
    bool use_ekm_ = false;
    std::optional<std::uint32_t> peer_id_;

    std::optional<platform::Instant> next_push_request_;
    platform::Duration ping_interval_{};
    platform::Duration ping_restart_{};
    platform::Instant last_received_;
    platform::Instant last_sent_;

    std::deque<std::vector<std::byte>> outgoing_;
    std::deque<SessionEvent> events_;
    SessionStats stats_;
};

}  // namespace nfv::vpn::session
