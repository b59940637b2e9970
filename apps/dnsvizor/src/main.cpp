// nfv-dnsvizor: a dnsmasq-compatible DNS forwarder, cache and DHCP server.
//
// `nfv-dnsvizor [dnsmasq options]` reads dnsmasq's command line and config files
// (config/invocation.hpp) and then, like dnsmasq 2.90:
//   --help / --version   print and exit 0
//   --test               "nfv-dnsvizor: syntax check OK." and exit 0, or the error and exit 1
//   --print-config       the typed configuration as JSON (ours; dnsmasq has no such option)
//   otherwise            serve DNS (local data, forwarding, cache) and, when an IPv4 dhcp-range
//                        is configured, DHCPv4 in the same event loop, until SIGTERM/SIGINT.
//                        port=0 turns DNS off (DHCP only), as in dnsmasq.
// DHCP leases feed the DNS store: a leased host name answers A for name and name.domain and the
// PTR from the moment its ACK leaves (the lease is on disk first) until the lease ends.
// Exit codes follow dnsmasq: 1 configuration, 2 network (a socket cannot be bound), 3 file
// system (pid file, lease file), 5 anything else. Signals: SIGHUP re-reads hosts files and
// resolv.conf, clears the cache and re-reads dhcp-hostsfile/dhcp-hostsdir and /etc/ethers;
// SIGTERM/SIGINT write any lease not yet durable, then exit; SIGUSR1 logs statistics.
// Warnings (accepted but unsupported options, runtime limits) go to stderr as
// "nfv-dnsvizor: warning: ..." and to the log.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "nfv/platform/clock.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/io/privileges.hpp"
#include "nfv/platform/io/signal_watcher.hpp"
#include "nfv/platform/log.hpp"
#include "nfv/platform/metrics.hpp"
#include "nfv/platform/random.hpp"

#include "config/invocation.hpp"
#include "dhcp/dhcp_service.hpp"
#include "dhcp/option_mapper.hpp"
#include "dns/hosts_loader.hpp"
#include "dns/local_resolver.hpp"
#include "dns/resolv_conf.hpp"
#include "server/dns_service.hpp"
#include "server/listen_plan.hpp"

