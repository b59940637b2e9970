#include "nfv/platform/io/signal_watcher.hpp"

#include <cerrno>
#include <utility>

#include <sys/signalfd.h>

#include <poll.h>
#include <pthread.h>
#include <unistd.h>

namespace nfv::platform::io {

IoResult<std::unique_ptr<SignalWatcher>> SignalWatcher::create(EventLoop& loop,
                                                               std::span<const int> signals,
                                                               Handler handler) {
    sigset_t set;
    sigemptyset(&set);
    for (const int signal_number : signals) {
        if (sigaddset(&set, signal_number) != 0) {
            return Unexpected(last_error("sigaddset"));
        }
    }
    sigset_t previous;
    if (const int rc = ::pthread_sigmask(SIG_BLOCK, &set, &previous); rc != 0) {
        return Unexpected(make_error("pthread_sigmask", rc));
    }
    UniqueFd fd(::signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC));
    if (!fd.valid()) {
        const IoError error = last_error("signalfd");
        ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
        return Unexpected(error);
    }
    return std::unique_ptr<SignalWatcher>(
        new SignalWatcher(loop, std::move(fd), previous, std::move(handler)));
}

SignalWatcher::SignalWatcher(EventLoop& loop, UniqueFd fd, const sigset_t& previous,
                             Handler handler)
    : fd_(std::move(fd)),
      previous_mask_(previous),
      handler_(std::move(handler)),
      watch_(loop, *this, 0) {
    watch_.arm(fd_.get(), POLLIN, /*multishot=*/true);
}

SignalWatcher::~SignalWatcher() {
    if (destroyed_flag_ != nullptr) {
        *destroyed_flag_ = true;
    }
    fd_.reset();
    ::pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

void SignalWatcher::on_ready(int /*tag*/, std::uint32_t /*revents*/) {
    // signalfd_siginfo is a fixed 128-byte kernel ABI record; read whole records only.
    std::array<signalfd_siginfo, 8> infos{};
    for (;;) {
        const ssize_t n = ::read(fd_.get(), infos.data(), sizeof(infos));
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return;  // EAGAIN: drained
        }
        const auto count = static_cast<std::size_t>(n) / sizeof(signalfd_siginfo);
        for (std::size_t i = 0; i < count; ++i) {
            ++delivered_;
            if (handler_) {
                bool destroyed = false;
                destroyed_flag_ = &destroyed;
                handler_(static_cast<int>(infos[i].ssi_signo));
                if (destroyed) {
                    return;
                }
                destroyed_flag_ = nullptr;
            }
        }
        if (count < infos.size()) {
            return;
        }
    }
}

}  // namespace nfv::platform::io
