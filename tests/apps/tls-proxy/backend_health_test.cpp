#include "backend_health.hpp"

#include <gtest/gtest.h>

namespace nfv::tls_proxy {
namespace {

TEST(BackendHealth, GoesDownAfterFallFailuresAndUpAfterRiseSuccesses) {
    HealthCheckConfig config;
    config.fall = 3;
    config.rise = 2;
    BackendHealth h(config);
    EXPECT_TRUE(h.up());
    EXPECT_FALSE(h.record(false));
    EXPECT_FALSE(h.record(false));
    EXPECT_TRUE(h.up());
    EXPECT_TRUE(h.record(false));  // third in a row
    EXPECT_FALSE(h.up());
    EXPECT_FALSE(h.record(false));
    EXPECT_FALSE(h.record(true));
    EXPECT_FALSE(h.up());
    EXPECT_TRUE(h.record(true));
    EXPECT_TRUE(h.up());
}

TEST(BackendHealth, AnAgreeingOutcomeBreaksTheStreak) {
    HealthCheckConfig config;
    config.fall = 2;
    config.rise = 1;
    BackendHealth h(config);
    EXPECT_FALSE(h.record(false));
    EXPECT_FALSE(h.record(true));   // streak reset
    EXPECT_FALSE(h.record(false));  // 1 of 2 again
    EXPECT_TRUE(h.up());
    EXPECT_TRUE(h.record(false));
    EXPECT_TRUE(h.record(true));  // rise = 1
}

}  // namespace
}  // namespace nfv::tls_proxy
