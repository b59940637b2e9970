#include "dhcp/dhcp_service.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <arpa/inet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <poll.h>
#include <unistd.h>

#include "nfv/net/dhcp/message.hpp"

#include "dhcp/host_files.hpp"

namespace nfv::dnsvizor::dhcp {

namespace {

namespace dh = net::dhcp;
using net::Ipv4Address;

constexpr std::size_t kReceiveBufferSize = 4096;
// One wake-up's datagrams share one lease-file write (group commit): the larger the batch, the
// fewer fsyncs per ACK under load. Bounded so that other fds and timers still get their turn,
// and so that the replies released by one commit arrive as a burst a relay's socket can hold:
// with 1024, a backlog after a scheduling stall came back as ~1000 replies at once, which
// overflowed perfdhcp's default 208 KiB receive buffer (UdpRcvbufErrors on the client, counted
// as drops). At ~0.2-1 ms per fdatasync, 64 per commit still allows 60,000+ datagrams/s.
constexpr int kMaxDatagramsPerWakeup = 64;
// A receive buffer that holds a burst arriving during one lease-file write (a few ms of fsync
// at 10,000+ requests/s); the kernel's default (~200 KiB) overflows and clients time out.
constexpr int kSocketReceiveBytes = 8 * 1024 * 1024;
constexpr std::int64_t kWriteRetrySeconds = 60;  // dnsmasq's LEASE_RETRY
// Idle compaction: once no batch has arrived for this long, the journal is folded into the lease
// file, so programs that read the dnsmasq lease file live (web UIs, scripts) see the current
// leases within about a second of a quiet moment. Under sustained load the journal's record
// limit (GroupCommit::kDefaultCompactAfter) bounds how far the file lags.
constexpr std::int64_t kIdleCompactSeconds = 1;

std::string lease_time_text(std::uint32_t seconds) {
    if (seconds == kInfiniteLease)
        return "infinite";
    if (seconds % 3600 == 0)
        return std::to_string(seconds / 3600) + "h";
    if (seconds % 60 == 0)
        return std::to_string(seconds / 60) + "m";
    return std::to_string(seconds) + "s";
}

in_addr to_in_addr(Ipv4Address address) {
    in_addr out{};
    out.s_addr = htonl(address.to_u32());
    return out;
}

std::string errno_text(int error) {
    return std::strerror(error);
}

std::string_view type_name(const dh::DhcpMessage& message) {
    const auto type = message.options.message_type();
    return type ? dh::message_type_name(*type) : std::string_view("none");
}

}  // namespace

Result<std::unique_ptr<DhcpService>, std::string> DhcpService::create(
    platform::io::EventLoop& loop, DhcpImport import, const DhcpServiceParams& params,
    platform::Logger& log, LeaseNameHandler on_name_change) {
    auto store = LeaseStore::open(import.lease_file, import.lease_file_readonly);
    if (!store)
        return Unexpected("dhcp-leasefile: " + store.error());
    platform::io::UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid())
        return Unexpected("cannot create the DHCP socket: " + errno_text(errno));
    const int on = 1;
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) != 0 ||
        ::setsockopt(fd.get(), SOL_SOCKET, SO_BROADCAST, &on, sizeof(on)) != 0 ||
        ::setsockopt(fd.get(), IPPROTO_IP, IP_PKTINFO, &on, sizeof(on)) != 0) {
        return Unexpected("cannot set DHCP socket options: " + errno_text(errno));
    }
    // SO_RCVBUFFORCE passes net.core.rmem_max when we have CAP_NET_ADMIN; otherwise the plain
    // request is capped by rmem_max. A small buffer only costs drops under load: not an error.
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &kSocketReceiveBytes,
                     sizeof(kSocketReceiveBytes)) != 0) {
        (void)::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &kSocketReceiveBytes,
                           sizeof(kSocketReceiveBytes));
    }
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = htons(params.server_port);
    local.sin_addr.s_addr = htonl(INADDR_ANY);
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&local),  // NOLINT: sockaddr API
               sizeof(local)) != 0) {
        return Unexpected("cannot bind the DHCP socket to port " +
                          std::to_string(params.server_port) + ": " + errno_text(errno));
    }
    socklen_t length = sizeof(local);
    ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&local), &length);  // NOLINT

    std::unique_ptr<DhcpService> service(new DhcpService(
        loop, std::move(import), params, log, std::move(on_name_change), std::move(*store)));
    service->fd_ = std::move(fd);
    service->local_port_ = ntohs(local.sin_port);

    // Load, prune what expired while we were down, and prove the file is writable now rather
    // than at the first ACK.
    const auto now = loop.clock().wall_now();
    for (const auto& problem : service->store_.problems()) {
        service->log_.warn("ignoring bad lease file line", {{"file", service->store_.path()},
                                                            {"line", problem.line},
                                                            {"reason", problem.message}});
    }
    if (const auto& replay = service->store_.journal_replay();
        replay.records > 0 || replay.torn_tail) {
        service->log_.info("lease journal replayed", {{"file", service->store_.journal_path()},
                                                      {"records", replay.records},
                                                      {"torn_tail_ignored", replay.torn_tail}});
    }
    service->engine_.load(service->store_.initial_leases(), now);
    if (auto written = service->store_.write(service->engine_.leases()); !written)
        return Unexpected("dhcp-leasefile: " + written.error());
    std::vector<LeaseChange> loaded;
    for (const auto& lease : service->engine_.leases())
        loaded.push_back(LeaseChange{LeaseEvent::kAdded, lease});
    service->apply_changes(loaded, /*at_start=*/true);

    for (const auto& range : service->engine_.settings().ranges) {
        if (range.static_only) {
            service->log_.info("DHCP, static leases only on " + range.start.to_string() +
                               ", lease time " + lease_time_text(range.lease_seconds));
        } else {
            service->log_.info("DHCP, IP range " + range.start.to_string() + " -- " +
                               range.end.to_string() + ", lease time " +
                               lease_time_text(range.lease_seconds));
        }
    }
    service->log_.info("DHCP server started",
                       {{"port", service->local_port_},
                        {"lease_file", service->store_.read_only() ? std::string("(read-only)")
                                                                   : service->store_.path()},
                        {"leases", service->engine_.lease_count()}});
    service->watch_.arm(service->fd_.get(), POLLIN, true);
    service->schedule_timer();
    return service;
}

