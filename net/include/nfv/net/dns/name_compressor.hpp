// NameCompressor: writes names with RFC 1035 §4.1.4 message compression.
//
// Remembers where each name suffix was written (only offsets < 0x4000 fit in a pointer) and
// replaces a later occurrence of the same suffix, compared case-insensitively (RFC 4343), by a
// two-byte pointer. The ByteWriter given to write() must start at the first byte of the message,
// because pointers are absolute message offsets.
#pragma once

#include <cstdint>
#include <unordered_map>

#include "nfv/net/byte_writer.hpp"
#include "nfv/net/dns/name.hpp"

namespace nfv::net::dns {

inline constexpr std::size_t kMaxPointerOffset = 0x3FFF;

class NameCompressor {
public:
    /// Writes `name` at out.position(): its leading labels, then either a pointer to the longest
    /// previously written suffix or the root byte. Records the offsets of the suffixes it wrote.
    /// Overflow is reported through out.overflowed(); suffixes are recorded only while it holds.
    void write(const Name& name, ByteWriter& out);

    /// Forgets every remembered suffix.
    void clear() { offsets_.clear(); }

private:
    std::unordered_map<Name, std::uint16_t, NameHash> offsets_;
};

}  // namespace nfv::net::dns
