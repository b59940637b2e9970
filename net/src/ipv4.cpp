#include "nfv/net/ipv4.hpp"

#include "nfv/net/byte_order.hpp"
#include "nfv/net/byte_writer.hpp"
#include "nfv/net/checksum.hpp"

namespace nfv::net {

namespace {

constexpr std::size_t kTosOffset = 1;
constexpr std::size_t kTotalLengthOffset = 2;
constexpr std::size_t kIdentificationOffset = 4;
constexpr std::size_t kFragmentOffset = 6;
constexpr std::size_t kTtlOffset = 8;
constexpr std::size_t kProtocolOffset = 9;
constexpr std::size_t kChecksumOffset = 10;
constexpr std::size_t kSourceOffset = 12;
constexpr std::size_t kDestinationOffset = 16;

constexpr std::uint16_t kDontFragmentBit = 0x4000;
constexpr std::uint16_t kMoreFragmentsBit = 0x2000;
constexpr std::uint16_t kFragmentOffsetMask = 0x1fff;

// The packet portion of `bytes` if the header is sane, else an empty optional.
std::optional<std::size_t> checked_total_length(std::span<const std::byte> bytes) {
    if (bytes.size() < kIpv4MinHeaderSize) {
        return std::nullopt;
    }
    const std::uint8_t first = load_u8(bytes, 0);
    if ((first >> 4U) != 4U) {
        return std::nullopt;
    }
    const std::size_t header_length = static_cast<std::size_t>(first & 0x0fU) * 4;
    const std::size_t total_length = load_be16(bytes, kTotalLengthOffset);
    if (header_length < kIpv4MinHeaderSize || total_length < header_length ||
        total_length > bytes.size()) {
        return std::nullopt;
    }
    return total_length;
}

}  // namespace

std::optional<Ipv4View> Ipv4View::check(std::span<const std::byte> bytes) {
    const auto total_length = checked_total_length(bytes);
    if (!total_length) {
        return std::nullopt;
    }
    return Ipv4View(bytes.first(*total_length));
}

std::uint8_t Ipv4View::ihl() const {
    return load_u8(packet_, 0) & 0x0fU;
}
std::uint8_t Ipv4View::dscp() const {
    return load_u8(packet_, kTosOffset) >> 2U;
}
std::uint8_t Ipv4View::ecn() const {
    return load_u8(packet_, kTosOffset) & 0x03U;
}
std::uint16_t Ipv4View::total_length() const {
    return load_be16(packet_, kTotalLengthOffset);
}
std::uint16_t Ipv4View::identification() const {
    return load_be16(packet_, kIdentificationOffset);
}
bool Ipv4View::dont_fragment() const {
    return (load_be16(packet_, kFragmentOffset) & kDontFragmentBit) != 0;
}
bool Ipv4View::more_fragments() const {
    return (load_be16(packet_, kFragmentOffset) & kMoreFragmentsBit) != 0;
}
std::uint16_t Ipv4View::fragment_offset() const {
    return load_be16(packet_, kFragmentOffset) & kFragmentOffsetMask;
}
std::uint8_t Ipv4View::ttl() const {
    return load_u8(packet_, kTtlOffset);
}
std::uint8_t Ipv4View::protocol() const {
    return load_u8(packet_, kProtocolOffset);
}
std::uint16_t Ipv4View::header_checksum() const {
    return load_be16(packet_, kChecksumOffset);
}
Ipv4Address Ipv4View::source() const {
    return Ipv4Address::from_u32(load_be32(packet_, kSourceOffset));
}
Ipv4Address Ipv4View::destination() const {
    return Ipv4Address::from_u32(load_be32(packet_, kDestinationOffset));
}

bool Ipv4View::checksum_valid() const {
    return internet_checksum(header()) == 0;
}

std::optional<Ipv4ViewMut> Ipv4ViewMut::check(std::span<std::byte> bytes) {
    const auto total_length = checked_total_length(bytes);
    if (!total_length) {
        return std::nullopt;
    }
    return Ipv4ViewMut(bytes.first(*total_length));
}

void Ipv4ViewMut::set_ttl(std::uint8_t ttl) {
    store_u8(bytes_, kTtlOffset, ttl);
}
void Ipv4ViewMut::set_source(Ipv4Address address) {
    store_be32(bytes_, kSourceOffset, address.to_u32());
}
void Ipv4ViewMut::set_destination(Ipv4Address address) {
    store_be32(bytes_, kDestinationOffset, address.to_u32());
}
void Ipv4ViewMut::set_header_checksum(std::uint16_t checksum) {
    store_be16(bytes_, kChecksumOffset, checksum);
}

void Ipv4ViewMut::recompute_header_checksum() {
    set_header_checksum(0);
    set_header_checksum(internet_checksum(header()));
}

void Ipv4ViewMut::update_ttl(std::uint8_t ttl) {
    // TTL shares its 16-bit word with the protocol byte.
    const std::uint16_t old_word = load_be16(bytes_, kTtlOffset);
    set_ttl(ttl);
    set_header_checksum(
        checksum_update(header_checksum(), old_word, load_be16(bytes_, kTtlOffset)));
}

void Ipv4ViewMut::update_source(Ipv4Address address) {
    set_header_checksum(checksum_update(header_checksum(), source(), address));
    set_source(address);
}

void Ipv4ViewMut::update_destination(Ipv4Address address) {
    set_header_checksum(checksum_update(header_checksum(), destination(), address));
    set_destination(address);
}

Ipv4Header to_header(const Ipv4View& view) {
    Ipv4Header header;
    header.dscp = view.dscp();
    header.ecn = view.ecn();
    header.identification = view.identification();
    header.dont_fragment = view.dont_fragment();
    header.more_fragments = view.more_fragments();
    header.fragment_offset = view.fragment_offset();
    header.ttl = view.ttl();
    header.protocol = view.protocol();
    header.source = view.source();
    header.destination = view.destination();
    header.payload_length = static_cast<std::uint16_t>(view.payload().size());
    return header;
}

std::size_t serialize(const Ipv4Header& header, std::span<std::byte> out) {
    if (out.size() < kIpv4MinHeaderSize || header.payload_length > 0xffff - kIpv4MinHeaderSize) {
        return 0;
    }
    std::uint16_t flags_offset = header.fragment_offset & kFragmentOffsetMask;
    if (header.dont_fragment) {
        flags_offset |= kDontFragmentBit;
    }
    if (header.more_fragments) {
        flags_offset |= kMoreFragmentsBit;
    }
    ByteWriter w(out);
    w.write_u8(0x45);  // version 4, IHL 5
    w.write_u8(static_cast<std::uint8_t>(((header.dscp & 0x3fU) << 2U) | (header.ecn & 0x03U)));
    w.write_u16(static_cast<std::uint16_t>(kIpv4MinHeaderSize + header.payload_length));
    w.write_u16(header.identification);
    w.write_u16(flags_offset);
    w.write_u8(header.ttl);
    w.write_u8(header.protocol);
    w.write_u16(0);  // checksum, patched below
    w.write_u32(header.source.to_u32());
    w.write_u32(header.destination.to_u32());
    w.patch_u16(kChecksumOffset, internet_checksum(w.written()));
    return w.position();
}

}  // namespace nfv::net