DhcpService::DhcpService(platform::io::EventLoop& loop, DhcpImport import,
                         const DhcpServiceParams& params, platform::Logger& log,
                         LeaseNameHandler on_name_change, LeaseStore store)
    : loop_(loop),
      params_(params),
      log_(log.with_component("dhcp")),
      on_name_change_(std::move(on_name_change)),
      engine_([&] {
          DhcpServerSettings settings = import.settings;
          settings.dns_enabled = params.dns_enabled;
          return settings;
      }()),
      host_import_([&] {
          DhcpImport hosts;
          hosts.settings.hosts = import.settings.hosts;
          hosts.host_sources = import.host_sources;
          hosts.config_host_count = import.config_host_count;
          return hosts;
      }()),
      store_(std::move(store)),
      interfaces_(
          InterfaceFilter{params.interfaces, params.except_interfaces, params.serve_loopback},
          import.settings.ranges),
      script_path_(import.script),
      log_dhcp_(import.log_dhcp || params.log_dhcp),
      quiet_dhcp_(import.quiet_dhcp || params.quiet_dhcp),
      watch_(loop, *this, 0),
      send_buffer_(2048) {
    if (!script_path_.empty())
        script_.emplace(loop, log_);
    if (params.metrics != nullptr) {
        auto& m = metrics_.emplace();
        auto& registry = *params.metrics;
        for (const std::string type :
             {"discover", "request", "decline", "release", "inform", "other"}) {
            m.requests[type] =
                &registry.counter("nfv_dnsvizor_dhcp_requests_total",
                                  "DHCP requests received, by message type", {{"type", type}});
        }
        for (const std::string type : {"offer", "ack", "nak"}) {
            m.replies[type] =
                &registry.counter("nfv_dnsvizor_dhcp_replies_total",
                                  "DHCP replies sent, by message type", {{"type", type}});
        }
        const auto dropped = [&](const char* reason) {
            return &registry.counter("nfv_dnsvizor_dhcp_dropped_total",
                                     "DHCP datagrams or replies dropped, by reason",
                                     {{"reason", reason}});
        };
        m.malformed = dropped("malformed");
        m.wrong_interface = dropped("interface");
        m.withheld = dropped("lease_not_durable");
        m.leases = &registry.gauge("nfv_dnsvizor_dhcp_leases", "DHCP leases currently held");
    }
}

DhcpService::~DhcpService() {
    if (timer_)
        loop_.cancel_timer(*timer_);
    flush();
}

std::string_view DhcpService::lease_domain(net::Ipv4Address address) const {
    for (const auto& range : engine_.settings().ranges) {
        if (!range.domain.empty() && address.to_u32() >= range.start.to_u32() &&
            address.to_u32() <= range.end.to_u32())
            return range.domain;
    }
    return engine_.settings().domain;
}

