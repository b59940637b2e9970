// Big-endian loads and stores at fixed offsets, for checked packet views.
//
// Contract: the caller (a view whose check() has validated the lengths) guarantees that the
// accessed bytes lie inside the span. A violated precondition is a bug in this library, not in
// the packet, so it aborts rather than reading out of bounds.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

namespace nfv::net {

/// The byte at `offset`; precondition offset < bytes.size().
[[nodiscard]] inline std::uint8_t load_u8(std::span<const std::byte> bytes, std::size_t offset) {
    if (offset >= bytes.size()) {
        std::abort();
    }
    return std::to_integer<std::uint8_t>(bytes[offset]);
}

/// The big-endian u16 at `offset`; precondition offset + 2 <= bytes.size().
[[nodiscard]] inline std::uint16_t load_be16(std::span<const std::byte> bytes, std::size_t offset) {
    if (offset > bytes.size() || bytes.size() - offset < 2) {
        std::abort();
    }
    return static_cast<std::uint16_t>((std::to_integer<unsigned>(bytes[offset]) << 8U) |
                                      std::to_integer<unsigned>(bytes[offset + 1]));
}

/// The big-endian u32 at `offset`; precondition offset + 4 <= bytes.size().
[[nodiscard]] inline std::uint32_t load_be32(std::span<const std::byte> bytes, std::size_t offset) {
    return (static_cast<std::uint32_t>(load_be16(bytes, offset)) << 16U) |
           load_be16(bytes, offset + 2);
}

/// Writes one byte at `offset`; precondition offset < bytes.size().
inline void store_u8(std::span<std::byte> bytes, std::size_t offset, std::uint8_t value) {
    if (offset >= bytes.size()) {
        std::abort();
    }
    bytes[offset] = std::byte{value};
}

/// Writes a big-endian u16 at `offset`; precondition offset + 2 <= bytes.size().
inline void store_be16(std::span<std::byte> bytes, std::size_t offset, std::uint16_t value) {
    if (offset > bytes.size() || bytes.size() - offset < 2) {
        std::abort();
    }
    bytes[offset] = static_cast<std::byte>(value >> 8U);
    bytes[offset + 1] = static_cast<std::byte>(value & 0xffU);
}

/// Writes a big-endian u32 at `offset`; precondition offset + 4 <= bytes.size().
inline void store_be32(std::span<std::byte> bytes, std::size_t offset, std::uint32_t value) {
    store_be16(bytes, offset, static_cast<std::uint16_t>(value >> 16U));
    store_be16(bytes, offset + 2, static_cast<std::uint16_t>(value & 0xffffU));
}

}  // namespace nfv::net
