// SeededRandom: a deterministic Random (xoshiro256** seeded through splitmix64) for tests,
// simulations and fuzzers. Never use it where secrecy matters.
#pragma once

#include <array>
#include <cstdint>

#include "nfv/platform/random.hpp"

namespace nfv::platform::testing {

class SeededRandom final : public Random {
public:
    explicit SeededRandom(std::uint64_t seed);
    void fill(std::span<std::byte> out) override;

private:
    std::uint64_t step();
    std::array<std::uint64_t, 4> state_{};
};

}  // namespace nfv::platform::testing
