// nfv-tls-proxy: a TLS-terminating reverse proxy that routes by SNI (RFC 6066 §3).
//
// Flags: --config FILE (required to run), --check-config (load everything, including every
// certificate and key and the backends' names, then exit 0 or 1), --help, --version.
// Exit codes: 0 clean stop or valid config; 1 invalid config or start-up failure; 2 bad usage.
// Signals: SIGTERM/SIGINT stop gracefully (close_notify to every client, at most
// kStopGrace), SIGHUP reloads certificates and routes without touching established connections.
// Processes: one by default; with "workers" > 1 a master forks that many workers sharing the
// listeners (SO_REUSEPORT) and the session ticket keys, and passes signals on (run_master).
#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <sys/resource.h>
#include <sys/wait.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <unistd.h>

#include "nfv/platform/clock.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/privileges.hpp"
#include "nfv/platform/io/signal_watcher.hpp"
#include "nfv/platform/log.hpp"
#include "nfv/platform/metrics.hpp"
#include "nfv/platform/random.hpp"

#include "config.hpp"
#include "runtime/proxy.hpp"
#include "runtime/snapshot.hpp"
#include "ticket_keys.hpp"

namespace {

using nfv::tls_proxy::Config;
using nfv::tls_proxy::Snapshot;

constexpr const char* kUsage =
    "Usage: nfv-tls-proxy --config FILE [--check-config]\n"
    "       nfv-tls-proxy --help | --version\n"
    "\n"
    "A TLS-terminating reverse proxy that routes by SNI (replaces nginx stream+ssl,\n"
    "haproxy TLS termination). The JSON config is described in docs/nfv-tls-proxy.md,\n"
    "docs/tls-proxy-options.md and configs/tls-proxy/schema.json.\n"
    "\n"
    "Options:\n"
    "  --config FILE    the JSON configuration file\n"
    "  --check-config   load the configuration, certificates and backend names, report\n"
    "                   the first problem and exit 0 (valid) or 1 (invalid)\n"
    "  --help           print this text and exit\n"
    "  --version        print the version and exit\n"
    "\n"
    "Signals: SIGTERM/SIGINT stop gracefully; SIGHUP reloads certificates and routes.\n";

constexpr auto kStopGrace = std::chrono::seconds(5);

// Builds the snapshot of a parsed configuration: certificates, keys, routes. The error names
// the file and the JSON path.
std::shared_ptr<Snapshot> build_snapshot(nfv::tls_proxy::Config config,
                                         nfv::platform::MetricsRegistry& metrics,
                                         std::string& error,
                                         nfv::tls_proxy::TicketKeys* tickets = nullptr) {
    auto snapshot = Snapshot::build(std::move(config), std::time(nullptr), metrics, tickets);
    if (!snapshot) {
        error = snapshot.error().message;
        return nullptr;
    }
    return std::move(*snapshot);
}

// Reads and parses the file, then builds its snapshot (--check-config, a SIGHUP reload).
std::shared_ptr<Snapshot> load_snapshot(const std::string& path,
                                        nfv::platform::MetricsRegistry& metrics, std::string& error,
                                        nfv::tls_proxy::TicketKeys* tickets = nullptr) {
    auto config = nfv::tls_proxy::load_config(path);
    if (!config) {
        error = config.error().message;
        return nullptr;
    }
    return build_snapshot(std::move(*config), metrics, error, tickets);
}

// Many idle TLS connections need many descriptors: raise the soft limit to the hard one.
void raise_fd_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        (void)::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

using TicketSecret = std::array<std::byte, 32>;

// Ticket key material of rotation period number `epoch` (Unix time / period):
// HMAC-SHA256(secret, "nfv-tls-proxy ticket key" | epoch | block) for block = 0, 1, 2. Every
// worker derives the same keys from the master's secret at the same wall-clock boundaries, so
// a ticket issued by one worker resumes on any other.
std::array<std::byte, nfv::tls_proxy::TicketKeys::kMaterialSize> ticket_material(
    const TicketSecret& secret, std::uint64_t epoch) {
    std::array<std::byte, nfv::tls_proxy::TicketKeys::kMaterialSize> out{};
    std::size_t filled = 0;
    for (unsigned char block = 0; filled < out.size(); ++block) {
        std::string input = "nfv-tls-proxy ticket key";
        for (int shift = 56; shift >= 0; shift -= 8) {
            input.push_back(static_cast<char>((epoch >> shift) & 0xff));
        }
        input.push_back(static_cast<char>(block));
        std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
        unsigned int length = 0;
        HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
             reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac.data(),
             &length);
        const std::size_t take = std::min<std::size_t>(length, out.size() - filled);
        std::memcpy(out.data() + filled, mac.data(), take);
        filled += take;
    }
    return out;
}

