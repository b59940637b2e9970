#include "session/reset_cookie.hpp"

#include <algorithm>

namespace nfv::vpn::session {
namespace {

using proto::Opcode;

constexpr std::size_t kCookieKeySize = 32;  // SHA256_DIGEST_LENGTH, as OpenVPN's random key
constexpr std::uint32_t kEarlyNegMask = 0xff000000;   // EARLY_NEG_MASK
constexpr std::uint32_t kEarlyNegStart = 0x0f000000;  // EARLY_NEG_START

// The tls-crypt of one datagram: the listener's, or one made from the Kc in its WKc.
struct PacketAuth {
    std::variant<std::monostate, proto::TlsAuth*, proto::TlsCrypt*, proto::TlsCrypt> wrap;
    std::span<const std::byte> packet;  // the datagram without a WKc
    std::optional<proto::UnwrappedClientKey> client_key;
};

std::optional<PacketAuth> packet_auth(ListenerAuth& auth, std::span<const std::byte> wire) {
    PacketAuth out;
    out.packet = wire;
    if (auto* tls_auth = std::get_if<proto::TlsAuth>(&auth)) {
        out.wrap = tls_auth;
    } else if (auto* shared = std::get_if<proto::TlsCrypt>(&auth)) {
        out.wrap = shared;
    } else if (auto* server_key = std::get_if<proto::TlsCryptV2ServerKey>(&auth)) {
        const auto split = split_wkc(wire);
        if (!split) {
            return std::nullopt;
        }
        auto client_key = server_key->unwrap(split->wkc);
        if (!client_key) {
            return std::nullopt;
        }
        auto crypt = proto::TlsCrypt::create(proto::StaticKey(client_key->key), /*is_server=*/true);
        if (!crypt) {
            return std::nullopt;
        }
        out.wrap = std::move(*crypt);
        out.packet = split->packet;
        out.client_key = std::move(*client_key);
    }
    return out;
}

// Unwraps without any replay window (see unwrap() below); returns the plain size and the
// replay packet id (0 without wrapping).
std::optional<std::pair<std::size_t, std::uint32_t>> unwrap_packet(PacketAuth& auth,
                                                                   std::span<std::byte> out) {
    if (std::holds_alternative<std::monostate>(auth.wrap)) {
        if (auth.packet.size() > out.size()) {
            return std::nullopt;
        }
        std::copy(auth.packet.begin(), auth.packet.end(), out.begin());
        return std::pair{auth.packet.size(), std::uint32_t{0}};
    }
    proto::TlsCrypt* crypt = nullptr;
    if (auto* own = std::get_if<proto::TlsCrypt>(&auth.wrap)) {
        crypt = own;
    } else if (auto* const* shared = std::get_if<proto::TlsCrypt*>(&auth.wrap)) {
        crypt = *shared;
    }
    auto unwrapped = crypt != nullptr
                         ? crypt->unwrap(auth.packet, out)
                         : std::get<proto::TlsAuth*>(auth.wrap)->unwrap(auth.packet, out);
    if (!unwrapped) {
        return std::nullopt;
    }
    return std::pair{unwrapped->size, unwrapped->replay_id.id};
}

std::optional<std::size_t> wrap_packet(PacketAuth& auth, std::span<const std::byte> plain,
                                       proto::ReplayId replay_id, std::span<std::byte> out) {
    if (std::holds_alternative<std::monostate>(auth.wrap)) {
        std::copy(plain.begin(), plain.end(), out.begin());
        return plain.size();
    }
    Result<std::size_t, proto::CryptoError> written = Unexpected(proto::CryptoError::kInternal);
    if (auto* own = std::get_if<proto::TlsCrypt>(&auth.wrap)) {
        written = own->wrap(plain, replay_id, out);
    } else if (auto* const* shared = std::get_if<proto::TlsCrypt*>(&auth.wrap)) {
        written = (*shared)->wrap(plain, replay_id, out);
    } else {
        written = std::get<proto::TlsAuth*>(auth.wrap)->wrap(plain, replay_id, out);
    }
    return written ? std::optional(*written) : std::nullopt;
}

std::size_t packet_overhead(const PacketAuth& auth) {
    if (const auto* const* tls_auth = std::get_if<proto::TlsAuth*>(&auth.wrap)) {
        return (*tls_auth)->overhead();
    }
    return std::holds_alternative<std::monostate>(auth.wrap) ? 0 : proto::kTlsCryptOverhead;
}

}  // namespace

std::optional<WkcSplit> split_wkc(std::span<const std::byte> wire) {
    if (wire.size() < 2) {
        return std::nullopt;
    }
    const std::size_t length = (std::to_integer<std::size_t>(wire[wire.size() - 2]) << 8U) |
                               std::to_integer<std::size_t>(wire[wire.size() - 1]);
    if (length < proto::kTlsCryptV2WkcOverhead || length > proto::kTlsCryptV2MaxWkcSize ||
        length >= wire.size()) {
        return std::nullopt;
    }
    return WkcSplit{wire.first(wire.size() - length), wire.last(length)};
}

Result<ResetCookie, proto::CryptoError> ResetCookie::create(platform::Random& random,
                                                            platform::Duration hand_window) {
    std::array<std::byte, kCookieKeySize> key{};
    random.fill(key);
    auto hmac = proto::Hmac::create("SHA256", key);
    std::fill(key.begin(), key.end(), std::byte{0});
    if (!hmac) {
        return Unexpected(hmac.error());
    }
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(hand_window).count();
    const auto slot = static_cast<std::uint32_t>(std::max<std::int64_t>(1, (seconds + 1) / 2));
    return ResetCookie(std::move(*hmac), slot);
}

proto::SessionId ResetCookie::session_id(const proto::SessionId& client,
                                         std::span<const std::byte> address,
                                         std::uint32_t unix_seconds, int offset) {
    const auto slot = static_cast<std::uint32_t>(
        static_cast<std::int64_t>(unix_seconds / slot_seconds_) + offset);
    const std::array<std::byte, 4> slot_bytes = {
        static_cast<std::byte>(slot >> 24U), static_cast<std::byte>((slot >> 16U) & 0xffU),
        static_cast<std::byte>((slot >> 8U) & 0xffU), static_cast<std::byte>(slot & 0xffU)};
    std::array<std::byte, 64> mac{};
    proto::SessionId id{};
    if (!hmac_.compute({slot_bytes, address, client}, mac)) {
        // An OpenSSL failure: an all-zero id never verifies (verify() recomputes and compares
        // only successful results).
        return id;
    }
    std::copy_n(mac.begin(), id.size(), id.begin());
    return id;
}

bool ResetCookie::verify(const proto::SessionId& server, const proto::SessionId& client,
                         std::span<const std::byte> address, std::uint32_t unix_seconds) {
    bool match = false;
    for (int offset = -2; offset <= 1; ++offset) {
        const auto expected = session_id(client, address, unix_seconds, offset);
        if (expected == proto::SessionId{}) {
            continue;
        }
        match = proto::equal_constant_time(expected, server) || match;
    }
    return match;
}

FirstPacketResult handle_first_packet(std::span<const std::byte> wire,
                                      std::span<const std::byte> address, ListenerAuth& auth,
                                      ResetCookie& cookie, Now now) {
    FirstPacketResult result;
    const auto header = proto::parse_control_header(wire);
    if (!header || header->key_id != 0) {
        return result;
    }
    const bool v2 = std::holds_alternative<proto::TlsCryptV2ServerKey>(auth);
    // tls-crypt-v2 packets carry WKc only on V3 resets and P_CONTROL_WKC_V1; the other modes
    // know neither opcode.
    const bool allowed =
        v2 ? (header->opcode == Opcode::kControlHardResetClientV3 ||
              header->opcode == Opcode::kControlWkcV1)
           : (header->opcode == Opcode::kControlHardResetClientV2 ||
              header->opcode == Opcode::kAckV1 || header->opcode == Opcode::kControlV1);
    if (!allowed) {
        return result;
    }
    auto packet_auth_state = packet_auth(auth, wire);
    if (!packet_auth_state) {
        return result;
    }
    std::vector<std::byte> plain(packet_auth_state->packet.size());
    const auto unwrapped = unwrap_packet(*packet_auth_state, plain);
    if (!unwrapped) {
        return result;
    }
    const auto packet = proto::parse_control_packet(std::span(plain).first(unwrapped->first));
    if (!packet) {
        return result;
    }
    result.client_session_id = packet->session_id;
    if (proto::is_reset(packet->opcode)) {
        // A fresh reset: message id 0 and nothing to acknowledge yet (2.6.22 ignores resets
        // with another id).
        if (packet->message_id != 0 || !packet->acks.empty()) {
            return result;
        }
        result.client_key = std::move(packet_auth_state->client_key);
        const bool early_negotiation = (unwrapped->second & kEarlyNegMask) == kEarlyNegStart;
        if (v2 && !early_negotiation) {
            result.verdict = FirstPacketVerdict::kStartSession;
            return result;
        }
        result.server_session_id = cookie.session_id(packet->session_id, address, now.unix_seconds);
        proto::ControlPacket reply;
        reply.opcode = Opcode::kControlHardResetServerV2;
        reply.key_id = 0;
        reply.session_id = result.server_session_id;
        (void)reply.acks.push(0);
        reply.remote_session_id = packet->session_id;
        reply.message_id = 0;
        // EARLY_NEG_FLAGS = RESEND_WKC: the client repeats WKc in its next packet, so the
        // listener can authenticate it without having kept Kc.
        const std::array<std::byte, 6> resend_wkc = {
            std::byte{0}, std::byte{kTlvEarlyNegFlags},     std::byte{0}, std::byte{2},
            std::byte{0}, std::byte{kEarlyNegFlagResendWkc}};
        if (v2) {
            reply.payload = resend_wkc;
        }
        std::vector<std::byte> reply_plain(proto::wire_size(reply));
        if (!proto::serialize(reply, reply_plain)) {
            return result;
        }
        result.reply.resize(reply_plain.size() + packet_overhead(*packet_auth_state));
        // Packet id 1 of the server's control sender: a session made from this cookie starts
        // its own sender after it (ServerSession's cookie constructor).
        const auto written = wrap_packet(*packet_auth_state, reply_plain,
                                         proto::ReplayId{1, now.unix_seconds}, result.reply);
        if (!written) {
            result.reply.clear();
            return result;
        }
        result.reply.resize(*written);
        result.verdict = FirstPacketVerdict::kReply;
        return result;
    }
    // The third packet: it must acknowledge our reset (message id 0) under our cookie, and a
    // P_CONTROL_V1/P_CONTROL_WKC_V1 must be the client's message id 1 (its reset was 0).
    if (!packet->acks.contains(0)) {
        return result;
    }
    if (packet->opcode != Opcode::kAckV1 && packet->message_id != 1) {
        return result;
    }
    if (!cookie.verify(packet->remote_session_id, packet->session_id, address, now.unix_seconds)) {
        return result;
    }
    result.server_session_id = packet->remote_session_id;
    result.client_key = std::move(packet_auth_state->client_key);
    result.verdict = FirstPacketVerdict::kAccept;
    return result;
}

}  // namespace nfv::vpn::session
