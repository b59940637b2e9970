// Test helper: builds IPv4/IPv6 TCP packets with correct checksums for the offload tests.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "nfv/net/byte_order.hpp"
#include "nfv/net/checksum.hpp"

namespace nfv::net::testing {

struct TcpPacketSpec {
    bool ipv4 = true;
    std::uint8_t last_address_byte = 1;  // varies the source address between flows
    std::uint16_t source_port = 40000;
    std::uint16_t destination_port = 5201;
    std::uint32_t seq = 1000;
    std::uint32_t ack = 7;
    std::uint8_t flags = 0x10;  // ACK
    std::uint16_t id = 100;
    std::uint16_t window = 512;
    std::size_t option_bytes = 12;  // NOP NOP TIMESTAMP, as Linux sends
    std::uint32_t timestamp = 1;
};

inline std::vector<std::byte> payload_bytes(std::size_t size, std::uint32_t seed) {
    std::vector<std::byte> out(size);
    for (std::size_t i = 0; i < size; ++i) {
        out[i] = static_cast<std::byte>((seed * 131U + i * 7U) & 0xffU);
    }
    return out;
}

inline std::vector<std::byte> tcp_packet(const TcpPacketSpec& spec,
                                         std::span<const std::byte> payload) {
    const std::size_t l4 = spec.ipv4 ? 20 : 40;
    const std::size_t tcp_header = 20 + spec.option_bytes;
    std::vector<std::byte> p(l4 + tcp_header + payload.size());
    const std::span<std::byte> s(p);
    if (spec.ipv4) {
        store_u8(s, 0, 0x45);
        store_be16(s, 2, static_cast<std::uint16_t>(p.size()));
        store_be16(s, 4, spec.id);
        store_be16(s, 6, 0x4000);  // DF
        store_u8(s, 8, 64);
        store_u8(s, 9, 6);
        store_be32(s, 12, 0x0a080000U | spec.last_address_byte);
        store_be32(s, 16, 0x0a080002U);
        store_be16(s, 10, internet_checksum(s.first(20)));
    } else {
        store_u8(s, 0, 0x60);
        store_be16(s, 4, static_cast<std::uint16_t>(p.size() - 40));
        store_u8(s, 6, 6);
        store_u8(s, 7, 64);
        store_u8(s, 8, 0xfd);
        store_u8(s, 23, spec.last_address_byte);
        store_u8(s, 24, 0xfd);
        store_u8(s, 39, 2);
    }
    store_be16(s, l4, spec.source_port);
    store_be16(s, l4 + 2, spec.destination_port);
    store_be32(s, l4 + 4, spec.seq);
    store_be32(s, l4 + 8, spec.ack);
    store_u8(s, l4 + 12, static_cast<std::uint8_t>((tcp_header / 4) << 4U));
    store_u8(s, l4 + 13, spec.flags);
    store_be16(s, l4 + 14, spec.window);
    if (spec.option_bytes >= 12) {
        store_u8(s, l4 + 20, 1);
        store_u8(s, l4 + 21, 1);
        store_u8(s, l4 + 22, 8);
        store_u8(s, l4 + 23, 10);
        store_be32(s, l4 + 24, spec.timestamp);
    }
    for (std::size_t i = 0; i < payload.size(); ++i) {
        p[l4 + tcp_header + i] = payload[i];
    }
    store_be16(s, l4 + 16, packet_transport_checksum(s, l4, 6));
    return p;
}

/// True when the IPv4 header checksum (if any) and the TCP checksum verify.
inline bool checksums_valid(std::span<const std::byte> p) {
    const bool ipv4 = (load_u8(p, 0) >> 4U) == 4;
    const std::size_t l4 = ipv4 ? (load_u8(p, 0) & 0x0fU) * 4U : 40;
    if (ipv4 && internet_checksum(p.first(l4)) != 0) {
        return false;
    }
    return packet_transport_checksum(p, l4, 6) == 0;
}

}  // namespace nfv::net::testing
