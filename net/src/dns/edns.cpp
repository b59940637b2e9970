#include "nfv/net/dns/edns.hpp"

#include "nfv/net/byte_reader.hpp"

namespace nfv::net::dns {
namespace {

constexpr std::uint16_t kOptType = 41;
constexpr std::uint32_t kDoBit = 0x8000;
constexpr std::size_t kMaxField = 0xFFFF;

}  // namespace

Result<Edns, DnsError> parse_opt(std::uint16_t rclass, std::uint32_t ttl,
                                 std::span<const std::byte> rdata) {
    Edns edns;
    edns.udp_payload_size = rclass;
    edns.extended_rcode = static_cast<std::uint8_t>(ttl >> 24U);
    edns.version = static_cast<std::uint8_t>(ttl >> 16U);
    edns.dnssec_ok = (ttl & kDoBit) != 0;
    edns.z = static_cast<std::uint16_t>(ttl & (kDoBit - 1));
    ByteReader reader(rdata);
    while (!reader.empty()) {
        const auto code = reader.read_u16();
        const auto length = reader.read_u16();
        if (!code || !length) {
            return Unexpected(DnsError::kBadOpt);
        }
        const auto data = reader.read_bytes(*length);
        if (!data) {
            return Unexpected(DnsError::kBadOpt);
        }
        edns.options.push_back(EdnsOption{*code, {data->begin(), data->end()}});
    }
    return edns;
}

std::size_t opt_wire_size(const Edns& edns) {
    std::size_t size = kOptFixedSize;
    for (const auto& option : edns.options) {
        size += 4 + option.data.size();
    }
    return size;
}

Result<void, DnsError> write_opt(const Edns& edns, ByteWriter& out) {
    const std::size_t rdlength = opt_wire_size(edns) - kOptFixedSize;
    if (rdlength > kMaxField) {
        return Unexpected(DnsError::kTooLarge);
    }
    out.write_u8(0);  // root owner name
    out.write_u16(kOptType);
    out.write_u16(edns.udp_payload_size);
    const std::uint32_t ttl = (std::uint32_t{edns.extended_rcode} << 24U) |
                              (std::uint32_t{edns.version} << 16U) |
                              (edns.dnssec_ok ? kDoBit : 0U) | (edns.z & (kDoBit - 1));
    out.write_u32(ttl);
    out.write_u16(static_cast<std::uint16_t>(rdlength));
    for (const auto& option : edns.options) {
        out.write_u16(option.code);
        out.write_u16(static_cast<std::uint16_t>(option.data.size()));
        out.write_bytes(option.data);
    }
    return {};
}

}  // namespace nfv::net::dns
