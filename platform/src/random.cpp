#include "nfv/platform/random.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <mutex>

#include <sys/random.h>

#include <pthread.h>

namespace nfv::platform {

std::uint64_t Random::next_u64() {
    std::array<std::byte, 8> bytes{};
    fill(bytes);
    std::uint64_t value = 0;
    for (const std::byte b : bytes) {
        value = (value << 8U) | std::to_integer<std::uint64_t>(b);
    }
    return value;
}

std::uint64_t Random::uniform(std::uint64_t bound) {
    if (bound == 0) {
        std::abort();  // caller bug: empty range
    }
    // Rejection sampling: discard the top partial bucket so every residue is equally likely.
    const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() -
                                (std::numeric_limits<std::uint64_t>::max() % bound);
    std::uint64_t value = next_u64();
    while (value >= limit) {
        value = next_u64();
    }
    return value % bound;
}

namespace {

// Per-thread buffer of kernel random bytes: bytes [kSize - available, kSize) are unused.
struct Pool {
    static constexpr std::size_t kSize = 256;
    std::array<std::byte, kSize> bytes{};
    std::size_t available = 0;
};

thread_local Pool pool;

void forget_in_child() {
    std::memset(pool.bytes.data(), 0, pool.bytes.size());
    pool.available = 0;
}

void refill() {
    static std::once_flag registered;
    std::call_once(registered, [] { ::pthread_atfork(nullptr, nullptr, forget_in_child); });
    std::size_t filled = 0;
    while (filled < pool.bytes.size()) {
        const ssize_t n = ::getrandom(pool.bytes.data() + filled, pool.bytes.size() - filled, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            std::abort();  // the OS RNG failing is unrecoverable; never continue with weak keys
        }
        filled += static_cast<std::size_t>(n);
    }
    pool.available = pool.bytes.size();
}

}  // namespace

void OsRandom::fill(std::span<std::byte> out) {
    while (!out.empty()) {
        if (pool.available == 0) {
            refill();
        }
        const std::size_t take = std::min(out.size(), pool.available);
        std::byte* from = pool.bytes.data() + (Pool::kSize - pool.available);
        std::memcpy(out.data(), from, take);
        std::memset(from, 0, take);
        pool.available -= take;
        out = out.subspan(take);
    }
}

}  // namespace nfv::platform