void DhcpService::reload_hosts() {
    std::vector<std::string> warnings;
    reload_host_sources(host_import_, warnings);
    for (const auto& warning : warnings)
        log_.warn(warning);
    engine_.set_hosts(host_import_.settings.hosts);
    log_.info("read " + std::to_string(host_import_.settings.hosts.size()) + " static hosts");
}

void DhcpService::flush() {
    std::string error;
    if (batch_.dirty()) {
        for (const auto& held : batch_.commit(
                 store_, [this] { return engine_.leases(); }, &error))
            send(held);
    }
    // Shutdown compacts: the journal is folded into the lease file, which dnsmasq reads as is.
    if (error.empty() && store_.journal_records() > 0 && !store_.read_only()) {
        if (auto written = store_.write(engine_.leases()); !written)
            error = written.error();
    }
    if (!error.empty()) {
        ++stats_.lease_write_failures;
        log_.error("cannot write the lease file", {{"error", error}});
    }
}

void DhcpService::on_ready(int /*tag*/, std::uint32_t /*revents*/) {
    std::array<std::byte, kReceiveBufferSize> buffer{};
    alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(in_pktinfo))> control{};
    int handled = 0;
    for (; handled < kMaxDatagramsPerWakeup; ++handled) {
        sockaddr_in peer{};
        iovec iov{buffer.data(), buffer.size()};
        msghdr message{};
        message.msg_name = &peer;
        message.msg_namelen = sizeof(peer);
        message.msg_iov = &iov;
        message.msg_iovlen = 1;
        message.msg_control = control.data();
        message.msg_controllen = control.size();
        const ssize_t n = ::recvmsg(fd_.get(), &message, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            break;  // EAGAIN: drained (other errors: nothing to do but try next wake-up)
        }
        ++stats_.received;
        if ((message.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0) {
            ++stats_.malformed;
            if (metrics_)
                metrics_->malformed->inc();
            continue;
        }
        std::uint32_t ifindex = 0;
        for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
            if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
                in_pktinfo info{};
                std::memcpy(&info, CMSG_DATA(c), sizeof(info));
                ifindex = static_cast<std::uint32_t>(info.ipi_ifindex);
            }
        }
        handle_datagram(std::span(buffer).first(static_cast<std::size_t>(n)), ifindex);
    }
    commit_and_send();
    if (handled == kMaxDatagramsPerWakeup)
        watch_.defer(POLLIN);  // more may be waiting; let other fds run first
}

void DhcpService::count_request(const dh::DhcpMessage& request) {
    if (!metrics_)
        return;
    const auto type = type_name(request);
    const auto it = metrics_->requests.find(type);
    (it != metrics_->requests.end() ? it->second : metrics_->requests["other"])->inc();
}

void DhcpService::handle_datagram(std::span<const std::byte> payload, std::uint32_t ifindex) {
    auto request = dh::parse(payload);
    if (!request || request->op != dh::BootpOp::kRequest) {
        ++stats_.malformed;
        if (metrics_)
            metrics_->malformed->inc();
        return;
    }
    count_request(*request);
    const auto iface = interfaces_.lookup(ifindex, loop_.now());
    if (!iface) {
        ++stats_.wrong_interface;
        if (metrics_)
            metrics_->wrong_interface->inc();
        return;
    }
    if (log_dhcp_) {
        std::string requested;
        if (const auto* list = request->options.find(dh::OptionCode::kParameterRequestList)) {
            for (const std::byte code : *list)
                requested += " " + std::to_string(std::to_integer<int>(code));
        }
        log_.info(std::to_string(request->xid) + " " + std::string(type_name(*request)) + "(" +
                  iface->name + ") " + request->hardware_address_text() +
                  " requested options:" + requested);
    }
    Outcome outcome = engine_.handle(*request, *iface, loop_.clock().wall_now());
    log_outcome(outcome.log);
    apply_changes(outcome.changes);
    batch_.add(std::move(outcome), ifindex);
}

void DhcpService::log_outcome(const std::string& text) {
    if (quiet_dhcp_ || text.empty())
        return;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        log_.info(std::string_view(text).substr(start, end - start));
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
}

