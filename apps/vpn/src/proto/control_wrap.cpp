#include "proto/control_wrap.hpp"

#include <algorithm>
#include <utility>

#include "proto/packet.hpp"

namespace nfv::vpn::proto {
namespace {

WrapError from_crypto(CryptoError error) {
    switch (error) {
        case CryptoError::kTruncated:
            return WrapError::kTruncated;
        case CryptoError::kBadOpcode:
            return WrapError::kBadOpcode;
        case CryptoError::kAuthFailed:
            return WrapError::kAuthFailed;
        case CryptoError::kBufferTooSmall:
            return WrapError::kBufferTooSmall;
        case CryptoError::kUnknownDigest:
        case CryptoError::kKeyTooShort:
        case CryptoError::kInternal:
            break;
    }
    return WrapError::kInternal;
}

}  // namespace

ControlWrap::ControlWrap() : wrap_(Plain{}) {}

ControlWrap::ControlWrap(TlsAuth auth, ReplayWindowConfig replay)
    : wrap_(std::move(auth)), replay_(replay), replay_config_(replay) {}

ControlWrap::ControlWrap(TlsCrypt crypt, ReplayWindowConfig replay)
    : wrap_(std::move(crypt)), replay_(replay), replay_config_(replay) {}

ControlWrap::ControlWrap(TlsCrypt crypt, ReplayWindowConfig replay, std::vector<std::byte> wkc)
    : wrap_(std::move(crypt)), replay_(replay), wkc_(std::move(wkc)), replay_config_(replay) {}

namespace {

std::uint8_t key_id_of(std::span<const std::byte> packet) {
    return packet.empty() ? 0 : std::to_integer<std::uint8_t>(packet[0]) & kKeyIdMask;
}

bool carries_wkc(std::span<const std::byte> plain) {
    if (plain.empty()) {
        return false;
    }
    const auto op = parse_opcode_byte(std::to_integer<std::uint8_t>(plain[0]));
    return op &&
           (op->opcode == Opcode::kControlHardResetClientV3 || op->opcode == Opcode::kControlWkcV1);
}

}  // namespace

std::size_t ControlWrap::wire_size(std::span<const std::byte> plain) const {
    return plain.size() + overhead(key_id_of(plain)) +
           (!wkc_.empty() && carries_wkc(plain) ? wkc_.size() : 0);
}

std::size_t ControlWrap::overhead(std::uint8_t key_id) const {
    return dynamic_ && key_id > 0 ? kTlsCryptOverhead : overhead();
}

Result<void, WrapError> ControlWrap::enable_dynamic_tls_crypt(
    std::span<const std::byte, kStaticKeySize> exported, bool is_server) {
    const StaticKey key =
        dynamic_tls_crypt_key(exported, original_key_ ? &*original_key_ : nullptr);
    auto crypt = TlsCrypt::create(key, is_server);
    if (!crypt) {
        return Unexpected(WrapError::kInternal);
    }
    dynamic_.emplace(Dynamic{std::move(*crypt), ReplayWindow(replay_config_), std::nullopt});
    return {};
}

WrapMode ControlWrap::mode() const {
    if (std::holds_alternative<TlsAuth>(wrap_)) {
        return WrapMode::kTlsAuth;
    }
    if (std::holds_alternative<TlsCrypt>(wrap_)) {
        return wkc_.empty() ? WrapMode::kTlsCrypt : WrapMode::kTlsCryptV2;
    }
    return WrapMode::kNone;
}

std::size_t ControlWrap::overhead() const {
    if (const auto* auth = std::get_if<TlsAuth>(&wrap_)) {
        return auth->overhead();
    }
    if (std::holds_alternative<TlsCrypt>(wrap_)) {
        return kTlsCryptOverhead;
    }
    return 0;
}

std::uint32_t ControlWrap::last_sent_id() const {
    return sender_ ? sender_->last_id() : 0;
}

Result<std::size_t, WrapError> ControlWrap::wrap(std::span<const std::byte> plain,
                                                 std::uint32_t wall_seconds,
                                                 std::span<std::byte> out) {
    if (out.size() < wire_size(plain)) {
        return Unexpected(WrapError::kBufferTooSmall);
    }
    if (dynamic_ && key_id_of(plain) > 0) {
        if (!dynamic_->sender) {
            dynamic_->sender.emplace(/*long_form=*/true, wall_seconds);
        }
        auto id = dynamic_->sender->next(wall_seconds);
        if (!id) {
            return Unexpected(WrapError::kIdsExhausted);
        }
        auto wrapped = dynamic_->crypt.wrap(plain, *id, out);
        if (!wrapped) {
            return Unexpected(from_crypto(wrapped.error()));
        }
        return *wrapped;
    }
    if (std::holds_alternative<Plain>(wrap_)) {
        std::copy(plain.begin(), plain.end(), out.begin());
        return plain.size();
    }
    if (!sender_) {
        sender_.emplace(/*long_form=*/true, wall_seconds, wkc_.empty() ? 0 : kEarlyNegStart);
    }
    auto id = sender_->next(wall_seconds);
    if (!id) {
        return Unexpected(WrapError::kIdsExhausted);
    }
    auto wrapped = std::holds_alternative<TlsAuth>(wrap_)
                       ? std::get<TlsAuth>(wrap_).wrap(plain, *id, out)
                       : std::get<TlsCrypt>(wrap_).wrap(plain, *id, out);
    if (!wrapped) {
        return Unexpected(from_crypto(wrapped.error()));
    }
    if (!wkc_.empty() && carries_wkc(plain)) {
        std::copy(wkc_.begin(), wkc_.end(), out.begin() + static_cast<std::ptrdiff_t>(*wrapped));
        return *wrapped + wkc_.size();
    }
    return *wrapped;
}

Result<std::size_t, WrapError> ControlWrap::unwrap(std::span<const std::byte> wire,
                                                   platform::Instant now,
                                                   std::span<std::byte> out) {
    if (dynamic_ && key_id_of(wire) > 0) {
        auto unwrapped = dynamic_->crypt.unwrap(wire, out);
        if (!unwrapped) {
            return Unexpected(from_crypto(unwrapped.error()));
        }
        if (dynamic_->replay.check(unwrapped->replay_id, now) != ReplayVerdict::kAccept) {
            std::fill_n(out.begin(), unwrapped->size, std::byte{0});
            return Unexpected(WrapError::kReplay);
        }
        dynamic_->replay.record(unwrapped->replay_id, now);
        return unwrapped->size;
    }
    if (std::holds_alternative<Plain>(wrap_)) {
        if (wire.empty()) {
            return Unexpected(WrapError::kTruncated);
        }
        auto op = parse_opcode_byte(std::to_integer<std::uint8_t>(wire[0]));
        if (!op || !is_control(op->opcode)) {
            return Unexpected(WrapError::kBadOpcode);
        }
        if (out.size() < wire.size()) {
            return Unexpected(WrapError::kBufferTooSmall);
        }
        std::copy(wire.begin(), wire.end(), out.begin());
        return wire.size();
    }
    auto unwrapped = std::holds_alternative<TlsAuth>(wrap_)
                         ? std::get<TlsAuth>(wrap_).unwrap(wire, out)
                         : std::get<TlsCrypt>(wrap_).unwrap(wire, out);
    if (!unwrapped) {
        return Unexpected(from_crypto(unwrapped.error()));
    }
    if (replay_.check(unwrapped->replay_id, now) != ReplayVerdict::kAccept) {
        std::fill_n(out.begin(), unwrapped->size, std::byte{0});
        return Unexpected(WrapError::kReplay);
    }
    replay_.record(unwrapped->replay_id, now);
    return unwrapped->size;
}

}  // namespace nfv::vpn::proto
