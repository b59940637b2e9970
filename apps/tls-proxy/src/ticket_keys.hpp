// TicketKeys: the keys that protect stateless session tickets, shared by every configuration
// snapshot of the process and rotated on a schedule.
//
// A ticket is the RFC 5077 §4 recommended format, built by OpenSSL through our key callback:
// key_name (16 bytes) | IV | AES-256-CBC(session state) | HMAC-SHA256 over all of it.
// Contract:
//   * rotate(now, material) makes a new key (name, AES key, HMAC key taken from `material`, which
//     the runtime fills from the OS RNG) the one that encrypts new tickets. The key before it is
//     kept for decryption only; older ones are erased. So a ticket resumes for at least one
//     rotation period and at most two; a ticket under the previous key is renewed (re-issued
//     under the current one); an unknown key name means a full handshake, never an error.
//   * next_rotation() is when the runtime should call rotate() again (rotation period after the
//     last one). Before the first rotate() no ticket is issued.
//   * install(ctx) points an SSL_CTX at this store; the store must outlive the context (the
//     runtime keeps it for the whole process, so tickets also survive SIGHUP reloads).
//   * The ticket lifetime announced to clients (RFC 8446 §4.6.1 ticket_lifetime) is the rotation
//     period, set by TlsContext.
// Not thread-safe; one event loop owns it.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>

#include <openssl/ssl.h>

#include "nfv/platform/time.hpp"

namespace nfv::tls_proxy {

class TicketKeys {
public:
    static constexpr std::size_t kNameSize = 16;
    static constexpr std::size_t kAesKeySize = 32;
    static constexpr std::size_t kHmacKeySize = 32;
    static constexpr std::size_t kMaterialSize = kNameSize + kAesKeySize + kHmacKeySize;

    explicit TicketKeys(platform::Duration rotation) : rotation_(rotation) {}

    /// A new current key from `material`; the old current key becomes the previous one.
    void rotate(platform::Instant now, std::span<const std::byte, kMaterialSize> material);
    void set_rotation(platform::Duration rotation) { rotation_ = rotation; }
    [[nodiscard]] platform::Duration rotation() const { return rotation_; }
    /// When rotate() is due; now-or-earlier if it never ran.
    [[nodiscard]] platform::Instant next_rotation() const;
    /// Keys that decrypt (0, 1 or 2).
    [[nodiscard]] std::size_t key_count() const {
        return (current_ ? 1U : 0U) + (previous_ ? 1U : 0U);
    }

    /// Installs the ticket key callback on `ctx`. False if OpenSSL refuses.
    [[nodiscard]] bool install(SSL_CTX* ctx);

private:
    struct Key {
        std::array<unsigned char, kNameSize> name{};
        std::array<unsigned char, kAesKeySize> aes{};
        std::array<unsigned char, kHmacKeySize> hmac{};
    };

    static int on_ticket_key(SSL* ssl, unsigned char* key_name, unsigned char* iv,
                             EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac, int encrypt);
    int encrypt(unsigned char* key_name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                EVP_MAC_CTX* mac) const;
    int decrypt(const unsigned char* key_name, const unsigned char* iv, EVP_CIPHER_CTX* cipher,
                EVP_MAC_CTX* mac) const;

    platform::Duration rotation_;
    std::optional<platform::Instant> last_rotation_;
    std::optional<Key> current_;
    std::optional<Key> previous_;
};

}  // namespace nfv::tls_proxy