// nginx's `user`: once the configuration is loaded, switch to the configured user, keeping only
// CAP_NET_BIND_SERVICE (to bind ports below 1024 now and on reload). No user: no change.
// A process started without root keeps its user (apply_user_option): a note to log.
nfv::Result<std::optional<std::string>, std::string> drop_to_configured_user(
    const nfv::tls_proxy::Config& config) {
    return nfv::platform::io::apply_user_option(nfv::platform::io::PrivilegeDrop{
        config.user, config.group, {nfv::platform::io::Capability::kNetBindService}});
}

// One worker: the event loop, the proxy and its signals. `worker` numbers the workers of a
// multi-process master (0 serves the metrics endpoint); `shared` says the listeners are shared.
// `config` is the configuration to start with (parsed by run(), or the master's, see
// run_master); a SIGHUP reload reads the file.
int run_worker(const std::string& config_path, std::size_t worker, bool shared,
               const TicketSecret& secret, const nfv::tls_proxy::Config& config) {
    nfv::platform::SystemClock clock;
    nfv::platform::StderrSink sink;
    nfv::platform::MetricsRegistry metrics;
    // Session ticket keys belong to the process (tickets survive reloads) and follow the
    // configured period, on wall-clock boundaries (see ticket_material).
    nfv::tls_proxy::TicketKeys tickets(nfv::tls_proxy::SessionTickets{}.rotation);
    std::string error;
    auto snapshot = build_snapshot(config, metrics, error, &tickets);
    if (!snapshot) {
        std::fprintf(stderr, "nfv-tls-proxy: %s\n", error.c_str());
        return 1;
    }
    tickets.set_rotation(snapshot->config().session_tickets.rotation);
    nfv::platform::Logger logger(sink, clock,
                                 shared ? "tls-proxy/" + std::to_string(worker) : "tls-proxy",
                                 snapshot->config().log_level);
    raise_fd_limit();
    std::signal(SIGPIPE, SIG_IGN);

    auto loop = nfv::platform::io::EventLoop::create(clock, nfv::tls_proxy::worker_loop_options());
    if (!loop) {
        logger.error("cannot create the event loop", {{"error", loop.error().message()}});
        return 1;
    }
    const auto period_of = [&tickets] {
        return std::max<std::int64_t>(
            1, std::chrono::duration_cast<std::chrono::seconds>(tickets.rotation()).count());
    };
    {
        // The key of the period before this one too: tickets issued just before a restart.
        const std::int64_t now_wall = std::time(nullptr);
        const auto epoch = static_cast<std::uint64_t>(now_wall / period_of());
        tickets.rotate((*loop)->now(), ticket_material(secret, epoch - 1));
        tickets.rotate((*loop)->now(), ticket_material(secret, epoch));
    }
    std::function<void()> rotate_tickets = [&] {
        const std::int64_t now_wall = std::time(nullptr);
        const std::int64_t period = period_of();
        tickets.rotate((*loop)->now(),
                       ticket_material(secret, static_cast<std::uint64_t>(now_wall / period)));
        logger.debug("session ticket key rotated", {{"keys", tickets.key_count()}});
        (void)(*loop)->add_timer_after(std::chrono::seconds(period - now_wall % period),
                                       rotate_tickets);
    };
    (void)(*loop)->add_timer_after(
        std::chrono::seconds(period_of() - std::time(nullptr) % period_of()), rotate_tickets);
    nfv::tls_proxy::ProxyOptions options;
    options.reuse_port = shared;
    options.serve_metrics = worker == 0;
    // Drop to the configured user before binding (certificates and keys were read above, as
    // the starting user): the listeners then belong to that user, and Linux lets a process
    // join an SO_REUSEPORT group only with the effective uid of the sockets already in it, so
    // a worker the master restarts (as that user) can bind beside the running ones.
    if (auto dropped = drop_to_configured_user(snapshot->config()); !dropped) {
        logger.error("cannot drop privileges", {{"error", dropped.error()}});
        return 1;
    } else if (*dropped) {
        logger.warn(**dropped);
    }
    auto proxy = nfv::tls_proxy::Proxy::start(**loop, logger, metrics, snapshot, options);
    if (!proxy) {
        logger.error("cannot start", {{"error", proxy.error()}});
        return 1;
    }
    bool stopping = false;
    auto signals = nfv::platform::io::SignalWatcher::create(
        **loop, nfv::platform::io::SignalWatcher::kDefaultSignals, [&](int signal_number) {
            if (signal_number == SIGHUP) {
                std::string reload_error;
                auto next = load_snapshot(config_path, metrics, reload_error, &tickets);
                if (!next) {
                    logger.error("reload failed; keeping the running configuration",
                                 {{"error", reload_error}});
                    return;
                }
                logger.set_level(next->config().log_level);
                tickets.set_rotation(next->config().session_tickets.rotation);
                (*proxy)->reload(std::move(next));
                return;
            }
            if (signal_number == SIGUSR1) {
                logger.info("status", {{"connections", (*proxy)->connection_count()}});
                return;
            }
            if (stopping) {
                return;
            }
            stopping = true;
            logger.info("stopping", {{"connections", (*proxy)->connection_count()}});
            (*proxy)->stop([&] { (*loop)->stop(); });
            (*loop)->add_timer_after(kStopGrace, [&] { (*loop)->stop(); });
        });
    if (!signals) {
        logger.error("cannot watch signals", {{"error", signals.error().message()}});
        return 1;
    }
    logger.info("started", {{"config", config_path}, {"routes", snapshot->config().routes.size()}});
    snapshot.reset();
    auto result = (*loop)->run();
    proxy->reset();
    if (!result) {
        logger.error("event loop failed", {{"error", result.error().message()}});
        return 1;
    }
    logger.info("stopped");
    return 0;
}

