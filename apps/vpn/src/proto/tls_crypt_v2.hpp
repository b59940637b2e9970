// tls-crypt-v2 keys: the client key file (Kc and the wrapped client key WKc), the server key
// file, and the wrapping of Kc into WKc that only the server can undo.
//
// References: OpenVPN 2.6 doc/tls-crypt-v2.txt (key and WKc formats), src/openvpn/tls_crypt.h
// (TLS_CRYPT_V2_MAX_WKC_LEN, TLS_CRYPT_V2_MAX_METADATA_LEN, metadata types) and tls_crypt.c
// (tls_crypt_v2_init_client_key, tls_crypt_v2_wrap_client_key, tls_crypt_v2_unwrap_client_key);
// /work/shared/reference/openvpn-protocol.md §1.6 and §1.12.
//
// Client key file: PEM "OpenVPN tls-crypt-v2 client key", base64 of Kc (256 bytes, the same
// struct key2 layout as a static key: key[0] and key[1], each cipher[64] || hmac[64]) followed by
// WKc. Server key file: PEM "OpenVPN tls-crypt-v2 server key", base64 of one struct key
// (cipher[64] || hmac[64]): Ke = first 32 bytes of cipher, Ka = first 32 bytes of hmac.
//
//   len = u16 (big endian) size of the whole WKc
//   T   = HMAC-SHA256(Ka, len || Kc || metadata)
//   WKc = T || AES-256-CTR(Ke, IV = T[0..16], Kc || metadata) || len
//
// Metadata is a type byte (0 = user data, 1 = u64 creation timestamp) and up to 732 more bytes.
// A client sends WKc unchanged after its P_CONTROL_HARD_RESET_CLIENT_V3 (and after the
// P_CONTROL_WKC_V1 the server may ask for); the control channel itself is tls-crypt with Kc in
// the client role (send with key[1], receive with key[0]).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "nfv/platform/result.hpp"

#include "proto/hmac.hpp"
#include "proto/static_key.hpp"

namespace nfv::vpn::proto {

/// TLS_CRYPT_V2_MAX_WKC_LEN: the largest WKc OpenVPN accepts.
inline constexpr std::size_t kTlsCryptV2MaxWkcSize = 1024;
/// TLS_CRYPT_V2_MAX_METADATA_LEN.
inline constexpr std::size_t kTlsCryptV2MaxMetadataSize = 733;
/// Size of a server key (one struct key).
inline constexpr std::size_t kTlsCryptV2ServerKeySize = 2 * kStaticKeyHalfSize;
/// Tag + length field around the encrypted Kc || metadata.
inline constexpr std::size_t kTlsCryptV2WkcOverhead = 32 + 2;
/// Metadata type bytes (TLS_CRYPT_METADATA_TYPE_USER / _TIMESTAMP).
inline constexpr std::uint8_t kTlsCryptV2MetadataUser = 0x00;
inline constexpr std::uint8_t kTlsCryptV2MetadataTimestamp = 0x01;

enum class TlsCryptV2Error : std::uint8_t {
    kMissingPem,    // no BEGIN/END lines with the expected label
    kBadBase64,     // the body is not valid base64
    kBadSize,       // decoded key has the wrong size
    kBadWkc,        // WKc shorter than its minimum, longer than the maximum, or its length
                    // field disagrees with its size
    kAuthFailed,    // WKc does not authenticate under this server key
    kMetadataLong,  // metadata above kTlsCryptV2MaxMetadataSize
    kInternal,      // OpenSSL failure
};

/// A client's tls-crypt-v2 key: Kc for the control channel and WKc to send to the server.
class TlsCryptV2ClientKey {
public:
    /// Parses the PEM text (inline block content or whole file).
    [[nodiscard]] static Result<TlsCryptV2ClientKey, TlsCryptV2Error> parse(std::string_view text);

    /// Kc in static-key layout, for TlsCrypt::create(key, /*is_server=*/false).
    [[nodiscard]] const StaticKey& key() const { return key_; }
    /// The wrapped client key, appended verbatim to V3 resets and P_CONTROL_WKC_V1 packets.
    [[nodiscard]] std::span<const std::byte> wkc() const { return wkc_; }

private:
    TlsCryptV2ClientKey(StaticKey key, std::vector<std::byte> wkc)
        : key_(key), wkc_(std::move(wkc)) {}

    StaticKey key_;
    std::vector<std::byte> wkc_;
};

/// The client key and metadata a server recovers from a WKc.
struct UnwrappedClientKey {
    std::array<std::byte, kStaticKeySize> key{};
    std::vector<std::byte> metadata;
};

/// The server's key: wraps client keys (key generation) and unwraps received WKc.
class TlsCryptV2ServerKey {
public:
    explicit TlsCryptV2ServerKey(const std::array<std::byte, kTlsCryptV2ServerKeySize>& bytes)
        : bytes_(bytes) {}

    /// Parses the PEM text (inline block content or whole file).
    [[nodiscard]] static Result<TlsCryptV2ServerKey, TlsCryptV2Error> parse(std::string_view text);

    /// WKc for `client_key` and `metadata` (deterministic: the IV is derived from the tag).
    [[nodiscard]] Result<std::vector<std::byte>, TlsCryptV2Error> wrap(
        std::span<const std::byte, kStaticKeySize> client_key,
        std::span<const std::byte> metadata) const;
    /// Authenticates and decrypts a WKc. Nothing is returned unless the tag verifies.
    [[nodiscard]] Result<UnwrappedClientKey, TlsCryptV2Error> unwrap(
        std::span<const std::byte> wkc) const;

private:
    std::array<std::byte, kTlsCryptV2ServerKeySize> bytes_;
};

/// Decodes the base64 body between "-----BEGIN <label>-----" and "-----END <label>-----"
/// (whitespace ignored), as OpenVPN's crypto_pem_decode does.
[[nodiscard]] Result<std::vector<std::byte>, TlsCryptV2Error> decode_pem(std::string_view text,
                                                                         std::string_view label);

}  // namespace nfv::vpn::proto
