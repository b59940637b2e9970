#include "proto/key_derivation.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "proto/hmac.hpp"

namespace nfv::vpn::proto {

namespace {

const unsigned char* as_uchar(const std::byte* p) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL byte pointer.
    return reinterpret_cast<const unsigned char*>(p);
}
unsigned char* as_uchar(std::byte* p) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL byte pointer.
    return reinterpret_cast<unsigned char*>(p);
}

void wipe(std::span<std::byte> bytes) {
    OPENSSL_cleanse(bytes.data(), bytes.size());
}

// A keyed HMAC context for keys of any length (Hmac keys only digest-size bytes).
class PrfMac {
public:
    PrfMac(std::string_view digest, std::span<const std::byte> key) {
        EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
        ctx_ = mac != nullptr ? EVP_MAC_CTX_new(mac) : nullptr;
        EVP_MAC_free(mac);
        std::string name(digest);
        const OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, name.data(), 0),
            OSSL_PARAM_construct_end(),
        };
        // A null key pointer would mean "keep the previous key": give an empty key a real one.
        static constexpr unsigned char kEmptyKey = 0;
        const unsigned char* key_ptr = key.empty() ? &kEmptyKey : as_uchar(key.data());
        if (ctx_ != nullptr && EVP_MAC_init(ctx_, key_ptr, key.size(), params) == 1) {
            size_ = EVP_MAC_CTX_get_mac_size(ctx_);
        }
    }
    PrfMac(const PrfMac&) = delete;
    PrfMac& operator=(const PrfMac&) = delete;
    ~PrfMac() { EVP_MAC_CTX_free(ctx_); }

    [[nodiscard]] std::size_t size() const { return size_; }  // 0 when creation failed
    bool compute(std::span<const std::byte> a, std::span<const std::byte> b,
                 std::span<std::byte> out) {
        std::size_t written = 0;
        return size_ != 0 && size_ <= out.size() && EVP_MAC_init(ctx_, nullptr, 0, nullptr) == 1 &&
               EVP_MAC_update(ctx_, as_uchar(a.data()), a.size()) == 1 &&
               (b.empty() || EVP_MAC_update(ctx_, as_uchar(b.data()), b.size()) == 1) &&
               EVP_MAC_final(ctx_, as_uchar(out.data()), &written, out.size()) == 1 &&
               written == size_;
    }

private:
    EVP_MAC_CTX* ctx_ = nullptr;
    std::size_t size_ = 0;
};

// P_hash(secret, seed) of RFC 2246 §5, XORed into `out`:
//   A(0) = seed, A(i) = HMAC(secret, A(i-1)); output = HMAC(secret, A(1) || seed) || ...
bool p_hash_xor(std::string_view digest, std::span<const std::byte> secret,
                std::span<const std::byte> seed, std::span<std::byte> out) {
    PrfMac hmac(digest, secret);
    const std::size_t n = hmac.size();
    if (n == 0) {
        return false;
    }
    std::array<std::byte, kMaxHmacSize> a{};
    std::array<std::byte, kMaxHmacSize> block{};
    bool ok = hmac.compute(seed, {}, a);  // A(1)
    for (std::size_t done = 0; ok && done < out.size(); done += n) {
        ok = hmac.compute(std::span(a).first(n), seed, block) &&
             hmac.compute(std::span(a).first(n), {}, a);
        const std::size_t take = std::min(n, out.size() - done);
        for (std::size_t i = 0; ok && i < take; ++i) {
            out[done + i] ^= block[i];
        }
    }
    wipe(a);
    wipe(block);
    return ok;
}

}  // namespace

KeySource::~KeySource() {
    wipe(pre_master);
    wipe(random1);
    wipe(random2);
}

KeyBlock::KeyBlock(std::span<const std::byte, kKeyBlockSize> bytes) {
    std::copy(bytes.begin(), bytes.end(), bytes_.begin());
}

KeyBlock::KeyBlock(KeyBlock&& other) noexcept : bytes_(other.bytes_) {
    wipe(other.bytes_);
}

KeyBlock& KeyBlock::operator=(KeyBlock&& other) noexcept {
    if (this != &other) {
        bytes_ = other.bytes_;
        wipe(other.bytes_);
    }
    return *this;
}

KeyBlock::~KeyBlock() {
    wipe(bytes_);
}

Result<void, KeyDerivationError> tls1_prf(std::span<const std::byte> secret, std::string_view label,
                                          std::span<const std::byte> seed,
                                          std::span<std::byte> out) {
    std::vector<std::byte> label_seed(label.size() + seed.size());
    std::transform(label.begin(), label.end(), label_seed.begin(),
                   [](char c) { return static_cast<std::byte>(c); });
    std::copy(seed.begin(), seed.end(), label_seed.begin() + static_cast<long>(label.size()));
    // S1 = first ceil(L/2) bytes, S2 = last ceil(L/2) bytes.
    const std::size_t half = (secret.size() + 1) / 2;
    std::fill(out.begin(), out.end(), std::byte{0});
    const bool ok = p_hash_xor("MD5", secret.first(half), label_seed, out) &&
                    p_hash_xor("SHA1", secret.last(half), label_seed, out);
    wipe(label_seed);
    if (!ok) {
        wipe(out);
        return Unexpected(KeyDerivationError::kInternal);
    }
    return {};
}

Result<KeyBlock, KeyDerivationError> derive_key_block_prf(const KeySource& client,
                                                          const KeySource& server,
                                                          const SessionId& client_session_id,
                                                          const SessionId& server_session_id) {
    std::array<std::byte, 2 * kRandomSize> seed1{};
    std::copy(client.random1.begin(), client.random1.end(), seed1.begin());
    std::copy(server.random1.begin(), server.random1.end(), seed1.begin() + kRandomSize);
    std::array<std::byte, kMasterSecretSize> master{};
    auto result = tls1_prf(client.pre_master, "OpenVPN master secret", seed1, master);

    std::array<std::byte, 2 * kRandomSize + 2 * kSessionIdSize> seed2{};
    auto it = std::copy(client.random2.begin(), client.random2.end(), seed2.begin());
    it = std::copy(server.random2.begin(), server.random2.end(), it);
    it = std::copy(client_session_id.begin(), client_session_id.end(), it);
    std::copy(server_session_id.begin(), server_session_id.end(), it);
    KeyBlock block;
    if (result) {
        result = tls1_prf(master, "OpenVPN key expansion", seed2, block.mutable_bytes());
    }
    wipe(seed1);
    wipe(seed2);
    wipe(master);
    if (!result) {
        return Unexpected(result.error());
    }
    return block;
}

}  // namespace nfv::vpn::proto
