#include "nfv/platform/testing/netns_child.hpp"

#include <chrono>
#include <string>

#include <sys/stat.h>

#include <gtest/gtest.h>
#include <unistd.h>

namespace nfv::platform::testing {
namespace {

ino_t current_netns() {
    struct stat st {};
    return ::stat("/proc/self/ns/net", &st) == 0 ? st.st_ino : 0;
}

void skip_unless_available() {
    if (const auto reason = netns_unavailable_reason()) {
        GTEST_SKIP() << *reason;
    }
}

TEST(NetnsChild, BodyRunsInAFreshNamespace) {
    skip_unless_available();
    if (IsSkipped()) {
        return;
    }
    const ino_t parent = current_netns();
    const auto outcome = run_in_new_netns([parent]() -> std::string {
        return current_netns() != parent ? "" : "child shares the parent's namespace";
    });
    EXPECT_EQ(outcome.kind, NetnsOutcome::Kind::kPassed) << outcome.message;
}

TEST(NetnsChild, FailureMessageReachesTheParent) {
    skip_unless_available();
    if (IsSkipped()) {
        return;
    }
    const auto outcome = run_in_new_netns([] { return std::string("it broke"); });
    EXPECT_EQ(outcome.kind, NetnsOutcome::Kind::kFailed);
    EXPECT_EQ(outcome.message, "it broke");
}

TEST(NetnsChild, OverrunningChildIsKilled) {
    skip_unless_available();
    if (IsSkipped()) {
        return;
    }
    const auto start = std::chrono::steady_clock::now();
    const auto outcome = run_in_new_netns(
        [] {
            ::pause();  // never returns on its own
            return std::string();
        },
        std::chrono::seconds(1));
    EXPECT_EQ(outcome.kind, NetnsOutcome::Kind::kFailed);
    EXPECT_NE(outcome.message.find("timed out"), std::string::npos) << outcome.message;
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

}  // namespace
}  // namespace nfv::platform::testing
