// tls-auth: HMAC authentication of control packets with a pre-shared static key.
//
// Reference: OpenVPN 2.6 src/openvpn/ssl_pkt.c (tls_wrap_control, swap_hmac, read_control_auth),
// crypto.c openvpn_encrypt/decrypt without a cipher; /work/shared/reference/openvpn-protocol.md
// §1.3 and §1.12.
//
//   plain: op|kid (1) | session id (8) | rest (ack block, message id, payload)
//   wire:  op|kid (1) | session id (8) | HMAC (digest size) | replay id (4) | time (4) | rest
//   HMAC = HMAC-<auth>(key, replay id || time || op|kid || session id || rest)
//
// The HMAC key is the first digest-size bytes of the hmac half of the key chosen by the key
// direction (server usually 0 = NORMAL, client 1 = INVERSE; none = bidirectional).
// The replay id is checked by the caller (ReplayWindow) after unwrap() succeeded.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "nfv/platform/result.hpp"

#include "proto/hmac.hpp"
#include "proto/replay_window.hpp"
#include "proto/static_key.hpp"

namespace nfv::vpn::proto {

/// What unwrap() produced: the plain packet length written to the output and its replay id.
struct Unwrapped {
    std::size_t size = 0;
    ReplayId replay_id;
};

class TlsAuth {
public:
    /// `digest_name` is the --auth digest (OpenVPN default "SHA1").
    [[nodiscard]] static Result<TlsAuth, CryptoError> create(const StaticKey& key,
                                                             KeyDirection direction,
                                                             std::string_view digest_name = "SHA1");

    /// Bytes the wire form adds to the plain form: HMAC size + 8.
    [[nodiscard]] std::size_t overhead() const { return send_.size() + kReplayIdLongSize; }

    /// Wraps a plain control packet (at least opcode + session id). Returns bytes written to
    /// `out`, which must hold plain.size() + overhead(). `plain` may start at out.data()
    /// (in-place wrap); any other overlap is not allowed.
    [[nodiscard]] Result<std::size_t, CryptoError> wrap(std::span<const std::byte> plain,
                                                        ReplayId replay_id,
                                                        std::span<std::byte> out);

    /// Verifies and unwraps a wire packet into its plain form in `out` (needs wire.size() -
    /// overhead() bytes). Fails with kTruncated, kBadOpcode or kAuthFailed; never reads or writes
    /// outside the spans.
    [[nodiscard]] Result<Unwrapped, CryptoError> unwrap(std::span<const std::byte> wire,
                                                        std::span<std::byte> out);

private:
    TlsAuth(Hmac send, Hmac receive) : send_(std::move(send)), receive_(std::move(receive)) {}

    Hmac send_;
    Hmac receive_;
};

}  // namespace nfv::vpn::proto
