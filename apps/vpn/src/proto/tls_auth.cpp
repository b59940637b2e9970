#include "proto/tls_auth.hpp"

#include <algorithm>
#include <array>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/byte_writer.hpp"

#include "proto/packet.hpp"

namespace nfv::vpn::proto {

namespace {

constexpr std::size_t kOpSidSize = 1 + kSessionIdSize;

std::array<std::byte, kReplayIdLongSize> encode_replay_id(ReplayId id) {
    std::array<std::byte, kReplayIdLongSize> out{};
    net::ByteWriter writer(out);
    writer.write_u32(id.id);
    writer.write_u32(id.time);
    return out;
}

}  // namespace

Result<TlsAuth, CryptoError> TlsAuth::create(const StaticKey& key, KeyDirection direction,
                                             std::string_view digest_name) {
    const DirectionalKeys keys = key.directional(direction);
    auto send = Hmac::create(digest_name, keys.encrypt.hmac);
    if (!send) {
        return Unexpected(send.error());
    }
    auto receive = Hmac::create(digest_name, keys.decrypt.hmac);
    if (!receive) {
        return Unexpected(receive.error());
    }
    return TlsAuth(std::move(*send), std::move(*receive));
}

Result<std::size_t, CryptoError> TlsAuth::wrap(std::span<const std::byte> plain, ReplayId replay_id,
                                               std::span<std::byte> out) {
    if (plain.size() < kOpSidSize) {
        return Unexpected(CryptoError::kTruncated);
    }
    const std::size_t total = plain.size() + overhead();
    if (out.size() < total) {
        return Unexpected(CryptoError::kBufferTooSmall);
    }
    const auto pid = encode_replay_id(replay_id);
    const auto op_sid = plain.first(kOpSidSize);
    const auto rest = plain.subspan(kOpSidSize);
    // Moving `rest` first (backwards) keeps an in-place wrap (plain starting at out.data()) safe.
    std::array<std::byte, kMaxHmacSize> tag{};
    if (!send_.compute({pid, op_sid, rest}, tag)) {
        return Unexpected(CryptoError::kInternal);
    }
    std::copy_backward(rest.begin(), rest.end(), out.begin() + static_cast<std::ptrdiff_t>(total));
    std::copy(op_sid.begin(), op_sid.end(), out.begin());
    auto cursor = out.subspan(kOpSidSize);
    std::copy_n(tag.begin(), send_.size(), cursor.begin());
    std::copy(pid.begin(), pid.end(), cursor.subspan(send_.size()).begin());
    return total;
}

Result<Unwrapped, CryptoError> TlsAuth::unwrap(std::span<const std::byte> wire,
                                               std::span<std::byte> out) {
    net::ByteReader reader(wire);
    const auto op_sid = reader.read_bytes(kOpSidSize);
    const auto tag = reader.read_bytes(receive_.size());
    const auto pid = reader.read_bytes(kReplayIdLongSize);
    if (!op_sid || !tag || !pid) {
        return Unexpected(CryptoError::kTruncated);
    }
    const auto op = parse_opcode_byte(std::to_integer<std::uint8_t>((*op_sid)[0]));
    if (!op || !is_control(op->opcode)) {
        return Unexpected(CryptoError::kBadOpcode);
    }
    const auto rest = reader.read_rest();
    if (out.size() < kOpSidSize + rest.size()) {
        return Unexpected(CryptoError::kBufferTooSmall);
    }
    std::array<std::byte, kMaxHmacSize> expected{};
    if (!receive_.compute({*pid, *op_sid, rest}, expected)) {
        return Unexpected(CryptoError::kInternal);
    }
    if (!equal_constant_time(*tag, std::span(expected).first(receive_.size()))) {
        return Unexpected(CryptoError::kAuthFailed);
    }
    net::ByteReader pid_reader(*pid);
    Unwrapped result;
    result.replay_id.id = pid_reader.read_u32().value_or(0);
    result.replay_id.time = pid_reader.read_u32().value_or(0);
    std::copy(op_sid->begin(), op_sid->end(), out.begin());
    std::copy(rest.begin(), rest.end(), out.begin() + static_cast<std::ptrdiff_t>(kOpSidSize));
    result.size = kOpSidSize + rest.size();
    return result;
}

}  // namespace nfv::vpn::proto
