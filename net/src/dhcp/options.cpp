#include "nfv/net/dhcp/options.hpp"

#include <algorithm>
#include <cstring>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/dns/name.hpp"
#include "nfv/net/dns/name_compressor.hpp"

namespace nfv::net::dhcp {

namespace {

constexpr std::size_t kMaxOptionLength = 255;

std::span<const std::byte> as_bytes(std::string_view text) {
    return {reinterpret_cast<const std::byte*>(text.data()), text.size()};  // NOLINT
}

std::uint32_t load_u32(std::span<const std::byte> bytes) {
    return (std::to_integer<std::uint32_t>(bytes[0]) << 24U) |
           (std::to_integer<std::uint32_t>(bytes[1]) << 16U) |
           (std::to_integer<std::uint32_t>(bytes[2]) << 8U) |
           std::to_integer<std::uint32_t>(bytes[3]);
}

Ipv4Address load_address(std::span<const std::byte> bytes) {
    return Ipv4Address::from_u32(load_u32(bytes));
}

void append_u32(std::vector<std::byte>& out, std::uint32_t value) {
    out.push_back(static_cast<std::byte>(value >> 24U));
    out.push_back(static_cast<std::byte>((value >> 16U) & 0xffU));
    out.push_back(static_cast<std::byte>((value >> 8U) & 0xffU));
    out.push_back(static_cast<std::byte>(value & 0xffU));
}

}  // namespace

std::string_view message_type_name(MessageType type) {
    switch (type) {
        case MessageType::kDiscover:
            return "discover";
        case MessageType::kOffer:
            return "offer";
        case MessageType::kRequest:
            return "request";
        case MessageType::kDecline:
            return "decline";
        case MessageType::kAck:
            return "ack";
        case MessageType::kNak:
            return "nak";
        case MessageType::kRelease:
            return "release";
        case MessageType::kInform:
            return "inform";
    }
    return "unknown";
}

std::string_view to_string(OptionError error) {
    switch (error) {
        case OptionError::kTruncated:
            return "option truncated";
        case OptionError::kBadLength:
            return "option has a bad length";
        case OptionError::kBadValue:
            return "option value does not decode";
        case OptionError::kTooLong:
            return "option value too long";
    }
    return "unknown option error";
}

Result<void, OptionError> DhcpOptions::parse_area(std::span<const std::byte> area) {
    ByteReader reader(area);
    while (!reader.empty()) {
        const std::uint8_t code = *reader.read_u8();
        if (code == static_cast<std::uint8_t>(OptionCode::kPad))
            continue;
        if (code == static_cast<std::uint8_t>(OptionCode::kEnd))
            break;
        const auto length = reader.read_u8();
        if (!length)
            return Unexpected(OptionError::kTruncated);
        const auto value = reader.read_bytes(*length);
        if (!value)
            return Unexpected(OptionError::kTruncated);
        auto it = std::find_if(options_.begin(), options_.end(),
                               [code](const Option& o) { return o.code == code; });
        if (it == options_.end()) {
            options_.push_back(Option{code, std::vector<std::byte>(value->begin(), value->end())});
        } else {
            // RFC 3396 §7: a repeated code continues the same option.
            it->value.insert(it->value.end(), value->begin(), value->end());
        }
    }
    return {};
}

const std::vector<std::byte>* DhcpOptions::find(std::uint8_t code) const {
    for (const auto& option : options_) {
        if (option.code == code)
            return &option.value;
    }
    return nullptr;
}

void DhcpOptions::set(std::uint8_t code, std::span<const std::byte> value) {
    for (auto& option : options_) {
        if (option.code == code) {
            option.value.assign(value.begin(), value.end());
            return;
        }
    }
    options_.push_back(Option{code, std::vector<std::byte>(value.begin(), value.end())});
}

void DhcpOptions::set_u8(OptionCode code, std::uint8_t value) {
    const std::byte b{value};
    set(code, std::span<const std::byte>(&b, 1));
}

void DhcpOptions::set_u16(OptionCode code, std::uint16_t value) {
    const std::array<std::byte, 2> b{static_cast<std::byte>(value >> 8U),
                                     static_cast<std::byte>(value & 0xffU)};
    set(code, b);
}

void DhcpOptions::set_u32(OptionCode code, std::uint32_t value) {
    std::vector<std::byte> b;
    append_u32(b, value);
    set(code, b);
}

void DhcpOptions::set_address(OptionCode code, Ipv4Address address) {
    set_u32(code, address.to_u32());
}

void DhcpOptions::set_addresses(OptionCode code, std::span<const Ipv4Address> addresses) {
    std::vector<std::byte> b;
    for (const auto& address : addresses)
        append_u32(b, address.to_u32());
    set(code, b);
}

void DhcpOptions::set_text(OptionCode code, std::string_view text) {
    set(code, as_bytes(text));
}

void DhcpOptions::erase(std::uint8_t code) {
    std::erase_if(options_, [code](const Option& o) { return o.code == code; });
}

std::optional<std::uint8_t> DhcpOptions::get_u8(OptionCode code) const {
    const auto* v = find(code);
    if (v == nullptr || v->size() != 1)
        return std::nullopt;
    return std::to_integer<std::uint8_t>((*v)[0]);
}

std::optional<std::uint16_t> DhcpOptions::get_u16(OptionCode code) const {
    const auto* v = find(code);
    if (v == nullptr || v->size() != 2)
        return std::nullopt;
    return static_cast<std::uint16_t>((std::to_integer<unsigned>((*v)[0]) << 8U) |
                                      std::to_integer<unsigned>((*v)[1]));
}

std::optional<std::uint32_t> DhcpOptions::get_u32(OptionCode code) const {
    const auto* v = find(code);
    if (v == nullptr || v->size() != 4)
        return std::nullopt;
    return load_u32(*v);
}

std::optional<Ipv4Address> DhcpOptions::get_address(OptionCode code) const {
    const auto value = get_u32(code);
    if (!value)
        return std::nullopt;
    return Ipv4Address::from_u32(*value);
}

std::optional<std::vector<Ipv4Address>> DhcpOptions::get_addresses(OptionCode code) const {
    const auto* v = find(code);
    if (v == nullptr || v->empty() || v->size() % 4 != 0)
        return std::nullopt;
    std::vector<Ipv4Address> out;
    const std::span<const std::byte> bytes(*v);
    for (std::size_t i = 0; i < bytes.size(); i += 4)
        out.push_back(load_address(bytes.subspan(i, 4)));
    return out;
}

std::optional<std::string> DhcpOptions::get_text(OptionCode code) const {
    const auto* v = find(code);
    if (v == nullptr)
        return std::nullopt;
    std::string text(v->size(), '\0');
    if (!v->empty())
        std::memcpy(text.data(), v->data(), v->size());
    while (!text.empty() && text.back() == '\0')
        text.pop_back();
    return text;
}

std::optional<MessageType> DhcpOptions::message_type() const {
    const auto value = get_u8(OptionCode::kMessageType);
    if (!value || *value < 1 || *value > 8)
        return std::nullopt;
    return static_cast<MessageType>(*value);
}

namespace {

void write_option(ByteWriter& out, const Option& option) {
    const std::span<const std::byte> value(option.value);
    if (value.empty()) {
        out.write_u8(option.code);
        out.write_u8(0);
        return;
    }
    for (std::size_t offset = 0; offset < value.size(); offset += kMaxOptionLength) {
        const std::size_t chunk = std::min(kMaxOptionLength, value.size() - offset);
        out.write_u8(option.code);
        out.write_u8(static_cast<std::uint8_t>(chunk));
        out.write_bytes(value.subspan(offset, chunk));
    }
}

std::size_t option_wire_size(const Option& option) {
    if (option.value.empty())
        return 2;
    const std::size_t chunks = (option.value.size() + kMaxOptionLength - 1) / kMaxOptionLength;
    return option.value.size() + 2 * chunks;
}

}  // namespace

bool DhcpOptions::write(ByteWriter& out, std::span<const std::uint8_t> first) const {
    for (const std::uint8_t code : first) {
        for (const auto& option : options_) {
            if (option.code == code)
                write_option(out, option);
        }
    }
    for (const auto& option : options_) {
        if (std::find(first.begin(), first.end(), option.code) != first.end())
            continue;
        write_option(out, option);
    }
    out.write_u8(static_cast<std::uint8_t>(OptionCode::kEnd));
    return !out.overflowed();
}

std::size_t DhcpOptions::wire_size() const {
    std::size_t size = 1;
    for (const auto& option : options_)
        size += option_wire_size(option);
    return size;
}

std::vector<std::byte> encode_classless_routes(std::span<const ClasslessRoute> routes) {
    std::vector<std::byte> out;
    for (const auto& route : routes) {
        const std::uint8_t prefix = route.destination.prefix_length();
        out.push_back(std::byte{prefix});
        const auto octets = route.destination.network().octets();
        const std::size_t significant = (prefix + 7U) / 8U;
        for (std::size_t i = 0; i < significant; ++i)
            out.push_back(std::byte{octets[i]});
        append_u32(out, route.router.to_u32());
    }
    return out;
}

Result<std::vector<ClasslessRoute>, OptionError> decode_classless_routes(
    std::span<const std::byte> value) {
    std::vector<ClasslessRoute> routes;
    ByteReader reader(value);
    while (!reader.empty()) {
        const std::uint8_t prefix = *reader.read_u8();
        if (prefix > 32)
            return Unexpected(OptionError::kBadValue);
        const std::size_t significant = (prefix + 7U) / 8U;
        const auto destination = reader.read_bytes(significant);
        if (!destination)
            return Unexpected(OptionError::kTruncated);
        std::array<std::uint8_t, 4> octets{};
        for (std::size_t i = 0; i < significant; ++i) {
            octets[i] = std::to_integer<std::uint8_t>((*destination)[i]);
        }
        const auto router = reader.read_u32();
        if (!router)
            return Unexpected(OptionError::kTruncated);
        routes.push_back(
            ClasslessRoute{Ipv4Cidr(Ipv4Address(octets), prefix), Ipv4Address::from_u32(*router)});
    }
    return routes;
}

Result<std::vector<std::byte>, OptionError> encode_domain_search(
    std::span<const std::string> domains) {
    // The longest legal value: many options of 255 bytes (RFC 3396); bound it generously.
    std::vector<std::byte> buffer(16 * 1024);
    ByteWriter out(buffer);
    dns::NameCompressor compressor;
    for (const auto& domain : domains) {
        auto name = dns::Name::parse_text(domain);
        if (!name)
            return Unexpected(OptionError::kBadValue);
        compressor.write(*name, out);
    }
    if (out.overflowed())
        return Unexpected(OptionError::kTooLong);
    buffer.resize(out.position());
    return buffer;
}

Result<std::vector<std::string>, OptionError> decode_domain_search(
    std::span<const std::byte> value) {
    std::vector<std::string> domains;
    ByteReader reader(value);
    while (!reader.empty()) {
        auto name = dns::Name::parse_wire(reader);
        if (!name)
            return Unexpected(OptionError::kBadValue);
        std::string text = name->to_text();
        if (text.size() > 1 && text.back() == '.')
            text.pop_back();
        domains.push_back(std::move(text));
    }
    return domains;
}

Result<ClientFqdn, OptionError> decode_client_fqdn(std::span<const std::byte> value) {
    // RFC 4702 §2: flags, RCODE1, RCODE2, domain name.
    if (value.size() < 3)
        return Unexpected(OptionError::kBadLength);
    ClientFqdn fqdn;
    fqdn.flags = std::to_integer<std::uint8_t>(value[0]);
    const auto name_bytes = value.subspan(3);
    if ((fqdn.flags & kFqdnFlagE) != 0) {
        // Canonical wire format; a partial name lacks the final root label (§2.1).
        ByteReader reader(name_bytes);
        std::string text;
        while (!reader.empty()) {
            const std::uint8_t length = *reader.read_u8();
            if (length == 0) {
                if (!reader.empty())
                    return Unexpected(OptionError::kBadValue);
                fqdn.name = std::move(text);
                return fqdn;
            }
            if (length > 63)
                return Unexpected(OptionError::kBadValue);
            const auto label = reader.read_bytes(length);
            if (!label)
                return Unexpected(OptionError::kTruncated);
            if (!text.empty())
                text.push_back('.');
            for (const std::byte b : *label)
                text.push_back(static_cast<char>(b));
        }
        fqdn.name = std::move(text);
        fqdn.partial = true;
        return fqdn;
    }
    // Deprecated ASCII encoding (§2.3.1): the name as text; a trailing dot marks it complete.
    std::string text;
    for (const std::byte b : name_bytes)
        text.push_back(static_cast<char>(b));
    while (!text.empty() && text.back() == '\0')
        text.pop_back();
    if (!text.empty() && text.back() == '.') {
        text.pop_back();
    } else {
        fqdn.partial = true;
    }
    fqdn.name = std::move(text);
    return fqdn;
}

std::vector<std::byte> encode_client_fqdn(const ClientFqdn& fqdn) {
    std::vector<std::byte> out{std::byte{fqdn.flags}, std::byte{0xff}, std::byte{0xff}};
    if ((fqdn.flags & kFqdnFlagE) != 0) {
        std::string_view rest = fqdn.name;
        while (!rest.empty()) {
            const auto dot = rest.find('.');
            const std::string_view label = rest.substr(0, dot);
            out.push_back(static_cast<std::byte>(std::min<std::size_t>(label.size(), 63)));
            for (std::size_t i = 0; i < label.size() && i < 63; ++i) {
                out.push_back(static_cast<std::byte>(label[i]));
            }
            rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
        }
        if (!fqdn.partial)
            out.push_back(std::byte{0});
    } else {
        for (const char c : fqdn.name)
            out.push_back(static_cast<std::byte>(c));
        if (!fqdn.partial)
            out.push_back(std::byte{'.'});
    }
    return out;
}

}  // namespace nfv::net::dhcp
