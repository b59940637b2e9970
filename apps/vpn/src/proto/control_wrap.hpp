// ControlWrap: the control-channel wrapping of one OpenVPN session (none, tls-auth or tls-crypt)
// together with the replay state it needs on both sides.
//
// Reference: OpenVPN 2.6 src/openvpn/ssl_pkt.c (tls_wrap_control, read_control_auth) and
// ssl.c (tls_pre_decrypt_lite, the replay check of wrapped control packets with
// --replay-window defaults); /work/shared/reference/openvpn-protocol.md §1.6-1.8.
//
// Contract:
//  * wrap(): plain control packet (proto/packet.hpp layout) -> wire bytes. tls-auth and
//    tls-crypt take the next packet id (long form: id + time) from the sender counter, which
//    starts with the wall-clock seconds of the first wrap, as OpenVPN's packet_id_send does.
//  * unwrap(): wire bytes -> plain control packet. The authentication (HMAC or tls-crypt tag)
//    is verified first; only then is the replay id checked against the window and recorded, so
//    forged packets never move the window. A failure changes no state.
//  * With no wrapping, wrap() copies and unwrap() only checks the opcode.
//  * tls-crypt-v2 (client side) is tls-crypt with the client key Kc plus: the sender counter
//    starts at EARLY_NEG_START (0x0f000000, ssl_pkt.h; tls_session_init sets it so the server
//    learns that we support early negotiation), and the client's WKc is appended after the
//    wrapped P_CONTROL_HARD_RESET_CLIENT_V3 and P_CONTROL_WKC_V1 (ssl_pkt.c write_control_auth).
//  * Dynamic tls-crypt (enable_dynamic_tls_crypt(), after the first key exchange when the server
//    pushed `protocol-flags dyn-tls-crypt`): packets of key_id > 0 are then tls-crypt wrapped
//    with the derived key, with their own packet-id counter and replay window, while key_id 0
//    keeps the configured wrapping (ssl_pkt.h tls_session_get_tls_wrap, tls_wrap_reneg).
// One ControlWrap serves all key ids of a session (OpenVPN keeps one tls_wrap per session).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "nfv/platform/result.hpp"
#include "nfv/platform/time.hpp"

#include "proto/replay_window.hpp"
#include "proto/tls_auth.hpp"
#include "proto/tls_crypt.hpp"

namespace nfv::vpn::proto {

enum class WrapError : std::uint8_t {
    kTruncated,       // shorter than the wrapped layout
    kBadOpcode,       // not a control opcode
    kAuthFailed,      // HMAC / tag mismatch (forged, wrong key or corrupted)
    kReplay,          // authenticated, but the replay window rejected its packet id
    kBufferTooSmall,  // output span too short
    kIdsExhausted,    // the packet id counter cannot advance
    kInternal,        // OpenSSL failure
};

/// Which wrapping a session uses.
enum class WrapMode : std::uint8_t { kNone, kTlsAuth, kTlsCrypt, kTlsCryptV2 };

/// EARLY_NEG_START: the tls-crypt-v2 client's packet ids start above this (EARLY_NEG_MASK
/// 0xff000000 selects the marker byte).
inline constexpr std::uint32_t kEarlyNegStart = 0x0f000000;

class ControlWrap {
public:
    /// No wrapping (plain control packets).
    ControlWrap();
    /// tls-auth with the given HMAC keys; `replay` configures the receive window.
    ControlWrap(TlsAuth auth, ReplayWindowConfig replay);
    /// tls-crypt (v1, v2 client keys, or dynamic tls-crypt keys).
    ControlWrap(TlsCrypt crypt, ReplayWindowConfig replay);
    /// tls-crypt-v2 client: tls-crypt with Kc, and `wkc` appended to V3 resets and WKC_V1.
    ControlWrap(TlsCrypt crypt, ReplayWindowConfig replay, std::vector<std::byte> wkc);

    [[nodiscard]] WrapMode mode() const;
    /// Bytes the wire form adds to the plain form (not counting an appended WKc).
    [[nodiscard]] std::size_t overhead() const;
    /// The same for packets of `key_id` (dynamic tls-crypt changes it for key_id > 0).
    [[nodiscard]] std::size_t overhead(std::uint8_t key_id) const;

    /// The static key of tls-auth / tls-crypt or Kc of tls-crypt-v2, which the dynamic
    /// tls-crypt key is XORed with.
    void set_original_key(const StaticKey& key) { original_key_ = key; }
    /// Switches packets of key_id > 0 to dynamic tls-crypt keyed from the 256 bytes exported
    /// with kDynamicTlsCryptLabel from the key_id 0 TLS session.
    [[nodiscard]] Result<void, WrapError> enable_dynamic_tls_crypt(
        std::span<const std::byte, kStaticKeySize> exported, bool is_server);
    [[nodiscard]] bool dynamic_tls_crypt() const { return dynamic_.has_value(); }
    /// The tls-crypt-v2 wrapped client key (empty for other modes).
    [[nodiscard]] std::span<const std::byte> wkc() const { return wkc_; }
    /// Size of the wire form of `plain` (overhead, plus the WKc where it is appended).
    [[nodiscard]] std::size_t wire_size(std::span<const std::byte> plain) const;

    /// Wraps `plain` into `out` (needs wire_size(plain) bytes, must not overlap).
    /// `wall_seconds` is the current Unix time (the packet-id time field).
    [[nodiscard]] Result<std::size_t, WrapError> wrap(std::span<const std::byte> plain,
                                                      std::uint32_t wall_seconds,
                                                      std::span<std::byte> out);

    /// Unwraps and authenticates `wire` into `out` (needs wire.size() bytes); returns the
    /// plain length. On any error nothing is recorded.
    [[nodiscard]] Result<std::size_t, WrapError> unwrap(std::span<const std::byte> wire,
                                                        platform::Instant now,
                                                        std::span<std::byte> out);

    /// Packet ids sent so far (0 before the first wrap).
    [[nodiscard]] std::uint32_t last_sent_id() const;

private:
    struct Plain {};
    std::variant<Plain, TlsAuth, TlsCrypt> wrap_;
    ReplayWindow replay_;
    std::optional<PacketIdSender> sender_;  // created at the first wrap (needs the time)
    std::vector<std::byte> wkc_;            // tls-crypt-v2 only
    ReplayWindowConfig replay_config_;
    std::optional<StaticKey> original_key_;
    struct Dynamic {
        TlsCrypt crypt;
        ReplayWindow replay;
        std::optional<PacketIdSender> sender;
    };
    std::optional<Dynamic> dynamic_;  // tls_wrap_reneg: key_id > 0
};

}  // namespace nfv::vpn::proto
