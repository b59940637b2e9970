// KeyState: the TLS part of one OpenVPN key state (one key_id): the TLS session, the
// key-method-2 exchange, text control messages, and the data-channel keys derived afterwards.
// The reliability layer and packet wrapping stay outside: this class consumes and produces
// TLS ciphertext only (the payloads of P_CONTROL_V1 packets).
//
// References: OpenVPN 2.6 src/openvpn/ssl.c (tls_process_state: the client writes its
// key-method-2 message at S_START, the server after reading the client's (S_GOT_KEY);
// generate_key_expansion, tls_session_generate_data_channel_keys), ssl_pkt.c
// (extract_command_buffer: control messages are NUL-terminated printable text, trailing
// "\r\n" chomped, anything else dropped); /work/shared/reference/openvpn-protocol.md §1.7,
// §1.8, §1.10.
//
// Flow:  create() -> [client: key-method-2 queued]
//        receive_tls()/read_tls() until poll_event() yields kKeyExchangeDone
//        (peer_message() then holds the peer's options, credentials and peer-info)
//        -> data_channel_key() with the negotiated cipher and derivation method
//        -> send_control_message()/poll_control_message() for PUSH_REQUEST, PUSH_REPLY, ...
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "nfv/platform/random.hpp"
#include "nfv/platform/result.hpp"

#include "proto/data_channel.hpp"
#include "proto/key_derivation.hpp"
#include "proto/key_method2.hpp"
#include "proto/packet.hpp"
#include "proto/tls_engine.hpp"

namespace nfv::vpn::proto {

/// How the data-channel keys are derived: TLS EKM (peer announced IV_PROTO bit 3 and it was
/// agreed) or the legacy PRF over the key-method-2 randoms.
enum class KeyDerivationMethod : std::uint8_t { kTlsEkm, kPrf };

struct KeyStateConfig {
    TlsEngineConfig tls;  // tls.is_server selects the role
    std::uint8_t key_id = 0;
    SessionId local_session_id{};         // our control-channel session id
    SessionId remote_session_id{};        // the peer's (part of the PRF seed)
    std::string options;                  // our OCC options string
    std::string peer_info;                // client: IV_ variables; server: usually empty
    std::optional<UserPass> credentials;  // client only (auth-user-pass or auth-token)
};

enum class KeyStateError : std::uint8_t {
    kTlsFailed,          // see tls_error()
    kBadKeyMethod,       // the peer's key-method-2 message did not parse (see key_method_error())
    kNotReady,           // the key exchange has not finished
    kKeyDerivation,      // EKM export or PRF failed
    kDataKey,            // the data-channel key could not be set up (cipher unsupported)
    kMessageTooLong,     // control message longer than kMaxControlMessageSize
    kBadControlMessage,  // control message text with a NUL or a non-printable character
};

enum class KeyStateEvent : std::uint8_t {
    kTlsHandshakeDone,
    kKeyExchangeDone,  // both key-method-2 messages exchanged; peer_message() is valid
};

/// Longest control message we send or accept (OpenVPN's TLS_CHANNEL_BUF_SIZE is 2048).
inline constexpr std::size_t kMaxControlMessageSize = 2048;

class KeyState {
public:
    /// Starts the TLS session; a client queues its key-method-2 message at once.
    [[nodiscard]] static Result<KeyState, KeyStateError> create(KeyStateConfig config,
                                                                platform::Random& random);

    [[nodiscard]] std::uint8_t key_id() const { return config_.key_id; }
    [[nodiscard]] bool is_server() const { return config_.tls.is_server; }

    /// TLS ciphertext from the peer, in order. Processes whatever plaintext it completes.
    [[nodiscard]] Result<void, KeyStateError> receive_tls(std::span<const std::byte> ciphertext);
    /// TLS ciphertext to send (the caller cuts it into control packets); 0 = nothing.
    [[nodiscard]] std::size_t read_tls(std::span<std::byte> out) {
        return tls_.read_ciphertext(out);
    }
    [[nodiscard]] std::size_t pending_tls() const { return tls_.pending_ciphertext(); }

    [[nodiscard]] std::optional<KeyStateEvent> poll_event();
    [[nodiscard]] bool key_exchange_done() const { return peer_message_.has_value() && sent_key_; }

    /// The peer's key-method-2 message once received.
    [[nodiscard]] const std::optional<KeyMethod2Message>& peer_message() const {
        return peer_message_;
    }
    [[nodiscard]] const TlsEngine& tls() const { return tls_; }
    [[nodiscard]] std::optional<TlsError> tls_error() const { return tls_.error(); }
    [[nodiscard]] std::optional<KeyMethod2Error> key_method_error() const {
        return key_method_error_;
    }

    /// The 256-byte key block for the data channel (after kKeyExchangeDone).
    [[nodiscard]] Result<KeyBlock, KeyStateError> derive_key_block(
        KeyDerivationMethod method) const;
    /// A data-channel key for this key_id with the negotiated cipher (config.key_id is
    /// overridden with ours). `random` supplies CBC IVs and must outlive the key.
    [[nodiscard]] Result<DataChannelKey, KeyStateError> data_channel_key(
        DataChannelConfig config, KeyDerivationMethod method, platform::Random& random) const;

    /// Sends a text control message ("PUSH_REQUEST"); a NUL is appended as OpenVPN expects.
    /// Queued until the TLS handshake is done; kNotReady before our key-method-2 message went
    /// out (a server sends it only after the client's arrived).
    [[nodiscard]] Result<void, KeyStateError> send_control_message(std::string_view text);
    /// The next received control message (NUL and trailing "\r\n" removed); nullopt if none.
    [[nodiscard]] std::optional<std::string> poll_control_message();
    /// Received control messages dropped as malformed (no NUL, non-printable text).
    [[nodiscard]] std::uint64_t dropped_control_messages() const { return dropped_messages_; }

private:
    KeyState(KeyStateConfig config, TlsEngine tls, KeySource local_source)
        : config_(std::move(config)),
          tls_(std::move(tls)),
          local_source_(std::move(local_source)) {}

    [[nodiscard]] Result<void, KeyStateError> send_key_method2();
    [[nodiscard]] Result<void, KeyStateError> process_plaintext();
    void handle_record(std::span<const std::byte> record);
    [[nodiscard]] Result<void, KeyStateError> tls_failed();

    KeyStateConfig config_;
    TlsEngine tls_;
    KeySource local_source_;
    std::optional<KeyMethod2Message> peer_message_;
    std::optional<KeyMethod2Error> key_method_error_;
    bool sent_key_ = false;
    std::deque<KeyStateEvent> events_;
    std::deque<std::string> messages_;
    std::uint64_t dropped_messages_ = 0;
};

}  // namespace nfv::vpn::proto
