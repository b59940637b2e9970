// ByteReader: a bounds-checked, big-endian (network order) cursor over untrusted bytes.
//
// Contract: no read ever touches memory outside the span given to the constructor. A read that
// does not fit returns nullopt (or false) and leaves the position unchanged, so callers turn a
// short packet into a WireError without any length arithmetic of their own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace nfv::net {

class ByteReader {
public:
    explicit ByteReader(std::span<const std::byte> data) : data_(data) {}

    [[nodiscard]] std::size_t position() const { return position_; }
    [[nodiscard]] std::size_t remaining() const { return data_.size() - position_; }
    [[nodiscard]] bool empty() const { return remaining() == 0; }
    /// The whole underlying buffer (for formats with absolute offsets, e.g. DNS compression).
    [[nodiscard]] std::span<const std::byte> whole() const { return data_; }
    /// The unread bytes, without consuming them.
    [[nodiscard]] std::span<const std::byte> rest() const { return data_.subspan(position_); }

    [[nodiscard]] std::optional<std::uint8_t> peek_u8() const;
    [[nodiscard]] std::optional<std::uint8_t> read_u8();
    [[nodiscard]] std::optional<std::uint16_t> read_u16();
    [[nodiscard]] std::optional<std::uint32_t> read_u32();
    [[nodiscard]] std::optional<std::uint64_t> read_u64();
    /// The next `count` bytes as a view into the underlying buffer.
    [[nodiscard]] std::optional<std::span<const std::byte>> read_bytes(std::size_t count);
    /// Everything that is left; the reader is empty afterwards.
    [[nodiscard]] std::span<const std::byte> read_rest();

    /// Advances by `count`; false (and no move) if fewer bytes remain.
    [[nodiscard]] bool skip(std::size_t count);
    /// Moves to an absolute offset; false (and no move) if `offset` > size.
    [[nodiscard]] bool seek(std::size_t offset);

private:
    std::span<const std::byte> data_;
    std::size_t position_ = 0;
};

}  // namespace nfv::net
