// BackendHealth: the up/down state of one backend address, fed by health probes (a TCP connect
// within a timeout, made by the runtime every `interval`) and by the outcome of real connection
// attempts. Same rule as haproxy's and nginx's checks: `fall` consecutive failures take an up
// backend down, `rise` consecutive successes bring a down one back. A backend starts up.
// Pure state: no clock, no sockets.
#pragma once

#include <chrono>
#include <cstdint>

#include "nfv/platform/time.hpp"

namespace nfv::tls_proxy {

struct HealthCheckConfig {
    platform::Duration interval = std::chrono::seconds(5);
    platform::Duration timeout = std::chrono::seconds(2);
    std::uint32_t fall = 3;  // consecutive failures: up -> down
    std::uint32_t rise = 2;  // consecutive successes: down -> up
    friend bool operator==(const HealthCheckConfig&, const HealthCheckConfig&) = default;
};

class BackendHealth {
public:
    explicit BackendHealth(const HealthCheckConfig& config)
        : fall_(config.fall), rise_(config.rise) {}

    /// Records one outcome; true if this changed up().
    bool record(bool ok);
    [[nodiscard]] bool up() const { return up_; }

private:
    std::uint32_t fall_;
    std::uint32_t rise_;
    std::uint32_t streak_ = 0;  // consecutive outcomes against the current state
    bool up_ = true;
};

}  // namespace nfv::tls_proxy