namespace nfv::dnsvizor {
namespace {

constexpr int kExitConfig = 1;
constexpr int kExitNetwork = 2;
constexpr int kExitFile = 3;
constexpr int kExitOther = 5;

void print_warning(const std::string& text) {
    std::fprintf(stderr, "nfv-dnsvizor: warning: %s\n", text.c_str());
}

std::string location(const config::SourceLocation& where) {
    if (where.from_command_line()) {
        return "command line";
    }
    return where.file + ":" + std::to_string(where.line);
}

void print_config_warnings(const config::DnsmasqConfig& config) {
    for (const auto& warning : config.warnings) {
        std::string text = location(warning.where) + ": ";
        if (!warning.option.empty()) {
            text += "option '" + warning.option + "': ";
        }
        print_warning(text + warning.message);
    }
}

std::optional<std::string> read_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The log sink dnsmasq's log-facility selects: "-" stderr, "/path" a file, else syslog; with -d
// (no-daemon) and no explicit facility, stderr.
std::unique_ptr<platform::LogSink> make_sink(const config::DnsmasqConfig& config) {
    const std::string& facility = config.dns.log.log_facility;
    if (facility == "-" || (facility.empty() && config.process.no_daemon)) {
        return std::make_unique<platform::StderrSink>();
    }
    if (!facility.empty() && facility.front() == '/') {
        auto file = platform::FileSink::open(facility);
        if (file) {
            return std::move(*file);
        }
        print_warning("log-facility=" + facility + ": " + file.error().message() +
                      "; logging to stderr");
        return std::make_unique<platform::StderrSink>();
    }
    const int code = platform::parse_syslog_facility(facility.empty() ? "daemon" : facility)
                         .value_or(platform::parse_syslog_facility("daemon").value_or(0));
    return std::make_unique<platform::SyslogSink>("dnsmasq", code);
}

// resolv.conf servers, unless no-resolv; problems are logged.
std::vector<dns::Upstream> read_resolv_conf(const dns::UpstreamSettings& upstream,
                                            platform::Logger& log) {
    std::vector<dns::Upstream> servers;
    if (upstream.no_resolv) {
        return servers;
    }
    const auto text = read_file(upstream.resolv_file);
    if (!text) {
        log.warn("failed to read " + upstream.resolv_file + ": " + std::strerror(errno));
        return servers;
    }
    const auto parsed = dns::parse_resolv_conf_detailed(*text);
    for (const auto& problem : parsed.problems) {
        log.warn(upstream.resolv_file + ":" + std::to_string(problem.line) + ": " +
                 problem.message);
    }
    for (const auto& address : parsed.nameservers) {
        servers.push_back(dns::Upstream{address, dns::kDefaultPort, ""});
        log.info("using nameserver " + address.to_string() + "#53");
    }
    return servers;
}

dns::HostsData read_hosts(const dns::LocalDataSettings& local, platform::Logger& log) {
    auto hosts = dns::load_hosts(local);
    for (const auto& problem : hosts.problems) {
        log.warn(dns::to_string(problem));
    }
    for (const auto& file : hosts.files) {
        log.info("read " + file.path + " - " + std::to_string(file.entries.size()) + " addresses");
    }
    return hosts;
}

// The DHCP runtime's knobs from the process and DNS settings: DHCP is served on the DNS
// interfaces (interface=/except-interface=) minus no-dhcp-interface=, as dnsmasq does.
dhcp::DhcpServiceParams dhcp_params(const config::DnsmasqConfig& config,
                                    const dhcp::DhcpImport& import,
                                    platform::MetricsRegistry& metrics) {
    dhcp::DhcpServiceParams params;
    params.dns_enabled = config.dns.listen.port != 0;
    params.log_dhcp = config.process.log_dhcp;
    params.quiet_dhcp = config.process.quiet_dhcp;
    params.interfaces = config.dns.listen.interfaces;
    params.except_interfaces = config.dns.listen.except_interfaces;
    params.except_interfaces.insert(params.except_interfaces.end(),
                                    import.no_dhcp_interfaces.begin(),
                                    import.no_dhcp_interfaces.end());
    params.metrics = &metrics;
    return params;
}

int run(const config::DnsmasqConfig& config) {
    print_config_warnings(config);
    if (!config.process.no_daemon && !config.process.keep_in_foreground) {
        print_warning(
            "running in the foreground: daemonizing (dnsmasq without -d/-k) is not "
            "implemented; use a service manager");
    }
    platform::SystemClock clock;
    auto sink = make_sink(config);
    platform::Logger log(
        *sink, clock, "dnsmasq",
        config.process.log_debug ? platform::LogLevel::kDebug : platform::LogLevel::kInfo);
    for (const auto& warning : config.warnings) {
        log.warn(location(warning.where) + ": " + warning.option + ": " + warning.message);
    }

    auto created = platform::io::EventLoop::create(clock);
    if (!created) {
        std::fprintf(stderr, "nfv-dnsvizor: %s\n", created.error().message().c_str());
        return kExitOther;
    }
    auto& loop = **created;
    platform::OsRandom random;
    platform::MetricsRegistry metrics;

    auto interfaces = server::system_interface_addresses();
    auto interface_addresses = [](std::string_view name) {
        std::vector<net::IpAddress> result;
        for (const auto& entry : server::system_interface_addresses()) {
            if (entry.interface == name) {
                result.push_back(entry.address);
            }
        }
        return result;
    };
    dns::LocalResolver resolver(config.dns, read_hosts(config.dns.local, log), interface_addresses);
    resolver.set_default_upstreams(read_resolv_conf(config.dns.upstream, log));

    // DHCP options are mapped (and checked) before any socket is opened: an error is a config
    // error, as for the DNS options.
    auto dhcp_import = dhcp::map_dhcp_options(config.dhcp);
    if (!dhcp_import) {
        std::fprintf(stderr, "nfv-dnsvizor: %s\n", dhcp_import.error().c_str());
        log.error(dhcp_import.error());
        return kExitConfig;
    }
    for (const auto& warning : dhcp_import->warnings) {
        print_warning(warning);
        log.warn(warning);
    }
    auto started =
        server::DnsService::start(loop, config.dns, resolver, random, metrics, log, interfaces);
    if (!started) {
        std::fprintf(stderr, "nfv-dnsvizor: %s\n", started.error().c_str());
        log.error(started.error());
        return kExitNetwork;
    }
    auto& service = **started;
    for (const auto& warning : service.warnings()) {
        print_warning(warning);
        log.warn(warning);
    }

    std::unique_ptr<dhcp::DhcpService> dhcp_service;
    if (dhcp_import->enabled()) {
        const auto params = dhcp_params(config, *dhcp_import, metrics);
        auto dhcp_started = dhcp::DhcpService::create(
            loop, std::move(*dhcp_import), params, log,
            [&resolver](const dhcp::LeaseNameChange& change) {
                if (change.added) {
                    resolver.set_lease_name(change.hostname, change.address);
                } else {
                    resolver.remove_lease_name(change.hostname, change.address);
                }
            });
        if (!dhcp_started) {
            std::fprintf(stderr, "nfv-dnsvizor: %s\n", dhcp_started.error().c_str());
            log.error(dhcp_started.error());
            // DhcpService::create names the lease file first when that is what failed.
            return dhcp_started.error().rfind("dhcp-leasefile", 0) == 0 ? kExitFile : kExitNetwork;
        }
        dhcp_service = std::move(*dhcp_started);
    }

    if (!config.process.user.empty() || !config.process.group.empty()) {
        platform::io::PrivilegeDrop drop{
            config.process.user,
            config.process.group,
            {platform::io::Capability::kNetBindService, platform::io::Capability::kNetAdmin,
             platform::io::Capability::kNetRaw}};
        const auto dropped = platform::io::apply_user_option(drop);
        if (!dropped) {
            std::fprintf(stderr, "nfv-dnsvizor: %s\n", dropped.error().c_str());
            return kExitOther;
        }
        if (*dropped) {
            std::fprintf(stderr, "nfv-dnsvizor: warning: %s\n", (*dropped)->c_str());
        }
    }

    const std::string& pid_file = config.process.pid_file;
    if (!pid_file.empty()) {
        std::ofstream out(pid_file, std::ios::trunc);
        out << getpid() << "\n";
        if (!out) {
            std::fprintf(stderr, "nfv-dnsvizor: cannot write pid file %s\n", pid_file.c_str());
            return kExitFile;
        }
    }

    auto signals = platform::io::SignalWatcher::create(
        loop, platform::io::SignalWatcher::kDefaultSignals, [&](int signal_number) {
            if (signal_number == SIGTERM || signal_number == SIGINT) {
                log.info("exiting on receipt of " +
                         std::string(signal_number == SIGTERM ? "SIGTERM" : "SIGINT"));
                loop.stop();
            } else if (signal_number == SIGHUP) {
                resolver.set_hosts(read_hosts(config.dns.local, log));
                resolver.set_default_upstreams(read_resolv_conf(config.dns.upstream, log));
                service.clear_cache();
                if (dhcp_service) {
                    dhcp_service->reload_hosts();  // dhcp-hostsfile/-hostsdir, read-ethers
                }
            } else if (signal_number == SIGUSR1) {
                service.log_statistics();
            }
        });
    if (!signals) {
        std::fprintf(stderr, "nfv-dnsvizor: %s\n", signals.error().message().c_str());
        return kExitOther;
    }

    log.info("started, version " NFV_VERSION " cachesize " + std::to_string(config.dns.cache.size));
    for (const auto& address : service.udp_addresses()) {
        log.info("listening on " + address.to_string());
    }
    auto ran = loop.run();
    if (dhcp_service) {
        dhcp_service->flush();  // nothing acknowledged is lost on SIGTERM
    }
    if (!pid_file.empty()) {
        std::remove(pid_file.c_str());
    }
    if (!ran) {
        std::fprintf(stderr, "nfv-dnsvizor: %s\n", ran.error().message().c_str());
        return kExitOther;
    }
    return 0;
}

}  // namespace
}  // namespace nfv::dnsvizor

