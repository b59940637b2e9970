#include "nfv/platform/testing/seeded_random.hpp"

namespace nfv::platform::testing {

namespace {

constexpr std::uint64_t rotl(std::uint64_t x, unsigned k) {
    return (x << k) | (x >> (64U - k));
}

}  // namespace

SeededRandom::SeededRandom(std::uint64_t seed) {
    // splitmix64 expands the seed into four non-zero state words.
    for (auto& word : state_) {
        seed += 0x9e3779b97f4a7c15ULL;
        std::uint64_t z = seed;
        z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
        word = z ^ (z >> 31U);
    }
}

std::uint64_t SeededRandom::step() {
    // xoshiro256** (Blackman and Vigna, public domain algorithm description).
    const std::uint64_t result = rotl(state_[1] * 5U, 7U) * 9U;
    const std::uint64_t t = state_[1] << 17U;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45U);
    return result;
}

void SeededRandom::fill(std::span<std::byte> out) {
    std::size_t i = 0;
    while (i < out.size()) {
        std::uint64_t word = step();
        for (int b = 0; b < 8 && i < out.size(); ++b, ++i) {
            out[i] = static_cast<std::byte>(word & 0xffU);
            word >>= 8U;
        }
    }
}

}  // namespace nfv::platform::testing
