#include "buffer_ring.hpp"

#include <algorithm>
#include <cerrno>

#include <sys/mman.h>

namespace nfv::platform::io::detail {

namespace {

// Kernel ABI (include/uapi/linux/io_uring.h, 6.12) newer than the liburing 2.3 headers Debian 12
// ships: the registration flag asking for incremental consumption (struct io_uring_buf_reg's
// 16-bit field after bgid, "pad" in the old header).
constexpr std::uint16_t kPbufRingIncremental = 2;  // IOU_PBUF_RING_INC

}  // namespace

IoResult<std::unique_ptr<BufferRing>> BufferRing::create(io_uring& ring, std::uint16_t group,
                                                         unsigned count, std::size_t size) {
    if (count == 0 || count > 32768 || (count & (count - 1)) != 0 || size == 0 ||
        size > 0xFFFFFFFFU) {
        return Unexpected(make_error("io_uring_register_buf_ring", EINVAL));
    }
    const std::size_t shared_bytes = count * sizeof(io_uring_buf);
    void* shared =
        ::mmap(nullptr, shared_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (shared == MAP_FAILED) {
        return Unexpected(last_error("mmap"));
    }
    io_uring_buf_reg registration{};
    registration.ring_addr = reinterpret_cast<std::uintptr_t>(shared);
    registration.ring_entries = count;
    registration.bgid = group;
    registration.pad = kPbufRingIncremental;
    if (const int rc = io_uring_register_buf_ring(&ring, &registration, 0); rc < 0) {
        ::munmap(shared, shared_bytes);
        return Unexpected(make_error("io_uring_register_buf_ring", -rc));
    }
    return std::unique_ptr<BufferRing>(new BufferRing(
        ring, group, count, size, static_cast<io_uring_buf_ring*>(shared), shared_bytes));
}

BufferRing::BufferRing(io_uring& ring, std::uint16_t group, unsigned count, std::size_t size,
                       io_uring_buf_ring* shared, std::size_t shared_bytes)
    : ring_(ring),
      group_(group),
      count_(count),
      size_(size),
      shared_(shared),
      shared_bytes_(shared_bytes),
      storage_(std::make_unique_for_overwrite<std::byte[]>(count * size)),
      consumed_(count, 0) {
    io_uring_buf_ring_init(shared_);
    const int mask = io_uring_buf_ring_mask(count_);
    for (unsigned id = 0; id < count_; ++id) {
        io_uring_buf_ring_add(shared_, storage_.get() + id * size_, static_cast<unsigned>(size_),
                              static_cast<unsigned short>(id), mask, static_cast<int>(id));
    }
    io_uring_buf_ring_advance(shared_, static_cast<int>(count_));
}

BufferRing::~BufferRing() {
    (void)io_uring_unregister_buf_ring(&ring_, group_);
    ::munmap(shared_, shared_bytes_);
}

std::span<const std::byte> BufferRing::take(std::uint32_t flags, std::size_t length) {
    release();  // a take() without its release(): the earlier bytes are no longer read
    const auto id = static_cast<std::uint16_t>(flags >> IORING_CQE_BUFFER_SHIFT);
    if (id >= count_) {
        return {};  // not a buffer of ours: a kernel contract violation, deliver nothing
    }
    const std::size_t offset = consumed_[id];
    const std::size_t taken = std::min(length, size_ - offset);
    consumed_[id] = offset + taken;
    const std::span<const std::byte> bytes(storage_.get() + id * size_ + offset, taken);
    // The kernel moves past a buffer exactly when its last byte is used (and never for a
    // zero-length completion), so a fully taken buffer is free again once read: release().
    if (consumed_[id] == size_) {
        filled_ = id;
    }
    return bytes;
}

void BufferRing::release() {
    if (filled_ >= 0) {
        give_back(static_cast<std::uint16_t>(filled_));
        filled_ = -1;
    }
}

void BufferRing::give_back(std::uint16_t id) {
    consumed_[id] = 0;
    io_uring_buf_ring_add(shared_, storage_.get() + id * size_, static_cast<unsigned>(size_), id,
                          io_uring_buf_ring_mask(count_), 0);
    io_uring_buf_ring_advance(shared_, 1);
    ++recycled_;
}

}  // namespace nfv::platform::io::detail
