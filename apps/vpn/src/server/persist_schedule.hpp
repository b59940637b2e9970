// When the server writes its ifconfig-pool-persist file (`ifconfig-pool-persist FILE
// [SECONDS]`, default 600).
//
// Reference: man openvpn 2.6: the file is read at startup and written every SECONDS and at
// shutdown; SECONDS 0 makes it read-only (never written, so an administrator's fixed
// assignments stay as they are). nfv-vpn writes the same content, but only when the name ->
// address list changed: the first change after a quiet period is written at once, later
// changes within SECONDS of the last write wait for the end of that interval (so a burst of
// connections costs one write), and a pending change is written at shutdown.
// Sans-I/O: the runtime reports changes and writes, and wakes at deadline().
#pragma once

#include <cstdint>
#include <optional>

#include "nfv/platform/time.hpp"

namespace nfv::vpn::server {

class PersistSchedule {
public:
    /// `seconds`: the directive's interval; 0 = read-only.
    explicit PersistSchedule(std::uint32_t seconds);

    /// The persisted list changed (a new name got an address).
    void changed(platform::Instant now);
    /// When the runtime should write the file next, or nullopt if nothing is pending.
    [[nodiscard]] std::optional<platform::Instant> deadline() const;
    /// True if the file should be written now.
    [[nodiscard]] bool due(platform::Instant now) const;
    /// The runtime wrote the file at `now`.
    void written(platform::Instant now);
    /// A write at `now` failed: the change stays pending and the next try waits one interval
    /// (never a busy retry loop).
    void attempted(platform::Instant now);
    /// True if a change is still unwritten (write it before exiting).
    [[nodiscard]] bool pending() const { return pending_; }
    [[nodiscard]] bool read_only() const { return interval_ == platform::Duration::zero(); }

private:
    platform::Duration interval_;
    bool pending_ = false;
    std::optional<platform::Instant> last_write_;
    platform::Instant first_change_{};
};

}  // namespace nfv::vpn::server
