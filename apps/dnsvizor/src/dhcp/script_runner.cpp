#include "dhcp/script_runner.hpp"

#include <cerrno>
#include <cstring>
#include <vector>

#include <sys/syscall.h>
#include <sys/wait.h>

#include <poll.h>
#include <spawn.h>
#include <unistd.h>

extern char** environ;

namespace nfv::dnsvizor::dhcp {

ScriptRunner::ScriptRunner(platform::io::EventLoop& loop, platform::Logger& log)
    : log_(log.with_component("dhcp-script")), watch_(loop, *this, 0) {}

ScriptRunner::~ScriptRunner() {
    watch_.disarm();
    reap(true);
    if (!queue_.empty())
        log_.warn("exiting: " + std::to_string(queue_.size()) +
                  " queued dhcp-script calls dropped");
}

void ScriptRunner::run(ScriptCall call) {
    if (queue_.size() >= kMaxQueued) {
        ++dropped_;
        log_.warn("dhcp-script queue full; call dropped: " + call.argv.at(1) + " " +
                  call.argv.at(3));
        return;
    }
    queue_.push_back(std::move(call));
    if (pid_ <= 0)
        start_next();
}

void ScriptRunner::start_next() {
    while (pid_ <= 0 && !queue_.empty()) {
        ScriptCall call = std::move(queue_.front());
        queue_.pop_front();
        std::vector<char*> argv;
        for (auto& arg : call.argv)
            argv.push_back(arg.data());
        argv.push_back(nullptr);
        std::vector<char*> envp;
        for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
            if (std::strncmp(*e, "DNSMASQ_", 8) != 0)  // ours replace inherited ones
                envp.push_back(*e);
        }
        for (auto& entry : call.environment)
            envp.push_back(entry.data());
        envp.push_back(nullptr);
        pid_t pid = -1;
        const int error = ::posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data());
        ++started_;
        if (error != 0) {
            ++failed_;
            log_.warn("cannot run " + call.argv[0] + ": " + std::strerror(error));
            continue;
        }
        const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
        pid_ = pid;
        running_ = call.argv[0] + " " + call.argv[1];
        if (pidfd < 0) {
            // No pidfd (very old kernel): wait here rather than lose the exit status.
            reap(true);
            continue;
        }
        pidfd_ = platform::io::UniqueFd(pidfd);
        watch_.arm(pidfd, POLLIN, false);
    }
}

void ScriptRunner::reap(bool wait) {
    if (pid_ <= 0)
        return;
    int status = 0;
    pid_t done = -1;
    do {
        done = ::waitpid(pid_, &status, wait ? 0 : WNOHANG);
    } while (done < 0 && errno == EINTR);
    if (done == 0)
        return;  // still running
    if (done > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        ++failed_;
        log_.warn(running_ + " failed: " +
                  (WIFEXITED(status) ? "exit code " + std::to_string(WEXITSTATUS(status))
                                     : std::string("killed by a signal")));
    }
    pid_ = -1;
    pidfd_ = platform::io::UniqueFd();
}

void ScriptRunner::on_ready(int /*tag*/, std::uint32_t /*revents*/) {
    reap(false);
    if (pid_ > 0) {
        watch_.arm(pidfd_.get(), POLLIN, false);
        return;
    }
    start_next();
}

}  // namespace nfv::dnsvizor::dhcp
