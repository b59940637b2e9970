// run_in_new_netns: runs a test body in a forked child inside a fresh network namespace.
//
// The child calls unshare(CLONE_NEWNET), brings its loopback up, runs `body`, writes the body's
// message to a pipe and exits (0 = pass, 1 = fail, 77 = could not create the namespace). The
// parent waits at most `limit`, killing the child if it overruns, and returns the outcome; the
// namespace (and every interface created in it) disappears with the child, so cleanup happens on
// every path. The child never returns into the test framework (it leaves through _exit).
// Call it from a single-threaded test process (fork).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace nfv::platform::testing {

struct NetnsOutcome {
    enum class Kind { kPassed, kFailed, kSkipped };
    Kind kind = Kind::kFailed;
    std::string message;  // the body's text: failure details, or why it was skipped
};

/// The body returns an empty string on success, or a description of what failed.
NetnsOutcome run_in_new_netns(const std::function<std::string()>& body,
                              std::chrono::seconds limit = std::chrono::seconds(30));

/// Why namespace tests cannot run here (not root, no /dev/net/tun), or nullopt when they can.
std::optional<std::string> netns_unavailable_reason();

}  // namespace nfv::platform::testing
