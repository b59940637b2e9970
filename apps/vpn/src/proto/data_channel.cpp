#include "proto/data_channel.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <string>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/byte_writer.hpp"

namespace nfv::vpn::proto {

namespace {

struct CipherInfo {
    DataCipher cipher;
    std::string_view name;  // OpenVPN and OpenSSL name
    std::size_t key_size;
    bool aead;
};

constexpr std::array<CipherInfo, 7> kCiphers{{
    {DataCipher::kAes128Gcm, "AES-128-GCM", 16, true},
    {DataCipher::kAes192Gcm, "AES-192-GCM", 24, true},
    {DataCipher::kAes256Gcm, "AES-256-GCM", 32, true},
    {DataCipher::kChaCha20Poly1305, "CHACHA20-POLY1305", 32, true},
    {DataCipher::kAes128Cbc, "AES-128-CBC", 16, false},
    {DataCipher::kAes192Cbc, "AES-192-CBC", 24, false},
    {DataCipher::kAes256Cbc, "AES-256-CBC", 32, false},
}};

struct DigestInfo {
    DataDigest digest;
    std::string_view name;
};

constexpr std::array<DigestInfo, 4> kDigests{{
    {DataDigest::kSha1, "SHA1"},
    {DataDigest::kSha256, "SHA256"},
    {DataDigest::kSha384, "SHA384"},
    {DataDigest::kSha512, "SHA512"},
}};

const CipherInfo& info(DataCipher cipher) {
    return kCiphers.at(static_cast<std::size_t>(cipher));
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::toupper(static_cast<unsigned char>(x)) ==
                      std::toupper(static_cast<unsigned char>(y));
           });
}

const unsigned char* as_uchar(const std::byte* p) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL byte pointer.
    return reinterpret_cast<const unsigned char*>(p);
}
unsigned char* as_uchar(std::byte* p) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL byte pointer.
    return reinterpret_cast<unsigned char*>(p);
}

bool fits_int(std::size_t n) {
    return n <= static_cast<std::size_t>(INT_MAX);
}

// EVP update of `in` into `out`; returns bytes written or nullopt.
std::optional<std::size_t> cipher_update(EVP_CIPHER_CTX* ctx, std::span<const std::byte> in,
                                         std::byte* out) {
    if (in.empty()) {
        return 0;
    }
    if (!fits_int(in.size())) {
        return std::nullopt;
    }
    int written = 0;
    if (EVP_CipherUpdate(ctx, as_uchar(out), &written, as_uchar(in.data()),
                         static_cast<int>(in.size())) != 1) {
        return std::nullopt;
    }
    return static_cast<std::size_t>(written);
}

void wipe(std::span<std::byte> bytes) {
    if (!bytes.empty()) {
        OPENSSL_cleanse(bytes.data(), bytes.size());
    }
}

}  // namespace

std::optional<DataCipher> parse_data_cipher(std::string_view name) {
    for (const auto& c : kCiphers) {
        if (iequals(c.name, name)) {
            return c.cipher;
        }
    }
    return std::nullopt;
}

std::string_view data_cipher_name(DataCipher cipher) {
    return info(cipher).name;
}

bool is_aead(DataCipher cipher) {
    return info(cipher).aead;
}

std::optional<DataDigest> parse_data_digest(std::string_view name) {
    for (const auto& d : kDigests) {
        if (iequals(d.name, name)) {
            return d.digest;
        }
    }
    return std::nullopt;
}

void DataChannelKey::CipherDeleter::operator()(EVP_CIPHER_CTX* ctx) const {
    EVP_CIPHER_CTX_free(ctx);  // also cleanses the key schedule
}

DataChannelKey::DataChannelKey(const DataChannelConfig& config, CipherPtr encrypt,
                               CipherPtr decrypt, std::optional<Hmac> encrypt_mac,
                               std::optional<Hmac> decrypt_mac, platform::Random& random)
    : cipher_(config.cipher),
      key_id_(static_cast<std::uint8_t>(config.key_id & kKeyIdMask)),
      encrypt_(std::move(encrypt)),
      decrypt_(std::move(decrypt)),
      encrypt_mac_(std::move(encrypt_mac)),
      decrypt_mac_(std::move(decrypt_mac)),
      replay_(config.replay),
      random_(&random) {}

