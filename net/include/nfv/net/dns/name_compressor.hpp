// NameCompressor: writes names with RFC 1035 §4.1.4 message compression.
//
// Remembers where each name suffix was written (only offsets < 0x4000 fit in a pointer) and
// replaces a later occurrence of the same suffix, compared case-insensitively (RFC 4343), by a
// two-byte pointer. The ByteWriter given to write() must start at the first byte of the message,
// because pointers are absolute message offsets.
//
// Cost: the suffixes are copied into a fixed in-object byte arena (no heap allocation at all;
// the object is ~8 KiB, meant to live on the stack for one message) and found by a linear scan
// over (hash, length) pairs, which for the few names of a typical answer is cheaper than a hash
// map of Name copies. At most kMaxRemembered suffixes (and kArenaBytes of them) are remembered,
// which bounds a huge TCP answer's work; later names still point to those (or are written in
// full): compression is an optimisation, not a requirement.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "nfv/net/byte_writer.hpp"
#include "nfv/net/dns/name.hpp"

namespace nfv::net::dns {

inline constexpr std::size_t kMaxPointerOffset = 0x3FFF;

class NameCompressor {
public:
    static constexpr std::size_t kMaxRemembered = 256;
    static constexpr std::size_t kArenaBytes = 6144;

    /// Writes `name` at out.position(): its leading labels, then either a pointer to the longest
    /// previously written suffix or the root byte. Records the offsets of the suffixes it wrote.
    /// Overflow is reported through out.overflowed(); suffixes are recorded only while it holds.
    void write(const Name& name, ByteWriter& out);

    /// Forgets every remembered suffix.
    void clear() {
        suffix_count_ = 0;
        arena_used_ = 0;
    }

private:
    struct Suffix {
        std::uint32_t hash;          // of the case-folded wire bytes
        std::uint16_t arena_offset;  // where its wire bytes (no root byte) start in arena_
        std::uint8_t length;         // wire bytes, < 256
        std::uint16_t message_offset;
    };

    [[nodiscard]] std::optional<std::uint16_t> find(std::string_view suffix,
                                                    std::uint32_t hash) const;

    std::array<Suffix, kMaxRemembered> suffixes_;  // the first suffix_count_ are in use
    std::size_t suffix_count_ = 0;
    std::array<char, kArenaBytes> arena_;  // the first arena_used_ bytes are in use
    std::size_t arena_used_ = 0;
};

}  // namespace nfv::net::dns
