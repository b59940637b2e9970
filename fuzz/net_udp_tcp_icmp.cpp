// Fuzz target: the transport views (UDP, TCP, ICMPv4, ICMPv6) over the same input, as if it were
// an IP payload. Properties: accessors stay inside the input; recomputing a checksum makes it
// verify; an incremental port rewrite keeps a valid checksum valid; an option-less TCP header
// with zero reserved bits re-serializes to the same 20 bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "nfv/net/checksum.hpp"
#include "nfv/net/icmp.hpp"
#include "nfv/net/tcp.hpp"
#include "nfv/net/udp.hpp"

namespace {

constexpr nfv::net::Ipv4Address kSource4({192, 0, 2, 1});
constexpr nfv::net::Ipv4Address kDestination4({198, 51, 100, 2});
constexpr nfv::net::Ipv6Address kSource6 =
    nfv::net::Ipv6Address::from_groups({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1});
constexpr nfv::net::Ipv6Address kDestination6 =
    nfv::net::Ipv6Address::from_groups({0xfe80, 0, 0, 0, 0, 0, 0, 2});

void fuzz_udp(std::span<const std::byte> input) {
    std::vector<std::byte> copy(input.begin(), input.end());
    auto udp = nfv::net::UdpViewMut::check(copy);
    if (!udp) {
        return;
    }
    if (udp->datagram().size() != udp->length() ||
        udp->payload().size() + nfv::net::kUdpHeaderSize != udp->length()) {
        std::abort();
    }
    const bool valid = udp->checksum() != 0 && udp->checksum_valid_v4(kSource4, kDestination4);
    if (valid) {
        const auto patched = nfv::net::checksum_update(udp->checksum(), udp->source_port(), 4242);
        udp->set_source_port(4242);
        udp->set_checksum(patched);
        if (!udp->checksum_valid_v4(kSource4, kDestination4)) {
            std::abort();
        }
    }
    udp->recompute_checksum_v4(kSource4, kDestination4);
    if (!udp->checksum_valid_v4(kSource4, kDestination4)) {
        std::abort();
    }
    udp->recompute_checksum_v6(kSource6, kDestination6);
    if (!udp->checksum_valid_v6(kSource6, kDestination6)) {
        std::abort();
    }
}

void fuzz_tcp(std::span<const std::byte> input) {
    std::vector<std::byte> copy(input.begin(), input.end());
    auto tcp = nfv::net::TcpViewMut::check(copy);
    if (!tcp) {
        return;
    }
    if (tcp->options().size() + nfv::net::kTcpMinHeaderSize + tcp->payload().size() !=
        input.size()) {
        std::abort();
    }
    if (tcp->data_offset() == 5 && (std::to_integer<unsigned>(input[12]) & 0x0fU) == 0) {
        std::vector<std::byte> out(nfv::net::kTcpMinHeaderSize);
        if (serialize(to_header(*tcp), out) != out.size()) {
            std::abort();
        }
        for (std::size_t i = 0; i < out.size(); ++i) {
            if (out[i] != input[i]) {
                std::abort();
            }
        }
    }
    if (input.size() <= 0xffff) {
        tcp->recompute_checksum_v4(kSource4, kDestination4);
        if (!tcp->checksum_valid_v4(kSource4, kDestination4)) {
            std::abort();
        }
        const auto patched =
            nfv::net::checksum_update(tcp->checksum(), kSource4, nfv::net::Ipv4Address());
        tcp->set_checksum(patched);
        if (!tcp->checksum_valid_v4(nfv::net::Ipv4Address(), kDestination4)) {
            std::abort();
        }
    }
}

void fuzz_icmp(std::span<const std::byte> input) {
    std::vector<std::byte> copy(input.begin(), input.end());
    if (auto icmp = nfv::net::Icmpv4ViewMut::check(copy)) {
        const bool valid = icmp->checksum_valid();
        const auto patched = nfv::net::checksum_update(icmp->checksum(), icmp->identifier(), 7);
        icmp->set_identifier(7);
        icmp->set_checksum(patched);
        if (valid && !icmp->checksum_valid()) {
            std::abort();
        }
        icmp->recompute_checksum();
        if (!icmp->checksum_valid() || icmp->payload().size() + 8 != input.size()) {
            std::abort();
        }
    }
    if (auto icmp = nfv::net::Icmpv6ViewMut::check(copy)) {
        (void)icmp->echo_identifier();
        (void)icmp->echo_sequence();
        icmp->recompute_checksum(kSource6, kDestination6);
        if (!icmp->checksum_valid(kSource6, kDestination6) ||
            icmp->body().size() + 4 != input.size()) {
            std::abort();
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = std::as_bytes(std::span(data, size));
    fuzz_udp(input);
    fuzz_tcp(input);
    fuzz_icmp(input);
    return 0;
}
