#include "nfv/net/dns/header.hpp"

#include "nfv/net/byte_reader.hpp"

namespace nfv::net::dns {
namespace {

constexpr std::uint16_t kQr = 0x8000;
constexpr unsigned kOpcodeShift = 11;
constexpr std::uint16_t kOpcodeMask = 0xF;
constexpr std::uint16_t kAa = 0x0400;
constexpr std::uint16_t kTc = 0x0200;
constexpr std::uint16_t kRd = 0x0100;
constexpr std::uint16_t kRa = 0x0080;
constexpr std::uint16_t kZ = 0x0040;
constexpr std::uint16_t kAd = 0x0020;
constexpr std::uint16_t kCd = 0x0010;
constexpr std::uint16_t kRcodeMask = 0x000F;

}  // namespace

std::uint16_t encode_flags(const Header& h) {
    unsigned flags = (static_cast<unsigned>(h.opcode) & kOpcodeMask) << kOpcodeShift;
    flags |= h.qr ? kQr : 0U;
    flags |= h.aa ? kAa : 0U;
    flags |= h.tc ? kTc : 0U;
    flags |= h.rd ? kRd : 0U;
    flags |= h.ra ? kRa : 0U;
    flags |= h.z ? kZ : 0U;
    flags |= h.ad ? kAd : 0U;
    flags |= h.cd ? kCd : 0U;
    flags |= h.rcode & kRcodeMask;
    return static_cast<std::uint16_t>(flags);
}

Header decode_flags(std::uint16_t id, std::uint16_t flags) {
    Header h;
    h.id = id;
    h.qr = (flags & kQr) != 0;
    h.opcode = static_cast<Opcode>((flags >> kOpcodeShift) & kOpcodeMask);
    h.aa = (flags & kAa) != 0;
    h.tc = (flags & kTc) != 0;
    h.rd = (flags & kRd) != 0;
    h.ra = (flags & kRa) != 0;
    h.z = (flags & kZ) != 0;
    h.ad = (flags & kAd) != 0;
    h.cd = (flags & kCd) != 0;
    h.rcode = static_cast<std::uint8_t>(flags & kRcodeMask);
    return h;
}

void write_header(const WireHeader& header, ByteWriter& out) {
    out.write_u16(header.header.id);
    out.write_u16(encode_flags(header.header));
    out.write_u16(header.qdcount);
    out.write_u16(header.ancount);
    out.write_u16(header.nscount);
    out.write_u16(header.arcount);
}

Result<WireHeader, DnsError> parse_header(std::span<const std::byte> message) {
    ByteReader reader(message);
    const auto id = reader.read_u16();
    const auto flags = reader.read_u16();
    const auto qd = reader.read_u16();
    const auto an = reader.read_u16();
    const auto ns = reader.read_u16();
    const auto ar = reader.read_u16();
    if (!id || !flags || !qd || !an || !ns || !ar) {
        return Unexpected(DnsError::kTruncated);
    }
    return WireHeader{decode_flags(*id, *flags), *qd, *an, *ns, *ar};
}

Result<QueryHead, DnsError> parse_query_head(std::span<const std::byte> message) {
    auto wire = parse_header(message);
    if (!wire) {
        return Unexpected(wire.error());
    }
    QueryHead head{*wire, std::nullopt, kHeaderSize};
    if (wire->qdcount == 0) {
        return head;
    }
    ByteReader reader(message);
    (void)reader.seek(kHeaderSize);
    auto name = Name::parse_wire(reader);
    if (!name) {
        return Unexpected(name.error());
    }
    const auto type = reader.read_u16();
    const auto rclass = reader.read_u16();
    if (!type || !rclass) {
        return Unexpected(DnsError::kTruncated);
    }
    head.question =
        Question{std::move(*name), static_cast<RrType>(*type), static_cast<RrClass>(*rclass)};
    head.question_end = reader.position();
    return head;
}

}  // namespace nfv::net::dns
