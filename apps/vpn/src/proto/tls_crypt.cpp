#include "proto/tls_crypt.hpp"

#include <algorithm>
#include <array>
#include <climits>

#include <openssl/evp.h>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/byte_writer.hpp"

#include "proto/packet.hpp"

namespace nfv::vpn::proto {

namespace {

constexpr std::size_t kCipherKeySize = 32;
constexpr std::size_t kIvSize = 16;
constexpr std::size_t kOpSidSize = 1 + kSessionIdSize;

const unsigned char* as_uchar(const std::byte* p) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL byte pointer.
    return reinterpret_cast<const unsigned char*>(p);
}
unsigned char* as_uchar(std::byte* p) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL byte pointer.
    return reinterpret_cast<unsigned char*>(p);
}

}  // namespace

StaticKey dynamic_tls_crypt_key(std::span<const std::byte, kStaticKeySize> exported,
                                const StaticKey* original) {
    std::array<std::byte, kStaticKeySize> bytes{};
    for (std::size_t i = 0; i < kStaticKeySize; ++i) {
        bytes[i] = exported[i] ^ (original != nullptr ? original->bytes()[i] : std::byte{0});
    }
    StaticKey key(bytes);
    std::fill(bytes.begin(), bytes.end(), std::byte{0});
    return key;
}

void TlsCrypt::CipherDeleter::operator()(EVP_CIPHER_CTX* ctx) const {
    EVP_CIPHER_CTX_free(ctx);
}

Result<TlsCrypt, CryptoError> TlsCrypt::create(const StaticKey& key, bool is_server) {
    const DirectionalKeys keys =
        key.directional(is_server ? KeyDirection::kNormal : KeyDirection::kInverse);
    return create(keys.encrypt, keys.decrypt);
}

Result<TlsCrypt, CryptoError> TlsCrypt::create(const KeyHalf& encrypt, const KeyHalf& decrypt) {
    EVP_CIPHER* aes = EVP_CIPHER_fetch(nullptr, "AES-256-CTR", nullptr);
    if (aes == nullptr) {
        return Unexpected(CryptoError::kInternal);
    }
    auto make = [aes](std::span<const std::byte> cipher_key) -> CipherPtr {
        CipherPtr ctx(EVP_CIPHER_CTX_new());
        if (ctx && EVP_EncryptInit_ex2(ctx.get(), aes, as_uchar(cipher_key.data()), nullptr,
                                       nullptr) == 1) {
            return ctx;
        }
        return nullptr;
    };
    CipherPtr enc = make(encrypt.cipher.first(kCipherKeySize));
    CipherPtr dec = make(decrypt.cipher.first(kCipherKeySize));
    EVP_CIPHER_free(aes);
    if (!enc || !dec) {
        return Unexpected(CryptoError::kInternal);
    }
    auto enc_mac = Hmac::create("SHA256", encrypt.hmac);
    auto dec_mac = Hmac::create("SHA256", decrypt.hmac);
    if (!enc_mac || !dec_mac) {
        return Unexpected(CryptoError::kInternal);
    }
    return TlsCrypt(std::move(enc), std::move(*enc_mac), std::move(dec), std::move(*dec_mac));
}

bool TlsCrypt::ctr(EVP_CIPHER_CTX* ctx, std::span<const std::byte> iv,
                   std::span<const std::byte> in, std::span<std::byte> out) {
    // Re-initialising with only an IV keeps the key schedule and restarts the counter.
    if (EVP_EncryptInit_ex2(ctx, nullptr, nullptr, as_uchar(iv.data()), nullptr) != 1) {
        return false;
    }
    if (in.empty()) {
        return true;
    }
    if (in.size() > static_cast<std::size_t>(INT_MAX)) {
        return false;
    }
    int written = 0;
    if (EVP_EncryptUpdate(ctx, as_uchar(out.data()), &written, as_uchar(in.data()),
                          static_cast<int>(in.size())) != 1) {
        return false;
    }
    return static_cast<std::size_t>(written) == in.size();
}

