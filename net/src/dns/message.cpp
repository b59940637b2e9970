#include "nfv/net/dns/message.hpp"

#include <algorithm>
#include <memory>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/byte_writer.hpp"
#include "nfv/net/dns/name_compressor.hpp"

namespace nfv::net::dns {
namespace {

constexpr std::uint16_t kOptType = static_cast<std::uint16_t>(RrType::kOpt);
constexpr std::size_t kMaxCount = 0xFFFF;

enum class Section : std::uint8_t { kAnswer, kAuthority, kAdditional };

// Reads one record into `message`; OPT goes to message.edns.
Result<void, DnsError> parse_record(ByteReader& reader, Section section, Message& message) {
    auto name = Name::parse_wire(reader);
    if (!name) {
        return Unexpected(name.error());
    }
    const auto type = reader.read_u16();
    const auto rclass = reader.read_u16();
    const auto ttl = reader.read_u32();
    const auto rdlength = reader.read_u16();
    if (!type || !rclass || !ttl || !rdlength) {
        return Unexpected(DnsError::kTruncated);
    }
    if (*type == kOptType) {
        if (section != Section::kAdditional || message.edns || !name->is_root()) {
            return Unexpected(DnsError::kBadOpt);
        }
        const auto rdata = reader.read_bytes(*rdlength);
        if (!rdata) {
            return Unexpected(DnsError::kTruncated);
        }
        auto edns = parse_opt(*rclass, *ttl, *rdata);
        if (!edns) {
            return Unexpected(edns.error());
        }
        message.edns = std::move(*edns);
        return {};
    }
    auto rdata =
        parse_rdata(static_cast<RrType>(*type), static_cast<RrClass>(*rclass), *rdlength, reader);
    if (!rdata) {
        return Unexpected(rdata.error());
    }
    ResourceRecord record{std::move(*name), static_cast<RrClass>(*rclass), *ttl, std::move(*rdata)};
    auto& target = section == Section::kAnswer      ? message.answers
                   : section == Section::kAuthority ? message.authorities
                                                    : message.additionals;
    target.push_back(std::move(record));
    return {};
}

}  // namespace

std::uint16_t Message::rcode() const {
    const unsigned upper = edns ? edns->extended_rcode : 0U;
    return static_cast<std::uint16_t>((upper << 4U) | (header.rcode & 0x0FU));
}

void Message::set_rcode(std::uint16_t rcode) {
    header.rcode = static_cast<std::uint8_t>(rcode & 0x0FU);
    const auto upper = static_cast<std::uint8_t>((rcode >> 4U) & 0xFFU);
    if (upper != 0 && !edns) {
        edns.emplace();
    }
    if (edns) {
        edns->extended_rcode = upper;
    }
}

Result<Message, DnsError> parse_message(std::span<const std::byte> wire, TrailingData trailing) {
    const auto head = parse_header(wire);
    if (!head) {
        return Unexpected(head.error());
    }
    Message message;
    message.header = head->header;
    ByteReader reader(wire);
    (void)reader.seek(kHeaderSize);
    // Each question takes at least 5 bytes and each record 11, so a count larger than the
    // remaining bytes allow is rejected before anything is reserved or parsed.
    const std::size_t records = std::size_t{head->ancount} + head->nscount + head->arcount;
    if (std::size_t{head->qdcount} * 5 + records * 11 > reader.remaining()) {
        return Unexpected(DnsError::kTruncated);
    }
    message.questions.reserve(head->qdcount);
    for (std::size_t i = 0; i < head->qdcount; ++i) {
        auto name = Name::parse_wire(reader);
        if (!name) {
            return Unexpected(name.error());
        }
        const auto type = reader.read_u16();
        const auto rclass = reader.read_u16();
        if (!type || !rclass) {
            return Unexpected(DnsError::kTruncated);
        }
        message.questions.push_back(
            Question{std::move(*name), static_cast<RrType>(*type), static_cast<RrClass>(*rclass)});
    }
    const std::pair<Section, std::uint16_t> sections[] = {{Section::kAnswer, head->ancount},
                                                          {Section::kAuthority, head->nscount},
                                                          {Section::kAdditional, head->arcount}};
    for (const auto& [section, count] : sections) {
        for (std::size_t i = 0; i < count; ++i) {
            if (auto ok = parse_record(reader, section, message); !ok) {
                return Unexpected(ok.error());
            }
        }
    }
    if (!reader.empty() && trailing == TrailingData::kReject) {
        return Unexpected(DnsError::kTrailingData);
    }
    return message;
}

Result<std::vector<std::byte>, DnsError> serialize(const Message& message, std::size_t max_size) {
    max_size = std::min(max_size, kMaxMessageSize);
    if (message.questions.size() > kMaxCount) {
        return Unexpected(DnsError::kTooLarge);
    }
    std::size_t opt_size = 0;
    std::vector<std::byte> opt;
    if (message.edns) {
        opt.resize(opt_wire_size(*message.edns));
        ByteWriter opt_writer(opt);
        if (auto ok = write_opt(*message.edns, opt_writer); !ok) {
            return Unexpected(ok.error());
        }
        opt_size = opt.size();
    }

    if (opt_size > max_size) {
        return Unexpected(DnsError::kDoesNotFit);
    }
    // The buffer is exactly the room left for everything but OPT, so a record that does not fit
    // overflows the writer and is dropped, together with every record after it. Cutting at a
    // record boundary is exact because compression pointers only ever point backwards.
    // Uninitialised: zero-filling the room up front cost a memset of up to 64 KiB (the TCP
    // limit, used for every query forwarded upstream) per message. Only the bytes written are
    // copied out at the end.
    const std::size_t room = max_size - opt_size;
    const auto scratch = std::make_unique_for_overwrite<std::byte[]>(room);
    const std::span<std::byte> buffer(scratch.get(), room);
    ByteWriter out(buffer);
    NameCompressor compressor;
    WireHeader wire{message.header, static_cast<std::uint16_t>(message.questions.size()), 0, 0, 0};
    write_header(wire, out);
    for (const auto& question : message.questions) {
        compressor.write(question.name, out);
        out.write_u16(static_cast<std::uint16_t>(question.type));
        out.write_u16(static_cast<std::uint16_t>(question.rclass));
    }
    if (out.overflowed()) {
        return Unexpected(DnsError::kDoesNotFit);
    }

    const std::array<const std::vector<ResourceRecord>*, 3> sections = {
        &message.answers, &message.authorities, &message.additionals};
    std::size_t end = out.position();
    std::array<std::size_t, 3> kept{};
    for (std::size_t s = 0; s < sections.size() && !out.overflowed(); ++s) {
        if (sections[s]->size() > kMaxCount) {
            return Unexpected(DnsError::kTooLarge);
        }
        for (const auto& record : *sections[s]) {
            if (auto ok = write_record(record, record.ttl, out, &compressor); !ok) {
                return Unexpected(ok.error());
            }
            if (out.overflowed()) {
                break;
            }
            end = out.position();
            ++kept[s];
        }
    }
    const bool answer_cut =
        kept[0] < message.answers.size() || kept[1] < message.authorities.size();
    wire.header.tc = message.header.tc || answer_cut;
    wire.ancount = static_cast<std::uint16_t>(kept[0]);
    wire.nscount = static_cast<std::uint16_t>(kept[1]);
    const std::size_t arcount = kept[2] + (message.edns ? 1 : 0);
    if (arcount > kMaxCount) {
        return Unexpected(DnsError::kTooLarge);
    }
    wire.arcount = static_cast<std::uint16_t>(arcount);
    ByteWriter header_out(buffer.first(end));
    write_header(wire, header_out);
    std::vector<std::byte> result;
    result.reserve(end + opt.size());
    result.insert(result.end(), buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(end));
    result.insert(result.end(), opt.begin(), opt.end());
    return result;
}

std::size_t effective_udp_limit(const Message& query, std::size_t configured_max) {
    return udp_limit_for(query.edns ? std::optional(query.edns->udp_payload_size) : std::nullopt,
                         configured_max);
}

std::size_t udp_limit_for(std::optional<std::uint16_t> advertised, std::size_t configured_max) {
    if (!advertised) {
        return kPlainUdpLimit;
    }
    return std::max(kPlainUdpLimit, std::min<std::size_t>(*advertised, configured_max));
}

Result<void, DnsError> write_record(const ResourceRecord& record, std::uint32_t ttl,
                                    ByteWriter& out, NameCompressor* compressor) {
    if (record.type() == RrType::kOpt) {
        return Unexpected(DnsError::kBadOpt);
    }
    if (compressor != nullptr) {
        compressor->write(record.name, out);
    } else {
        record.name.write_uncompressed(out);
    }
    out.write_u16(static_cast<std::uint16_t>(record.type()));
    out.write_u16(static_cast<std::uint16_t>(record.rclass));
    out.write_u32(ttl);
    const std::size_t length_at = out.position();
    out.write_u16(0);
    if (auto ok = write_rdata(record.rdata, out, compressor); !ok) {
        return ok;
    }
    if (out.overflowed()) {
        return {};  // the caller sees the overflow and drops this record
    }
    const std::size_t rdlength = out.position() - length_at - 2;
    if (rdlength > kMaxCount) {
        return Unexpected(DnsError::kTooLarge);
    }
    out.patch_u16(length_at, static_cast<std::uint16_t>(rdlength));
    return {};
}

}  // namespace nfv::net::dns
