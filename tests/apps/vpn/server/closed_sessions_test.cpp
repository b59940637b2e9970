#include "server/closed_sessions.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace nfv::vpn::server {
namespace {

using namespace std::chrono_literals;

platform::Instant at(platform::Duration offset) {
    return platform::Instant{} + offset;
}

proto::SessionId id(std::uint8_t n) {
    proto::SessionId out{};
    out[0] = std::byte{n};
    return out;
}

TEST(ClosedSessions, AClosedIdIsHeldForTheLifetime) {
    ClosedSessions closed(16, 60s);
    closed.add(id(1), at(10s));
    EXPECT_TRUE(closed.contains(id(1), at(10s)));
    EXPECT_TRUE(closed.contains(id(1), at(69s)));
    EXPECT_FALSE(closed.contains(id(2), at(11s))) << "a new session id is never held up";
    EXPECT_FALSE(closed.contains(id(1), at(70s)));
    EXPECT_EQ(closed.size(), 0U);
}

TEST(ClosedSessions, TheOldestGoFirstAtCapacity) {
    ClosedSessions closed(2, 60s);
    closed.add(id(1), at(1s));
    closed.add(id(2), at(2s));
    closed.add(id(3), at(3s));
    EXPECT_FALSE(closed.contains(id(1), at(4s)));
    EXPECT_TRUE(closed.contains(id(2), at(4s)));
    EXPECT_TRUE(closed.contains(id(3), at(4s)));
    EXPECT_EQ(closed.size(), 2U);
}

TEST(ClosedSessions, TheSameIdTwiceStaysUntilItsLastClose) {
    ClosedSessions closed(8, 60s);
    closed.add(id(7), at(0s));
    closed.add(id(7), at(30s));
    EXPECT_TRUE(closed.contains(id(7), at(70s)));
    EXPECT_FALSE(closed.contains(id(7), at(90s)));
}

}  // namespace
}  // namespace nfv::vpn::server
