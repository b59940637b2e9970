#include "dhcp/dhcp_service.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <gtest/gtest.h>
#include <poll.h>
#include <spawn.h>
#include <unistd.h>

#include "nfv/net/dhcp/message.hpp"
#include "nfv/platform/clock.hpp"
#include "nfv/platform/io/event_loop.hpp"
#include "nfv/platform/log.hpp"
#include "nfv/platform/testing/netns_child.hpp"

extern char** environ;  // NOLINT: posix_spawn's environment

namespace nfv::dnsvizor::dhcp {
namespace {

namespace dh = net::dhcp;
namespace fs = std::filesystem;
using net::Ipv4Address;

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "nfv-dhcp-service-XXXXXX").string();
        EXPECT_NE(::mkdtemp(pattern.data()), nullptr);
        path_ = pattern;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    [[nodiscard]] std::string file(const std::string& name) const {
        return (path_ / name).string();
    }

private:
    fs::path path_;
};

std::string read_all(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// What a restart would load: the lease file with the lease journal replayed over it (between
// compactions the journal holds the newest state), in dnsmasq's file format.
std::string durable_leases(const std::string& path) {
    auto store = LeaseStore::open(path, false);
    return store ? format_lease_file(store->initial_leases()) : "(unreadable) " + store.error();
}

config::RawOption opt(std::string name, std::string value = {}) {
    config::RawOption o;
    o.name = std::move(name);
    o.has_value = !value.empty();
    o.value = std::move(value);
    o.where = {"test.conf", 1};
    return o;
}

struct Harness {
    platform::SystemClock clock;
    platform::MemorySink sink;
    platform::Logger log{sink, clock, "test"};
    std::unique_ptr<platform::io::EventLoop> loop;
    std::vector<LeaseNameChange> names;

    Harness() {
        auto created = platform::io::EventLoop::create(clock);
        if (created)
            loop = std::move(*created);
    }

    bool run_until(const std::function<bool()>& done,
                   std::chrono::seconds limit = std::chrono::seconds(10)) {
        // done() is called once per iteration (it may consume a reply).
        const auto end = clock.now() + limit;
        while (clock.now() < end) {
            if (done())
                return true;
            if (!loop->run_once(std::chrono::milliseconds(20)))
                return false;
        }
        return false;
    }

    bool logged(std::string_view text) const {
        for (const auto& line : sink.lines()) {
            if (line.find(text) != std::string::npos)
                return true;
        }
        return false;
    }
};

// A client socket on 127.0.0.1 that talks to the service through unicast (ciaddr set), which
// works without root and without broadcast on loopback.
class LoopbackClient {
public:
    LoopbackClient() : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {
        sockaddr_in local{};
        local.sin_family = AF_INET;
        local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)), 0);  // NOLINT
        socklen_t length = sizeof(local);
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &length);  // NOLINT
        port_ = ntohs(local.sin_port);
    }
    LoopbackClient(const LoopbackClient&) = delete;
    LoopbackClient& operator=(const LoopbackClient&) = delete;
    ~LoopbackClient() { ::close(fd_); }

    [[nodiscard]] std::uint16_t port() const { return port_; }

    void send(const dh::DhcpMessage& message, std::uint16_t server_port) const {
        std::vector<std::byte> buffer(1024);
        const auto n = dh::serialize(message, buffer);
        ASSERT_TRUE(n);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(server_port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ASSERT_EQ(::sendto(fd_, buffer.data(), *n, 0, reinterpret_cast<sockaddr*>(&to),  // NOLINT
                           sizeof(to)),
                  static_cast<ssize_t>(*n));
    }

    // Non-blocking read of one reply, if any.
    std::optional<dh::DhcpMessage> poll_reply() const {
        std::array<std::byte, 2048> buffer{};
        const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), MSG_DONTWAIT);
        if (n <= 0)
            return std::nullopt;
        auto parsed = dh::parse(std::span(buffer).first(static_cast<std::size_t>(n)));
        if (!parsed)
            return std::nullopt;
        return *parsed;
    }

private:
    int fd_;
    std::uint16_t port_ = 0;
};

dh::DhcpMessage client_message(dh::MessageType type, std::uint32_t xid) {
    dh::DhcpMessage m;
    m.xid = xid;
    m.ciaddr = Ipv4Address({127, 0, 0, 1});
    m.chaddr = {0x52, 0x54, 0x00, 0x67, 0x00, 0x01};
    m.options.set_u8(dh::OptionCode::kMessageType, static_cast<std::uint8_t>(type));
    m.options.set_text(dh::OptionCode::kHostName, "loopy");
    return m;
}

std::vector<config::RawOption> loopback_options(const std::string& lease_file) {
    return {opt("dhcp-range", "127.0.0.50,127.0.0.60,255.0.0.0,1h"),
            opt("dhcp-leasefile", lease_file), opt("domain", "test.lan")};
}

