// Runs dhcp-script calls one at a time without blocking the event loop (dnsmasq(8) runs them in
// order from a helper process; a slow script delays later calls, never DHCP replies).
//
// A call is started with posix_spawn (no shell); its exit is seen through a pidfd watched by the
// loop, and the next queued call starts then. The queue is bounded (kMaxQueued): beyond it a call
// is dropped and counted, with a warning. The destructor waits for a running script (bounded by
// the script itself, as dnsmasq's helper does at exit) and drops queued ones with a warning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

#include <sys/types.h>

#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/unique_fd.hpp"
#include "nfv/platform/log.hpp"

#include "dhcp/lease_script.hpp"

namespace nfv::dnsvizor::dhcp {

class ScriptRunner final : private platform::io::PollTarget {
public:
    static constexpr std::size_t kMaxQueued = 4096;

    ScriptRunner(platform::io::EventLoop& loop, platform::Logger& log);
    ~ScriptRunner();
    ScriptRunner(const ScriptRunner&) = delete;
    ScriptRunner& operator=(const ScriptRunner&) = delete;

    /// Queues a call; starts it at once when no script is running.
    void run(ScriptCall call);

    [[nodiscard]] std::uint64_t started() const { return started_; }
    [[nodiscard]] std::uint64_t failed() const { return failed_; }  // spawn error or exit != 0
    [[nodiscard]] std::uint64_t dropped() const { return dropped_; }
    [[nodiscard]] bool idle() const { return pid_ <= 0 && queue_.empty(); }

private:
    void on_ready(int tag, std::uint32_t revents) override;
    void start_next();
    void reap(bool wait);

    platform::Logger log_;
    platform::io::Watch watch_;
    std::deque<ScriptCall> queue_;
    pid_t pid_ = -1;
    platform::io::UniqueFd pidfd_;
    std::string running_;  // "script action" for log lines
    std::uint64_t started_ = 0;
    std::uint64_t failed_ = 0;
    std::uint64_t dropped_ = 0;
};

}  // namespace nfv::dnsvizor::dhcp
