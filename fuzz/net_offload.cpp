// Fuzz target: the TUN offload codecs (nfv/net/offload.hpp, tcp_coalescer.hpp, tcp_mss.hpp).
// Input: a 10-byte virtio-net header, then packets, each preceded by a 2-byte length.
// Properties:
//  * split_offloaded_packet never reads or writes outside its spans (ASan) and every segment it
//    makes fits in `out`;
//  * TcpCoalescer: segmenting its outputs again gives back every packet that went in, each
//    connection's packets in their original order (the GRO round trip);
//  * clamp_tcp_mss keeps a valid TCP checksum valid.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <span>
#include <vector>

#include "nfv/net/byte_order.hpp"
#include "nfv/net/checksum.hpp"
#include "nfv/net/offload.hpp"
#include "nfv/net/tcp_coalescer.hpp"
#include "nfv/net/tcp_mss.hpp"

namespace {

using Packet = std::vector<std::byte>;

bool tcp_checksum_ok(std::span<const std::byte> p) {
    if (p.size() < 40) {
        return false;
    }
    const unsigned version = std::to_integer<unsigned>(p[0]) >> 4U;
    std::size_t l4 = 0;
    if (version == 4 && (std::to_integer<unsigned>(p[0]) & 0x0fU) == 5 &&
        std::to_integer<unsigned>(p[9]) == 6) {
        l4 = 20;
    } else if (version == 6 && p.size() >= 60 && std::to_integer<unsigned>(p[6]) == 6) {
        l4 = 40;
    } else {
        return false;
    }
    if (p.size() - l4 > 0xffff) {
        return false;
    }
    return nfv::net::packet_transport_checksum(p, l4, 6) == 0;
}

Packet connection_of(const Packet& p) {
    // Addresses and ports for TCP; the whole packet otherwise (it travels alone).
    if (p.size() >= 44 && (std::to_integer<unsigned>(p[0]) >> 4U) == 4) {
        const std::size_t l4 = (std::to_integer<unsigned>(p[0]) & 0x0fU) * 4U;
        if (std::to_integer<unsigned>(p[9]) == 6 && l4 >= 20 && p.size() >= l4 + 4) {
            Packet k(p.begin() + 12, p.begin() + 20);
            k.insert(k.end(), p.begin() + static_cast<std::ptrdiff_t>(l4),
                     p.begin() + static_cast<std::ptrdiff_t>(l4 + 4));
            return k;
        }
    }
    if (p.size() >= 44 && (std::to_integer<unsigned>(p[0]) >> 4U) == 6 &&
        std::to_integer<unsigned>(p[6]) == 6) {
        Packet k(p.begin() + 8, p.begin() + 44);
        k.push_back(std::byte{6});
        return k;
    }
    return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = std::as_bytes(std::span(data, size));
    if (input.size() < nfv::net::kVirtioNetHeaderSize) {
        return 0;
    }
    const auto header =
        nfv::net::decode_virtio_net_header(input.first<nfv::net::kVirtioNetHeaderSize>());
    std::vector<Packet> packets;
    for (auto rest = input.subspan(nfv::net::kVirtioNetHeaderSize); rest.size() >= 2;) {
        const std::size_t length =
            (std::to_integer<std::size_t>(rest[0]) << 8U) | std::to_integer<std::size_t>(rest[1]);
        rest = rest.subspan(2);
        const std::size_t take = length < rest.size() ? length : rest.size();
        packets.emplace_back(rest.begin(), rest.begin() + static_cast<std::ptrdiff_t>(take));
        rest = rest.subspan(take);
    }
    if (packets.empty()) {
        return 0;
    }

    // 1. Segmentation of the first packet under the fuzzed header.
    {
        Packet first = packets.front();
        std::vector<std::byte> out(2 * 65536);
        std::vector<std::span<const std::byte>> segments;
        auto split = nfv::net::split_offloaded_packet(header, first, out, segments);
        if (split && *split > out.size()) {
            std::abort();
        }
    }

    // 2. The GRO round trip.
    nfv::net::TcpCoalescer coalescer(256 * 1024, 4);
    std::vector<Packet> in;
    std::vector<Packet> out;
    const auto drain = [&] {
        for (const auto& o : coalescer.finish()) {
            Packet copy(o.packet.begin(), o.packet.end());
            std::vector<std::byte> room(2 * 65536);
            std::vector<std::span<const std::byte>> segments;
            if (!nfv::net::split_offloaded_packet(o.header, copy, room, segments)) {
                std::abort();  // every output must segment
            }
            for (const auto s : segments) {
                out.emplace_back(s.begin(), s.end());
            }
        }
        coalescer.clear();
    };
    for (const auto& p : packets) {
        if (!coalescer.add(p)) {
            drain();
            if (!coalescer.add(p)) {
                std::abort();  // a packet always fits an empty coalescer
            }
        }
        in.push_back(p);
    }
    drain();
    std::map<Packet, std::vector<Packet>> expected;
    std::map<Packet, std::vector<Packet>> got;
    for (const auto& p : in) {
        expected[connection_of(p)].push_back(p);
    }
    for (const auto& p : out) {
        got[connection_of(p)].push_back(p);
    }
    if (got != expected) {
        std::abort();
    }

    // 3. MSS clamping keeps checksums valid.
    for (auto& p : packets) {
        const bool valid = tcp_checksum_ok(p);
        const bool changed = nfv::net::clamp_tcp_mss(p, 1200);
        if (changed && valid && !tcp_checksum_ok(p)) {
            std::abort();
        }
    }
    return 0;
}