TEST(DhcpService, NoRangeMeansNoService) {
    Harness h;
    ASSERT_TRUE(h.loop);
    const std::vector<config::RawOption> options{opt("dhcp-authoritative")};
    auto service = start_dhcp_service(*h.loop, options, {}, h.log, nullptr);
    ASSERT_TRUE(service) << service.error();
    EXPECT_EQ(*service, nullptr);
}

TEST(DhcpService, BadConfigIsAnErrorNamingTheLine) {
    Harness h;
    ASSERT_TRUE(h.loop);
    const std::vector<config::RawOption> options{opt("dhcp-range", "10.0.0.1")};
    auto service = start_dhcp_service(*h.loop, options, {}, h.log, nullptr);
    ASSERT_FALSE(service);
    EXPECT_NE(service.error().find("test.conf:1: dhcp-range"), std::string::npos);
}

TEST(DhcpService, UnwritableLeaseFileStopsTheStart) {
    Harness h;
    ASSERT_TRUE(h.loop);
    TempDir dir;
    DhcpServiceParams params;
    params.server_port = 0;
    const auto options = loopback_options(dir.file("missing-dir/leases"));
    auto service = start_dhcp_service(*h.loop, options, params, h.log, nullptr);
    ASSERT_FALSE(service);
    EXPECT_NE(service.error().find("dhcp-leasefile"), std::string::npos) << service.error();
}

TEST(DhcpService, ReloadHostsRereadsTheHostsFileAndKeepsConfigHosts) {
    Harness h;
    ASSERT_TRUE(h.loop);
    TempDir dir;
    const auto hosts_file = dir.file("hosts");
    std::ofstream(hosts_file) << "52:54:00:67:00:02,127.0.0.52\n";
    DhcpServiceParams params;
    params.server_port = 0;
    auto options = loopback_options(dir.file("l"));
    options.push_back(opt("dhcp-host", "52:54:00:67:00:01,127.0.0.51"));
    options.push_back(opt("dhcp-hostsfile", hosts_file));
    auto started = start_dhcp_service(*h.loop, options, params, h.log, nullptr);
    ASSERT_TRUE(started) << started.error();
    auto& service = **started;
    ASSERT_EQ(service.engine().settings().hosts.size(), 2U);
    std::ofstream(hosts_file, std::ios::trunc)
        << "52:54:00:67:00:03,127.0.0.53\n52:54:00:67:00:04,127.0.0.54\n";
    service.reload_hosts();
    const auto& hosts = service.engine().settings().hosts;
    ASSERT_EQ(hosts.size(), 3U);
    EXPECT_EQ(hosts[0].address, Ipv4Address({127, 0, 0, 51}));
    EXPECT_EQ(hosts[1].address, Ipv4Address({127, 0, 0, 53}));
    EXPECT_EQ(hosts[2].address, Ipv4Address({127, 0, 0, 54}));
}