// Starts worker `index` in a child process; returns its pid, or -1 (errno) if fork failed.
// The child closes every descriptor it inherited beyond stdin/stdout/stderr (a restarted worker
// would otherwise hold the master's event loop), then loads and binds everything itself.
pid_t start_worker(const std::string& config_path, const nfv::tls_proxy::Config& config,
                   std::size_t index, const TicketSecret& secret) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        (void)::close_range(3, ~0U, 0);
        const int code = run_worker(config_path, index, true, secret, config);
        std::fflush(nullptr);
        ::_exit(code);
    }
    return pid;
}

// How often a crashing worker is started again (nginx restarts one that died of a signal): at
// most kMaxRestarts restarts within kRestartWindow, then the master gives up (stops the others,
// exits 1) and leaves it to the service manager.
constexpr std::size_t kMaxRestarts = 5;
constexpr auto kRestartWindow = std::chrono::seconds(60);

// The master of `workers` worker processes (like nginx's): it forks them (each loads the
// configuration and binds the listeners with SO_REUSEPORT), passes SIGHUP, SIGUSR1, SIGTERM and
// SIGINT on to them, and exits once they all have. A worker killed by a signal (a crash, the
// OOM killer, kill -9) is started again in its place, within the restart budget above. A worker
// that exits on its own (a configuration that no longer loads, a fatal error it reported) stops
// the others and the master exits 1, leaving the restart to the service manager.
// Like nginx's master, it holds the configuration its workers run: the one parsed at start and
// at each SIGHUP that parses (it reads the file before passing the signal on). A worker started
// in place of a dead one starts from that, not from the file, which may have been edited since
// without a reload.
int run_master(const std::string& config_path, nfv::tls_proxy::Config config, std::size_t workers,
               const TicketSecret& secret) {
    nfv::platform::SystemClock clock;
    nfv::platform::StderrSink sink;
    nfv::platform::Logger logger(sink, clock, "tls-proxy", config.log_level);
    // Signals stay blocked from here on: a worker inherits the mask, so a signal sent before
    // its SignalWatcher exists waits for it instead of killing it.
    sigset_t set;
    sigemptyset(&set);
    for (const int signal_number : nfv::platform::io::SignalWatcher::kDefaultSignals) {
        sigaddset(&set, signal_number);
    }
    ::sigprocmask(SIG_BLOCK, &set, nullptr);
    struct Worker {
        pid_t pid;
        std::size_t index;  // run_worker's `worker` (0 serves the metrics endpoint)
    };
    std::vector<Worker> running;
    const auto signal_all = [&running](int signal_number) {
        for (const Worker& w : running) {
            ::kill(w.pid, signal_number);
        }
    };
    for (std::size_t i = 0; i < workers; ++i) {
        const pid_t pid = start_worker(config_path, config, i, secret);
        if (pid < 0) {
            logger.error("cannot start a worker", {{"error", std::strerror(errno)}});
            signal_all(SIGTERM);
            return 1;
        }
        running.push_back({pid, i});
    }
    // The master only signals, reaps and restarts its workers: it drops to the same user (which
    // may still signal them, and whose restarted workers keep CAP_NET_BIND_SERVICE).
    if (auto dropped = drop_to_configured_user(config); !dropped) {
        logger.error("cannot drop privileges", {{"error", dropped.error()}});
        signal_all(SIGTERM);
        return 1;
    }  // a note (started without root) was logged by the workers
    auto loop = nfv::platform::io::EventLoop::create(clock);
    if (!loop) {
        logger.error("cannot create the event loop", {{"error", loop.error().message()}});
        signal_all(SIGTERM);
        return 1;
    }
    bool stopping = false;
    int exit_code = 0;
    const auto stop_all = [&] {
        if (!stopping) {
            stopping = true;
            signal_all(SIGTERM);
        }
    };
    auto signals = nfv::platform::io::SignalWatcher::create(
        **loop, nfv::platform::io::SignalWatcher::kDefaultSignals, [&](int signal_number) {
            if (signal_number == SIGHUP) {
                // The workers reload from the file themselves; the master keeps the
                // configuration for workers it may start later only if it loads as a whole
                // (parses, and its certificates, keys and backends load), as the workers only
                // switch to one that does: else a restarted worker starts from the running one.
                std::string error;
                nfv::platform::MetricsRegistry scratch;
                if (auto parsed = nfv::tls_proxy::load_config(config_path); !parsed) {
                    error = parsed.error().message;
                } else if (build_snapshot(*parsed, scratch, error)) {
                    config = std::move(*parsed);
                }
                if (!error.empty()) {
                    logger.warn(
                        "reload: the configuration does not load; workers started from "
                        "now on keep the running one",
                        {{"error", error}});
                }
            }
            if (signal_number == SIGHUP || signal_number == SIGUSR1) {
                signal_all(signal_number);
                return;
            }
            if (!stopping) {
                logger.info("stopping", {{"workers", running.size()}});
                stop_all();
            }
        });
    if (!signals) {
        logger.error("cannot watch signals", {{"error", signals.error().message()}});
        signal_all(SIGTERM);
        return 1;
    }
    std::vector<nfv::platform::Instant> restarts;  // within the last kRestartWindow
    // A worker that died: start it again if it was killed by a signal and the budget allows.
    const auto restart = [&](std::size_t index, int status) {
        const auto now = (*loop)->now();
        std::erase_if(restarts, [&](auto at) { return now - at >= kRestartWindow; });
        if (!WIFSIGNALED(status) || restarts.size() >= kMaxRestarts) {
            logger.error(
                WIFSIGNALED(status) ? "workers keep dying; giving up" : "worker exited; stopping",
                {{"worker", index}, {"restarts", restarts.size()}});
            return false;
        }
        const pid_t pid = start_worker(config_path, config, index, secret);
        if (pid < 0) {
            logger.error("cannot restart a worker", {{"error", std::strerror(errno)}});
            return false;
        }
        restarts.push_back(now);
        running.push_back({pid, index});
        logger.warn("worker restarted",
                    {{"worker", index}, {"pid", static_cast<std::int64_t>(pid)}});
        return true;
    };
    // Reap workers (bounded poll; SIGCHLD is not among the watched signals).
    std::function<void()> reap = [&] {
        int status = 0;
        pid_t pid = 0;
        while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
            const auto it = std::ranges::find(running, pid, &Worker::pid);
            if (it == running.end()) {
                continue;
            }
            const std::size_t index = it->index;
            running.erase(it);
            const bool clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;
            if (stopping && clean) {
                continue;
            }
            logger.error(
                "worker exited",
                {{"worker", index},
                 {"pid", static_cast<std::int64_t>(pid)},
                 {"status", static_cast<std::int64_t>(WIFSIGNALED(status) ? 128 + WTERMSIG(status)
                                                                          : WEXITSTATUS(status))}});
            if (stopping || !restart(index, status)) {
                exit_code = 1;
                stop_all();
            }
        }
        if (running.empty()) {
            (*loop)->stop();
            return;
        }
        (void)(*loop)->add_timer_after(std::chrono::milliseconds(100), reap);
    };
    (void)(*loop)->add_timer_after(std::chrono::milliseconds(100), reap);
    logger.info("started", {{"config", config_path}, {"workers", workers}});
    if (auto r = (*loop)->run(); !r) {
        logger.error("event loop failed", {{"error", r.error().message()}});
        signal_all(SIGTERM);
        return 1;
    }
    logger.info("stopped");
    return exit_code;
}

