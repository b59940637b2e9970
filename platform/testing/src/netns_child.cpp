#include "nfv/platform/testing/netns_child.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <unistd.h>

namespace nfv::platform::testing {

namespace {

constexpr int kExitPass = 0;
constexpr int kExitFail = 1;
constexpr int kExitSkip = 77;

void write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n <= 0) {
            return;
        }
        done += static_cast<std::size_t>(n);
    }
}

bool bring_loopback_up() {
    const int s = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        return false;
    }
    ifreq request{};
    std::memcpy(request.ifr_name, "lo", 3);
    bool ok = ::ioctl(s, SIOCGIFFLAGS, &request) == 0;
    request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
    ok = ok && ::ioctl(s, SIOCSIFFLAGS, &request) == 0;
    ::close(s);
    return ok;
}

[[noreturn]] void child_main(int report_fd, const std::function<std::string()>& body) {
    if (::unshare(CLONE_NEWNET) != 0) {
        write_all(report_fd, std::string("unshare(CLONE_NEWNET) failed: ") + std::strerror(errno));
        ::_exit(kExitSkip);
    }
    if (!bring_loopback_up()) {
        write_all(report_fd, "could not bring lo up in the new namespace");
        ::_exit(kExitFail);
    }
    const std::string failure = body();
    write_all(report_fd, failure);
    ::_exit(failure.empty() ? kExitPass : kExitFail);
}

}  // namespace

std::optional<std::string> netns_unavailable_reason() {
    if (::geteuid() != 0) {
        return "needs root (CAP_NET_ADMIN) to create a network namespace";
    }
    if (::access("/dev/net/tun", R_OK | W_OK) != 0) {
        return "/dev/net/tun is missing or not accessible";
    }
    return std::nullopt;
}

NetnsOutcome run_in_new_netns(const std::function<std::string()>& body,
                              std::chrono::seconds limit) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return {NetnsOutcome::Kind::kFailed, std::string("pipe2: ") + std::strerror(errno)};
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        return {NetnsOutcome::Kind::kFailed, std::string("fork: ") + std::strerror(errno)};
    }
    if (pid == 0) {
        ::close(fds[0]);
        child_main(fds[1], body);
    }
    ::close(fds[1]);

    // Collect the report until the child closes the pipe (it exits) or the time runs out.
    std::string message;
    bool timed_out = false;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        const int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            timed_out = ready == 0;
            break;
        }
        char buffer[512];
        const ssize_t n = ::read(fds[0], buffer, sizeof(buffer));
        if (n <= 0) {
            break;
        }
        message.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    if (timed_out) {
        ::kill(pid, SIGKILL);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out) {
        return {NetnsOutcome::Kind::kFailed,
                "child timed out after " + std::to_string(limit.count()) + " s; " + message};
    }
    if (WIFEXITED(status)) {
        switch (WEXITSTATUS(status)) {
            case kExitPass:
                return {NetnsOutcome::Kind::kPassed, message};
            case kExitSkip:
                return {NetnsOutcome::Kind::kSkipped, message};
            default:
                return {NetnsOutcome::Kind::kFailed, message};
        }
    }
    return {NetnsOutcome::Kind::kFailed,
            "child died by signal " + std::to_string(WTERMSIG(status)) + "; " + message};
}

}  // namespace nfv::platform::testing
