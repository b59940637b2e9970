#include "nfv/platform/random.hpp"

#include <array>
#include <cstdlib>
#include <limits>

#include <openssl/rand.h>

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

void OsRandom::fill(std::span<std::byte> out) {
    // RAND_bytes takes an int length; fill in chunks so any span size works.
    constexpr std::size_t kChunk = 1U << 20U;
    while (!out.empty()) {
        const std::size_t n = out.size() < kChunk ? out.size() : kChunk;
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL takes unsigned
        // char*.
        if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
            std::abort();  // the OS RNG failing is unrecoverable; never continue with weak keys
        }
        out = out.subspan(n);
    }
}

}  // namespace nfv::platform
