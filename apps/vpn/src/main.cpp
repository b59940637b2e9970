// nfv-vpn: an OpenVPN 2.6 compatible VPN. Command line as openvpn's: `nfv-vpn --config FILE
// [--directive args ...]`, every config directive also works as an option; plus --check-config.
#include <array>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "nfv/platform/clock.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/privileges.hpp"
#include "nfv/platform/io/signal_watcher.hpp"
#include "nfv/platform/log.hpp"
#include "nfv/platform/random.hpp"

#include "client/vpn_client.hpp"
#include "config/check_config.hpp"
#include "config/config_loader.hpp"
#include "server/vpn_server.hpp"

namespace {

constexpr const char* kUsage =
    "Usage: nfv-vpn --config FILE [--DIRECTIVE [ARGS...] ...]\n"
    "       nfv-vpn --check-config --config FILE [...]\n"
    "\n"
    "An OpenVPN 2.6 compatible VPN. It reads OpenVPN configuration files as they are\n"
    "(client.ovpn with inline <ca>/<cert>/<key>/<tls-auth>/<tls-crypt> blocks), and every\n"
    "directive can also be given on the command line as --directive args, as with openvpn.\n"
    "\n"
    "Implemented: client mode over UDP and TCP; tls-auth, tls-crypt and tls-crypt-v2\n"
    "(with dynamic tls-crypt); AES-128/256-GCM, CHACHA20-POLY1305 and AES-CBC with HMAC\n"
    "data channels (P_DATA_V2 with peer-id); EKM or legacy key derivation; pushed ifconfig,\n"
    "routes, route-gateway, topology, redirect-gateway, DNS (to up/down scripts as\n"
    "foreign_option_N), ping/ping-restart; renegotiation by time, bytes and packets;\n"
    "up/route-up/route-pre-down/down scripts; explicit-exit-notify.\n"
    "Server mode (server/server-ipv6 or mode server + tls-server) over UDP and TCP,\n"
    "several sockets in one process with OpenVPN 2.7's `local HOST PORT [PROTO]` lines:\n"
    "the same control-channel wraps and data ciphers, client certificates (crl-verify),\n"
    "the address pool with ifconfig-pool-persist, client-config-dir, push, iroute,\n"
    "client-to-client, duplicate-cn, float; tls-crypt-v2-verify, tls-verify,\n"
    "auth-user-pass-verify (via-file,\n"
    "via-env), client-connect and client-disconnect scripts; OpenVPN's status file "
    "(status-version\n"
    "1, 2, 3); the management interface over TCP (status, kill, load-stats, signal,\n"
    "state, version, pid).\n"
    "Not yet: compression framing, a client's status file and management interface, a\n"
    "management unix socket (named warnings).\n"
    "\n"
    "Options:\n"
    "  --config FILE   read directives from FILE (may be repeated, processed in order)\n"
    "  --check-config  validate the configuration and every file it names, then exit\n"
    "                  (0 = usable, 1 = errors; warnings are printed either way)\n"
    "  --no-offload    plain TUN and UDP I/O: no TCP segmentation offload on the TUN, no\n"
    "                  UDP GSO/GRO (by default bulk TCP through the tunnel is read and\n"
    "                  written 64 KiB at a time; the wire format is the same either way)\n"
    "  --help          print this text and exit\n"
    "  --version       print the version and exit\n"
    "\n"
    "Signals: SIGTERM/SIGINT exit (a client sends explicit-exit-notify if configured; a\n"
    "server tells every client to reconnect and writes ifconfig-pool-persist),\n"
    "SIGUSR2 logs a server's statistics (clients, drop counters),\n"
    "SIGHUP/SIGUSR1 restart the connection (a server restarts every client session;\n"
    "the configuration is not re-read).\n";

void print_diagnostics(const nfv::vpn::config::Diagnostics& diagnostics) {
    for (const auto& warning : diagnostics.warnings) {
        std::fprintf(stderr, "nfv-vpn: warning: %s\n", warning.to_string().c_str());
    }
    for (const auto& error : diagnostics.errors) {
        std::fprintf(stderr, "nfv-vpn: error: %s\n", error.to_string().c_str());
    }
}

bool write_pid_file(const std::string& path) {
    std::ofstream out(path, std::ios::trunc);
    out << ::getpid() << '\n';
    return static_cast<bool>(out);
}

nfv::platform::LogLevel level_for_verb(std::uint32_t verb) {
    if (verb == 0) {
        return nfv::platform::LogLevel::kError;
    }
    if (verb <= 2) {
        return nfv::platform::LogLevel::kWarn;
    }
    if (verb <= 4) {
        return nfv::platform::LogLevel::kInfo;
    }
    return nfv::platform::LogLevel::kDebug;
}

// Server mode: the VpnServer on the loop until SIGTERM/SIGINT.
int run_server(nfv::platform::io::EventLoop& loop, nfv::platform::Logger& log,
               const nfv::vpn::config::VpnConfig& config, nfv::vpn::config::FileReader& reader,
               nfv::platform::Random& random) {
    auto server = nfv::vpn::server::VpnServer::create(loop, log, config, reader, random);
    if (!server) {
        std::fprintf(stderr, "nfv-vpn: error: %s\n", server.error().c_str());
        return 1;
    }
    (*server)->set_status_title("nfv-vpn " NFV_VERSION);
    // OpenVPN's server signals: TERM/INT stop, HUP/USR1 restart, USR2 logs the statistics.
    static constexpr std::array<int, 5> kServerSignals = {SIGTERM, SIGINT, SIGHUP, SIGUSR1,
                                                          SIGUSR2};
    auto signals =
        nfv::platform::io::SignalWatcher::create(loop, kServerSignals, [&](int signal_number) {
            if (signal_number == SIGTERM || signal_number == SIGINT) {
                (*server)->shutdown(signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
            } else if (signal_number == SIGUSR2) {
                (*server)->log_statistics();
            } else {
                (*server)->restart(signal_number == SIGHUP ? "SIGHUP" : "SIGUSR1");
            }
        });
    if (!signals) {
        std::fprintf(stderr, "nfv-vpn: error: signals: %s\n", signals.error().message().c_str());
        return 1;
    }
    if (!config.writepid.empty() && !write_pid_file(config.writepid)) {
        std::fprintf(stderr, "nfv-vpn: error: writepid %s: cannot write\n",
                     config.writepid.c_str());
        return 1;
    }
    if (auto started = (*server)->start(); !started) {
        std::fprintf(stderr, "nfv-vpn: error: %s\n", started.error().c_str());
        return 1;
    }
    if (!config.user.empty()) {
        // The TUN is configured and the port bound: keep only NET_ADMIN (routes for iroutes
        // and the teardown at exit).
        const auto dropped = nfv::platform::io::apply_user_option(
            {config.user, config.group, {nfv::platform::io::Capability::kNetAdmin}});
        if (!dropped) {
            std::fprintf(stderr, "nfv-vpn: error: user %s: %s\n", config.user.c_str(),
                         dropped.error().c_str());
            return 1;
        }
        if (*dropped) {
            std::fprintf(stderr, "nfv-vpn: warning: %s\n", (*dropped)->c_str());
        }
    }
    if (auto ran = loop.run(); !ran) {
        std::fprintf(stderr, "nfv-vpn: error: event loop: %s\n", ran.error().message().c_str());
        return 1;
    }
    return (*server)->exit_code();
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args;
    bool check_only = false;
    bool no_offload = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(
            argv[i]);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (arg == "--version") {
            std::puts("nfv-vpn " NFV_VERSION " (OpenVPN 2.6 protocol)");
            return 0;
        }
        if (arg == "--check-config") {
            check_only = true;
            continue;
        }
        if (arg == "--no-offload") {
            no_offload = true;
            continue;
        }
        args.emplace_back(arg);
    }
    if (args.empty()) {
        std::fputs(kUsage, stderr);
        return 1;
    }
    nfv::vpn::config::DiskFileReader reader;
    const auto checked = nfv::vpn::config::check_command_line(args, reader);
    print_diagnostics(checked.diagnostics);
    if (!checked.config || !checked.diagnostics.ok()) {
        return 1;
    }
    if (check_only) {
        std::puts("nfv-vpn: configuration OK");
        return 0;
    }
    auto config = *checked.config;
    config.offload = !no_offload;
    if (config.daemon) {
        std::fputs(
            "nfv-vpn: warning: daemon: not forking; running in the foreground (use a "
            "service manager)\n",
            stderr);
    }

    nfv::platform::SystemClock clock;
    nfv::platform::OsRandom random;
    nfv::platform::StderrSink stderr_sink;
    std::unique_ptr<nfv::platform::FileSink> file_sink;
    if (!config.log.empty()) {
        if (!config.log_append) {
            ::truncate(config.log.c_str(), 0);
        }
        auto opened = nfv::platform::FileSink::open(config.log);
        if (!opened) {
            std::fprintf(stderr, "nfv-vpn: error: log %s: %s\n", config.log.c_str(),
                         opened.error().message().c_str());
            return 1;
        }
        file_sink = std::move(*opened);
    }
    nfv::platform::LogSink& sink =
        file_sink ? static_cast<nfv::platform::LogSink&>(*file_sink) : stderr_sink;
    nfv::platform::Logger log(sink, clock, "nfv-vpn", level_for_verb(config.verb));

    auto loop = nfv::platform::io::EventLoop::create(clock);
    if (!loop) {
        std::fprintf(stderr, "nfv-vpn: error: io_uring: %s\n", loop.error().message().c_str());
        return 1;
    }
    if (config.role == nfv::vpn::config::Role::kServer) {
        return run_server(**loop, log, config, reader, random);
    }
    auto client =
        nfv::vpn::client::VpnClient::create(**loop, log, config, reader, random, NFV_VERSION);
    if (!client) {
        std::fprintf(stderr, "nfv-vpn: error: %s\n", client.error().c_str());
        return 1;
    }
    auto signals = nfv::platform::io::SignalWatcher::create(
        **loop, nfv::platform::io::SignalWatcher::kDefaultSignals, [&](int signal_number) {
            if (signal_number == SIGTERM || signal_number == SIGINT) {
                (*client)->shutdown(signal_number == SIGTERM ? "SIGTERM" : "SIGINT");
            } else {
                (*client)->restart(signal_number == SIGHUP ? "SIGHUP" : "SIGUSR1");
            }
        });
    if (!signals) {
        std::fprintf(stderr, "nfv-vpn: error: signals: %s\n", signals.error().message().c_str());
        return 1;
    }
    if (!config.writepid.empty() && !write_pid_file(config.writepid)) {
        std::fprintf(stderr, "nfv-vpn: error: writepid %s: cannot write\n",
                     config.writepid.c_str());
        return 1;
    }
    (*client)->start();
    if (!config.user.empty()) {
        // Keep what reconnects need: routes and the TUN device (NET_ADMIN), a low lport.
        const auto dropped = nfv::platform::io::apply_user_option(
            {config.user,
             config.group,
             {nfv::platform::io::Capability::kNetAdmin,
              nfv::platform::io::Capability::kNetBindService}});
        if (!dropped) {
            std::fprintf(stderr, "nfv-vpn: error: user %s: %s\n", config.user.c_str(),
                         dropped.error().c_str());
            return 1;
        }
        if (*dropped) {
            std::fprintf(stderr, "nfv-vpn: warning: %s\n", (*dropped)->c_str());
        }
    }
    if (auto ran = (*loop)->run(); !ran) {
        std::fprintf(stderr, "nfv-vpn: error: event loop: %s\n", ran.error().message().c_str());
        return 1;
    }
    const int code = (*client)->exit_code();
    client->reset();
    return code;
}
