#include "proto/tls_crypt_v2.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/byte_writer.hpp"

#include "proto/tls_crypt.hpp"

namespace nfv::vpn::proto {
namespace {

constexpr std::size_t kLengthSize = 2;

std::optional<std::uint8_t> base64_value(char c) {
    if (c >= 'A' && c <= 'Z') {
        return static_cast<std::uint8_t>(c - 'A');
    }
    if (c >= 'a' && c <= 'z') {
        return static_cast<std::uint8_t>(c - 'a' + 26);
    }
    if (c >= '0' && c <= '9') {
        return static_cast<std::uint8_t>(c - '0' + 52);
    }
    if (c == '+') {
        return std::uint8_t{62};
    }
    if (c == '/') {
        return std::uint8_t{63};
    }
    return std::nullopt;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// Strict base64 (RFC 4648 §4): groups of four, '=' padding only at the very end.
Result<std::vector<std::byte>, TlsCryptV2Error> decode_base64(std::string_view body) {
    std::vector<std::byte> out;
    std::uint32_t group = 0;
    int filled = 0;
    int padding = 0;
    bool finished = false;  // a padded group ends the data
    for (const char c : body) {
        if (is_space(c)) {
            continue;
        }
        if (finished) {
            return Unexpected(TlsCryptV2Error::kBadBase64);
        }
        if (c == '=') {
            ++padding;
            group <<= 6U;
            ++filled;
        } else {
            const auto value = base64_value(c);
            if (!value || padding > 0) {
                return Unexpected(TlsCryptV2Error::kBadBase64);
            }
            group = (group << 6U) | *value;
            ++filled;
        }
        if (filled == 4) {
            if (padding > 2) {
                return Unexpected(TlsCryptV2Error::kBadBase64);
            }
            out.push_back(static_cast<std::byte>((group >> 16U) & 0xffU));
            if (padding < 2) {
                out.push_back(static_cast<std::byte>((group >> 8U) & 0xffU));
            }
            if (padding < 1) {
                out.push_back(static_cast<std::byte>(group & 0xffU));
            }
            group = 0;
            filled = 0;
            finished = padding > 0;
        }
    }
    if (filled != 0) {
        return Unexpected(TlsCryptV2Error::kBadBase64);
    }
    return out;
}

// One struct key (cipher[64] || hmac[64]) used for both directions, as OpenVPN initialises the
// server key with KEY_DIRECTION_BIDIRECTIONAL.
Result<TlsCrypt, TlsCryptV2Error> server_cipher(
    const std::array<std::byte, kTlsCryptV2ServerKeySize>& bytes) {
    const std::span<const std::byte, kTlsCryptV2ServerKeySize> all(bytes);
    const KeyHalf half{all.first<kStaticKeyHalfSize>(), all.last<kStaticKeyHalfSize>()};
    auto crypt = TlsCrypt::create(half, half);
    if (!crypt) {
        return Unexpected(TlsCryptV2Error::kInternal);
    }
    return std::move(*crypt);
}

}  // namespace

Result<std::vector<std::byte>, TlsCryptV2Error> decode_pem(std::string_view text,
                                                           std::string_view label) {
    const std::string begin = "-----BEGIN " + std::string(label) + "-----";
    const std::string end = "-----END " + std::string(label) + "-----";
    const auto at = text.find(begin);
    if (at == std::string_view::npos) {
        return Unexpected(TlsCryptV2Error::kMissingPem);
    }
    const auto body_start = at + begin.size();
    const auto body_end = text.find(end, body_start);
    if (body_end == std::string_view::npos) {
        return Unexpected(TlsCryptV2Error::kMissingPem);
    }
    return decode_base64(text.substr(body_start, body_end - body_start));
}

Result<TlsCryptV2ClientKey, TlsCryptV2Error> TlsCryptV2ClientKey::parse(std::string_view text) {
    auto decoded = decode_pem(text, "OpenVPN tls-crypt-v2 client key");
    if (!decoded) {
        return Unexpected(decoded.error());
    }
    if (decoded->size() < kStaticKeySize) {
        return Unexpected(TlsCryptV2Error::kBadSize);
    }
    std::array<std::byte, kStaticKeySize> kc{};
    std::copy_n(decoded->begin(), kStaticKeySize, kc.begin());
    std::vector<std::byte> wkc(decoded->begin() + static_cast<std::ptrdiff_t>(kStaticKeySize),
                               decoded->end());
    // The WKc ends with its own length (tls_crypt_v2_wrap_client_key); a file where that does
    // not match was truncated or corrupted, and the server would reject it anyway.
    if (wkc.size() < kTlsCryptV2WkcOverhead + kStaticKeySize ||
        wkc.size() > kTlsCryptV2MaxWkcSize) {
        return Unexpected(TlsCryptV2Error::kBadWkc);
    }
    net::ByteReader length(std::span<const std::byte>(wkc).last(kLengthSize));
    if (length.read_u16().value_or(0) != wkc.size()) {
        return Unexpected(TlsCryptV2Error::kBadWkc);
    }
    return TlsCryptV2ClientKey(StaticKey(kc), std::move(wkc));
}

Result<TlsCryptV2ServerKey, TlsCryptV2Error> TlsCryptV2ServerKey::parse(std::string_view text) {
    auto decoded = decode_pem(text, "OpenVPN tls-crypt-v2 server key");
    if (!decoded) {
        return Unexpected(decoded.error());
    }
    if (decoded->size() != kTlsCryptV2ServerKeySize) {
        return Unexpected(TlsCryptV2Error::kBadSize);
    }
    std::array<std::byte, kTlsCryptV2ServerKeySize> bytes{};
    std::copy(decoded->begin(), decoded->end(), bytes.begin());
    return TlsCryptV2ServerKey(bytes);
}

Result<std::vector<std::byte>, TlsCryptV2Error> TlsCryptV2ServerKey::wrap(
    std::span<const std::byte, kStaticKeySize> client_key,
    std::span<const std::byte> metadata) const {
    if (metadata.size() > kTlsCryptV2MaxMetadataSize) {
        return Unexpected(TlsCryptV2Error::kMetadataLong);
    }
    auto crypt = server_cipher(bytes_);
    if (!crypt) {
        return Unexpected(crypt.error());
    }
    const std::size_t total = kTlsCryptV2WkcOverhead + kStaticKeySize + metadata.size();
    std::array<std::byte, kLengthSize> length{};
    net::ByteWriter writer(length);
    writer.write_u16(static_cast<std::uint16_t>(total));
    std::vector<std::byte> plaintext(client_key.begin(), client_key.end());
    plaintext.insert(plaintext.end(), metadata.begin(), metadata.end());
    // seal() gives len || T || ciphertext; WKc carries the length at the end instead.
    std::vector<std::byte> sealed(total);
    auto written = crypt->seal(length, plaintext, sealed);
    std::fill(plaintext.begin(), plaintext.end(), std::byte{0});
    if (!written || *written != total) {
        return Unexpected(TlsCryptV2Error::kInternal);
    }
    std::rotate(sealed.begin(), sealed.begin() + kLengthSize, sealed.end());
    return sealed;
}

Result<UnwrappedClientKey, TlsCryptV2Error> TlsCryptV2ServerKey::unwrap(
    std::span<const std::byte> wkc) const {
    if (wkc.size() < kTlsCryptV2WkcOverhead + kStaticKeySize ||
        wkc.size() > kTlsCryptV2MaxWkcSize) {
        return Unexpected(TlsCryptV2Error::kBadWkc);
    }
    net::ByteReader length(wkc.last(kLengthSize));
    if (length.read_u16().value_or(0) != wkc.size()) {
        return Unexpected(TlsCryptV2Error::kBadWkc);
    }
    auto crypt = server_cipher(bytes_);
    if (!crypt) {
        return Unexpected(crypt.error());
    }
    // Back into open()'s header-first order: len || T || ciphertext.
    std::vector<std::byte> sealed(wkc.last(kLengthSize).begin(), wkc.last(kLengthSize).end());
    sealed.insert(sealed.end(), wkc.begin(), wkc.end() - static_cast<std::ptrdiff_t>(kLengthSize));
    std::vector<std::byte> plaintext(wkc.size());
    auto opened = crypt->open(sealed, kLengthSize, plaintext);
    if (!opened) {
        return Unexpected(opened.error() == CryptoError::kAuthFailed ? TlsCryptV2Error::kAuthFailed
                                                                     : TlsCryptV2Error::kInternal);
    }
    UnwrappedClientKey result;
    std::copy_n(plaintext.begin(), kStaticKeySize, result.key.begin());
    result.metadata.assign(plaintext.begin() + static_cast<std::ptrdiff_t>(kStaticKeySize),
                           plaintext.begin() + static_cast<std::ptrdiff_t>(*opened));
    std::fill(plaintext.begin(), plaintext.end(), std::byte{0});
    return result;
}

}  // namespace nfv::vpn::proto
