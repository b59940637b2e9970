#include "proto/hmac.hpp"

#include <string>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

namespace nfv::vpn::proto {

void Hmac::Deleter::operator()(EVP_MAC_CTX* ctx) const {
    EVP_MAC_CTX_free(ctx);
}

Result<Hmac, CryptoError> Hmac::create(std::string_view digest_name,
                                       std::span<const std::byte> key) {
    const std::string name(digest_name);
    EVP_MD* md = EVP_MD_fetch(nullptr, name.c_str(), nullptr);
    if (md == nullptr) {
        return Unexpected(CryptoError::kUnknownDigest);
    }
    const int md_size = EVP_MD_get_size(md);
    EVP_MD_free(md);
    if (md_size <= 0 || static_cast<std::size_t>(md_size) > kMaxHmacSize) {
        return Unexpected(CryptoError::kUnknownDigest);
    }
    const auto size = static_cast<std::size_t>(md_size);
    if (key.size() < size) {
        return Unexpected(CryptoError::kKeyTooShort);
    }
    EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (mac == nullptr) {
        return Unexpected(CryptoError::kInternal);
    }
    std::unique_ptr<EVP_MAC_CTX, Deleter> ctx(EVP_MAC_CTX_new(mac));
    EVP_MAC_free(mac);
    if (!ctx) {
        return Unexpected(CryptoError::kInternal);
    }
    std::string digest = name;
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest.data(), 0),
        OSSL_PARAM_construct_end(),
    };
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL takes unsigned char.
    const auto* key_bytes = reinterpret_cast<const unsigned char*>(key.data());
    if (EVP_MAC_init(ctx.get(), key_bytes, size, params) != 1) {
        return Unexpected(CryptoError::kInternal);
    }
    return Hmac(std::move(ctx), size);
}

bool Hmac::compute(std::initializer_list<std::span<const std::byte>> parts,
                   std::span<std::byte> out) {
    if (out.size() < size_ || EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr) != 1) {
        return false;
    }
    for (const auto part : parts) {
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL byte pointer.
        const auto* data = reinterpret_cast<const unsigned char*>(part.data());
        if (!part.empty() && EVP_MAC_update(ctx_.get(), data, part.size()) != 1) {
            return false;
        }
    }
    std::size_t written = 0;
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL byte pointer.
    auto* dst = reinterpret_cast<unsigned char*>(out.data());
    return EVP_MAC_final(ctx_.get(), dst, &written, out.size()) == 1 && written == size_;
}

bool equal_constant_time(std::span<const std::byte> a, std::span<const std::byte> b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace nfv::vpn::proto
