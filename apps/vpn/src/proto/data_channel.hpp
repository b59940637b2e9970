// Data-channel crypto for one key state (one key_id): OpenVPN's AEAD and CBC+HMAC packet formats.
//
// References: OpenVPN 2.6 src/openvpn/crypto.h (format comment), crypto.c
// (openvpn_encrypt_aead, openvpn_encrypt_v1, openvpn_decrypt_aead, openvpn_decrypt_v1),
// forward.c (the P_DATA_V2 header is prepended before encryption so AEAD authenticates it),
// ssl.c (PACKET_ID_WRAP_TRIGGER, init_key_contexts); /work/shared/reference/
// openvpn-protocol.md §1.10-1.11.
//
// AEAD (AES-128/192/256-GCM, CHACHA20-POLY1305), all integers big endian:
//   P_DATA_V2: op|kid (1) | peer id (3) | packet id (4) | tag (16) | ciphertext
//   P_DATA_V1: op|kid (1) |               packet id (4) | tag (16) | ciphertext
//   nonce = packet id (4) || implicit IV (8, the first bytes of the direction's hmac key)
//   AD    = op|kid || peer id || packet id for P_DATA_V2; packet id only for P_DATA_V1
// CBC (AES-128/192/256-CBC) with HMAC (SHA1/SHA256/SHA384/SHA512), encrypt-then-MAC:
//   header (1 or 4) | HMAC(IV || ciphertext) | IV (16, random) | CBC(packet id (4) || payload)
//   with PKCS#7 padding; the HMAC does not cover the header.
//
// Keys come from the 256-byte key2 block (two halves of cipher[64] || hmac[64], c2s then s2c):
// the client encrypts with key[0] and decrypts with key[1], the server the other way round. The
// cipher key is the first key-length bytes of cipher[], the HMAC key the first digest-size bytes
// of hmac[]. Packet ids start at 1; the sender asks for renegotiation once an id reaches
// kPacketIdWrapTrigger and refuses to send once the counter is exhausted. The receiver checks
// ids with a ReplayWindow (time fixed at 0: the data channel uses the short form).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include <openssl/types.h>

#include "nfv/platform/random.hpp"
#include "nfv/platform/result.hpp"
#include "nfv/platform/time.hpp"

#include "proto/hmac.hpp"
#include "proto/packet.hpp"
#include "proto/replay_window.hpp"
#include "proto/static_key.hpp"

namespace nfv::vpn::proto {

/// Data-channel ciphers (OpenVPN names: "AES-256-GCM", "CHACHA20-POLY1305", "AES-256-CBC" ...).
enum class DataCipher : std::uint8_t {
    kAes128Gcm,
    kAes192Gcm,
    kAes256Gcm,
    kChaCha20Poly1305,
    kAes128Cbc,
    kAes192Cbc,
    kAes256Cbc,
};

/// HMAC digests for the CBC formats (`--auth`); ignored by AEAD ciphers.
enum class DataDigest : std::uint8_t { kSha1, kSha256, kSha384, kSha512 };

/// The OpenVPN cipher name, case-insensitive ("aes-256-gcm" works); nullopt when unsupported.
[[nodiscard]] std::optional<DataCipher> parse_data_cipher(std::string_view name);
/// The canonical OpenVPN name ("AES-256-GCM").
[[nodiscard]] std::string_view data_cipher_name(DataCipher cipher);
/// True for GCM and CHACHA20-POLY1305.
[[nodiscard]] bool is_aead(DataCipher cipher);
/// `--auth` name, case-insensitive ("SHA256"); nullopt when unsupported.
[[nodiscard]] std::optional<DataDigest> parse_data_digest(std::string_view name);

inline constexpr std::size_t kKeyBlockSize = 256;  // struct key2
inline constexpr std::size_t kDataPacketIdSize = 4;
inline constexpr std::size_t kAeadTagSize = 16;
inline constexpr std::size_t kImplicitIvSize = 8;
inline constexpr std::size_t kCbcIvSize = 16;
/// The sender asks for a new key once its packet id reaches this value (PACKET_ID_WRAP_TRIGGER).
inline constexpr std::uint32_t kPacketIdWrapTrigger = 0xFF000000;

enum class DataError : std::uint8_t {
    kUnsupported,        // cipher/digest not available in this OpenSSL
    kInternal,           // OpenSSL failed unexpectedly
    kBufferTooSmall,     // output span shorter than required
    kTruncated,          // packet shorter than its format's fixed part
    kNotData,            // first byte is not P_DATA_V1 / P_DATA_V2
    kWrongKeyId,         // key_id of the packet is not this key's
    kAuthFailed,         // tag or HMAC mismatch
    kBadPadding,         // authenticated CBC ciphertext with an invalid length or padding
    kReplay,             // packet id already seen, too old, expired, or 0
    kPacketIdExhausted,  // sender ran out of packet ids: renegotiate
};

struct DataChannelConfig {
    DataCipher cipher = DataCipher::kAes256Gcm;
    DataDigest digest = DataDigest::kSha1;  // CBC only (`--auth`, default SHA1)
    std::uint8_t key_id = 0;                // 0..7; packets with another key_id are rejected
    ReplayWindowConfig replay{};            // use seq_backtrack 0 over TCP
};

/// A decrypted data packet. `plaintext` is a view into the caller's output (or packet) buffer.
struct DecryptedPacket {
    std::span<std::byte> plaintext;
    std::uint32_t packet_id = 0;
    Opcode opcode = Opcode::kDataV2;
    std::uint32_t peer_id = kMaxPeerId;  // P_DATA_V2 only
};

class DataChannelKey {
public:
    /// Keys given directly: `encrypt` protects what we send, `decrypt` what we receive.
    /// `random` supplies CBC IVs and must outlive the key (unused by AEAD ciphers).
    [[nodiscard]] static Result<DataChannelKey, DataError> create(const DataChannelConfig& config,
                                                                  const KeyHalf& encrypt,
                                                                  const KeyHalf& decrypt,
                                                                  platform::Random& random);
    /// Keys from the 256-byte key2 block (EKM or PRF output) with OpenVPN's TLS-mode direction:
    /// client sends with key[0], server with key[1]. The block is not retained.
    [[nodiscard]] static Result<DataChannelKey, DataError> create(
        const DataChannelConfig& config, std::span<const std::byte, kKeyBlockSize> key_block,
        bool is_server, platform::Random& random);