int main(int argc, char** argv) {
    using namespace nfv::dnsvizor;
    std::vector<std::string_view> args;
    for (int i = 1; i < argc; ++i) {
        args.emplace_back(argv[i]);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    }
    auto invocation = config::parse_invocation(args);
    if (!invocation) {
        std::fprintf(stderr, "nfv-dnsvizor: %s\n", config::format(invocation.error()).c_str());
        return kExitConfig;
    }
    switch (invocation->mode) {
        case config::Mode::kHelp:
            std::fputs(config::help_text().c_str(), stdout);
            return 0;
        case config::Mode::kVersion:
            std::puts("nfv-dnsvizor version " NFV_VERSION
                      " (dnsmasq 2.90 compatible DNS forwarder, cache and DHCP server)");
            return 0;
        case config::Mode::kTest: {
            print_config_warnings(invocation->config);
            auto dhcp_import = dhcp::map_dhcp_options(invocation->config.dhcp);
            if (!dhcp_import) {
                std::fprintf(stderr, "nfv-dnsvizor: %s\n", dhcp_import.error().c_str());
                return kExitConfig;
            }
            for (const auto& warning : dhcp_import->warnings) {
                print_warning(warning);
            }
            std::puts("nfv-dnsvizor: syntax check OK.");
            return 0;
        }
        case config::Mode::kPrintConfig:
            std::puts(config::to_json(invocation->config).c_str());
            return 0;
        case config::Mode::kRun:
            break;
    }
    return run(invocation->config);
}
