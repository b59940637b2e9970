// OpenVPN static key files ("OpenVPN Static key V1", used by tls-auth and tls-crypt) and the
// key-direction rule that picks which half encrypts and which half decrypts.
//
// References: OpenVPN 2.6 src/openvpn/crypto.c read_key_file() (file format) and
// key_direction_state_init() (directions); /work/shared/reference/openvpn-protocol.md §1.12.
//
// File: text outside the header/footer lines is ignored; between them 256 bytes as hex digits,
// whitespace ignored. Layout of the 256 bytes (OpenVPN's struct key2, two struct key):
//   key[0] = cipher[64] || hmac[64],  key[1] = cipher[64] || hmac[64]
// Each algorithm uses the leading bytes it needs (AES-256: 32 of cipher, SHA1-HMAC: 20 of hmac).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "nfv/platform/result.hpp"

namespace nfv::vpn::proto {

inline constexpr std::size_t kStaticKeySize = 256;
inline constexpr std::size_t kStaticKeyHalfSize = 64;

enum class StaticKeyError : std::uint8_t {
    kMissingHeader,            // no "-----BEGIN OpenVPN Static key V1-----" line
    kBadCharacter,             // a non-hex, non-space character inside the key body
    kInsufficientKeyMaterial,  // fewer than 256 bytes before the footer
    kMissingFooter,            // no "-----END OpenVPN Static key V1-----" line
};

/// --key-direction: none = both directions use key[0]; 0 = NORMAL; 1 = INVERSE.
enum class KeyDirection : std::uint8_t { kBidirectional, kNormal, kInverse };

/// One direction's keys: 64 bytes of cipher key and 64 bytes of HMAC key material.
struct KeyHalf {
    std::span<const std::byte, kStaticKeyHalfSize> cipher;
    std::span<const std::byte, kStaticKeyHalfSize> hmac;
};

struct DirectionalKeys {
    KeyHalf encrypt;  // what we send with
    KeyHalf decrypt;  // what we receive with
};

class StaticKey {
public:
    explicit StaticKey(const std::array<std::byte, kStaticKeySize>& bytes) : bytes_(bytes) {}

    /// Parses the PEM-like text (inline block content or whole file).
    [[nodiscard]] static Result<StaticKey, StaticKeyError> parse(std::string_view text);

    [[nodiscard]] std::span<const std::byte, kStaticKeySize> bytes() const { return bytes_; }
    /// key[index] (index 0 or 1) split into its cipher and hmac halves.
    [[nodiscard]] KeyHalf key(std::size_t index) const;
    /// NORMAL: send key[0], receive key[1]; INVERSE: the reverse; bidirectional: key[0] both.
    [[nodiscard]] DirectionalKeys directional(KeyDirection direction) const;

private:
    std::array<std::byte, kStaticKeySize> bytes_;
};

}  // namespace nfv::vpn::proto
