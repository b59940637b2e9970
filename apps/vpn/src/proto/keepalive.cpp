#include "proto/keepalive.hpp"

#include <algorithm>

namespace nfv::vpn::proto {

bool is_ping(std::span<const std::byte> payload) {
    return std::ranges::equal(payload, kPingMagic);
}

std::optional<OccOpcode> parse_occ(std::span<const std::byte> payload) {
    if (payload.size() <= kOccMagic.size() ||
        !std::ranges::equal(payload.first(kOccMagic.size()), kOccMagic)) {
        return std::nullopt;
    }
    const auto opcode = std::to_integer<std::uint8_t>(payload[kOccMagic.size()]);
    if (opcode > static_cast<std::uint8_t>(OccOpcode::kExit)) {
        return std::nullopt;
    }
    return static_cast<OccOpcode>(opcode);
}

std::array<std::byte, kOccExitSize> occ_exit_payload() {
    std::array<std::byte, kOccExitSize> out{};
    std::ranges::copy(kOccMagic, out.begin());
    out.back() = std::byte{static_cast<std::uint8_t>(OccOpcode::kExit)};
    return out;
}

}  // namespace nfv::vpn::proto