DataChannelKey::~DataChannelKey() {
    wipe(encrypt_iv_);
    wipe(decrypt_iv_);
}

Result<DataChannelKey, DataError> DataChannelKey::create(const DataChannelConfig& config,
                                                         const KeyHalf& encrypt,
                                                         const KeyHalf& decrypt,
                                                         platform::Random& random) {
    const CipherInfo& ci = info(config.cipher);
    EVP_CIPHER* evp = EVP_CIPHER_fetch(nullptr, std::string(ci.name).c_str(), nullptr);
    if (evp == nullptr) {
        return Unexpected(DataError::kUnsupported);
    }
    const bool key_size_ok = EVP_CIPHER_get_key_length(evp) == static_cast<int>(ci.key_size);
    auto make = [evp](std::span<const std::byte> key, bool enc) -> CipherPtr {
        CipherPtr ctx(EVP_CIPHER_CTX_new());
        if (ctx && EVP_CipherInit_ex2(ctx.get(), evp, as_uchar(key.data()), nullptr, enc ? 1 : 0,
                                      nullptr) == 1) {
            return ctx;
        }
        return nullptr;
    };
    CipherPtr enc = key_size_ok ? make(encrypt.cipher.first(ci.key_size), true) : nullptr;
    CipherPtr dec = key_size_ok ? make(decrypt.cipher.first(ci.key_size), false) : nullptr;
    EVP_CIPHER_free(evp);
    if (!enc || !dec) {
        return Unexpected(DataError::kInternal);
    }
    std::optional<Hmac> enc_mac;
    std::optional<Hmac> dec_mac;
    if (!ci.aead) {
        const std::string_view digest = kDigests.at(static_cast<std::size_t>(config.digest)).name;
        auto e = Hmac::create(digest, encrypt.hmac);
        auto d = Hmac::create(digest, decrypt.hmac);
        if (!e || !d) {
            return Unexpected(DataError::kUnsupported);
        }
        enc_mac.emplace(std::move(*e));
        dec_mac.emplace(std::move(*d));
    }
    DataChannelKey key(config, std::move(enc), std::move(dec), std::move(enc_mac),
                       std::move(dec_mac), random);
    if (ci.aead) {
        // Implicit IV: the leading bytes of the same direction's hmac key (OpenVPN
        // key_ctx_update_implicit_iv).
        std::copy_n(encrypt.hmac.begin(), kImplicitIvSize, key.encrypt_iv_.begin());
        std::copy_n(decrypt.hmac.begin(), kImplicitIvSize, key.decrypt_iv_.begin());
    }
    return key;
}

Result<DataChannelKey, DataError> DataChannelKey::create(
    const DataChannelConfig& config, std::span<const std::byte, kKeyBlockSize> key_block,
    bool is_server, platform::Random& random) {
    auto half = [&](std::size_t index) {
        const auto base = key_block.subspan(index * 2 * kStaticKeyHalfSize);
        return KeyHalf{base.first<kStaticKeyHalfSize>(),
                       base.subspan(kStaticKeyHalfSize).first<kStaticKeyHalfSize>()};
    };
    const KeyHalf c2s = half(0);
    const KeyHalf s2c = half(1);
    return is_server ? create(config, s2c, c2s, random) : create(config, c2s, s2c, random);
}

std::size_t DataChannelKey::max_encrypted_size(std::size_t plaintext_size, bool data_v2) const {
    const std::size_t header = data_v2 ? kDataV2HeaderSize : kDataV1HeaderSize;
    if (is_aead(cipher_)) {
        return header + kDataPacketIdSize + kAeadTagSize + plaintext_size;
    }
    // Packet id inside the ciphertext, padded up to the next whole block (always >= 1 byte).
    const std::size_t padded = ((kDataPacketIdSize + plaintext_size) / kCbcIvSize + 1) * kCbcIvSize;
    return header + encrypt_mac_->size() + kCbcIvSize + padded;
}

