#include "nfv/net/byte_reader.hpp"

namespace nfv::net {

std::optional<std::uint8_t> ByteReader::peek_u8() const {
    if (remaining() < 1) {
        return std::nullopt;
    }
    return std::to_integer<std::uint8_t>(data_[position_]);
}

std::optional<std::uint8_t> ByteReader::read_u8() {
    auto value = peek_u8();
    if (value) {
        ++position_;
    }
    return value;
}

std::optional<std::uint16_t> ByteReader::read_u16() {
    auto bytes = read_bytes(2);
    if (!bytes) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>((std::to_integer<unsigned>((*bytes)[0]) << 8U) |
                                      std::to_integer<unsigned>((*bytes)[1]));
}

std::optional<std::uint32_t> ByteReader::read_u32() {
    auto bytes = read_bytes(4);
    if (!bytes) {
        return std::nullopt;
    }
    std::uint32_t value = 0;
    for (const std::byte b : *bytes) {
        value = (value << 8U) | std::to_integer<std::uint32_t>(b);
    }
    return value;
}

std::optional<std::uint64_t> ByteReader::read_u64() {
    auto bytes = read_bytes(8);
    if (!bytes) {
        return std::nullopt;
    }
    std::uint64_t value = 0;
    for (const std::byte b : *bytes) {
        value = (value << 8U) | std::to_integer<std::uint64_t>(b);
    }
    return value;
}

std::optional<std::span<const std::byte>> ByteReader::read_bytes(std::size_t count) {
    if (remaining() < count) {
        return std::nullopt;
    }
    auto bytes = data_.subspan(position_, count);
    position_ += count;
    return bytes;
}

std::span<const std::byte> ByteReader::read_rest() {
    auto bytes = rest();
    position_ = data_.size();
    return bytes;
}

bool ByteReader::skip(std::size_t count) {
    if (remaining() < count) {
        return false;
    }
    position_ += count;
    return true;
}

bool ByteReader::seek(std::size_t offset) {
    if (offset > data_.size()) {
        return false;
    }
    position_ = offset;
    return true;
}

}  // namespace nfv::net