void DhcpService::apply_changes(const std::vector<LeaseChange>& changes, bool at_start) {
    for (const auto& change : changes) {
        // The expiry timer's target only moves earlier here (O(changes)); a removal or renewal
        // that makes it later is found when the timer fires and rescans (once per expiry).
        const bool present_lease =
            change.event == LeaseEvent::kAdded || change.event == LeaseEvent::kRenewed;
        if (present_lease && !change.lease.infinite() &&
            (!next_expiry_ || change.lease.expires < *next_expiry_)) {
            next_expiry_ = change.lease.expires;
        }
        const std::uint32_t key = change.lease.address.to_u32();
        const bool present =
            change.event == LeaseEvent::kAdded || change.event == LeaseEvent::kRenewed;
        const std::string now_name = present ? change.lease.hostname : std::string{};
        const auto it = names_.find(key);
        const std::string before = it != names_.end() ? it->second : std::string{};
        if (script_) {
            // dhcp-script: `old` for leases read at start and for a renewal that changed the
            // name (dnsmasq runs plain renewals only with script-on-renewal), else add/del.
            std::string_view action = to_string(change.event);
            const bool renamed = change.event == LeaseEvent::kRenewed && before != now_name;
            if (at_start)
                action = "old";
            if (at_start || change.event != LeaseEvent::kRenewed || renamed) {
                const ScriptContext context{action, lease_domain(change.lease.address),
                                            renamed ? std::string_view(before) : "", log_dhcp_};
                script_->run(
                    script_call(script_path_, change.lease, context, loop_.clock().wall_now()));
            }
        }
        if (before == now_name)
            continue;
        if (!before.empty() && on_name_change_)
            on_name_change_(LeaseNameChange{before, change.lease.address, false});
        if (now_name.empty()) {
            names_.erase(key);
        } else {
            names_[key] = now_name;
            if (on_name_change_)
                on_name_change_(LeaseNameChange{now_name, change.lease.address, true});
        }
    }
}

void DhcpService::commit_and_send() {
    const bool had_work = batch_.dirty() || batch_.held() > 0;
    if (!had_work)
        return;
    std::string error;
    const std::uint64_t withheld_before = batch_.withheld();
    // The full lease list is only built when a compaction is due (a copy of every lease per
    // wake-up showed as the top cost under perfdhcp with tens of thousands of leases); a batch
    // otherwise appends only its changes to the journal.
    const auto released = batch_.commit(
        store_, [this] { return engine_.leases(); }, &error);
    if (!error.empty()) {
        ++stats_.lease_write_failures;
        log_.error("cannot write the lease file; acknowledgements withheld", {{"error", error}});
    }
    const std::uint64_t withheld = batch_.withheld() - withheld_before;
    stats_.withheld += withheld;
    if (metrics_) {
        metrics_->withheld->add(withheld);
        metrics_->leases->set(static_cast<double>(engine_.lease_count()));
    }
    for (const auto& held : released)
        send(held);
    schedule_timer();
}

