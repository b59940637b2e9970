// Dropping root after the sockets and devices are open, as dnsmasq (`user=`/`group=`), openvpn
// (`user`/`group`) and nginx (`user`) do, keeping only the Linux capabilities an app still needs
// at run time (capabilities(7)): CAP_NET_BIND_SERVICE, CAP_NET_RAW, CAP_NET_ADMIN.
//
// Contract of drop_privileges():
//  * As root (euid 0): resolves the user and group (group defaults to the user's primary
//    group), removes every capability not in `keep` from the bounding set, keeps capabilities
//    across the uid change (PR_SET_KEEPCAPS), sets the supplementary groups to just `group`,
//    then the gid and the uid (real, effective and saved), and finally sets the permitted and
//    effective sets to exactly `keep` (inheritable empty). There is no way back to root.
//  * Not root: nothing can be dropped; succeeds when `user` is empty or already the current
//    user, fails otherwise (the caller decides whether that is a warning).
//  * Any failure leaves a message naming the step and errno; callers must exit on it, because
//    the process may be half-dropped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "nfv/platform/result.hpp"

namespace nfv::platform::io {

/// The capabilities an nfv app may keep (numbers from linux/capability.h).
enum class Capability : std::uint8_t {
    kNetBindService = 10,  // CAP_NET_BIND_SERVICE: bind ports below 1024 after a reload
    kNetAdmin = 12,        // CAP_NET_ADMIN: TUN, routes, addresses, ARP entries
    kNetRaw = 13,          // CAP_NET_RAW: raw/packet sockets, SO_BINDTODEVICE, ICMP ping check
};

struct PrivilegeDrop {
    std::string user;   // empty: stay as we are
    std::string group;  // empty: the user's primary group
    std::vector<Capability> keep;
};

/// Drops to `drop.user`/`drop.group` keeping only `drop.keep` (see the contract above).
[[nodiscard]] Result<void, std::string> drop_privileges(const PrivilegeDrop& drop);

/// What the apps' `user` option does: drop_privileges(), except in a process that was started
/// without root (euid != 0; the packaged systemd units start the apps as their own users with
/// ambient capabilities). There the option's purpose, not running as root, is already met, so
/// the process keeps its user and the result holds a note for a named warning instead of an
/// error. An unknown user or group is still an error. nullopt: dropped, or nothing to do.
[[nodiscard]] Result<std::optional<std::string>, std::string> apply_user_option(
    const PrivilegeDrop& drop);

/// The effective capability set of this thread as a bit mask (bit n = capability n).
[[nodiscard]] std::uint64_t effective_capabilities();

}  // namespace nfv::platform::io