Result<std::size_t, DataError> DataChannelKey::encrypt(std::span<const std::byte> plaintext,
                                                       std::optional<std::uint32_t> peer_id,
                                                       std::span<std::byte> out) {
    if (out.size() < max_encrypted_size(plaintext.size(), peer_id.has_value())) {
        return Unexpected(DataError::kBufferTooSmall);
    }
    const auto pid = sender_.next(0);
    if (!pid) {
        return Unexpected(DataError::kPacketIdExhausted);
    }
    std::array<std::byte, kDataV2HeaderSize> header_bytes{};
    DataHeader header;
    header.opcode = peer_id ? Opcode::kDataV2 : Opcode::kDataV1;
    header.key_id = key_id_;
    header.peer_id = peer_id.value_or(kMaxPeerId) & kMaxPeerId;
    const auto header_size = serialize_data_header(header, header_bytes);
    if (!header_size) {
        return Unexpected(DataError::kInternal);
    }
    const auto header_span = std::span<const std::byte>(header_bytes).first(*header_size);
    return is_aead(cipher_) ? encrypt_aead(header_span, pid->id, plaintext, out)
                            : encrypt_cbc(header_span, pid->id, plaintext, out);
}

Result<std::size_t, DataError> DataChannelKey::encrypt_aead(std::span<const std::byte> header,
                                                            std::uint32_t packet_id,
                                                            std::span<const std::byte> plaintext,
                                                            std::span<std::byte> out) {
    net::ByteWriter writer(out);
    writer.write_bytes(header);
    writer.write_u32(packet_id);
    const std::size_t ad_size = writer.position();
    const auto pid_bytes = out.subspan(header.size(), kDataPacketIdSize);
    std::array<std::byte, kDataPacketIdSize + kImplicitIvSize> nonce{};
    std::copy(pid_bytes.begin(), pid_bytes.end(), nonce.begin());
    std::copy(encrypt_iv_.begin(), encrypt_iv_.end(), nonce.begin() + kDataPacketIdSize);
    // P_DATA_V2 authenticates the opcode and peer id too; P_DATA_V1 only the packet id.
    const std::size_t ad_start = header.size() == kDataV2HeaderSize ? 0 : header.size();
    const auto tag = out.subspan(ad_size, kAeadTagSize);
    std::byte* ciphertext = out.data() + ad_size + kAeadTagSize;

    EVP_CIPHER_CTX* ctx = encrypt_.get();
    int ad_written = 0;
    int final_written = 0;
    // AD and nonce are of fixed small size; the payload size is checked in cipher_update.
    const bool ok =
        EVP_EncryptInit_ex2(ctx, nullptr, nullptr, as_uchar(nonce.data()), nullptr) == 1 &&
        EVP_EncryptUpdate(ctx, nullptr, &ad_written, as_uchar(out.data() + ad_start),
                          static_cast<int>(ad_size - ad_start)) == 1;
    const auto written = ok ? cipher_update(ctx, plaintext, ciphertext) : std::nullopt;
    if (!written ||
        EVP_EncryptFinal_ex(ctx, as_uchar(ciphertext + *written), &final_written) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(kAeadTagSize),
                            as_uchar(tag.data())) != 1) {
        return Unexpected(DataError::kInternal);
    }
    return ad_size + kAeadTagSize + *written + static_cast<std::size_t>(final_written);
}

