// nfv-tls-proxy: a TLS-terminating reverse proxy that routes by SNI (RFC 6066 §3).
//
// Flags: --config FILE (required to run), --check-config (load everything, including every
// certificate and key and the backends' names, then exit 0 or 1), --help, --version.
// Exit codes: 0 clean stop or valid config; 1 invalid config or start-up failure; 2 bad usage.
// Signals: SIGTERM/SIGINT stop gracefully (close_notify to every client, at most
// kStopGrace), SIGHUP reloads certificates and routes without touching established connections.
#include <array>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <functional>
#include <string>
#include <string_view>

#include <sys/resource.h>

#include "nfv/platform/clock.hpp"
#include "nfv/platform/io/event_loop.hpp"
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
    "haproxy TLS termination). The JSON config is described in docs/tls-proxy.md and\n"
    "configs/tls-proxy/schema.json.\n"
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

// Loads the file and everything it refers to; prints the error (naming file and JSON path).
std::shared_ptr<Snapshot> load_snapshot(const std::string& path,
                                        nfv::platform::MetricsRegistry& metrics, std::string& error,
                                        nfv::tls_proxy::TicketKeys* tickets = nullptr) {
    auto config = nfv::tls_proxy::load_config(path);
    if (!config) {
        error = config.error().message;
        return nullptr;
    }
    auto snapshot = Snapshot::build(std::move(*config), std::time(nullptr), metrics, tickets);
    if (!snapshot) {
        error = snapshot.error().message;
        return nullptr;
    }
    return std::move(*snapshot);
}

// Many idle TLS connections need many descriptors: raise the soft limit to the hard one.
void raise_fd_limit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        (void)::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

int run(const std::string& config_path) {
    nfv::platform::SystemClock clock;
    nfv::platform::StderrSink sink;
    nfv::platform::MetricsRegistry metrics;
    // Session ticket keys belong to the process (tickets survive reloads); the period is the
    // configuration's, applied from the next rotation after a reload changes it.
    nfv::tls_proxy::TicketKeys tickets(nfv::tls_proxy::SessionTickets{}.rotation);
    std::string error;
    auto snapshot = load_snapshot(config_path, metrics, error, &tickets);
    if (!snapshot) {
        std::fprintf(stderr, "nfv-tls-proxy: %s\n", error.c_str());
        return 1;
    }
    tickets.set_rotation(snapshot->config().session_tickets.rotation);
    nfv::platform::Logger logger(sink, clock, "tls-proxy", snapshot->config().log_level);
    raise_fd_limit();
    std::signal(SIGPIPE, SIG_IGN);

    auto loop = nfv::platform::io::EventLoop::create(clock);
    if (!loop) {
        logger.error("cannot create the event loop", {{"error", loop.error().message()}});
        return 1;
    }
    nfv::platform::OsRandom random;
    std::function<void()> rotate_tickets = [&] {
        std::array<std::byte, nfv::tls_proxy::TicketKeys::kMaterialSize> material{};
        random.fill(material);
        tickets.rotate((*loop)->now(), material);
        logger.debug("session ticket key rotated", {{"keys", tickets.key_count()}});
        (void)(*loop)->add_timer(tickets.next_rotation(), rotate_tickets);
    };
    rotate_tickets();
    auto proxy = nfv::tls_proxy::Proxy::start(**loop, logger, metrics, snapshot);
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
