// BufferRing: the provided buffers completion receives fill (private to nfv::platform::io).
//
// io_uring "ring-mapped provided buffers" (IORING_REGISTER_PBUF_RING, kernel 5.19) consumed
// incrementally (IOU_PBUF_RING_INC, kernel 6.12): a receive takes only the bytes it needs from the
// buffer at the ring's head, so many small receives share one large buffer and a busy loop needs
// a few buffers, not one per socket. The loop owns the buffers, not the sockets: a receive that
// completes after its socket was closed only hands its bytes back here.
//
// Contract: for every completion carrying IORING_CQE_F_BUFFER call take() once, in completion
// order (the kernel fills each buffer front to back, so the bytes of a completion start where the
// previous completion from that buffer ended), and release() once the bytes have been used: the
// span is valid until then. A buffer goes back on the ring at the release() after its last byte
// was taken, i.e. once the kernel has moved past it and nobody reads it any more (the kernel may
// fill a returned buffer during any system call the reader makes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include <liburing.h>

#include "nfv/platform/io/error.hpp"

namespace nfv::platform::io::detail {

class BufferRing {
public:
    /// Registers `count` (a power of two, <= 32768) buffers of `size` bytes as buffer group
    /// `group` of `ring`. Fails (EINVAL) on kernels without incremental consumption.
    [[nodiscard]] static IoResult<std::unique_ptr<BufferRing>> create(io_uring& ring,
                                                                      std::uint16_t group,
                                                                      unsigned count,
                                                                      std::size_t size);
    BufferRing(const BufferRing&) = delete;
    BufferRing& operator=(const BufferRing&) = delete;
    ~BufferRing();

    /// The `length` bytes a completion with CQE flags `flags` received (see the contract).
    [[nodiscard]] std::span<const std::byte> take(std::uint32_t flags, std::size_t length);
    /// The bytes of the last take() have been used.
    void release();

    [[nodiscard]] std::uint16_t group() const { return group_; }
    /// Buffers handed back to the kernel after being filled (a busy loop's recycling count).
    [[nodiscard]] std::uint64_t recycled() const { return recycled_; }

private:
    BufferRing(io_uring& ring, std::uint16_t group, unsigned count, std::size_t size,
               io_uring_buf_ring* shared, std::size_t shared_bytes);
    void give_back(std::uint16_t id);

    io_uring& ring_;
    std::uint16_t group_;
    unsigned count_;
    std::size_t size_;
    io_uring_buf_ring* shared_;  // the ring the kernel reads (mmap'ed, page aligned)
    std::size_t shared_bytes_;
    std::unique_ptr<std::byte[]> storage_;  // count_ * size_ bytes, touched only when filled
    std::vector<std::size_t> consumed_;     // bytes of each buffer already taken
    int filled_ = -1;                       // buffer whose last byte the last take() returned
    std::uint64_t recycled_ = 0;
};

}  // namespace nfv::platform::io::detail
