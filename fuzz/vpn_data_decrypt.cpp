// Fuzz target: data-channel decryption of untrusted packets with fixed keys, for every cipher
// family (AES-GCM, CHACHA20-POLY1305, AES-CBC + HMAC). Input: selector byte, then the packet.
// Properties: decrypt never crashes or touches memory outside its spans; a packet that
// decrypts is rejected as a replay the second time; the plaintext lies inside the output
// buffer; and encrypt -> decrypt of the same bytes round-trips.
// Seeds: tests/apps/vpn/data/gen_data_seeds.py (valid packets for the key block below).
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "nfv/platform/testing/seeded_random.hpp"

#include "proto/data_channel.hpp"

namespace {

namespace proto = nfv::vpn::proto;

struct Mode {
    proto::DataCipher cipher;
    proto::DataDigest digest;
};
constexpr std::array<Mode, 4> kModes{{
    {proto::DataCipher::kAes256Gcm, proto::DataDigest::kSha1},
    {proto::DataCipher::kChaCha20Poly1305, proto::DataDigest::kSha1},
    {proto::DataCipher::kAes256Cbc, proto::DataDigest::kSha1},
    {proto::DataCipher::kAes128Gcm, proto::DataDigest::kSha1},
}};

std::array<std::byte, proto::kKeyBlockSize> key_block() {
    std::array<std::byte, proto::kKeyBlockSize> block{};
    for (std::size_t i = 0; i < block.size(); ++i) {
        block[i] = static_cast<std::byte>((i * 7) & 0xff);
    }
    return block;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const Mode mode = kModes.at(data[0] % kModes.size());
    const auto packet = std::as_bytes(std::span(data + 1, size - 1));
    nfv::platform::testing::SeededRandom random(1);
    const auto block = key_block();
    const proto::DataChannelConfig config{.cipher = mode.cipher, .digest = mode.digest};
    auto server = proto::DataChannelKey::create(config, block, true, random).value();
    auto client = proto::DataChannelKey::create(config, block, false, random).value();

    const nfv::platform::Instant now{std::chrono::seconds(1)};
    std::vector<std::byte> out(packet.size());  // exact size: overruns are visible to ASan
    if (const auto got = server.decrypt(packet, out, now)) {
        if (got->plaintext.data() < out.data() ||
            got->plaintext.data() + got->plaintext.size() > out.data() + out.size()) {
            std::abort();
        }
        std::vector<std::byte> again(packet.size());
        if (server.decrypt(packet, again, now)) {
            std::abort();  // replay accepted
        }
    }

    // Round trip: the packet bytes as plaintext, both formats, to a fresh receiver (the first
    // one may already have seen these packet ids).
    auto receiver = proto::DataChannelKey::create(config, block, true, random).value();
    for (const bool v2 : {false, true}) {
        std::vector<std::byte> wire(client.max_encrypted_size(packet.size(), v2));
        const auto written =
            client.encrypt(packet, v2 ? std::optional(0x010203U) : std::nullopt, wire);
        if (!written) {
            std::abort();
        }
        wire.resize(*written);
        const auto opened = receiver.decrypt_in_place(wire, now);
        if (!opened || opened->plaintext.size() != packet.size() ||
            (!packet.empty() &&
             std::memcmp(opened->plaintext.data(), packet.data(), packet.size()) != 0)) {
            std::abort();
        }
    }
    return 0;
}
