// Data-channel key material: the 256-byte key2 block, obtained either from the TLS exporter
// (EKM, RFC 5705) or from OpenVPN's legacy TLS 1.0 PRF over the key-method-2 randoms.
//
// References: OpenVPN 2.6 src/openvpn/ssl.c (generate_key_expansion,
// generate_key_expansion_tls_export, generate_key_expansion_openvpn_prf, openvpn_PRF),
// ssl_openssl.c (ssl_tls1_PRF), ssl_backend.h (EXPORTER-OpenVPN-datakeys);
// RFC 2246 §5 (PRF = P_MD5(S1, label || seed) XOR P_SHA1(S2, label || seed), S1/S2 the two
// halves of the secret, overlapping by one byte when its length is odd);
// /work/shared/reference/openvpn-protocol.md §1.10.
//
// Legacy PRF (used only when the peer does not do EKM):
//   master = PRF(client.pre_master, "OpenVPN master secret",
//                client.random1 || server.random1)                          48 bytes
//   key2   = PRF(master, "OpenVPN key expansion",
//                client.random2 || server.random2 || client sid || server sid)  256 bytes
// The session ids are part of the second seed (the RFC draft omits them; OpenVPN does not).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "nfv/platform/result.hpp"

#include "proto/data_channel.hpp"
#include "proto/packet.hpp"

namespace nfv::vpn::proto {

/// RFC 5705 exporter label and length for the data-channel keys (no context).
inline constexpr std::string_view kEkmDataKeysLabel = "EXPORTER-OpenVPN-datakeys";
/// Exporter label of dynamic tls-crypt keys (256 bytes) and of the p2p peer-id (3 bytes).
inline constexpr std::string_view kEkmDynamicTlsCryptLabel = "EXPORTER-OpenVPN-dynamic-tls-crypt";
inline constexpr std::string_view kEkmP2pPeerIdLabel = "EXPORTER-OpenVPN-p2p-peerid";

inline constexpr std::size_t kPreMasterSize = 48;
inline constexpr std::size_t kRandomSize = 32;
inline constexpr std::size_t kMasterSecretSize = 48;

/// One side's key-method-2 key source (OpenVPN struct key_source). `pre_master` is sent by the
/// client only. Wiped on destruction.
struct KeySource {
    std::array<std::byte, kPreMasterSize> pre_master{};
    std::array<std::byte, kRandomSize> random1{};
    std::array<std::byte, kRandomSize> random2{};

    ~KeySource();
    KeySource() = default;
    KeySource(const KeySource&) = default;
    KeySource& operator=(const KeySource&) = default;
    KeySource(KeySource&&) = default;
    KeySource& operator=(KeySource&&) = default;
};

/// The 256-byte key2 block (c2s cipher[64] hmac[64], s2c cipher[64] hmac[64]). Wiped on
/// destruction; copying is deliberately not allowed.
class KeyBlock {
public:
    KeyBlock() = default;
    explicit KeyBlock(std::span<const std::byte, kKeyBlockSize> bytes);
    KeyBlock(const KeyBlock&) = delete;
    KeyBlock& operator=(const KeyBlock&) = delete;
    KeyBlock(KeyBlock&& other) noexcept;
    KeyBlock& operator=(KeyBlock&& other) noexcept;
    ~KeyBlock();

    [[nodiscard]] std::span<const std::byte, kKeyBlockSize> bytes() const { return bytes_; }
    /// Writable view for the TLS exporter to fill.
    [[nodiscard]] std::span<std::byte, kKeyBlockSize> mutable_bytes() { return bytes_; }

private:
    std::array<std::byte, kKeyBlockSize> bytes_{};
};

enum class KeyDerivationError : std::uint8_t {
    kInternal,  // OpenSSL failed (e.g. MD5 unavailable in FIPS mode)
};

/// TLS 1.0 PRF (RFC 2246 §5) of `secret` over `label || seed`, filling `out` completely.
[[nodiscard]] Result<void, KeyDerivationError> tls1_prf(std::span<const std::byte> secret,
                                                        std::string_view label,
                                                        std::span<const std::byte> seed,
                                                        std::span<std::byte> out);

/// OpenVPN's legacy key expansion (generate_key_expansion_openvpn_prf): both sides compute the
/// same block from the two key sources exchanged in key-method 2 and the two session ids.
[[nodiscard]] Result<KeyBlock, KeyDerivationError> derive_key_block_prf(
    const KeySource& client, const KeySource& server, const SessionId& client_session_id,
    const SessionId& server_session_id);

}  // namespace nfv::vpn::proto
