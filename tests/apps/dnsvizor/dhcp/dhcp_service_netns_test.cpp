// DhcpService against the real busybox udhcpc, in private network namespaces: the service runs
// in a fresh namespace (run_in_new_netns) on one end of a veth pair; udhcpc runs on the other
// end inside a second, named namespace. Needs root; skips with the reason otherwise.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include <sys/wait.h>

#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <unistd.h>

#include "nfv/platform/clock.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/log.hpp"
#include "nfv/platform/testing/netns_child.hpp"

#include "dhcp/dhcp_service.hpp"

extern char** environ;  // NOLINT: posix_spawn's environment

namespace nfv::dnsvizor::dhcp {
namespace {

namespace fs = std::filesystem;

// What a restart would load: the lease file with the lease journal replayed over it (between
// compactions the journal holds the newest state), in dnsmasq's file format.
std::string durable_leases(const std::string& path) {
    auto store = LeaseStore::open(path, false);
    return store ? format_lease_file(store->initial_leases()) : "(unreadable) " + store.error();
}

std::map<std::string, std::string> read_env(const std::string& path) {
    std::map<std::string, std::string> out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        const auto eq = line.find('=');
        if (eq != std::string::npos)
            out[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return out;
}

config::RawOption opt(std::string name, std::string value = {}) {
    config::RawOption o;
    o.name = std::move(name);
    o.has_value = !value.empty();
    o.value = std::move(value);
    o.where = {"netns.conf", 1};
    return o;
}

bool run(const std::string& command) {
    return std::system(command.c_str()) == 0;
}  // NOLINT

std::optional<std::string> program_missing() {
    for (const char* path : {"/usr/sbin/udhcpc", "/bin/busybox", "/usr/bin/busybox"}) {
        if (::access(path, X_OK) == 0)
            return std::nullopt;
    }
    return "busybox udhcpc is not installed";
}

pid_t spawn(const std::vector<std::string>& argv) {
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));  // NOLINT: posix_spawn's signature
    args.push_back(nullptr);
    pid_t pid = 0;
    if (::posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0)
        return -1;
    return pid;
}

// Pumps the loop until `done()` or `limit`; returns done().
bool pump_until(platform::io::EventLoop& loop, const std::function<bool()>& done,
                std::chrono::seconds limit) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
        if (done())
            return true;
        if (!loop.run_once(std::chrono::milliseconds(20)))
            return false;
    }
    return false;
}

