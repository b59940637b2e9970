// Fuzz target: the DHCPv4 lease engine (dnsvizor dhcp/lease_engine) as a state machine. The input
// is a sequence of records [u8 interface selector][u8 seconds to advance][u16 length][datagram];
// each datagram that parses is handed to LeaseEngine::handle, then expire() runs.
// Properties: never crashes; a reply is always a BOOTREPLY with the request's xid; an ACK that
// carries a lease time has its yiaddr leased to that client; no address is leased twice and
// every lease is inside the configured subnets; lease-max is never exceeded.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <span>

#include "nfv/net/dhcp/message.hpp"

#include "dhcp/lease_engine.hpp"

namespace {

using nfv::net::Ipv4Address;
using nfv::net::Ipv4Cidr;
namespace dh = nfv::net::dhcp;
namespace d = nfv::dnsvizor::dhcp;

d::DhcpServerSettings settings() {
    d::DhcpServerSettings s;
    d::DhcpRange dynamic;
    dynamic.start = Ipv4Address({10, 67, 0, 50});
    dynamic.end = Ipv4Address({10, 67, 0, 60});
    dynamic.lease_seconds = 120;
    s.ranges.push_back(dynamic);
    d::DhcpRange relayed;
    relayed.start = Ipv4Address({10, 68, 0, 10});
    relayed.end = Ipv4Address({10, 68, 0, 12});
    relayed.netmask = Ipv4Address({255, 255, 255, 0});
    s.ranges.push_back(relayed);
    d::StaticHost host;
    host.hardware.push_back(d::HardwarePattern{std::nullopt, {0x52, 0x54, 0, 0, 0, 1}});
    host.address = Ipv4Address({10, 67, 0, 20});
    host.hostname = "fixed";
    s.hosts.push_back(host);
    s.authoritative = true;
    s.rapid_commit = true;
    s.lease_max = 8;
    s.domain = "lan";
    return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    d::LeaseEngine engine(settings());
    const d::InterfaceInfo ifaces[2] = {
        {"lan0", Ipv4Address({10, 67, 0, 1}), Ipv4Cidr(Ipv4Address({10, 67, 0, 0}), 24)},
        {"lan1", Ipv4Address({192, 0, 2, 1}), Ipv4Cidr(Ipv4Address({192, 0, 2, 0}), 24)},
    };
    nfv::platform::WallTime now{1'700'000'000};
    std::size_t at = 0;
    while (at + 4 <= size) {
        const auto& iface = ifaces[data[at] & 1U];
        now.unix_seconds += data[at + 1];
        const std::size_t length = (std::size_t{data[at + 2]} << 8U) | data[at + 3];
        at += 4;
        const std::size_t take = std::min(length, size - at);
        const auto bytes = std::as_bytes(std::span(data + at, take));
        at += take;
        const auto request = dh::parse(bytes);
        if (!request)
            continue;
        const auto outcome = engine.handle(*request, iface, now);
        if (outcome.reply) {
            const auto& reply = outcome.reply->message;
            if (reply.op != dh::BootpOp::kReply || reply.xid != request->xid)
                std::abort();
            if (reply.options.message_type() == dh::MessageType::kAck &&
                reply.options.has(dh::OptionCode::kLeaseTime)) {
                bool found = false;
                for (const auto& lease : engine.leases())
                    found = found || lease.address == reply.yiaddr;
                if (!found)
                    std::abort();
            }
        }
        (void)engine.expire(now);
        std::set<std::uint32_t> seen;
        const auto leases = engine.leases();
        if (leases.size() > 8 + 1)  // lease-max, plus a static host's own lease
            std::abort();
        for (const auto& lease : leases) {
            if (!seen.insert(lease.address.to_u32()).second)
                std::abort();
            const bool inside = Ipv4Cidr(Ipv4Address({10, 67, 0, 0}), 24).contains(lease.address) ||
                                Ipv4Cidr(Ipv4Address({10, 68, 0, 0}), 24).contains(lease.address);
            if (!inside)
                std::abort();
        }
    }
    return 0;
}
