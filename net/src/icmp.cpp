#include "nfv/net/icmp.hpp"

#include "nfv/net/byte_order.hpp"
#include "nfv/net/checksum.hpp"
#include "nfv/net/ipv4.hpp"

namespace nfv::net {

namespace {

constexpr std::size_t kCodeOffset = 1;
constexpr std::size_t kChecksumOffset = 2;
constexpr std::size_t kRestOffset = 4;
constexpr std::size_t kSequenceOffset = 6;

}  // namespace

std::optional<Icmpv4View> Icmpv4View::check(std::span<const std::byte> bytes) {
    if (bytes.size() < kIcmpv4HeaderSize) {
        return std::nullopt;
    }
    return Icmpv4View(bytes);
}

std::uint8_t Icmpv4View::type() const {
    return load_u8(message_, 0);
}
std::uint8_t Icmpv4View::code() const {
    return load_u8(message_, kCodeOffset);
}
std::uint16_t Icmpv4View::checksum() const {
    return load_be16(message_, kChecksumOffset);
}
std::uint32_t Icmpv4View::rest_of_header() const {
    return load_be32(message_, kRestOffset);
}
std::uint16_t Icmpv4View::identifier() const {
    return load_be16(message_, kRestOffset);
}
std::uint16_t Icmpv4View::sequence_number() const {
    return load_be16(message_, kSequenceOffset);
}
bool Icmpv4View::checksum_valid() const {
    return internet_checksum(message_) == 0;
}

std::optional<Icmpv4ViewMut> Icmpv4ViewMut::check(std::span<std::byte> bytes) {
    if (bytes.size() < kIcmpv4HeaderSize) {
        return std::nullopt;
    }
    return Icmpv4ViewMut(bytes);
}

void Icmpv4ViewMut::set_type(std::uint8_t type) {
    store_u8(bytes_, 0, type);
}
void Icmpv4ViewMut::set_code(std::uint8_t code) {
    store_u8(bytes_, kCodeOffset, code);
}
void Icmpv4ViewMut::set_identifier(std::uint16_t identifier) {
    store_be16(bytes_, kRestOffset, identifier);
}
void Icmpv4ViewMut::set_checksum(std::uint16_t checksum) {
    store_be16(bytes_, kChecksumOffset, checksum);
}
void Icmpv4ViewMut::recompute_checksum() {
    set_checksum(0);
    set_checksum(internet_checksum(bytes_));
}

std::optional<Icmpv6View> Icmpv6View::check(std::span<const std::byte> bytes) {
    if (bytes.size() < kIcmpv6MinSize) {
        return std::nullopt;
    }
    return Icmpv6View(bytes);
}

std::uint8_t Icmpv6View::type() const {
    return load_u8(message_, 0);
}
std::uint8_t Icmpv6View::code() const {
    return load_u8(message_, kCodeOffset);
}
std::uint16_t Icmpv6View::checksum() const {
    return load_be16(message_, kChecksumOffset);
}

std::optional<std::uint16_t> Icmpv6View::echo_identifier() const {
    if (message_.size() < 8) {
        return std::nullopt;
    }
    return load_be16(message_, kRestOffset);
}

std::optional<std::uint16_t> Icmpv6View::echo_sequence() const {
    if (message_.size() < 8) {
        return std::nullopt;
    }
    return load_be16(message_, kSequenceOffset);
}

bool Icmpv6View::checksum_valid(const Ipv6Address& source, const Ipv6Address& destination) const {
    return ipv6_transport_checksum(source, destination, kIpProtocolIcmpv6, message_) == 0;
}

std::optional<Icmpv6ViewMut> Icmpv6ViewMut::check(std::span<std::byte> bytes) {
    if (bytes.size() < kIcmpv6MinSize) {
        return std::nullopt;
    }
    return Icmpv6ViewMut(bytes);
}

void Icmpv6ViewMut::set_type(std::uint8_t type) {
    store_u8(bytes_, 0, type);
}
void Icmpv6ViewMut::set_code(std::uint8_t code) {
    store_u8(bytes_, kCodeOffset, code);
}
void Icmpv6ViewMut::set_checksum(std::uint16_t checksum) {
    store_be16(bytes_, kChecksumOffset, checksum);
}
void Icmpv6ViewMut::recompute_checksum(const Ipv6Address& source, const Ipv6Address& destination) {
    set_checksum(0);
    set_checksum(ipv6_transport_checksum(source, destination, kIpProtocolIcmpv6, bytes_));
}

}  // namespace nfv::net