TEST(DhcpServiceNetns, RealUdhcpcGetsAddressOptionsAndReleases) {
    if (const auto reason = platform::testing::netns_unavailable_reason())
        GTEST_SKIP() << *reason;
    if (const auto reason = program_missing())
        GTEST_SKIP() << *reason;
    const std::string client_ns = "nfvdhcpt" + std::to_string(::getpid());
    const auto outcome = platform::testing::run_in_new_netns(
        [&]() -> std::string {
            const std::string dir = "/tmp/" + client_ns;
            fs::create_directories(dir);
            const std::string script = dir + "/script.sh";
            {
                std::ofstream out(script);
                // Configure the address like a real client script would (the release is sent
                // from it), and keep the environment of the `bound` event for the checks.
                out << "#!/bin/sh\n"
                    << "case \"$1\" in\n"
                    << "  bound) ip addr add \"$ip/$subnet\" dev \"$interface\"; env > " << dir
                    << "/bound.env ;;\n"
                    << "  renew) env > " << dir << "/renew.env ;;\n"
                    << "  deconfig) ip addr flush dev \"$interface\" ;;\n"
                    << "esac\nexit 0\n";
            }
            fs::permissions(script, fs::perms::owner_all);
            // Cleanup on every path: the named namespace outlives this process otherwise.
            struct Cleanup {
                std::string ns, dir;
                ~Cleanup() {
                    run("ip netns delete " + ns + " 2>/dev/null");
                    std::error_code ignored;
                    fs::remove_all(dir, ignored);
                }
            } cleanup{client_ns, dir};
            if (!run("ip link add dhs0 type veth peer name dhc0") ||
                !run("ip addr add 10.67.0.1/24 dev dhs0") || !run("ip link set dhs0 up") ||
                !run("ip netns add " + client_ns) || !run("ip link set dhc0 netns " + client_ns) ||
                !run("ip -n " + client_ns + " link set dhc0 up") ||
                !run("ip -n " + client_ns + " link set lo up")) {
                return "could not set up the veth pair and client namespace";
            }
            platform::SystemClock clock;
            platform::MemorySink sink;
            platform::Logger log(sink, clock, "test");
            auto loop = platform::io::EventLoop::create(clock);
            if (!loop)
                return "event loop: " + loop.error().message();
            std::vector<LeaseNameChange> names;
            const std::vector<config::RawOption> options{
                opt("dhcp-range", "10.67.0.50,10.67.0.99,255.255.255.0,10m"),
                opt("dhcp-option", "option:router,10.67.0.254"),
                opt("dhcp-option", "option:dns-server,0.0.0.0,10.67.0.53"),
                opt("dhcp-option", "option:classless-static-route,10.20.0.0/16,10.67.0.254"),
                opt("domain", "home.lan"),
                opt("dhcp-leasefile", dir + "/dnsmasq.leases"),
            };
            auto service = start_dhcp_service(
                **loop, options, {}, log, [&](const LeaseNameChange& c) { names.push_back(c); });
            if (!service)
                return "start: " + service.error();
            if (*service == nullptr)
                return "no service started";
            // udhcpc in the foreground: bound, then renew (SIGUSR1), then release (SIGUSR2).
            const pid_t pid =
                spawn({"ip", "netns",       "exec", client_ns, "busybox", "udhcpc",
                       "-f", "-n",          "-t",   "5",       "-T",      "1",
                       "-i", "dhc0",        "-s",   script,    "-x",      "hostname:nsclient",
                       "-O", "staticroutes"});
            if (pid < 0)
                return "cannot start udhcpc";
            struct Reaper {
                pid_t pid;
                ~Reaper() {
                    ::kill(pid, SIGKILL);
                    int status = 0;
                    ::waitpid(pid, &status, 0);
                }
            } reaper{pid};
            const auto server_log = [&] {
                std::string logs;
                for (const auto& line : sink.lines())
                    logs += line + "\n";
                return logs;
            };
            if (!pump_until(
                    **loop, [&] { return fs::exists(dir + "/bound.env"); },
                    std::chrono::seconds(20))) {
                return "udhcpc did not reach the bound state; server log:\n" + server_log();
            }
            const auto acks = [&] {
                std::size_t n = 0;
                for (const auto& line : sink.lines())
                    n += line.find("DHCPACK(dhs0)") != std::string::npos ? 1U : 0U;
                return n;
            };
            ::kill(pid, SIGUSR1);
            if (!pump_until(
                    **loop, [&] { return fs::exists(dir + "/renew.env") && acks() >= 2; },
                    std::chrono::seconds(10))) {
                return "the renewal was not acknowledged; server log:\n" + server_log();
            }
            const std::string file_after_bind = durable_leases(dir + "/dnsmasq.leases");
            const auto env = read_env(dir + "/bound.env");
            std::string problems;
            const auto expect = [&](const std::string& key, const std::string& want) {
                const auto it = env.find(key);
                const std::string got = it == env.end() ? "(unset)" : it->second;
                if (got != want)
                    problems += key + ": want '" + want + "', got '" + got + "'\n";
            };
            expect("router", "10.67.0.254");
            expect("dns", "10.67.0.1 10.67.0.53");
            expect("domain", "home.lan");
            expect("subnet", "255.255.255.0");
            expect("serverid", "10.67.0.1");
            expect("lease", "600");
            expect("staticroutes", "10.20.0.0/16 10.67.0.254");
            const std::string ip = env.count("ip") != 0 ? env.at("ip") : "";
            if (ip.rfind("10.67.0.", 0) != 0)
                problems += "ip: '" + ip + "' is not from the range\n";
            if (names.empty() || names[0].hostname != "nsclient" || !names[0].added)
                problems += "no name change for nsclient\n";
            if (names.size() >= 2 && (names[1].added || names[1].hostname != "nsclient"))
                problems += "the release did not remove the name\n";
            if (file_after_bind.find(" " + ip + " nsclient ") == std::string::npos)
                problems += "lease file lacks the lease: " + file_after_bind + "\n";
            ::kill(pid, SIGUSR2);
            if (!pump_until(
                    **loop, [&] { return (*service)->engine().leases().empty(); },
                    std::chrono::seconds(10))) {
                problems += "the release did not remove the lease\n";
            }
            if (durable_leases(dir + "/dnsmasq.leases") != "")
                problems += "lease file not empty after release\n";
            if (!problems.empty()) {
                for (const auto& line : sink.lines())
                    problems += line + "\n";
            }
            return problems;
        },
        std::chrono::seconds(60));
    if (outcome.kind == platform::testing::NetnsOutcome::Kind::kSkipped)
        GTEST_SKIP() << outcome.message;
    EXPECT_EQ(outcome.kind, platform::testing::NetnsOutcome::Kind::kPassed) << outcome.message;
}

}  // namespace
}  // namespace nfv::dnsvizor::dhcp
