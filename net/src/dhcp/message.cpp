#include "nfv/net/dhcp/message.hpp"

#include <algorithm>
#include <cstdio>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/byte_writer.hpp"

namespace nfv::net::dhcp {

namespace {

constexpr std::size_t kSnameSize = 64;
constexpr std::size_t kFileSize = 128;
constexpr std::uint8_t kOverloadFile = 1;
constexpr std::uint8_t kOverloadSname = 2;

std::string text_field(std::span<const std::byte> field) {
    std::string text;
    for (const std::byte b : field) {
        if (b == std::byte{0})
            break;
        text.push_back(static_cast<char>(b));
    }
    return text;
}

void write_text_field(ByteWriter& out, const std::string& text, std::size_t size) {
    const std::size_t used = std::min(text.size(), size - 1);  // keep the terminating NUL
    for (std::size_t i = 0; i < used; ++i)
        out.write_u8(static_cast<std::uint8_t>(text[i]));
    out.write_zeros(size - used);
}

}  // namespace

std::string_view to_string(DhcpError error) {
    switch (error) {
        case DhcpError::kTooShort:
            return "message shorter than the DHCP header";
        case DhcpError::kBadOp:
            return "bad BOOTP op";
        case DhcpError::kBadHardwareLength:
            return "hardware address length above 16";
        case DhcpError::kNoMagicCookie:
            return "no DHCP magic cookie";
        case DhcpError::kBadOptions:
            return "malformed options";
        case DhcpError::kBufferTooSmall:
            return "output buffer too small";
    }
    return "unknown DHCP error";
}

std::string DhcpMessage::hardware_address_text() const {
    std::string text;
    const std::size_t length = std::min<std::size_t>(hlen, chaddr.size());
    for (std::size_t i = 0; i < length; ++i) {
        std::array<char, 4> part{};
        std::snprintf(part.data(), part.size(), i == 0 ? "%02x" : ":%02x", chaddr[i]);
        text += part.data();
    }
    return text;
}

Result<DhcpMessage, DhcpError> parse(std::span<const std::byte> datagram) {
    ByteReader reader(datagram);
    if (reader.remaining() < kFixedHeaderSize + 4)
        return Unexpected(DhcpError::kTooShort);
    DhcpMessage m;
    const std::uint8_t op = *reader.read_u8();
    if (op != 1 && op != 2)
        return Unexpected(DhcpError::kBadOp);
    m.op = static_cast<BootpOp>(op);
    m.htype = *reader.read_u8();
    m.hlen = *reader.read_u8();
    if (m.hlen > m.chaddr.size())
        return Unexpected(DhcpError::kBadHardwareLength);
    m.hops = *reader.read_u8();
    m.xid = *reader.read_u32();
    m.secs = *reader.read_u16();
    m.flags = *reader.read_u16();
    m.ciaddr = Ipv4Address::from_u32(*reader.read_u32());
    m.yiaddr = Ipv4Address::from_u32(*reader.read_u32());
    m.siaddr = Ipv4Address::from_u32(*reader.read_u32());
    m.giaddr = Ipv4Address::from_u32(*reader.read_u32());
    const auto chaddr = *reader.read_bytes(m.chaddr.size());
    for (std::size_t i = 0; i < m.chaddr.size(); ++i) {
        m.chaddr[i] = std::to_integer<std::uint8_t>(chaddr[i]);
    }
    const auto sname = *reader.read_bytes(kSnameSize);
    const auto file = *reader.read_bytes(kFileSize);
    if (*reader.read_u32() != kMagicCookie)
        return Unexpected(DhcpError::kNoMagicCookie);

    if (!m.options.parse_area(reader.read_rest()))
        return Unexpected(DhcpError::kBadOptions);
    // RFC 2132 §9.3: with option 52, `file` then `sname` carry more options (RFC 3396 §7 order).
    const std::uint8_t overload = m.options.get_u8(OptionCode::kOverload).value_or(0);
    if ((overload & kOverloadFile) != 0) {
        if (!m.options.parse_area(file))
            return Unexpected(DhcpError::kBadOptions);
    } else {
        m.file = text_field(file);
    }
    if ((overload & kOverloadSname) != 0) {
        if (!m.options.parse_area(sname))
            return Unexpected(DhcpError::kBadOptions);
    } else {
        m.sname = text_field(sname);
    }
    m.options.erase(static_cast<std::uint8_t>(OptionCode::kOverload));
    return m;
}

Result<std::size_t, DhcpError> serialize(const DhcpMessage& m, std::span<std::byte> out) {
    const std::size_t needed =
        std::max(kFixedHeaderSize + 4 + m.options.wire_size(), kMinimumMessageSize);
    if (out.size() < needed)
        return Unexpected(DhcpError::kBufferTooSmall);
    ByteWriter w(out);
    w.write_u8(static_cast<std::uint8_t>(m.op));
    w.write_u8(m.htype);
    w.write_u8(m.hlen);
    w.write_u8(m.hops);
    w.write_u32(m.xid);
    w.write_u16(m.secs);
    w.write_u16(m.flags);
    w.write_u32(m.ciaddr.to_u32());
    w.write_u32(m.yiaddr.to_u32());
    w.write_u32(m.siaddr.to_u32());
    w.write_u32(m.giaddr.to_u32());
    for (const std::uint8_t b : m.chaddr)
        w.write_u8(b);
    write_text_field(w, m.sname, kSnameSize);
    write_text_field(w, m.file, kFileSize);
    w.write_u32(kMagicCookie);
    // Message type first: some clients (and RFC 2131 examples) expect it at the front.
    const std::array<std::uint8_t, 1> first{static_cast<std::uint8_t>(OptionCode::kMessageType)};
    m.options.write(w, first);
    if (w.position() < kMinimumMessageSize)
        w.write_zeros(kMinimumMessageSize - w.position());
    if (w.overflowed())
        return Unexpected(DhcpError::kBufferTooSmall);
    return w.position();
}

}  // namespace nfv::net::dhcp