Result<std::size_t, CryptoError> TlsCrypt::seal(std::span<const std::byte> header,
                                                std::span<const std::byte> plaintext,
                                                std::span<std::byte> out) {
    const std::size_t total = header.size() + kTlsCryptTagSize + plaintext.size();
    if (out.size() < total) {
        return Unexpected(CryptoError::kBufferTooSmall);
    }
    const auto tag = out.subspan(header.size(), kTlsCryptTagSize);
    if (!encrypt_mac_.compute({header, plaintext}, tag)) {
        return Unexpected(CryptoError::kInternal);
    }
    std::copy(header.begin(), header.end(), out.begin());
    const auto ciphertext = out.subspan(header.size() + kTlsCryptTagSize, plaintext.size());
    if (!ctr(encrypt_.get(), tag.first(kIvSize), plaintext, ciphertext)) {
        return Unexpected(CryptoError::kInternal);
    }
    return total;
}

Result<std::size_t, CryptoError> TlsCrypt::open(std::span<const std::byte> wire,
                                                std::size_t header_size, std::span<std::byte> out) {
    net::ByteReader reader(wire);
    const auto header = reader.read_bytes(header_size);
    const auto tag = reader.read_bytes(kTlsCryptTagSize);
    if (!header || !tag) {
        return Unexpected(CryptoError::kTruncated);
    }
    const auto ciphertext = reader.read_rest();
    if (out.size() < ciphertext.size()) {
        return Unexpected(CryptoError::kBufferTooSmall);
    }
    const auto plaintext = out.first(ciphertext.size());
    std::array<std::byte, kTlsCryptTagSize> expected{};
    const bool ok = ctr(decrypt_.get(), tag->first(kIvSize), ciphertext, plaintext) &&
                    decrypt_mac_.compute({*header, plaintext}, expected);
    if (!ok || !equal_constant_time(*tag, expected)) {
        std::fill(plaintext.begin(), plaintext.end(), std::byte{0});
        return Unexpected(ok ? CryptoError::kAuthFailed : CryptoError::kInternal);
    }
    return plaintext.size();
}

Result<std::size_t, CryptoError> TlsCrypt::wrap(std::span<const std::byte> plain,
                                                ReplayId replay_id, std::span<std::byte> out) {
    if (plain.size() < kOpSidSize) {
        return Unexpected(CryptoError::kTruncated);
    }
    std::array<std::byte, kTlsCryptHeaderSize> header{};
    net::ByteWriter writer(header);
    writer.write_bytes(plain.first(kOpSidSize));
    writer.write_u32(replay_id.id);
    writer.write_u32(replay_id.time);
    return seal(header, plain.subspan(kOpSidSize), out);
}

Result<Unwrapped, CryptoError> TlsCrypt::unwrap(std::span<const std::byte> wire,
                                                std::span<std::byte> out) {
    if (wire.size() < kTlsCryptHeaderSize + kTlsCryptTagSize) {
        return Unexpected(CryptoError::kTruncated);
    }
    const auto op = parse_opcode_byte(std::to_integer<std::uint8_t>(wire[0]));
    if (!op || !is_control(op->opcode)) {
        return Unexpected(CryptoError::kBadOpcode);
    }
    if (out.size() < kOpSidSize) {
        return Unexpected(CryptoError::kBufferTooSmall);
    }
    const auto opened = open(wire, kTlsCryptHeaderSize, out.subspan(kOpSidSize));
    if (!opened) {
        return Unexpected(opened.error());
    }
    std::copy_n(wire.begin(), kOpSidSize, out.begin());
    net::ByteReader pid_reader(wire.subspan(kOpSidSize, kReplayIdLongSize));
    Unwrapped result;
    result.replay_id.id = pid_reader.read_u32().value_or(0);
    result.replay_id.time = pid_reader.read_u32().value_or(0);
    result.size = kOpSidSize + *opened;
    return result;
}

}  // namespace nfv::vpn::proto
