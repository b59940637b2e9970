#include "nfv/platform/io/privileges.hpp"

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

namespace nfv::platform::io {
namespace {

// The highest capability number the running kernel knows (for the bounding-set loop).
int last_capability() {
    for (int cap = 63; cap >= 0; --cap) {
        if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0) {
            return cap;
        }
    }
    return CAP_LAST_CAP;
}

std::string failure(const std::string& step) {
    return step + ": " + std::strerror(errno);
}

struct Account {
    uid_t uid = 0;
    gid_t gid = 0;
};

Result<Account, std::string> resolve(const PrivilegeDrop& drop) {
    std::array<char, 4096> buffer{};
    passwd entry{};
    passwd* found = nullptr;
    if (getpwnam_r(drop.user.c_str(), &entry, buffer.data(), buffer.size(), &found) != 0 ||
        found == nullptr) {
        return Unexpected("unknown user '" + drop.user + "'");
    }
    Account account{entry.pw_uid, entry.pw_gid};
    if (!drop.group.empty()) {
        group group_entry{};
        group* group_found = nullptr;
        if (getgrnam_r(drop.group.c_str(), &group_entry, buffer.data(), buffer.size(),
                       &group_found) != 0 ||
            group_found == nullptr) {
            return Unexpected("unknown group '" + drop.group + "'");
        }
        account.gid = group_entry.gr_gid;
    }
    return account;
}

std::uint64_t mask_of(const std::vector<Capability>& keep) {
    std::uint64_t mask = 0;
    for (const auto cap : keep) {
        mask |= std::uint64_t{1} << static_cast<unsigned>(cap);
    }
    return mask;
}

bool set_capabilities(std::uint64_t mask) {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    std::array<__user_cap_data_struct, 2> data{};
    data[0].effective = static_cast<std::uint32_t>(mask);
    data[0].permitted = static_cast<std::uint32_t>(mask);
    data[1].effective = static_cast<std::uint32_t>(mask >> 32U);
    data[1].permitted = static_cast<std::uint32_t>(mask >> 32U);
    return syscall(SYS_capset, &header, data.data()) == 0;
}

}  // namespace

std::uint64_t effective_capabilities() {
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    std::array<__user_cap_data_struct, 2> data{};
    if (syscall(SYS_capget, &header, data.data()) != 0) {
        return 0;
    }
    return std::uint64_t{data[0].effective} | (std::uint64_t{data[1].effective} << 32U);
}

Result<void, std::string> drop_privileges(const PrivilegeDrop& drop) {
    if (drop.user.empty()) {
        return {};
    }
    auto account = resolve(drop);
    if (!account) {
        return Unexpected(account.error());
    }
    if (geteuid() != 0) {
        if (geteuid() == account->uid) {
            return {};
        }
        return Unexpected("not running as root, cannot change to user '" + drop.user + "'");
    }
    const std::uint64_t keep = mask_of(drop.keep);
    const int last = last_capability();
    for (int cap = 0; cap <= last; ++cap) {
        if ((keep & (std::uint64_t{1} << static_cast<unsigned>(cap))) == 0 &&
            prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
            return Unexpected(
                failure("dropping capability " + std::to_string(cap) + " from the bounding set"));
        }
    }
    if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) {
        return Unexpected(failure("prctl(PR_SET_KEEPCAPS)"));
    }
    const gid_t gid = account->gid;
    if (setgroups(1, &gid) != 0) {
        return Unexpected(failure("setgroups"));
    }
    if (setresgid(gid, gid, gid) != 0) {
        return Unexpected(failure("setresgid"));
    }
    if (setresuid(account->uid, account->uid, account->uid) != 0) {
        return Unexpected(failure("setresuid"));
    }
    if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) {
        return Unexpected(failure("prctl(PR_SET_KEEPCAPS, 0)"));
    }
    if (!set_capabilities(keep)) {
        return Unexpected(failure("capset"));
    }
    // Paranoia: a successful drop can never regain uid 0.
    if (account->uid != 0 && setuid(0) == 0) {
        return Unexpected(std::string("could regain root after dropping privileges"));
    }
    return {};
}

Result<std::optional<std::string>, std::string> apply_user_option(const PrivilegeDrop& drop) {
    if (drop.user.empty()) {
        return std::optional<std::string>{};
    }
    if (geteuid() != 0) {
        auto account = resolve(drop);
        if (!account) {
            return Unexpected(account.error());
        }
        if (geteuid() == account->uid) {
            return std::optional<std::string>{};
        }
        return std::optional<std::string>{
            "user " + drop.user +
            ": not switching users: the process was started without root (uid " +
            std::to_string(geteuid()) +
            ", e.g. by its systemd unit), which is what the option asks for"};
    }
    if (auto dropped = drop_privileges(drop); !dropped) {
        return Unexpected(dropped.error());
    }
    return std::optional<std::string>{};
}

}  // namespace nfv::platform::io