void DhcpService::send(const GroupCommit::Held& held) {
    const Reply& reply = held.reply;
    const std::size_t needed = std::max(
        dh::kFixedHeaderSize + 4 + reply.message.options.wire_size() + 64, dh::kMinimumMessageSize);
    if (send_buffer_.size() < needed)
        send_buffer_.resize(needed);
    const auto written = dh::serialize(reply.message, send_buffer_);
    if (!written) {
        ++stats_.send_errors;
        return;
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(params_.client_port);
    bool pin_interface = false;
    switch (reply.to) {
        case ReplyTo::kRelay:
            to.sin_port = htons(params_.server_port);
            to.sin_addr = to_in_addr(reply.destination);
            break;
        case ReplyTo::kClientAddress:
            to.sin_addr = to_in_addr(reply.destination);
            break;
        case ReplyTo::kBroadcast:
            to.sin_addr.s_addr = htonl(INADDR_BROADCAST);
            pin_interface = true;
            break;
        case ReplyTo::kHardwareUnicast: {
            // As dnsmasq: tell the kernel the client's MAC for yiaddr, then unicast. Without
            // the capability (or for odd hardware types) broadcast instead.
            pin_interface = true;
            to.sin_addr.s_addr = htonl(INADDR_BROADCAST);
            char name[IF_NAMESIZE] = {};
            if (reply.message.htype == kHardwareTypeEthernet && reply.message.hlen == 6 &&
                ::if_indextoname(held.route, name) != nullptr) {
                arpreq arp{};
                sockaddr_in pa{};
                pa.sin_family = AF_INET;
                pa.sin_addr = to_in_addr(reply.destination);
                std::memcpy(&arp.arp_pa, &pa, sizeof(pa));
                arp.arp_ha.sa_family = ARPHRD_ETHER;
                std::memcpy(arp.arp_ha.sa_data, reply.message.chaddr.data(), 6);
                std::memcpy(arp.arp_dev, name, sizeof(arp.arp_dev) - 1);
                arp.arp_flags = ATF_COM;
                if (::ioctl(fd_.get(), SIOCSARP, &arp) == 0)
                    to.sin_addr = to_in_addr(reply.destination);
            }
            break;
        }
    }
    iovec iov{send_buffer_.data(), *written};
    msghdr message{};
    message.msg_name = &to;
    message.msg_namelen = sizeof(to);
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    alignas(cmsghdr) std::array<char, CMSG_SPACE(sizeof(in_pktinfo))> control{};
    if (pin_interface && held.route != 0) {
        message.msg_control = control.data();
        message.msg_controllen = control.size();
        cmsghdr* c = CMSG_FIRSTHDR(&message);
        c->cmsg_level = IPPROTO_IP;
        c->cmsg_type = IP_PKTINFO;
        c->cmsg_len = CMSG_LEN(sizeof(in_pktinfo));
        in_pktinfo info{};
        info.ipi_ifindex = static_cast<int>(held.route);
        if (const auto server_id =
                reply.message.options.get_address(dh::OptionCode::kServerIdentifier)) {
            info.ipi_spec_dst = to_in_addr(*server_id);
        }
        std::memcpy(CMSG_DATA(c), &info, sizeof(info));
    }
    if (::sendmsg(fd_.get(), &message, 0) < 0) {
        ++stats_.send_errors;
        log_.debug("DHCP reply not sent", {{"error", errno_text(errno)}});
        return;
    }
    ++stats_.replies_sent;
    const auto type = type_name(reply.message);
    if (metrics_) {
        if (const auto it = metrics_->replies.find(type); it != metrics_->replies.end())
            it->second->inc();
    }
    if (log_dhcp_) {
        std::string sent;
        for (const auto& option : reply.message.options.all())
            sent += " " + std::to_string(option.code);
        log_.info(std::to_string(reply.message.xid) + " sent " + std::string(type) + " to " +
                  Ipv4Address::from_u32(ntohl(to.sin_addr.s_addr)).to_string() +
                  " options:" + sent);
    }
}

void DhcpService::on_expiry_timer() {
    timer_.reset();
    auto expired = engine_.expire(loop_.clock().wall_now());
    if (!expired.empty()) {
        apply_changes(expired);
        batch_.add_changes(expired);
    }
    next_expiry_ = engine_.next_expiry();  // the one O(leases) scan, per timer firing
    commit_and_send();
    if (!batch_.dirty() && !store_.read_only() && store_.journal_records() > 0) {
        if (auto written = store_.write(engine_.leases()); written) {
            compaction_failed_ = false;
        } else {
            compaction_failed_ = true;  // retried after kWriteRetrySeconds; appends go on
            ++stats_.lease_write_failures;
            log_.error("cannot compact the lease journal into the lease file",
                       {{"error", written.error()}});
        }
    }
    schedule_timer();
}

void DhcpService::schedule_timer() {
    if (timer_) {
        loop_.cancel_timer(*timer_);
        timer_.reset();
    }
    std::optional<std::int64_t> delay;
    // next_expiry_, not engine_.next_expiry(): this runs after every batch, and a scan of every
    // lease per batch was most of the server's CPU under perfdhcp with 50,000 leases.
    if (const auto next = next_expiry_) {
        // One second late rather than early: the wall clock and the loop's monotonic clock
        // tick independently, and an early wake-up would find nothing expired yet.
        delay =
            std::max<std::int64_t>(0, next->unix_seconds - loop_.clock().wall_now().unix_seconds) +
            1;
    }
    if (batch_.dirty())
        delay = std::min(delay.value_or(kWriteRetrySeconds), kWriteRetrySeconds);
    if (!store_.read_only() && store_.journal_records() > 0) {
        const std::int64_t compact = compaction_failed_ ? kWriteRetrySeconds : kIdleCompactSeconds;
        delay = std::min(delay.value_or(compact), compact);
    }
    if (!delay)
        return;
    timer_ = loop_.add_timer_after(std::chrono::seconds(*delay), [this] { on_expiry_timer(); });
}

Result<std::unique_ptr<DhcpService>, std::string> start_dhcp_service(
    platform::io::EventLoop& loop, std::span<const config::RawOption> dhcp_options,
    const DhcpServiceParams& params, platform::Logger& log, LeaseNameHandler on_name_change) {
    auto import = map_dhcp_options(dhcp_options);
    if (!import)
        return Unexpected(import.error());
    for (const auto& warning : import->warnings)
        log.warn(warning);
    if (!import->enabled())
        return std::unique_ptr<DhcpService>();
    return DhcpService::create(loop, std::move(*import), params, log, std::move(on_name_change));
}

}  // namespace nfv::dnsvizor::dhcp
