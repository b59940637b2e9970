#include "config/occ_options.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace nfv::vpn::config {
namespace {

// What OpenVPN's cipher_kt_* functions report for the ciphers nfv-vpn knows. OpenVPN reports
// a block size of 16 for AES-GCM (the underlying AES block) and 1 for CHACHA20-POLY1305.
struct CipherInfo {
    std::string_view name;
    std::uint32_t key_bits;
    std::uint32_t iv_size;
    std::uint32_t block_size;
    bool aead;
    bool cbc;
};

constexpr std::array<CipherInfo, 7> kCiphers{{
    {"AES-128-GCM", 128, 12, 16, true, false},
    {"AES-192-GCM", 192, 12, 16, true, false},
    {"AES-256-GCM", 256, 12, 16, true, false},
    {"CHACHA20-POLY1305", 256, 12, 1, true, false},
    {"AES-128-CBC", 128, 16, 16, false, true},
    {"AES-192-CBC", 192, 16, 16, false, true},
    {"AES-256-CBC", 256, 16, 16, false, true},
}};

constexpr std::uint32_t kAeadTagSize = 16;
constexpr std::uint32_t kShortPacketIdSize = 4;  // TLS mode data channel packet id
constexpr std::uint32_t kLongPacketIdSize = 8;   // static-key mode (id + time)
// BF-CBC, OpenVPN's default `cipher`: 64-bit block plus 64-bit IV (mtu.c).
constexpr std::uint32_t kBfCbcOverhead = 8 + 8;
constexpr std::string_view kDefaultCipher = "BF-CBC";
constexpr std::string_view kNullDigest = "[null-digest]";

const CipherInfo* find_cipher(std::string_view name) {
    const auto* found = std::find_if(kCiphers.begin(), kCiphers.end(),
                                     [&](const CipherInfo& info) { return info.name == name; });
    return found == kCiphers.end() ? nullptr : found;
}

std::uint32_t digest_size(std::string_view name) {
    if (name == "MD5") {
        return 16;
    }
    if (name == "SHA1") {
        return 20;
    }
    if (name == "SHA224") {
        return 28;
    }
    if (name == "SHA256") {
        return 32;
    }
    if (name == "SHA384") {
        return 48;
    }
    if (name == "SHA512") {
        return 64;
    }
    return 0;  // NONE or unknown
}

bool tls_mode(const VpnConfig& config) {
    return config.tls_client || config.tls_server;
}

std::string_view configured_cipher(const VpnConfig& config) {
    return config.cipher.empty() ? kDefaultCipher : std::string_view(config.cipher);
}

bool p2p_without_pull(const VpnConfig& config) {
    return config.role == Role::kPointToPoint && !config.client.pull;
}

// COMP_ALG_STUB / LZO variants add a one-byte header; stub-v2 and migrate do not.
bool compression_adds_byte(Compression compression) {
    return compression == Compression::kLzoStub || compression == Compression::kStub;
}

bool compression_context(Compression compression) {
    return compression == Compression::kLzoStub || compression == Compression::kStub ||
           compression == Compression::kStubV2;
}

std::string proto_name(const VpnConfig& config, bool remote) {
    if (config.protocol.transport == Transport::kUdp) {
        return "UDPv4";  // OpenVPN writes UDPv4 for every UDP flavour
    }
    const bool server = config.tls_server || config.role == Role::kServer;
    return (server != remote) ? "TCPv4_SERVER" : "TCPv4_CLIENT";
}

// ifconfig_options_string(): what p2p peers compare.
std::string ifconfig_text(const VpnConfig& config, bool remote) {
    const auto& [local, peer] = *config.ifconfig;
    if (config.topology == Topology::kSubnet) {
        const auto address = net::Ipv4Address::parse(local);
        const auto netmask = net::Ipv4Address::parse(peer);
        if (!address || !netmask) {
            return local + " " + peer;
        }
        return net::Ipv4Address::from_u32(address->to_u32() & netmask->to_u32()).to_string() + " " +
               peer;
    }
    return remote ? peer + " " + local : local + " " + peer;
}

}  // namespace

std::uint32_t occ_link_mtu(const VpnConfig& config) {
    const bool tls = tls_mode(config);
    std::string_view cipher = configured_cipher(config);
    std::uint32_t overhead = 0;
    if (cipher == kDefaultCipher) {
        overhead += kBfCbcOverhead;
        cipher = "none";
    }
    const CipherInfo* info = find_cipher(cipher);
    const bool aead = info != nullptr && info->aead;
    const bool cbc = info != nullptr && info->cbc;
    const std::uint32_t packet_id = tls ? kShortPacketIdSize : kLongPacketIdSize;

    std::uint32_t payload = config.tun_mtu;
    payload += compression_adds_byte(config.compression) ? 1U : 0U;
    payload += cbc ? packet_id : 0U;  // the packet id is encrypted with the payload in CBC

    std::uint32_t header = config.protocol.transport == Transport::kTcp ? 2U : 0U;
    header += tls ? 1U : 0U;  // opcode; peer-id is not known when the string is made
    if (!cbc) {
        header += packet_id;
    }
    if (aead) {
        header += kAeadTagSize + info->iv_size + info->block_size;
    } else {
        if (info != nullptr) {
            header += info->block_size + info->iv_size;
        }
        header += digest_size(config.auth);
    }
    return payload + overhead + header;
}

std::string occ_options_string(const VpnConfig& config, bool remote) {
    std::string out = "V4";
    out += ",dev-type " + config.dev_type;
    out += ",link-mtu " + std::to_string(occ_link_mtu(config));
    out += ",tun-mtu " + std::to_string(config.tun_mtu);
    out += ",proto " + proto_name(config, remote);

    const bool p2p_nopull = p2p_without_pull(config);
    if (config.ifconfig_ipv6 && p2p_nopull) {
        out += ",tun-ipv6";
    }
    if (config.ifconfig && p2p_nopull) {
        out += ",ifconfig " + ifconfig_text(config, remote);
    }
    if (compression_context(config.compression)) {
        out += ",comp-lzo";  // OpenVPN: "compression context is active", not LZO itself
    }
    if (config.key_direction && *config.key_direction != KeyDirection::kBidirectional) {
        const bool normal = *config.key_direction == KeyDirection::kNormal;
        out += ",keydir ";
        out += (normal != remote) ? "0" : "1";
    }

    if (tls_mode(config)) {
        const std::string_view cipher = configured_cipher(config);
        const CipherInfo* info = find_cipher(cipher);
        const bool listed = std::find(config.data_ciphers.begin(), config.data_ciphers.end(),
                                      cipher) != config.data_ciphers.end();
        if (p2p_nopull || listed) {
            out += ",cipher " + std::string(cipher);
        }
        const bool aead = info != nullptr && info->aead;
        const bool no_digest = aead || digest_size(config.auth) == 0;
        out += ",auth " + (no_digest ? std::string(kNullDigest) : config.auth);
        const std::uint32_t key_bits =
            cipher == kDefaultCipher ? 128U : (info != nullptr ? info->key_bits : 0U);
        out += ",keysize " + std::to_string(key_bits);
        if (config.control_key.wrap == ControlWrap::kTlsAuth) {
            out += ",tls-auth";
        }
        out += ",key-method 2";
        if (config.tls_client) {
            out += remote ? ",tls-server" : ",tls-client";
        } else {
            out += remote ? ",tls-client" : ",tls-server";
        }
    }
    return out;
}

}  // namespace nfv::vpn::config
