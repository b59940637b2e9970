#include "nfv/platform/io/privileges.hpp"

#include <string>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include "nfv/platform/io/unique_fd.hpp"
#include "nfv/platform/testing/netns_child.hpp"

namespace nfv::platform::io {
namespace {

using testing::NetnsOutcome;

constexpr std::uint64_t bit(Capability cap) {
    return std::uint64_t{1} << static_cast<unsigned>(cap);
}

// Binds a TCP socket to 127.0.0.1:port; true on success.
bool can_bind(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return false;
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool bound =
        ::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;  // NOLINT
    ::close(fd);
    return bound;
}

void expect_passed(const NetnsOutcome& outcome) {
    if (outcome.kind == NetnsOutcome::Kind::kSkipped) {
        GTEST_SKIP() << outcome.message;
    }
    EXPECT_EQ(outcome.kind, NetnsOutcome::Kind::kPassed) << outcome.message;
}

class Privileges : public ::testing::Test {
protected:
    void SetUp() override {
        if (auto reason = testing::netns_unavailable_reason()) {
            GTEST_SKIP() << *reason;
        }
        if (getpwnam("nobody") == nullptr) {
            GTEST_SKIP() << "no 'nobody' user on this machine";
        }
    }
};

TEST_F(Privileges, DropsToUserAndKeepsOnlyTheNamedCapabilities) {
    expect_passed(testing::run_in_new_netns([]() -> std::string {
        const auto dropped = drop_privileges({"nobody", "", {Capability::kNetBindService}});
        if (!dropped) {
            return "drop failed: " + dropped.error();
        }
        const passwd* nobody = getpwnam("nobody");
        if (getuid() != nobody->pw_uid || geteuid() != nobody->pw_uid) {
            return "uid not changed";
        }
        if (getgid() != nobody->pw_gid || getegid() != nobody->pw_gid) {
            return "gid not the user's primary group";
        }
        if (effective_capabilities() != bit(Capability::kNetBindService)) {
            return "effective capabilities " + std::to_string(effective_capabilities());
        }
        // The kept capability still works: a privileged port can be bound.
        if (!can_bind(81)) {
            return "could not bind port 81 with CAP_NET_BIND_SERVICE";
        }
        if (setuid(0) == 0) {
            return "regained root";
        }
        return "";
    }));
}

TEST_F(Privileges, WithoutCapabilitiesPrivilegedPortsAreRefused) {
    expect_passed(testing::run_in_new_netns([]() -> std::string {
        const auto dropped = drop_privileges({"nobody", "nogroup", {}});
        if (!dropped) {
            return "drop failed: " + dropped.error();
        }
        if (effective_capabilities() != 0) {
            return "capabilities left: " + std::to_string(effective_capabilities());
        }
        if (can_bind(82)) {
            return "bound port 82 without CAP_NET_BIND_SERVICE";
        }
        return can_bind(8082) ? "" : "could not bind an unprivileged port";
    }));
}

TEST_F(Privileges, UnknownUserOrGroupIsAnErrorAndChangesNothing) {
    expect_passed(testing::run_in_new_netns([]() -> std::string {
        const auto user = drop_privileges({"nfv-no-such-user", "", {}});
        if (user || user.error().find("nfv-no-such-user") == std::string::npos) {
            return "unknown user not reported";
        }
        const auto group = drop_privileges({"nobody", "nfv-no-such-group", {}});
        if (group || group.error().find("nfv-no-such-group") == std::string::npos) {
            return "unknown group not reported";
        }
        return geteuid() == 0 ? "" : "privileges changed on error";
    }));
}

TEST_F(Privileges, UserOptionWithoutRootKeepsTheUserWithANote) {
    // As a packaged unit starts the apps: already unprivileged, `user nobody` in the config.
    expect_passed(testing::run_in_new_netns([]() -> std::string {
        const passwd* nobody = getpwnam("nobody");
        if (nobody == nullptr || setgid(nobody->pw_gid) != 0 || setuid(nobody->pw_uid) != 0) {
            return "cannot become nobody for the test";
        }
        const auto same = apply_user_option({"nobody", "", {}});
        if (!same || same->has_value()) {
            return "the current user should need no note";
        }
        const auto other = apply_user_option({"root", "", {}});
        if (!other || !other->has_value() || (*other)->find("user root") == std::string::npos) {
            return "another user should give a note, not an error";
        }
        const auto unknown = apply_user_option({"nfv-no-such-user", "", {}});
        if (unknown) {
            return "an unknown user must stay an error";
        }
        return geteuid() == nobody->pw_uid ? "" : "the user changed";
    }));
}

TEST(PrivilegesUnprivileged, EmptyUserIsANoOp) {
    EXPECT_TRUE(drop_privileges({}));
}

}  // namespace
}  // namespace nfv::platform::io