Result<std::size_t, DataError> DataChannelKey::encrypt_cbc(std::span<const std::byte> header,
                                                           std::uint32_t packet_id,
                                                           std::span<const std::byte> plaintext,
                                                           std::span<std::byte> out) {
    const std::size_t mac_size = encrypt_mac_->size();
    std::copy(header.begin(), header.end(), out.begin());
    const auto mac = out.subspan(header.size(), mac_size);
    const auto iv = out.subspan(header.size() + mac_size, kCbcIvSize);
    random_->fill(iv);
    std::byte* ciphertext = iv.data() + kCbcIvSize;

    std::array<std::byte, kDataPacketIdSize> pid{};
    net::ByteWriter(pid).write_u32(packet_id);
    EVP_CIPHER_CTX* ctx = encrypt_.get();
    if (EVP_EncryptInit_ex2(ctx, nullptr, nullptr, as_uchar(iv.data()), nullptr) != 1) {
        return Unexpected(DataError::kInternal);
    }
    const auto first = cipher_update(ctx, pid, ciphertext);
    const auto second = first ? cipher_update(ctx, plaintext, ciphertext + *first) : std::nullopt;
    int final_written = 0;
    if (!second ||
        EVP_EncryptFinal_ex(ctx, as_uchar(ciphertext + *first + *second), &final_written) != 1) {
        return Unexpected(DataError::kInternal);
    }
    const std::size_t ct_size = *first + *second + static_cast<std::size_t>(final_written);
    const auto authenticated = std::span<const std::byte>(iv.data(), kCbcIvSize + ct_size);
    if (!encrypt_mac_->compute({authenticated}, mac)) {
        return Unexpected(DataError::kInternal);
    }
    return header.size() + mac_size + kCbcIvSize + ct_size;
}

Result<DecryptedPacket, DataError> DataChannelKey::decrypt(std::span<const std::byte> packet,
                                                           std::span<std::byte> out,
                                                           platform::Instant now) {
    if (packet.empty()) {
        return Unexpected(DataError::kTruncated);
    }
    const auto header = parse_data_header(packet);
    if (!header) {
        return Unexpected(header.error() == PacketError::kTruncated ? DataError::kTruncated
                                                                    : DataError::kNotData);
    }
    if (header->key_id != key_id_) {
        return Unexpected(DataError::kWrongKeyId);
    }
    if (out.size() < packet.size()) {
        return Unexpected(DataError::kBufferTooSmall);
    }
    const std::size_t header_size = packet.size() - header->body.size();
    // The plaintext is written at the offset the ciphertext has in `packet`, so that in-place
    // decryption is an exact overlap (which EVP allows).
    Result<Opened, DataError> opened = Unexpected(DataError::kInternal);
    std::size_t ct_offset = 0;
    if (is_aead(cipher_)) {
        // P_DATA_V2 authenticates the opcode and peer id; P_DATA_V1 only the packet id.
        const auto ad_header = header->opcode == Opcode::kDataV2 ? packet.first(header_size)
                                                                 : std::span<const std::byte>{};
        ct_offset = header_size + kDataPacketIdSize + kAeadTagSize;
        if (packet.size() < ct_offset) {
            return Unexpected(DataError::kTruncated);
        }
        opened = decrypt_aead(ad_header, header->body, out.subspan(ct_offset));
    } else {
        ct_offset = header_size + decrypt_mac_->size() + kCbcIvSize;
        if (packet.size() < ct_offset) {
            return Unexpected(DataError::kTruncated);
        }
        opened = decrypt_cbc(header->body, out.subspan(ct_offset));
    }
    if (!opened) {
        return Unexpected(opened.error());
    }
    auto plaintext = out.subspan(ct_offset, opened->size);
    const ReplayId id{opened->packet_id, 0};
    if (replay_.check(id, now) != ReplayVerdict::kAccept) {
        wipe(plaintext);
        return Unexpected(DataError::kReplay);
    }
    replay_.record(id, now);
    if (!is_aead(cipher_)) {
        plaintext = plaintext.subspan(kDataPacketIdSize);
    }
    return DecryptedPacket{plaintext, opened->packet_id, header->opcode, header->peer_id};
}

Result<DecryptedPacket, DataError> DataChannelKey::decrypt_in_place(std::span<std::byte> packet,
                                                                    platform::Instant now) {
    return decrypt(packet, packet, now);
}

