// ByteWriter: a bounds-checked, big-endian (network order) cursor over a caller-owned buffer.
//
// Contract: no write ever touches memory outside the span given to the constructor. A write that
// does not fit writes nothing, returns false and sets the sticky `overflowed()` flag, so a
// serializer may issue a run of writes and check once at the end.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace nfv::net {

class ByteWriter {
public:
    explicit ByteWriter(std::span<std::byte> out) : out_(out) {}

    [[nodiscard]] std::size_t position() const { return position_; }
    [[nodiscard]] std::size_t remaining() const { return out_.size() - position_; }
    [[nodiscard]] bool overflowed() const { return overflowed_; }
    /// The bytes written so far.
    [[nodiscard]] std::span<std::byte> written() const { return out_.first(position_); }

    bool write_u8(std::uint8_t value);
    bool write_u16(std::uint16_t value);
    bool write_u32(std::uint32_t value);
    bool write_u64(std::uint64_t value);
    bool write_bytes(std::span<const std::byte> bytes);
    /// Writes `count` zero bytes.
    bool write_zeros(std::size_t count);

    /// Overwrites two already written bytes at `offset` (e.g. a length known only at the end).
    /// False if [offset, offset+2) is not inside what was written.
    bool patch_u16(std::size_t offset, std::uint16_t value);

private:
    bool reserve(std::size_t count);

    std::span<std::byte> out_;
    std::size_t position_ = 0;
    bool overflowed_ = false;
};

}  // namespace nfv::net
