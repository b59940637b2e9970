// Random: injected randomness. Runtime code uses OsRandom (OpenSSL RAND_bytes); tests, simulations
// and fuzzers use testing::SeededRandom so that every run is reproducible.
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

/// Cryptographically strong randomness from OpenSSL's RAND_bytes (seeded by getrandom).
class OsRandom final : public Random {
public:
    void fill(std::span<std::byte> out) override;
};

}  // namespace nfv::platform
