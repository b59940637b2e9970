// The OpenVPN management interface, server subset (`management IP PORT [pw-file]`): what
// monitoring tools (openvpn-monitor, Prometheus exporters, admin panels) use to list and kick
// clients.
//
// Reference: OpenVPN 2.6 doc/management-notes.txt and manage.c. Text lines end in "\r\n"; the
// greeting is ">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info".
// Commands implemented: help; status [1|2|3] (the status-file text, version 1 by default, as
// manage.c); kill <common name> | kill <ip:port>; load-stats; pid; version; state (the
// server's line); signal SIGHUP|SIGUSR1|SIGUSR2|SIGTERM; quit and exit. Other commands of the
// client side (hold, username, password, needok, ...) and log/echo/bytecount streaming answer
// "ERROR: ..." naming the command, so a tool sees the gap instead of a silent hang.
// With a password file, the first line must be the password ("ENTER PASSWORD:" prompt); a
// wrong one closes the connection.
// Sans-I/O: bytes in, text out; the runtime owns the sockets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nfv::vpn::server {

/// What the management commands act on (VpnServer implements it).
class ManagementBackend {
public:
    virtual ~ManagementBackend() = default;
    /// The status text in `version` (1, 2 or 3) with "\n" line ends.
    virtual std::string status_text(int version) = 0;
    /// Disconnects clients by common name or by "ip:port"; returns how many.
    virtual std::size_t kill(std::string_view common_name_or_address) = 0;
    struct LoadStats {
        std::size_t clients = 0;
        std::uint64_t bytes_in = 0;
        std::uint64_t bytes_out = 0;
    };
    virtual LoadStats load_stats() = 0;
    /// One of SIGHUP, SIGUSR1, SIGUSR2, SIGTERM (as if received by the process).
    virtual void signal(int signal_number) = 0;
    /// "1796340060,CONNECTED,SUCCESS,10.8.0.1,,,," (manage.c man_state_info for a server).
    virtual std::string state_line() = 0;
    virtual std::string version() = 0;
};

class ManagementSession {
public:
    /// `password`: from the pw-file, nullopt when none is configured.
    ManagementSession(ManagementBackend& backend, std::optional<std::string> password);

    /// What to send when the connection opens.
    [[nodiscard]] std::string greeting();
    /// Feeds bytes from the client; returns the text to send back.
    [[nodiscard]] std::string on_bytes(std::string_view bytes);
    /// True once the client quit or failed the password: close after sending the last output.
    [[nodiscard]] bool closed() const { return closed_; }

private:
    std::string command(std::string_view line);
    static std::string welcome();

    ManagementBackend& backend_;
    std::optional<std::string> password_;
    bool authenticated_;
    bool closed_ = false;
    std::string pending_;  // bytes of an unfinished line
};

/// Upper bound of one command line; longer input closes the connection.
inline constexpr std::size_t kMaxManagementLine = 4096;

}  // namespace nfv::vpn::server
