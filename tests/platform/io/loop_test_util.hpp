// Shared helpers for the platform/io tests: a loop on the system clock and a bounded run_until.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/platform/clock.hpp"
#include "nfv/platform/io/event_loop.hpp"

namespace nfv::platform::io::test {

struct LoopFixture {
    SystemClock clock;
    std::unique_ptr<EventLoop> loop;

    explicit LoopFixture(EventLoopOptions options = {}) {
        auto created = EventLoop::create(clock, options);
        if (created) {
            loop = std::move(*created);
        } else {
            ADD_FAILURE() << created.error().message();
        }
    }

    /// Runs iterations until `done()` or `limit` elapses; returns done().
    bool run_until(const std::function<bool()>& done, Duration limit = std::chrono::seconds(10)) {
        const Instant end = clock.now() + limit;
        while (!done() && clock.now() < end) {
            auto r = loop->run_once(std::chrono::milliseconds(50));
            if (!r) {
                ADD_FAILURE() << r.error().message();
                return false;
            }
        }
        return done();
    }
};

inline std::vector<std::byte> bytes_of(std::string_view text) {
    std::vector<std::byte> out(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        out[i] = static_cast<std::byte>(text[i]);
    }
    return out;
}

inline std::string text_of(std::span<const std::byte> bytes) {
    std::string out(bytes.size(), '\0');
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        out[i] = static_cast<char>(bytes[i]);
    }
    return out;
}

}  // namespace nfv::platform::io::test
