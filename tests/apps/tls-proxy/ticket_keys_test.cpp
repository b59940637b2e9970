// TicketKeys bookkeeping; the handshakes that use the keys are in tls_session_test.cpp
// (TicketKeys.*).
#include "ticket_keys.hpp"

#include <array>
#include <chrono>

#include <gtest/gtest.h>

namespace nfv::tls_proxy {
namespace {

using std::chrono::hours;

TEST(TicketKeysSchedule, KeepsTheCurrentAndThePreviousKeyAndSaysWhenToRotate) {
    TicketKeys keys(hours(2));
    EXPECT_EQ(keys.key_count(), 0U);
    EXPECT_EQ(keys.next_rotation(), platform::Instant{});  // due at once
    std::array<std::byte, TicketKeys::kMaterialSize> material{};
    keys.rotate(platform::Instant{hours(10)}, material);
    EXPECT_EQ(keys.key_count(), 1U);
    EXPECT_EQ(keys.next_rotation(), platform::Instant{hours(12)});
    keys.rotate(platform::Instant{hours(12)}, material);
    keys.rotate(platform::Instant{hours(14)}, material);
    EXPECT_EQ(keys.key_count(), 2U);
    keys.set_rotation(hours(1));
    EXPECT_EQ(keys.next_rotation(), platform::Instant{hours(15)});
}

}  // namespace
}  // namespace nfv::tls_proxy
