// The stateless first reset of an OpenVPN 2.6 server (its answer to HARD_RESET_CLIENT_V2 that
// keeps no per-client state): the server's session id is an HMAC cookie, and a session is only
// created when the client's next packet echoes it in its ack block.
//
// Reference: OpenVPN 2.6 src/openvpn/ssl_pkt.c (calculate_session_id_hmac: HMAC-SHA256 with a
// random per-process key over the time slot now / ((hand_window + 1) / 2) + offset, the
// client's address and its session id, truncated to 8 bytes; check_session_id_hmac accepts the
// slots at offsets -2..+1; tls_reset_standalone: the reply acks the client's message id 0 and
// carries our message id 0), mudp.c do_pre_decrypt_check (the third packet, P_ACK_V1 or
// P_CONTROL_V1 on key_id 0, must authenticate and echo the cookie before any state exists);
// /work/shared/reference/openvpn-protocol.md §1.6. Note CVE-2025-13086: 2.6.0-2.6.15 inverted
// the comparison and accepted every cookie; here a cookie must match.
//
// Contract: handle_first_packet() never keeps anything about the sender. A packet that does not
// authenticate (wrong tls-auth/tls-crypt key, random bytes), that is not a fresh hard reset or a
// valid echo, or whose cookie is wrong or too old yields kDrop: no reply, no state. A valid
// reset yields exactly one reply datagram of about the reset's own size (no amplification).
// tls-crypt-v2 (ssl_pkt.c tls_pre_decrypt_lite, ssl.c parse_early_negotiation_tlvs, mudp.c):
// the packet is tls-crypt with the client key Kc followed by WKc (its length in the last two
// bytes); the server key unwraps WKc for every packet, so this path stays stateless too. A V3
// reset whose packet id carries EARLY_NEG_START gets the cookie reply with the EARLY_NEG_FLAGS
// TLV RESEND_WKC, and the client's P_CONTROL_WKC_V1 echo is verified like P_CONTROL_V1 above. A
// V3 reset without early negotiation (a 2.5 client) yields kStartSession: OpenVPN's default
// `allow-noncookie` keeps state for it at once, as WKc already authenticated the client.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <variant>
#include <vector>

#include "nfv/platform/random.hpp"
#include "nfv/platform/result.hpp"
#include "nfv/platform/time.hpp"

#include "proto/hmac.hpp"
#include "proto/packet.hpp"
#include "proto/tls_auth.hpp"
#include "proto/tls_crypt.hpp"
#include "proto/tls_crypt_v2.hpp"
#include "session/client_session.hpp"

namespace nfv::vpn::session {

/// The cookie key and time quantisation of one server process.
class ResetCookie {
public:
    /// A fresh random HMAC-SHA256 key; `hand_window` is --hand-window (default 60 s).
    [[nodiscard]] static Result<ResetCookie, proto::CryptoError> create(
        platform::Random& random, platform::Duration hand_window = std::chrono::seconds(60));

    /// The server session id for `client` at `address` (any stable encoding of the client's
    /// IP and port, e.g. its sockaddr bytes) in the time slot of `unix_seconds` + `offset`.
    [[nodiscard]] proto::SessionId session_id(const proto::SessionId& client,
                                              std::span<const std::byte> address,
                                              std::uint32_t unix_seconds, int offset = 0);
    /// True when `server` is the cookie of one of the slots -2..+1 around `unix_seconds`
    /// (constant-time comparison).
    [[nodiscard]] bool verify(const proto::SessionId& server, const proto::SessionId& client,
                              std::span<const std::byte> address, std::uint32_t unix_seconds);

private:
    ResetCookie(proto::Hmac hmac, std::uint32_t slot_seconds)
        : hmac_(std::move(hmac)), slot_seconds_(slot_seconds) {}

    proto::Hmac hmac_;
    std::uint32_t slot_seconds_;
};

/// The listener's control-channel authentication before a session exists (no replay state):
/// none, tls-auth or tls-crypt (server direction), or the tls-crypt-v2 server key.
using ListenerAuth =
    std::variant<std::monostate, proto::TlsAuth, proto::TlsCrypt, proto::TlsCryptV2ServerKey>;

/// TLV_TYPE_EARLY_NEG_FLAGS and EARLY_NEG_FLAG_RESEND_WKC (ssl_pkt.h).
inline constexpr std::uint16_t kTlvEarlyNegFlags = 0x0001;
inline constexpr std::uint16_t kEarlyNegFlagResendWkc = 0x0001;

/// Splits a tls-crypt-v2 datagram into the tls-crypt packet and the trailing WKc; nullopt when
/// the length field is out of range.
struct WkcSplit {
    std::span<const std::byte> packet;
    std::span<const std::byte> wkc;
};
[[nodiscard]] std::optional<WkcSplit> split_wkc(std::span<const std::byte> wire);

enum class FirstPacketVerdict : std::uint8_t {
    kDrop,          // not authentic, not a fresh reset or valid echo, or a stale/wrong cookie
    kReply,         // a valid HARD_RESET_CLIENT_V2: send `reply`, keep nothing
    kAccept,        // the client echoed our cookie: create a ServerSession (from_cookie) now
    kStartSession,  // tls-crypt-v2 reset without early negotiation: a ServerSession with
                    // `client_key`, fed this packet
};

struct FirstPacketResult {
    FirstPacketVerdict verdict = FirstPacketVerdict::kDrop;
    std::vector<std::byte> reply;          // kReply: HARD_RESET_SERVER_V2, wrapped
    proto::SessionId client_session_id{};  // kReply/kAccept
    proto::SessionId server_session_id{};  // kReply/kAccept: the cookie
    // tls-crypt-v2: Kc and the metadata unwrapped from WKc (for the session's tls-crypt and
    // for scripts).
    std::optional<proto::UnwrappedClientKey> client_key;
};

/// Handles a datagram from an address that has no session. See the contract above.
[[nodiscard]] FirstPacketResult handle_first_packet(std::span<const std::byte> wire,
                                                    std::span<const std::byte> address,
                                                    ListenerAuth& auth, ResetCookie& cookie,
                                                    Now now);

}  // namespace nfv::vpn::session
