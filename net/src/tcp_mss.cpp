#include "nfv/net/tcp_mss.hpp"

#include <optional>

#include "nfv/net/byte_order.hpp"
#include "nfv/net/checksum.hpp"

namespace nfv::net {

namespace {

constexpr std::uint8_t kProtocolTcp = 6;
constexpr std::uint8_t kTcpSyn = 0x02;
constexpr std::uint8_t kOptionEnd = 0;
constexpr std::uint8_t kOptionNop = 1;
constexpr std::uint8_t kOptionMss = 2;
constexpr std::size_t kMssOptionLength = 4;

struct MssField {
    std::size_t offset = 0;    // of the MSS value in the packet
    std::size_t checksum = 0;  // offset of the TCP checksum
    std::uint16_t limit = 0;   // for this IP version
};

// Where the MSS value of a TCP SYN sits, when there is one and it is above the limit.
std::optional<MssField> find_mss_above(std::span<const std::byte> packet,
                                       std::uint16_t max_mss_ipv4) {
    if (packet.empty()) {
        return std::nullopt;
    }
    const unsigned version = load_u8(packet, 0) >> 4U;
    std::size_t l4 = 0;
    std::uint16_t limit = max_mss_ipv4;
    if (version == 4) {
        l4 = (load_u8(packet, 0) & 0x0fU) * 4U;
        if (l4 < 20 || packet.size() < l4 || load_u8(packet, 9) != kProtocolTcp ||
            (load_be16(packet, 6) & 0x1fffU) != 0) {
            return std::nullopt;
        }
    } else if (version == 6) {
        l4 = 40;
        if (packet.size() < l4 || load_u8(packet, 6) != kProtocolTcp) {
            return std::nullopt;
        }
        limit = max_mss_ipv4 > 20 ? static_cast<std::uint16_t>(max_mss_ipv4 - 20) : 0;
    } else {
        return std::nullopt;
    }
    if (packet.size() < l4 + 20 || (load_u8(packet, l4 + 13) & kTcpSyn) == 0) {
        return std::nullopt;
    }
    const std::size_t header = (load_u8(packet, l4 + 12) >> 4U) * 4U;
    if (header < 20 || packet.size() < l4 + header) {
        return std::nullopt;
    }
    for (std::size_t at = l4 + 20; at < l4 + header;) {
        const std::uint8_t kind = load_u8(packet, at);
        if (kind == kOptionEnd) {
            break;
        }
        if (kind == kOptionNop) {
            ++at;
            continue;
        }
        if (at + 1 >= l4 + header) {
            break;
        }
        const std::size_t length = load_u8(packet, at + 1);
        if (length < 2 || at + length > l4 + header) {
            break;
        }
        if (kind == kOptionMss && length == kMssOptionLength) {
            if (load_be16(packet, at + 2) <= limit) {
                return std::nullopt;
            }
            return MssField{at + 2, l4 + 16, limit};
        }
        at += length;
    }
    return std::nullopt;
}

}  // namespace

bool needs_mss_clamp(std::span<const std::byte> packet, std::uint16_t max_mss_ipv4) {
    return find_mss_above(packet, max_mss_ipv4).has_value();
}

bool clamp_tcp_mss(std::span<std::byte> packet, std::uint16_t max_mss_ipv4) {
    const auto field = find_mss_above(packet, max_mss_ipv4);
    if (!field) {
        return false;
    }
    const std::uint16_t old_mss = load_be16(packet, field->offset);
    store_be16(packet, field->offset, field->limit);
    // The MSS value may sit at an odd offset; the checksum works on 16-bit words from the TCP
    // header's start, so update the two words the value touches when it is misaligned.
    const std::size_t l4 = field->checksum - 16;
    const bool aligned = (field->offset - l4) % 2 == 0;
    std::uint16_t checksum = load_be16(packet, field->checksum);
    if (aligned) {
        checksum = checksum_update(checksum, old_mss, field->limit);
    } else {
        const auto before_high = static_cast<std::uint16_t>(
            (load_u8(packet, field->offset - 1) << 8U) | (old_mss >> 8U));
        const auto after_high = static_cast<std::uint16_t>(
            (load_u8(packet, field->offset - 1) << 8U) | (field->limit >> 8U));
        const auto before_low = static_cast<std::uint16_t>(((old_mss & 0xffU) << 8U) |
                                                           load_u8(packet, field->offset + 2));
        const auto after_low = static_cast<std::uint16_t>(((field->limit & 0xffU) << 8U) |
                                                          load_u8(packet, field->offset + 2));
        checksum = checksum_update(checksum, before_high, after_high);
        checksum = checksum_update(checksum, before_low, after_low);
    }
    store_be16(packet, field->checksum, checksum);
    return true;
}

}  // namespace nfv::net
