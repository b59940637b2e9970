#include "ticket_keys.hpp"

#include <algorithm>
#include <cstring>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

namespace nfv::tls_proxy {
namespace {

int ex_data_index() {
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

// AES-256-CBC, fetched from the default provider once: EVP_aes_256_cbc() would make every
// EVP_*Init_ex() fetch it again (a method-store lookup under a lock, per ticket). Never freed:
// it lives as long as the process.
const EVP_CIPHER* ticket_cipher() {
    static EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
    return cipher;
}

// HMAC-SHA256 with `key` on the MAC context OpenSSL hands the callback.
bool init_mac(EVP_MAC_CTX* mac, const std::array<unsigned char, TicketKeys::kHmacKeySize>& key) {
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
        OSSL_PARAM_construct_end(),
    };
    return EVP_MAC_init(mac, key.data(), key.size(), params) == 1;
}

}  // namespace

void TicketKeys::rotate(platform::Instant now, std::span<const std::byte, kMaterialSize> material) {
    Key key;
    const auto* bytes = reinterpret_cast<const unsigned char*>(material.data());
    std::copy_n(bytes, kNameSize, key.name.begin());
    std::copy_n(bytes + kNameSize, kAesKeySize, key.aes.begin());
    std::copy_n(bytes + kNameSize + kAesKeySize, kHmacKeySize, key.hmac.begin());
    previous_ = current_;
    current_ = key;
    last_rotation_ = now;
}

platform::Instant TicketKeys::next_rotation() const {
    return last_rotation_ ? *last_rotation_ + rotation_ : platform::Instant{};
}

bool TicketKeys::install(SSL_CTX* ctx) {
    return SSL_CTX_set_ex_data(ctx, ex_data_index(), this) == 1 &&
           SSL_CTX_set_tlsext_ticket_key_evp_cb(ctx, on_ticket_key) == 1;
}

// OpenSSL's contract (SSL_CTX_set_tlsext_ticket_key_evp_cb(3)): encrypting, fill key_name and
// iv and set up both contexts, return 1 (0: issue no ticket). Decrypting, return 0 for an
// unknown key name (full handshake), 1 to accept, 2 to accept and issue a renewed ticket.
int TicketKeys::on_ticket_key(SSL* ssl, unsigned char* key_name, unsigned char* iv,
                              EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac, int encrypt) {
    // The callback belongs to the session context (the initial SSL_CTX of the handshake).
    const auto* self =
        static_cast<const TicketKeys*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ex_data_index()));
    if (self == nullptr) {
        return 0;  // no store: no ticket issued, none accepted
    }
    return encrypt != 0 ? self->encrypt(key_name, iv, cipher, mac)
                        : self->decrypt(key_name, iv, cipher, mac);
}

int TicketKeys::encrypt(unsigned char* key_name, unsigned char* iv, EVP_CIPHER_CTX* cipher,
                        EVP_MAC_CTX* mac) const {
    if (!current_) {
        return 0;
    }
    if (ticket_cipher() == nullptr ||
        RAND_bytes(iv, EVP_CIPHER_get_iv_length(ticket_cipher())) != 1) {
        return -1;
    }
    std::memcpy(key_name, current_->name.data(), kNameSize);
    if (EVP_EncryptInit_ex(cipher, ticket_cipher(), nullptr, current_->aes.data(), iv) != 1 ||
        !init_mac(mac, current_->hmac)) {
        return -1;
    }
    return 1;
}

int TicketKeys::decrypt(const unsigned char* key_name, const unsigned char* iv,
                        EVP_CIPHER_CTX* cipher, EVP_MAC_CTX* mac) const {
    const auto matches = [key_name](const std::optional<Key>& key) {
        return key && std::memcmp(key->name.data(), key_name, kNameSize) == 0;
    };
    const Key* key = nullptr;
    int accepted = 1;
    if (matches(current_)) {
        key = &*current_;
    } else if (matches(previous_)) {
        key = &*previous_;
        accepted = 2;  // renew under the current key
    } else {
        return 0;
    }
    if (ticket_cipher() == nullptr ||
        EVP_DecryptInit_ex(cipher, ticket_cipher(), nullptr, key->aes.data(), iv) != 1 ||
        !init_mac(mac, key->hmac)) {
        return -1;
    }
    return accepted;
}

}  // namespace nfv::tls_proxy