TEST(DhcpService, AckArrivesOnlyAfterTheLeaseIsOnDiskAndNamesAreReported) {
    Harness h;
    ASSERT_TRUE(h.loop);
    TempDir dir;
    const std::string lease_file = dir.file("dnsmasq.leases");
    LoopbackClient client;
    DhcpServiceParams params;
    params.server_port = 0;
    params.client_port = client.port();
    params.serve_loopback = true;
    platform::MetricsRegistry metrics;
    params.metrics = &metrics;
    auto started = start_dhcp_service(*h.loop, loopback_options(lease_file), params, h.log,
                                      [&](const LeaseNameChange& c) { h.names.push_back(c); });
    ASSERT_TRUE(started) << started.error();
    auto& service = *started;
    ASSERT_NE(service, nullptr);
    EXPECT_TRUE(h.logged("DHCP, IP range 127.0.0.50 -- 127.0.0.60, lease time 1h"));

    client.send(client_message(dh::MessageType::kDiscover, 1), service->local_port());
    std::optional<dh::DhcpMessage> offer;
    ASSERT_TRUE(h.run_until([&] { return (offer = client.poll_reply()).has_value(); }))
        << ::testing::PrintToString(h.sink.lines()) << " sent " << service->stats().replies_sent
        << " errors " << service->stats().send_errors;
    EXPECT_EQ(offer->options.message_type(), dh::MessageType::kOffer);
    const Ipv4Address offered = offer->yiaddr;
    EXPECT_GE(offered.to_u32(), Ipv4Address({127, 0, 0, 50}).to_u32());
    EXPECT_LE(offered.to_u32(), Ipv4Address({127, 0, 0, 60}).to_u32());
    EXPECT_EQ(durable_leases(lease_file), "") << "an offer writes nothing";

    auto request = client_message(dh::MessageType::kRequest, 2);
    request.options.set_address(dh::OptionCode::kServerIdentifier, Ipv4Address({127, 0, 0, 1}));
    request.options.set_address(dh::OptionCode::kRequestedAddress, offered);
    client.send(request, service->local_port());
    std::optional<dh::DhcpMessage> ack;
    std::string file_when_acked;
    ASSERT_TRUE(h.run_until([&] {
        ack = client.poll_reply();
        if (ack)
            file_when_acked = durable_leases(lease_file);  // the moment the client sees the ACK
        return ack.has_value();
    }));
    EXPECT_EQ(ack->options.message_type(), dh::MessageType::kAck);
    EXPECT_NE(file_when_acked.find(" 52:54:00:67:00:01 " + offered.to_string() + " loopy "),
              std::string::npos)
        << file_when_acked;
    ASSERT_EQ(h.names.size(), 1U);
    EXPECT_EQ(h.names[0].hostname, "loopy");
    EXPECT_EQ(h.names[0].address, offered);
    EXPECT_TRUE(h.names[0].added);
    EXPECT_TRUE(h.logged("DHCPACK(lo) " + offered.to_string() + " 52:54:00:67:00:01 loopy"));

    // Release: the lease leaves the file and the name goes away.
    auto release = client_message(dh::MessageType::kRelease, 3);
    release.ciaddr = offered;
    release.options.set_address(dh::OptionCode::kServerIdentifier, Ipv4Address({127, 0, 0, 1}));
    client.send(release, service->local_port());
    ASSERT_TRUE(h.run_until([&] { return service->engine().leases().empty(); }));
    EXPECT_EQ(durable_leases(lease_file), "");
    ASSERT_EQ(h.names.size(), 2U);
    EXPECT_FALSE(h.names[1].added);

    EXPECT_EQ(service->stats().replies_sent, 2U);
    EXPECT_EQ(metrics
                  .counter("nfv_dnsvizor_dhcp_requests_total",
                           "DHCP requests received, by message type", {{"type", "discover"}})
                  .value(),
              1U);
}

TEST(DhcpService, MalformedDatagramsAreCountedAndDropped) {
    Harness h;
    ASSERT_TRUE(h.loop);
    TempDir dir;
    LoopbackClient client;
    DhcpServiceParams params;
    params.server_port = 0;
    params.client_port = client.port();
    params.serve_loopback = true;
    auto started =
        start_dhcp_service(*h.loop, loopback_options(dir.file("l")), params, h.log, nullptr);
    ASSERT_TRUE(started) << started.error();
    auto& service = *started;
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(service->local_port());
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const char junk[] = "not a dhcp message";
    ::sendto(fd, junk, sizeof(junk), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));  // NOLINT
    ::close(fd);
    ASSERT_TRUE(h.run_until([&] { return service->stats().malformed == 1; }));
    EXPECT_EQ(service->stats().replies_sent, 0U);
}

TEST(DhcpService, LoopbackIsNotServedByDefault) {
    Harness h;
    ASSERT_TRUE(h.loop);
    TempDir dir;
    LoopbackClient client;
    DhcpServiceParams params;
    params.server_port = 0;
    params.client_port = client.port();
    auto started =
        start_dhcp_service(*h.loop, loopback_options(dir.file("l")), params, h.log, nullptr);
    ASSERT_TRUE(started) << started.error();
    auto& service = *started;
    client.send(client_message(dh::MessageType::kDiscover, 1), service->local_port());
    ASSERT_TRUE(h.run_until([&] { return service->stats().wrong_interface == 1; }));
    EXPECT_EQ(service->stats().replies_sent, 0U);
}

// A script that appends its arguments and DNSMASQ_* environment to `out`.
std::string write_recording_script(const TempDir& dir, const std::string& out) {
    const auto path = dir.file("script.sh");
    std::ofstream(path) << "#!/bin/sh\necho \"$* exp=${DNSMASQ_LEASE_EXPIRES:-none} "
                           "dom=${DNSMASQ_DOMAIN:-none}\" >> "
                        << out << "\n";
    fs::permissions(path, fs::perms::owner_all);
    return path;
}

TEST(DhcpService, ScriptRunsOldForLeasesReadAtStart) {
    Harness h;
    ASSERT_TRUE(h.loop);
    TempDir dir;
    const std::string lease_file = dir.file("dnsmasq.leases");
    std::ofstream(lease_file) << "4000000000 52:54:00:00:00:01 127.0.0.51 keeper *\n";
    const auto out = dir.file("calls");
    DhcpServiceParams params;
    params.server_port = 0;
    auto options = loopback_options(lease_file);
    options.push_back(opt("dhcp-script", write_recording_script(dir, out)));
    auto started = start_dhcp_service(*h.loop, options, params, h.log, nullptr);
    ASSERT_TRUE(started) << started.error();
    ASSERT_TRUE(h.run_until([&] { return read_all(out).find('\n') != std::string::npos; }))
        << ::testing::PrintToString(h.sink.lines());
    EXPECT_EQ(read_all(out),
              "old 52:54:00:00:00:01 127.0.0.51 keeper exp=4000000000 dom=test.lan\n");
}

