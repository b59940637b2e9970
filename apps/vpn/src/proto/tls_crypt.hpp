// tls-crypt (v1): control packets encrypted and authenticated with a pre-shared static key,
// AES-256-CTR + HMAC-SHA256 in SIV style.
//
// Reference: OpenVPN 2.6 src/openvpn/tls_crypt.h (format comment) and tls_crypt.c
// (tls_crypt_wrap, tls_crypt_unwrap, tls_crypt_init_key); /work/shared/reference/
// openvpn-protocol.md §1.3 and §1.12.
//
//   header = op|kid (1) || session id (8) || replay id (4) || time (4)
//   tag    = HMAC-SHA256(Ka, header || plaintext)                      (32 bytes)
//   wire   = header || tag || AES-256-CTR(Ke, IV = tag[0..16], plaintext)
//
// where plaintext is everything after the session id in the plain packet (ack block, message
// id, payload). Directions are fixed by role: server = NORMAL (sends with key[0]), client =
// INVERSE; Ke is the first 32 bytes of the cipher half, Ka the first 32 of the hmac half.
// Wrapping is deterministic: the same header and plaintext give the same bytes.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

#include <openssl/types.h>

#include "nfv/platform/result.hpp"

#include "proto/hmac.hpp"
#include "proto/replay_window.hpp"
#include "proto/static_key.hpp"
#include "proto/tls_auth.hpp"

namespace nfv::vpn::proto {

inline constexpr std::size_t kTlsCryptTagSize = 32;
/// Header of a tls-crypt control packet: opcode, session id, replay id and time
/// (TLS_CRYPT_OFF_TAG).
inline constexpr std::size_t kTlsCryptHeaderSize = 1 + 8 + kReplayIdLongSize;
/// Bytes the wire form adds to the plain form (replay id + time + tag).
inline constexpr std::size_t kTlsCryptOverhead = kReplayIdLongSize + kTlsCryptTagSize;

/// RFC 5705 exporter label of the dynamic tls-crypt key (ssl_backend.h
/// EXPORT_DYNAMIC_TLS_CRYPT_LABEL); 256 bytes are exported.
inline constexpr std::string_view kDynamicTlsCryptLabel = "EXPORTER-OpenVPN-dynamic-tls-crypt";

/// The dynamic tls-crypt key (IV_PROTO bit 9, pushed `protocol-flags dyn-tls-crypt`): the 256
/// exported bytes, XORed with the original control-channel key when there is one (OpenVPN 2.6
/// tls_crypt.c tls_session_generate_dynamic_tls_crypt_key, xor_key2). Used like a tls-crypt
/// key (server NORMAL, client INVERSE) for every packet of key_id > 0.
[[nodiscard]] StaticKey dynamic_tls_crypt_key(std::span<const std::byte, kStaticKeySize> exported,
                                              const StaticKey* original);

class TlsCrypt {
public:
    /// Keys from a static key file for the given role (server NORMAL, client INVERSE).
    [[nodiscard]] static Result<TlsCrypt, CryptoError> create(const StaticKey& key, bool is_server);
    /// Keys given directly: what we send with and what we receive with (e.g. dynamic tls-crypt).
    [[nodiscard]] static Result<TlsCrypt, CryptoError> create(const KeyHalf& encrypt,
                                                              const KeyHalf& decrypt);

    /// Generic SIV seal: writes header || tag || ciphertext to `out`
    /// (needs header.size() + 32 + plaintext.size() bytes); returns bytes written.
    /// `out` must not overlap the inputs.
    [[nodiscard]] Result<std::size_t, CryptoError> seal(std::span<const std::byte> header,
                                                        std::span<const std::byte> plaintext,
                                                        std::span<std::byte> out);
    /// Generic SIV open of `wire` = header (header_size bytes) || tag || ciphertext; writes the
    /// plaintext to `out` and returns its length. On failure `out` holds no plaintext.
    [[nodiscard]] Result<std::size_t, CryptoError> open(std::span<const std::byte> wire,
                                                        std::size_t header_size,
                                                        std::span<std::byte> out);

    /// Wraps a plain control packet (opcode + session id + rest); `out` needs
    /// plain.size() + kTlsCryptOverhead bytes and must not overlap `plain`.
    [[nodiscard]] Result<std::size_t, CryptoError> wrap(std::span<const std::byte> plain,
                                                        ReplayId replay_id,
                                                        std::span<std::byte> out);
    /// Verifies and decrypts a wire packet (without any appended tls-crypt-v2 WKc) into its
    /// plain form in `out` (needs wire.size() - kTlsCryptOverhead bytes). The replay id is for
    /// the caller's ReplayWindow. Never reads or writes outside the spans.
    [[nodiscard]] Result<Unwrapped, CryptoError> unwrap(std::span<const std::byte> wire,
                                                        std::span<std::byte> out);

private:
    struct CipherDeleter {
        void operator()(EVP_CIPHER_CTX* ctx) const;
    };
    using CipherPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter>;

    TlsCrypt(CipherPtr encrypt, Hmac encrypt_mac, CipherPtr decrypt, Hmac decrypt_mac)
        : encrypt_(std::move(encrypt)),
          encrypt_mac_(std::move(encrypt_mac)),
          decrypt_(std::move(decrypt)),
          decrypt_mac_(std::move(decrypt_mac)) {}

    static bool ctr(EVP_CIPHER_CTX* ctx, std::span<const std::byte> iv,
                    std::span<const std::byte> in, std::span<std::byte> out);

    CipherPtr encrypt_;
    Hmac encrypt_mac_;
    CipherPtr decrypt_;
    Hmac decrypt_mac_;
};

}  // namespace nfv::vpn::proto
