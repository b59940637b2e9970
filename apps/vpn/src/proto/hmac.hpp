// Hmac: an OpenSSL EVP_MAC HMAC context keyed once and reused for every packet (the key schedule
// is not repeated per packet; EVP_MAC_init with a null key reuses the key set at creation).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>

#include <openssl/types.h>

#include "nfv/platform/result.hpp"

namespace nfv::vpn::proto {

inline constexpr std::size_t kMaxHmacSize = 64;  // SHA-512

enum class CryptoError : std::uint8_t {
    kUnknownDigest,   // the digest name is not available in OpenSSL
    kKeyTooShort,     // less key material than the algorithm needs
    kInternal,        // OpenSSL failed unexpectedly
    kBufferTooSmall,  // output span shorter than required
    kTruncated,       // input shorter than the wrapped layout
    kBadOpcode,       // first byte is not a control opcode
    kAuthFailed,      // HMAC / tag mismatch
};

class Hmac {
public:
    /// HMAC with `digest_name` (an OpenSSL name such as "SHA1", "SHA256", "SHA512"), keyed with
    /// the first digest-size bytes of `key` (OpenVPN's rule for tls-auth and tls-crypt keys).
    [[nodiscard]] static Result<Hmac, CryptoError> create(std::string_view digest_name,
                                                          std::span<const std::byte> key);

    /// Output length in bytes (20 for SHA1, 32 for SHA256 ...).
    [[nodiscard]] std::size_t size() const { return size_; }
    /// HMAC over the concatenation of `parts`; writes size() bytes to `out`
    /// (precondition out.size() >= size()). False only on an OpenSSL failure.
    [[nodiscard]] bool compute(std::initializer_list<std::span<const std::byte>> parts,
                               std::span<std::byte> out);

private:
    struct Deleter {
        void operator()(EVP_MAC_CTX* ctx) const;
    };
    Hmac(std::unique_ptr<EVP_MAC_CTX, Deleter> ctx, std::size_t size)
        : ctx_(std::move(ctx)), size_(size) {}

    std::unique_ptr<EVP_MAC_CTX, Deleter> ctx_;
    std::size_t size_;
};

/// Constant-time equality of two equally long byte strings.
[[nodiscard]] bool equal_constant_time(std::span<const std::byte> a, std::span<const std::byte> b);

}  // namespace nfv::vpn::proto