TEST(ScriptRunner, CallsRunInOrderOneAtATimeWithoutBlocking) {
    Harness h;
    ASSERT_TRUE(h.loop);
    TempDir dir;
    const auto out = dir.file("calls");
    const auto script = write_recording_script(dir, out);
    ScriptRunner runner(*h.loop, h.log);
    runner.run({{script, "add", "52:54:00:00:00:01", "10.0.0.1", "a"}, {"DNSMASQ_DOMAIN=x"}});
    runner.run({{script, "del", "52:54:00:00:00:01", "10.0.0.1"}, {}});
    runner.run({{dir.file("missing"), "add", "52:54:00:00:00:02", "10.0.0.2"}, {}});
    EXPECT_FALSE(runner.idle());  // run() returned while the first script still runs
    ASSERT_TRUE(h.run_until([&] { return runner.idle(); }));
    EXPECT_EQ(read_all(out),
              "add 52:54:00:00:00:01 10.0.0.1 a exp=none dom=x\n"
              "del 52:54:00:00:00:01 10.0.0.1 exp=none dom=none\n");
    EXPECT_EQ(runner.started(), 3U);
    EXPECT_EQ(runner.failed(), 1U);
}

TEST(DhcpService, LoadsAnExistingDnsmasqLeaseFileAndPrunesExpiredLeases) {
    Harness h;
    ASSERT_TRUE(h.loop);
    TempDir dir;
    const std::string lease_file = dir.file("dnsmasq.leases");
    {
        std::ofstream out(lease_file);
        out << "4000000000 52:54:00:00:00:01 127.0.0.51 keeper *\n"
            << "1000 52:54:00:00:00:02 127.0.0.52 gone *\n";
    }
    DhcpServiceParams params;
    params.server_port = 0;
    auto started = start_dhcp_service(*h.loop, loopback_options(lease_file), params, h.log,
                                      [&](const LeaseNameChange& c) { h.names.push_back(c); });
    ASSERT_TRUE(started) << started.error();
    EXPECT_EQ((*started)->engine().leases().size(), 1U);
    EXPECT_EQ(read_all(lease_file), "4000000000 52:54:00:00:00:01 127.0.0.51 keeper *\n");
    ASSERT_EQ(h.names.size(), 1U);
    EXPECT_EQ(h.names[0].hostname, "keeper");
}

TEST(DhcpService, LeaseExpiresAtRunTimeAndTheIdleCompactionRewritesTheFile) {
    Harness h;
    ASSERT_TRUE(h.loop);
    TempDir dir;
    const std::string lease_file = dir.file("dnsmasq.leases");
    const std::int64_t soon = h.loop->clock().wall_now().unix_seconds + 2;
    {
        std::ofstream out(lease_file);
        out << "4000000000 52:54:00:00:00:01 127.0.0.51 keeper *\n"
            << soon << " 52:54:00:00:00:02 127.0.0.52 brief *\n";
    }
    DhcpServiceParams params;
    params.server_port = 0;
    auto started = start_dhcp_service(*h.loop, loopback_options(lease_file), params, h.log,
                                      [&](const LeaseNameChange& c) { h.names.push_back(c); });
    ASSERT_TRUE(started) << started.error();
    const auto& service = *started;
    ASSERT_EQ(service->engine().leases().size(), 2U);
    // The expiry timer (its target taken from the loaded leases) removes the lease...
    ASSERT_TRUE(h.run_until([&] { return service->engine().leases().size() == 1U; }));
    ASSERT_FALSE(h.names.empty());
    EXPECT_EQ(h.names.back().hostname, "brief");
    EXPECT_FALSE(h.names.back().added);
    // ...the removal is journalled, and after a quiet second the journal is folded into the
    // lease file, which is dnsmasq's format again with the journal empty.
    const std::string keeper = "4000000000 52:54:00:00:00:01 127.0.0.51 keeper *\n";
    ASSERT_TRUE(h.run_until([&] {
        std::error_code ec;
        return read_all(lease_file) == keeper &&
               std::filesystem::file_size(lease_file + ".journal", ec) == 0 && !ec;
    })) << read_all(lease_file)
        << "journal: " << read_all(lease_file + ".journal");
}

}  // namespace
}  // namespace nfv::dnsvizor::dhcp