    DataChannelKey(DataChannelKey&&) noexcept = default;
    DataChannelKey& operator=(DataChannelKey&&) noexcept = default;
    DataChannelKey(const DataChannelKey&) = delete;
    DataChannelKey& operator=(const DataChannelKey&) = delete;
    ~DataChannelKey();

    [[nodiscard]] std::uint8_t key_id() const { return key_id_; }
    [[nodiscard]] DataCipher cipher() const { return cipher_; }

    /// Largest encrypted size of a `plaintext_size`-byte payload (header included).
    [[nodiscard]] std::size_t max_encrypted_size(std::size_t plaintext_size, bool data_v2) const;

    /// Encrypts `plaintext` into `out` as P_DATA_V2 with `peer_id` (24 bits) when it has a
    /// value, P_DATA_V1 otherwise; returns bytes written. Precondition: `out` does not overlap
    /// `plaintext`; out.size() >= max_encrypted_size(). Consumes one packet id;
    /// kPacketIdExhausted once none is left (nothing is written then).
    [[nodiscard]] Result<std::size_t, DataError> encrypt(std::span<const std::byte> plaintext,
                                                         std::optional<std::uint32_t> peer_id,
                                                         std::span<std::byte> out);

    /// Authenticates, decrypts and replay-checks `packet` (P_DATA_V1 or P_DATA_V2 with this
    /// key's key_id). The plaintext goes to `out` (needs at least packet.size() bytes; `out`
    /// may be exactly `packet` for in-place decryption but must not otherwise overlap it).
    /// On any failure `out` holds no plaintext and the replay window is unchanged.
    [[nodiscard]] Result<DecryptedPacket, DataError> decrypt(std::span<const std::byte> packet,
                                                             std::span<std::byte> out,
                                                             platform::Instant now);
    /// decrypt() in place: the plaintext is a view into `packet`.
    [[nodiscard]] Result<DecryptedPacket, DataError> decrypt_in_place(std::span<std::byte> packet,
                                                                      platform::Instant now);

    /// True once the send packet id reached kPacketIdWrapTrigger: start a renegotiation.
    [[nodiscard]] bool should_renegotiate() const {
        return sender_.last_id() >= kPacketIdWrapTrigger;
    }
    /// The last packet id sent (0 before the first packet).
    [[nodiscard]] std::uint32_t last_packet_id() const { return sender_.last_id(); }
    /// Test and simulation hook: continue sending after `last_id` (to exercise the wrap rule).
    void set_last_packet_id_for_test(std::uint32_t last_id) {
        sender_ = PacketIdSender(false, 0, last_id);
    }

private:
    struct CipherDeleter {
        void operator()(EVP_CIPHER_CTX* ctx) const;
    };
    using CipherPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter>;

    DataChannelKey(const DataChannelConfig& config, CipherPtr encrypt, CipherPtr decrypt,
                   std::optional<Hmac> encrypt_mac, std::optional<Hmac> decrypt_mac,
                   platform::Random& random);

    [[nodiscard]] Result<std::size_t, DataError> encrypt_aead(std::span<const std::byte> header,
                                                              std::uint32_t packet_id,
                                                              std::span<const std::byte> plaintext,
                                                              std::span<std::byte> out);
    [[nodiscard]] Result<std::size_t, DataError> encrypt_cbc(std::span<const std::byte> header,
                                                             std::uint32_t packet_id,
                                                             std::span<const std::byte> plaintext,
                                                             std::span<std::byte> out);
    // Both write the plaintext (without packet id) to the start of `out` and return its
    // length plus the packet id; `ad` is the authenticated header for AEAD.
    struct Opened {
        std::size_t size = 0;
        std::uint32_t packet_id = 0;
    };
    [[nodiscard]] Result<Opened, DataError> decrypt_aead(std::span<const std::byte> ad_header,
                                                         std::span<const std::byte> body,
                                                         std::span<std::byte> out);
    [[nodiscard]] Result<Opened, DataError> decrypt_cbc(std::span<const std::byte> body,
                                                        std::span<std::byte> out);

    DataCipher cipher_;
    std::uint8_t key_id_;
    CipherPtr encrypt_;
    CipherPtr decrypt_;
    std::optional<Hmac> encrypt_mac_;  // CBC only
    std::optional<Hmac> decrypt_mac_;  // CBC only
    std::array<std::byte, kImplicitIvSize> encrypt_iv_{};
    std::array<std::byte, kImplicitIvSize> decrypt_iv_{};
    PacketIdSender sender_{false, 0};
    ReplayWindow replay_;
    platform::Random* random_;
};

}  // namespace nfv::vpn::proto
