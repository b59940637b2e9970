#include "nfv/net/byte_writer.hpp"

#include <algorithm>

namespace nfv::net {

bool ByteWriter::reserve(std::size_t count) {
    if (overflowed_ || remaining() < count) {
        overflowed_ = true;
        return false;
    }
    return true;
}

bool ByteWriter::write_u8(std::uint8_t value) {
    if (!reserve(1)) {
        return false;
    }
    out_[position_++] = std::byte{value};
    return true;
}

bool ByteWriter::write_u16(std::uint16_t value) {
    if (!reserve(2)) {
        return false;
    }
    out_[position_++] = static_cast<std::byte>(value >> 8U);
    out_[position_++] = static_cast<std::byte>(value & 0xffU);
    return true;
}

bool ByteWriter::write_u32(std::uint32_t value) {
    if (!reserve(4)) {
        return false;
    }
    for (int shift = 24; shift >= 0; shift -= 8) {
        out_[position_++] = static_cast<std::byte>((value >> static_cast<unsigned>(shift)) & 0xffU);
    }
    return true;
}

bool ByteWriter::write_u64(std::uint64_t value) {
    if (!reserve(8)) {
        return false;
    }
    for (int shift = 56; shift >= 0; shift -= 8) {
        out_[position_++] = static_cast<std::byte>((value >> static_cast<unsigned>(shift)) & 0xffU);
    }
    return true;
}

bool ByteWriter::write_bytes(std::span<const std::byte> bytes) {
    if (!reserve(bytes.size())) {
        return false;
    }
    std::copy(bytes.begin(), bytes.end(), out_.begin() + static_cast<std::ptrdiff_t>(position_));
    position_ += bytes.size();
    return true;
}

bool ByteWriter::write_zeros(std::size_t count) {
    if (!reserve(count)) {
        return false;
    }
    std::fill_n(out_.begin() + static_cast<std::ptrdiff_t>(position_), count, std::byte{0});
    position_ += count;
    return true;
}

bool ByteWriter::patch_u16(std::size_t offset, std::uint16_t value) {
    if (offset > position_ || position_ - offset < 2) {
        return false;
    }
    out_[offset] = static_cast<std::byte>(value >> 8U);
    out_[offset + 1] = static_cast<std::byte>(value & 0xffU);
    return true;
}

}  // namespace nfv::net
