#include <algorithm>
#include <array>
#include <cstddef>
#include <vector>

#include <sys/wait.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include "nfv/platform/random.hpp"

namespace nfv::platform {
namespace {

TEST(OsRandom, FillsWholeBuffer) {
    OsRandom random;
    // 256 random bytes all equal to the prefill pattern has probability 2^-2048.
    std::vector<std::byte> a(256, std::byte{0x00});
    std::vector<std::byte> b(256, std::byte{0xFF});
    random.fill(a);
    random.fill(b);
    EXPECT_FALSE(std::all_of(a.begin(), a.end(), [](std::byte x) { return x == std::byte{0}; }));
    EXPECT_FALSE(std::all_of(b.begin(), b.end(), [](std::byte x) { return x == std::byte{0xFF}; }));
}

TEST(OsRandom, TwoDrawsDiffer) {
    OsRandom random;
    std::array<std::byte, 32> a{};
    std::array<std::byte, 32> b{};
    random.fill(a);
    random.fill(b);
    EXPECT_NE(a, b);                                  // equal with probability 2^-256
    EXPECT_NE(random.next_u64(), random.next_u64());  // equal with probability 2^-64
}

TEST(OsRandom, FillsBuffersLargerThanOneChunk) {
    OsRandom random;
    std::vector<std::byte> big((1U << 20U) + 17U, std::byte{0});
    random.fill(big);
    // The tail beyond the first 1 MiB chunk must have been written as well.
    const auto tail = std::span(big).last(4096);
    EXPECT_FALSE(
        std::all_of(tail.begin(), tail.end(), [](std::byte x) { return x == std::byte{0}; }));
}

TEST(OsRandom, UniformStaysInRange) {
    OsRandom random;
    for (int i = 0; i < 1000; ++i) {
        EXPECT_LT(random.uniform(3), 3U);
    }
}

// A forked child must not hand out the buffered bytes its parent hands out next (the same
// query IDs or ports in two processes): the child's buffer starts empty.
TEST(OsRandom, ForkedChildDrawsOtherBytesThanItsParent) {
    OsRandom random;
    std::array<std::byte, 8> warm{};
    random.fill(warm);  // the buffer now holds unused bytes
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        std::array<std::byte, 32> drawn{};
        random.fill(drawn);
        const bool written =
            ::write(fds[1], drawn.data(), drawn.size()) == static_cast<ssize_t>(drawn.size());
        ::_exit(written ? 0 : 1);
    }
    ::close(fds[1]);
    std::array<std::byte, 32> parent{};
    random.fill(parent);
    std::array<std::byte, 32> from_child{};
    ASSERT_EQ(::read(fds[0], from_child.data(), from_child.size()),
              static_cast<ssize_t>(from_child.size()));
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT_NE(parent, from_child);  // equal with probability 2^-256 unless the buffer is shared
}

}  // namespace
}  // namespace nfv::platform