int run(const std::string& config_path) {
    // Parsed once here, so that a bad configuration is reported once, by the master.
    auto config = nfv::tls_proxy::load_config(config_path);
    if (!config) {
        std::fprintf(stderr, "nfv-tls-proxy: %s\n", config.error().message.c_str());
        return 1;
    }
    TicketSecret secret{};
    nfv::platform::OsRandom().fill(secret);
    std::size_t workers = config->workers;
    if (workers == 0) {
        workers = static_cast<std::size_t>(std::max(1L, ::sysconf(_SC_NPROCESSORS_ONLN)));
    }
    if (workers == 1) {
        return run_worker(config_path, 0, false, secret, *config);
    }
    // Certificates and keys too, before any worker starts.
    std::string error;
    nfv::platform::MetricsRegistry scratch;
    if (!build_snapshot(*config, scratch, error)) {
        std::fprintf(stderr, "nfv-tls-proxy: %s\n", error.c_str());
        return 1;
    }
    return run_master(config_path, std::move(*config), workers, secret);
}

}  // namespace

int main(int argc, char** argv) {
    std::string config_path;
    bool check_only = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg(
            argv[i]);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
        if (arg == "--help" || arg == "-h") {
            std::fputs(kUsage, stdout);
            return 0;
        }
        if (arg == "--version") {
            std::puts("nfv-tls-proxy " NFV_VERSION);
            return 0;
        }
        if (arg == "--check-config") {
            check_only = true;
        } else if (arg == "--config" && i + 1 < argc) {
            config_path = argv[++i];  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
        } else if (arg.starts_with("--config=")) {
            config_path = std::string(arg.substr(9));
        } else {
            std::fprintf(stderr, "nfv-tls-proxy: unknown option '%s'; see --help\n",
                         std::string(arg).c_str());
            return 2;
        }
    }
    if (config_path.empty()) {
        std::fputs("nfv-tls-proxy: --config FILE is required; see --help\n", stderr);
        return 2;
    }
    if (check_only) {
        nfv::platform::MetricsRegistry metrics;
        std::string error;
        if (!load_snapshot(config_path, metrics, error)) {
            std::fprintf(stderr, "nfv-tls-proxy: %s\n", error.c_str());
            return 1;
        }
        std::printf("%s: configuration OK\n", config_path.c_str());
        return 0;
    }
    return run(config_path);
}
