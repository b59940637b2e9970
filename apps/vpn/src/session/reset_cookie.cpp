#include "session/reset_cookie.hpp"

#include <algorithm>

namespace nfv::vpn::session {
namespace {

using proto::Opcode;

constexpr std::size_t kCookieKeySize = 32;  // SHA256_DIGEST_LENGTH, as OpenVPN's random key

// Unwraps without any replay window: the listener keeps no state per sender, so a replayed
// reset only earns the same small reply again (OpenVPN's tls_pre_decrypt_lite does the same).
std::optional<std::size_t> unwrap(ListenerAuth& auth, std::span<const std::byte> wire,
                                  std::span<std::byte> out) {
    if (std::holds_alternative<std::monostate>(auth)) {
        if (wire.size() > out.size()) {
            return std::nullopt;
        }
        std::copy(wire.begin(), wire.end(), out.begin());
        return wire.size();
    }
    auto unwrapped = std::holds_alternative<proto::TlsAuth>(auth)
                         ? std::get<proto::TlsAuth>(auth).unwrap(wire, out)
                         : std::get<proto::TlsCrypt>(auth).unwrap(wire, out);
    if (!unwrapped) {
        return std::nullopt;
    }
    return unwrapped->size;
}

std::size_t overhead(const ListenerAuth& auth) {
    if (std::holds_alternative<proto::TlsAuth>(auth)) {
        return std::get<proto::TlsAuth>(auth).overhead();
    }
    return std::holds_alternative<proto::TlsCrypt>(auth) ? proto::kTlsCryptOverhead : 0;
}

}  // namespace

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
    switch (header->opcode) {
        case Opcode::kControlHardResetClientV2:
        case Opcode::kAckV1:
        case Opcode::kControlV1:
            break;
        default:
            return result;  // includes V3 resets and WKC_V1 (tls-crypt-v2 not handled here)
    }
    std::vector<std::byte> plain(wire.size());
    const auto size = unwrap(auth, wire, plain);
    if (!size) {
        return result;
    }
    const auto packet = proto::parse_control_packet(std::span(plain).first(*size));
    if (!packet) {
        return result;
    }
    result.client_session_id = packet->session_id;
    if (packet->opcode == Opcode::kControlHardResetClientV2) {
        // A fresh reset: message id 0 and nothing to acknowledge yet (2.6.22 ignores resets
        // with another id).
        if (packet->message_id != 0 || !packet->acks.empty()) {
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
        std::vector<std::byte> reply_plain(proto::wire_size(reply));
        if (!proto::serialize(reply, reply_plain)) {
            return result;
        }
        result.reply.resize(reply_plain.size() + overhead(auth));
        // Packet id 1 of the server's control sender: a session made from this cookie starts
        // its own sender after it (ServerSession's cookie constructor).
        const proto::ReplayId replay_id{1, now.unix_seconds};
        std::optional<std::size_t> written;
        if (std::holds_alternative<std::monostate>(auth)) {
            result.reply = std::move(reply_plain);
            written = result.reply.size();
        } else if (std::holds_alternative<proto::TlsAuth>(auth)) {
            auto w = std::get<proto::TlsAuth>(auth).wrap(reply_plain, replay_id, result.reply);
            written = w ? std::optional(*w) : std::nullopt;
        } else {
            auto w = std::get<proto::TlsCrypt>(auth).wrap(reply_plain, replay_id, result.reply);
            written = w ? std::optional(*w) : std::nullopt;
        }
        if (!written) {
            result.reply.clear();
            return result;
        }
        result.reply.resize(*written);
        result.verdict = FirstPacketVerdict::kReply;
        return result;
    }
    // The third packet: it must acknowledge our reset (message id 0) under our cookie, and a
    // P_CONTROL_V1 must be the client's message id 1 (its reset was 0).
    if (!packet->acks.contains(0)) {
        return result;
    }
    if (packet->opcode == Opcode::kControlV1 && packet->message_id != 1) {
        return result;
    }
    if (!cookie.verify(packet->remote_session_id, packet->session_id, address, now.unix_seconds)) {
        return result;
    }
    result.server_session_id = packet->remote_session_id;
    result.verdict = FirstPacketVerdict::kAccept;
    return result;
}

}  // namespace nfv::vpn::session
