// SignalWatcher: process signals (SIGTERM, SIGINT, SIGHUP, SIGUSR1 ...) delivered through the
// EventLoop via signalfd(2), so handlers run as ordinary loop callbacks (no async-signal-safety
// rules, no EINTR).
//
// Contract: create() blocks the signals with pthread_sigmask in the CALLING thread, which must be
// the loop thread. Create it before starting any other thread, so that they inherit the blocked
// mask and the kernel cannot deliver the signal to a thread that is not watching. The destructor
// closes the signalfd and restores the previous mask (a still-pending signal is then delivered
// with its default action).
#pragma once

#include <array>
#include <csignal>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>

#include "nfv/platform/io/error.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/unique_fd.hpp"

namespace nfv::platform::io {

class SignalWatcher final : private PollTarget {
public:
    using Handler = std::function<void(int signal_number)>;

    /// The signals an appliance handles: stop (TERM, INT), reload (HUP), status dump (USR1).
    static constexpr std::array<int, 4> kDefaultSignals = {SIGTERM, SIGINT, SIGHUP, SIGUSR1};

    /// Blocks `signals` and starts delivering them to `handler`, once per received signal
    /// (standard signals that arrive twice before the loop reads them coalesce, as usual).
    [[nodiscard]] static IoResult<std::unique_ptr<SignalWatcher>> create(
        EventLoop& loop, std::span<const int> signals, Handler handler);
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

    [[nodiscard]] std::uint64_t delivered() const { return delivered_; }

private:
    SignalWatcher(EventLoop& loop, UniqueFd fd, const sigset_t& previous, Handler handler);
    void on_ready(int tag, std::uint32_t revents) override;

    UniqueFd fd_;
    sigset_t previous_mask_;
    Handler handler_;
    Watch watch_;
    bool* destroyed_flag_ = nullptr;
    std::uint64_t delivered_ = 0;
};

}  // namespace nfv::platform::io