Result<DataChannelKey::Opened, DataError> DataChannelKey::decrypt_aead(
    std::span<const std::byte> ad_header, std::span<const std::byte> body,
    std::span<std::byte> out) {
    net::ByteReader reader(body);
    const auto pid_bytes = reader.read_bytes(kDataPacketIdSize);
    const auto tag = reader.read_bytes(kAeadTagSize);
    if (!pid_bytes || !tag) {
        return Unexpected(DataError::kTruncated);
    }
    const auto ciphertext = reader.read_rest();
    std::array<std::byte, kDataPacketIdSize + kImplicitIvSize> nonce{};
    std::copy(pid_bytes->begin(), pid_bytes->end(), nonce.begin());
    std::copy(decrypt_iv_.begin(), decrypt_iv_.end(), nonce.begin() + kDataPacketIdSize);

    EVP_CIPHER_CTX* ctx = decrypt_.get();
    int ad_written = 0;
    // The tag is copied because EVP takes a non-const pointer.
    std::array<std::byte, kAeadTagSize> tag_copy{};
    std::copy(tag->begin(), tag->end(), tag_copy.begin());
    bool ok = EVP_DecryptInit_ex2(ctx, nullptr, nullptr, as_uchar(nonce.data()), nullptr) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(kAeadTagSize),
                                  as_uchar(tag_copy.data())) == 1;
    if (ok && !ad_header.empty()) {
        ok = EVP_DecryptUpdate(ctx, nullptr, &ad_written, as_uchar(ad_header.data()),
                               static_cast<int>(ad_header.size())) == 1;
    }
    ok = ok && EVP_DecryptUpdate(ctx, nullptr, &ad_written, as_uchar(pid_bytes->data()),
                                 static_cast<int>(kDataPacketIdSize)) == 1;
    if (!ok) {
        return Unexpected(DataError::kInternal);
    }
    const auto written = cipher_update(ctx, ciphertext, out.data());
    int final_written = 0;
    if (!written ||
        EVP_DecryptFinal_ex(ctx, as_uchar(out.data() + *written), &final_written) != 1) {
        wipe(out.first(ciphertext.size()));
        return Unexpected(written ? DataError::kAuthFailed : DataError::kInternal);
    }
    net::ByteReader pid_reader(*pid_bytes);
    return Opened{*written + static_cast<std::size_t>(final_written),
                  pid_reader.read_u32().value_or(0)};
}

Result<DataChannelKey::Opened, DataError> DataChannelKey::decrypt_cbc(
    std::span<const std::byte> body, std::span<std::byte> out) {
    const std::size_t mac_size = decrypt_mac_->size();
    net::ByteReader reader(body);
    const auto mac = reader.read_bytes(mac_size);
    const auto authenticated = reader.rest();
    const auto iv = reader.read_bytes(kCbcIvSize);
    if (!mac || !iv) {
        return Unexpected(DataError::kTruncated);
    }
    std::array<std::byte, kMaxHmacSize> expected{};
    if (!decrypt_mac_->compute({authenticated}, expected)) {
        return Unexpected(DataError::kInternal);
    }
    if (!equal_constant_time(*mac, std::span(expected).first(mac_size))) {
        return Unexpected(DataError::kAuthFailed);
    }
    const auto ciphertext = reader.read_rest();
    // Authentic but malformed ciphertext: only a peer holding the key can send this.
    if (ciphertext.empty() || ciphertext.size() % kCbcIvSize != 0) {
        return Unexpected(DataError::kBadPadding);
    }
    std::array<std::byte, kCbcIvSize> iv_copy{};
    std::copy(iv->begin(), iv->end(), iv_copy.begin());
    EVP_CIPHER_CTX* ctx = decrypt_.get();
    if (EVP_DecryptInit_ex2(ctx, nullptr, nullptr, as_uchar(iv_copy.data()), nullptr) != 1) {
        return Unexpected(DataError::kInternal);
    }
    const auto written = cipher_update(ctx, ciphertext, out.data());
    int final_written = 0;
    if (!written ||
        EVP_DecryptFinal_ex(ctx, as_uchar(out.data() + *written), &final_written) != 1) {
        wipe(out.first(ciphertext.size()));
        return Unexpected(written ? DataError::kBadPadding : DataError::kInternal);
    }
    const std::size_t size = *written + static_cast<std::size_t>(final_written);
    if (size < kDataPacketIdSize) {
        wipe(out.first(ciphertext.size()));
        return Unexpected(DataError::kBadPadding);
    }
    net::ByteReader pid_reader(out.first(kDataPacketIdSize));
    return Opened{size, pid_reader.read_u32().value_or(0)};
}

}  // namespace nfv::vpn::proto
