// ByteBuffer: a fixed-size heap buffer of uninitialised bytes, for I/O pools and arenas.
//
// Unlike std::vector<std::byte>(n), creating one writes nothing, so a large pool (allocated with
// mmap by the C library) costs resident memory only for the pages that are actually used: an
// idle VPN client does not pay for 64 KiB receive slots it never fills. Contents are
// indeterminate until written; resize() discards them.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

namespace nfv::platform {

class ByteBuffer {
public:
    ByteBuffer() = default;
    explicit ByteBuffer(std::size_t size) { resize(size); }

    /// Replaces the buffer with `size` fresh, uninitialised bytes.
    void resize(std::size_t size) {
        data_ = size == 0 ? nullptr : std::make_unique_for_overwrite<std::byte[]>(size);
        size_ = size;
    }

    [[nodiscard]] std::byte* data() { return data_.get(); }
    [[nodiscard]] const std::byte* data() const { return data_.get(); }
    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] bool empty() const { return size_ == 0; }
    [[nodiscard]] std::span<std::byte> span() { return {data_.get(), size_}; }
    [[nodiscard]] std::span<const std::byte> span() const { return {data_.get(), size_}; }

private:
    std::unique_ptr<std::byte[]> data_;  // NOLINT(cppcoreguidelines-avoid-c-arrays): owned bytes
    std::size_t size_ = 0;
};

}  // namespace nfv::platform
