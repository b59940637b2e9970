#include "proto/static_key.hpp"

#include <optional>

namespace nfv::vpn::proto {

namespace {

constexpr std::string_view kHeader = "-----BEGIN OpenVPN Static key V1-----";
constexpr std::string_view kFooter = "-----END OpenVPN Static key V1-----";

std::optional<std::uint8_t> hex_value(char c) {
    if (c >= '0' && c <= '9') {
        return static_cast<std::uint8_t>(c - '0');
    }
    if (c >= 'a' && c <= 'f') {
        return static_cast<std::uint8_t>(c - 'a' + 10);
    }
    if (c >= 'A' && c <= 'F') {
        return static_cast<std::uint8_t>(c - 'A' + 10);
    }
    return std::nullopt;
}

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim_right(std::string_view line) {
    while (!line.empty() && is_space(line.back())) {
        line.remove_suffix(1);
    }
    return line;
}

}  // namespace

Result<StaticKey, StaticKeyError> StaticKey::parse(std::string_view text) {
    enum class State { kBeforeHeader, kBody, kComplete } state = State::kBeforeHeader;
    std::array<std::byte, kStaticKeySize> bytes{};
    std::size_t count = 0;
    // The pending high nibble of a byte, or -1 (an int, not std::optional: GCC 12 -O2 reports a
    // false maybe-uninitialized on optional<uint8_t> here).
    int high_nibble = -1;
    bool footer_seen = false;

    while (!text.empty() && !footer_seen) {
        const auto newline = text.find('\n');
        std::string_view line = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);

        // Like OpenVPN, header and footer are recognised as line prefixes.
        if (state == State::kBeforeHeader) {
            if (line.starts_with(kHeader)) {
                state = State::kBody;
            }
            continue;
        }
        if (line.starts_with("-")) {
            if (trim_right(line).starts_with(kFooter)) {
                footer_seen = true;
            }
            // Any other line starting with '-' ends the body too (OpenVPN's PARSE_FOOT state).
            if (!footer_seen) {
                return Unexpected(StaticKeyError::kMissingFooter);
            }
            continue;
        }
        if (state == State::kComplete) {
            continue;  // OpenVPN ignores anything after the 256th byte until the footer
        }
        for (const char c : line) {
            if (is_space(c)) {
                continue;
            }
            const auto nibble = hex_value(c);
            if (!nibble) {
                return Unexpected(StaticKeyError::kBadCharacter);
            }
            if (high_nibble < 0) {
                high_nibble = *nibble;
                continue;
            }
            bytes[count++] = static_cast<std::byte>((high_nibble << 4) | *nibble);
            high_nibble = -1;
            if (count == kStaticKeySize) {
                state = State::kComplete;
                break;
            }
        }
    }
    if (state == State::kBeforeHeader) {
        return Unexpected(StaticKeyError::kMissingHeader);
    }
    if (count < kStaticKeySize) {
        return Unexpected(StaticKeyError::kInsufficientKeyMaterial);
    }
    if (!footer_seen) {
        return Unexpected(StaticKeyError::kMissingFooter);
    }
    return StaticKey(bytes);
}

KeyHalf StaticKey::key(std::size_t index) const {
    const std::span<const std::byte, kStaticKeySize> all(bytes_);
    const std::size_t base = (index == 0 ? 0 : 2 * kStaticKeyHalfSize);
    return KeyHalf{all.subspan(base).first<kStaticKeyHalfSize>(),
                   all.subspan(base + kStaticKeyHalfSize).first<kStaticKeyHalfSize>()};
}

DirectionalKeys StaticKey::directional(KeyDirection direction) const {
    switch (direction) {
        case KeyDirection::kNormal:
            return DirectionalKeys{key(0), key(1)};
        case KeyDirection::kInverse:
            return DirectionalKeys{key(1), key(0)};
        case KeyDirection::kBidirectional:
            break;
    }
    return DirectionalKeys{key(0), key(0)};
}

}  // namespace nfv::vpn::proto
