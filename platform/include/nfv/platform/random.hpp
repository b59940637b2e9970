// Random: injected randomness. Runtime code uses OsRandom (the kernel's getrandom); tests,
// simulations and fuzzers use testing::SeededRandom so that every run is reproducible.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace nfv::platform {

class Random {
public:
    Random() = default;
    Random(const Random&) = delete;
    Random& operator=(const Random&) = delete;
    virtual ~Random() = default;

    /// Fills `out` completely with random bytes.
    virtual void fill(std::span<std::byte> out) = 0;

    /// A uniformly distributed 64-bit value.
    [[nodiscard]] std::uint64_t next_u64();
    /// A uniformly distributed value in [0, bound); bound must be > 0. No modulo bias.
    [[nodiscard]] std::uint64_t uniform(std::uint64_t bound);

protected:
    Random(Random&&) = default;
    Random& operator=(Random&&) = default;
};

/// Cryptographically strong randomness from the kernel (getrandom(2), the ChaCha20 CSPRNG behind
/// /dev/urandom, blocking only until it is seeded at boot). Bytes are fetched 256 at a time per
/// thread and each is handed out once and wiped; a forked child starts with an empty buffer
/// (pthread_atfork), so parent and child never share values. No OpenSSL: dnsvizor does not
/// load libcrypto at all.
class OsRandom final : public Random {
public:
    void fill(std::span<std::byte> out) override;
};

}  // namespace nfv::platform
