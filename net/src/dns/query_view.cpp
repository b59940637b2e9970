#include "nfv/net/dns/query_view.hpp"

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/dns/name.hpp"

namespace nfv::net::dns {
namespace {

constexpr std::uint16_t kOptType = static_cast<std::uint16_t>(RrType::kOpt);
constexpr std::uint32_t kDoBit = 0x8000;

// An OPT's options must tile its rdata exactly (as parse_opt() requires).
bool options_well_formed(std::span<const std::byte> rdata) {
    ByteReader reader(rdata);
    while (!reader.empty()) {
        const auto code = reader.read_u16();
        const auto length = reader.read_u16();
        if (!code || !length || !reader.skip(*length)) {
            return false;
        }
    }
    return true;
}

}  // namespace

std::optional<QueryView> parse_query_view(std::span<const std::byte> message) {
    const auto head = parse_header(message);
    if (!head || head->qdcount != 1 || head->ancount != 0 || head->nscount != 0 ||
        head->arcount > 1) {
        return std::nullopt;
    }
    QueryView view;
    view.id = head->header.id;
    view.flags = encode_flags(head->header);
    // The question name: plain labels only (a pointer could not point anywhere useful in a
    // query anyway), at most kMaxNameLength bytes with the root.
    std::size_t pos = kHeaderSize;
    for (;;) {
        if (pos >= message.size()) {
            return std::nullopt;
        }
        const auto length = std::to_integer<std::size_t>(message[pos]);
        if (length == 0) {
            break;
        }
        if (length > kMaxLabelLength || message.size() - pos - 1 < length) {
            return std::nullopt;
        }
        pos += 1 + length;
        if (pos - kHeaderSize + 1 > kMaxNameLength) {
            return std::nullopt;
        }
    }
    view.name_wire = std::string_view(reinterpret_cast<const char*>(message.data()) + kHeaderSize,
                                      pos - kHeaderSize);
    ByteReader reader(message);
    (void)reader.seek(pos + 1);
    const auto type = reader.read_u16();
    const auto rclass = reader.read_u16();
    if (!type || !rclass) {
        return std::nullopt;
    }
    view.type = static_cast<RrType>(*type);
    view.rclass = static_cast<RrClass>(*rclass);
    view.question = message.subspan(kHeaderSize, reader.position() - kHeaderSize);
    if (head->arcount == 1) {
        const auto root = reader.read_u8();
        const auto opt = reader.read_u16();
        const auto size = reader.read_u16();
        const auto ttl = reader.read_u32();
        const auto rdlength = reader.read_u16();
        if (!root || *root != 0 || !opt || *opt != kOptType || !size || !ttl || !rdlength) {
            return std::nullopt;
        }
        const auto rdata = reader.read_bytes(*rdlength);
        if (!rdata || !options_well_formed(*rdata)) {
            return std::nullopt;
        }
        view.edns = true;
        view.udp_payload_size = *size;
        view.edns_version = static_cast<std::uint8_t>(*ttl >> 16U);
        view.dnssec_ok = (*ttl & kDoBit) != 0;
    }
    if (!reader.empty()) {
        return std::nullopt;
    }
    return view;
}

}  // namespace nfv::net::dns
