#include "nfv/platform/testing/seeded_random.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::platform::testing {
namespace {

std::vector<std::byte> draw(Random& random, std::size_t n) {
    std::vector<std::byte> out(n);
    random.fill(out);
    return out;
}

TEST(SeededRandom, SameSeedSameBytes) {
    SeededRandom a(42);
    SeededRandom b(42);
    EXPECT_EQ(draw(a, 1000), draw(b, 1000));
    EXPECT_EQ(a.next_u64(), b.next_u64());
}

TEST(SeededRandom, DifferentSeedsDiffer) {
    SeededRandom a(1);
    SeededRandom b(2);
    EXPECT_NE(draw(a, 64), draw(b, 64));
}

TEST(SeededRandom, ConsecutiveDrawsDiffer) {
    SeededRandom random(7);
    EXPECT_NE(draw(random, 32), draw(random, 32));
}

TEST(SeededRandom, OddSizedFillOverwritesEveryByte) {
    // 13 bytes is not a multiple of the 8-byte word: the partial last word must still be written.
    SeededRandom a(9);
    SeededRandom b(9);
    std::array<std::byte, 13> buf_a{};
    std::array<std::byte, 13> buf_b{};
    buf_a.fill(std::byte{0xAA});
    buf_b.fill(std::byte{0x55});
    a.fill(buf_a);
    b.fill(buf_b);
    EXPECT_EQ(buf_a, buf_b);  // the initial patterns differ, so every byte was overwritten
}

TEST(SeededRandom, EmptyFillIsANoOp) {
    SeededRandom a(3);
    SeededRandom b(3);
    a.fill(std::span<std::byte>{});
    EXPECT_EQ(a.next_u64(), b.next_u64());
}

TEST(SeededRandom, UniformStaysInRangeAndHitsEveryValue) {
    SeededRandom random(12345);
    constexpr std::uint64_t kBound = 7;
    std::array<int, kBound> hits{};
    for (int i = 0; i < 10'000; ++i) {
        const std::uint64_t v = random.uniform(kBound);
        ASSERT_LT(v, kBound);
        ++hits[v];
    }
    for (std::uint64_t v = 0; v < kBound; ++v) {
        // Expected ~1428 each; 1000 is far outside any plausible deviation for a fair generator.
        EXPECT_GT(hits[v], 1000) << "value " << v;
    }
}

TEST(SeededRandom, UniformOfOneIsZeroAndLargeBoundsStayInRange) {
    SeededRandom random(5);
    for (int i = 0; i < 100; ++i) {
        EXPECT_EQ(random.uniform(1), 0U);
    }
    constexpr std::uint64_t kLarge = (std::uint64_t{1} << 63U) + 1U;  // worst case for rejection
    for (int i = 0; i < 1000; ++i) {
        EXPECT_LT(random.uniform(kLarge), kLarge);
    }
}

TEST(SeededRandomDeathTest, UniformZeroBoundAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    SeededRandom random(1);
    EXPECT_DEATH((void)random.uniform(0), "");
}

}  // namespace
}  // namespace nfv::platform::testing
