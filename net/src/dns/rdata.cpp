#include "nfv/net/dns/rdata.hpp"

#include <string_view>
#include <type_traits>

namespace nfv::net::dns {
namespace {

// Name errors inside rdata: running out of bytes means the rdata is malformed.
DnsError in_rdata(DnsError error) {
    return error == DnsError::kTruncated ? DnsError::kBadRdata : error;
}

Result<std::string, DnsError> read_character_string(ByteReader& reader) {
    const auto length = reader.read_u8();
    if (!length) {
        return Unexpected(DnsError::kBadRdata);
    }
    const auto bytes = reader.read_bytes(*length);
    if (!bytes) {
        return Unexpected(DnsError::kBadRdata);
    }
    std::string text(bytes->size(), '\0');
    for (std::size_t i = 0; i < bytes->size(); ++i) {
        text[i] = static_cast<char>(std::to_integer<unsigned char>((*bytes)[i]));
    }
    return text;
}

std::span<const std::byte> as_span(std::string_view text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

Result<void, DnsError> write_character_string(std::string_view text, ByteWriter& out) {
    if (text.size() > kMaxCharacterString) {
        return Unexpected(DnsError::kTooLarge);
    }
    out.write_u8(static_cast<std::uint8_t>(text.size()));
    out.write_bytes(as_span(text));
    return {};
}

void write_name(const Name& name, ByteWriter& out, NameCompressor* compressor) {
    if (compressor != nullptr) {
        compressor->write(name, out);
    } else {
        name.write_uncompressed(out);
    }
}

// Field layouts of the types kept Opaque whose rdata may still hold compressed names
// (RFC 3597 §4): 'N' a domain name, '2' a 16-bit integer.
std::string_view legacy_name_layout(RrType type) {
    switch (type) {
        case RrType::kMd:
        case RrType::kMf:
        case RrType::kMb:
        case RrType::kMg:
        case RrType::kMr:
            return "N";
        case RrType::kMinfo:
        case RrType::kRp:
            return "NN";
        case RrType::kAfsdb:
        case RrType::kRt:
            return "2N";
        case RrType::kPx:
            return "2NN";
        default:
            return {};
    }
}

// Parses the typed rdata; the reader is bounded to the end of the rdata.
Result<Rdata, DnsError> parse_typed(RrType type, RrClass rclass, ByteReader& r) {
    const bool in_class = rclass == RrClass::kIn;
    auto name = [&r]() -> Result<Name, DnsError> {
        auto parsed = Name::parse_wire(r);
        if (!parsed) {
            return Unexpected(in_rdata(parsed.error()));
        }
        return parsed;
    };
    const auto bad = Unexpected(DnsError::kBadRdata);
    switch (type) {
        case RrType::kA:
        case RrType::kAaaa: {
            if (!in_class) {
                break;
            }
            const auto bytes = r.read_rest();
            if (type == RrType::kA) {
                rdata::A a;
                if (bytes.size() != a.address.size()) {
                    return bad;
                }
                for (std::size_t i = 0; i < bytes.size(); ++i) {
                    a.address[i] = std::to_integer<std::uint8_t>(bytes[i]);
                }
                return Rdata(a);
            }
            rdata::Aaaa aaaa;
            if (bytes.size() != aaaa.address.size()) {
                return bad;
            }
            for (std::size_t i = 0; i < bytes.size(); ++i) {
                aaaa.address[i] = std::to_integer<std::uint8_t>(bytes[i]);
            }
            return Rdata(aaaa);
        }
        case RrType::kNs:
        case RrType::kCname:
        case RrType::kPtr: {
            auto target = name();
            if (!target) {
                return Unexpected(target.error());
            }
            if (type == RrType::kNs) {
                return Rdata(rdata::Ns{std::move(*target)});
            }
            if (type == RrType::kCname) {
                return Rdata(rdata::Cname{std::move(*target)});
            }
            return Rdata(rdata::Ptr{std::move(*target)});
        }
        case RrType::kMx: {
            const auto preference = r.read_u16();
            if (!preference) {
                return bad;
            }
            auto exchange = name();
            if (!exchange) {
                return Unexpected(exchange.error());
            }
            return Rdata(rdata::Mx{*preference, std::move(*exchange)});
        }
        case RrType::kTxt: {
            rdata::Txt txt;
            while (!r.empty()) {
                auto text = read_character_string(r);
                if (!text) {
                    return Unexpected(text.error());
                }
                txt.strings.push_back(std::move(*text));
            }
            return Rdata(std::move(txt));
        }
        case RrType::kSoa: {
            rdata::Soa soa;
            auto mname = name();
            if (!mname) {
                return Unexpected(mname.error());
            }
            auto rname = name();
            if (!rname) {
                return Unexpected(rname.error());
            }
            soa.mname = std::move(*mname);
            soa.rname = std::move(*rname);
            for (std::uint32_t* field :
                 {&soa.serial, &soa.refresh, &soa.retry, &soa.expire, &soa.minimum}) {
                const auto value = r.read_u32();
                if (!value) {
                    return bad;
                }
                *field = *value;
            }
            return Rdata(std::move(soa));
        }
        case RrType::kSrv: {
            const auto priority = r.read_u16();
            const auto weight = r.read_u16();
            const auto port = r.read_u16();
            if (!priority || !weight || !port) {
                return bad;
            }
            auto target = name();
            if (!target) {
                return Unexpected(target.error());
            }
            return Rdata(rdata::Srv{*priority, *weight, *port, std::move(*target)});
        }
        case RrType::kCaa: {
            const auto flags = r.read_u8();
            if (!flags) {
                return bad;
            }
            auto tag = read_character_string(r);
            if (!tag || tag->empty()) {
                return bad;
            }
            const auto value = r.read_rest();
            rdata::Caa caa{*flags, std::move(*tag), std::string(value.size(), '\0')};
            for (std::size_t i = 0; i < value.size(); ++i) {
                caa.value[i] = static_cast<char>(std::to_integer<unsigned char>(value[i]));
            }
            return Rdata(std::move(caa));
        }
        case RrType::kNaptr: {
            const auto order = r.read_u16();
            const auto preference = r.read_u16();
            if (!order || !preference) {
                return bad;
            }
            auto flags = read_character_string(r);
            if (!flags) {
                return bad;
            }
            auto services = read_character_string(r);
            if (!services) {
                return bad;
            }
            auto regexp = read_character_string(r);
            if (!regexp) {
                return bad;
            }
            auto replacement = name();
            if (!replacement) {
                return Unexpected(replacement.error());
            }
            return Rdata(rdata::Naptr{*order, *preference, std::move(*flags), std::move(*services),
                                      std::move(*regexp), std::move(*replacement)});
        }
        default:
            break;
    }
    rdata::Opaque opaque{type, {}};
    const auto layout = legacy_name_layout(type);
    if (layout.empty()) {
        const auto bytes = r.read_rest();
        opaque.data.assign(bytes.begin(), bytes.end());
        return Rdata(std::move(opaque));
    }
    // Rewrite embedded names uncompressed; anything after the known fields is kept verbatim.
    std::vector<std::byte> buffer(r.remaining() + kMaxNameLength * layout.size());
    ByteWriter w(buffer);
    for (const char field : layout) {
        if (field == 'N') {
            auto parsed = name();
            if (!parsed) {
                return Unexpected(parsed.error());
            }
            parsed->write_uncompressed(w);
        } else {
            const auto value = r.read_u16();
            if (!value) {
                return bad;
            }
            w.write_u16(*value);
        }
    }
    w.write_bytes(r.read_rest());
    const auto written = w.written();
    opaque.data.assign(written.begin(), written.end());
    return Rdata(std::move(opaque));
}

}  // namespace

RrType rdata_type(const Rdata& rdata) {
    return std::visit(
        [](const auto& value) -> RrType {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, rdata::A>) {
                return RrType::kA;
            } else if constexpr (std::is_same_v<T, rdata::Aaaa>) {
                return RrType::kAaaa;
            } else if constexpr (std::is_same_v<T, rdata::Ns>) {
                return RrType::kNs;
            } else if constexpr (std::is_same_v<T, rdata::Cname>) {
                return RrType::kCname;
            } else if constexpr (std::is_same_v<T, rdata::Ptr>) {
                return RrType::kPtr;
            } else if constexpr (std::is_same_v<T, rdata::Mx>) {
                return RrType::kMx;
            } else if constexpr (std::is_same_v<T, rdata::Txt>) {
                return RrType::kTxt;
            } else if constexpr (std::is_same_v<T, rdata::Soa>) {
                return RrType::kSoa;
            } else if constexpr (std::is_same_v<T, rdata::Srv>) {
                return RrType::kSrv;
            } else if constexpr (std::is_same_v<T, rdata::Caa>) {
                return RrType::kCaa;
            } else if constexpr (std::is_same_v<T, rdata::Naptr>) {
                return RrType::kNaptr;
            } else {
                return value.type;
            }
        },
        rdata);
}

Result<Rdata, DnsError> parse_rdata(RrType type, RrClass rclass, std::uint16_t rdlength,
                                    ByteReader& reader) {
    const std::size_t start = reader.position();
    if (reader.remaining() < rdlength) {
        return Unexpected(DnsError::kTruncated);
    }
    const std::size_t end = start + rdlength;
    // Bounded view: the whole message up to the end of this rdata, so pointers (which must point
    // backwards) still resolve but no field can run past rdlength.
    ByteReader bounded(reader.whole().first(end));
    if (!bounded.seek(start)) {
        return Unexpected(DnsError::kTruncated);
    }
    auto parsed = parse_typed(type, rclass, bounded);
    if (!parsed) {
        return parsed;
    }
    if (bounded.position() != end) {
        return Unexpected(DnsError::kBadRdata);
    }
    if (!reader.skip(rdlength)) {
        return Unexpected(DnsError::kTruncated);
    }
    return parsed;
}

Result<void, DnsError> write_rdata(const Rdata& rdata, ByteWriter& out,
                                   NameCompressor* compressor) {
    return std::visit(
        [&](const auto& value) -> Result<void, DnsError> {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, rdata::A> || std::is_same_v<T, rdata::Aaaa>) {
                out.write_bytes(std::as_bytes(std::span(value.address)));
            } else if constexpr (std::is_same_v<T, rdata::Ns>) {
                write_name(value.host, out, compressor);
            } else if constexpr (std::is_same_v<T, rdata::Cname> || std::is_same_v<T, rdata::Ptr>) {
                write_name(value.target, out, compressor);
            } else if constexpr (std::is_same_v<T, rdata::Mx>) {
                out.write_u16(value.preference);
                write_name(value.exchange, out, compressor);
            } else if constexpr (std::is_same_v<T, rdata::Txt>) {
                for (const auto& text : value.strings) {
                    if (auto ok = write_character_string(text, out); !ok) {
                        return ok;
                    }
                }
            } else if constexpr (std::is_same_v<T, rdata::Soa>) {
                write_name(value.mname, out, compressor);
                write_name(value.rname, out, compressor);
                out.write_u32(value.serial);
                out.write_u32(value.refresh);
                out.write_u32(value.retry);
                out.write_u32(value.expire);
                out.write_u32(value.minimum);
            } else if constexpr (std::is_same_v<T, rdata::Srv>) {
                out.write_u16(value.priority);
                out.write_u16(value.weight);
                out.write_u16(value.port);
                value.target.write_uncompressed(out);  // RFC 2782: never compressed
            } else if constexpr (std::is_same_v<T, rdata::Caa>) {
                if (value.tag.empty()) {
                    return Unexpected(DnsError::kBadRdata);
                }
                out.write_u8(value.flags);
                if (auto ok = write_character_string(value.tag, out); !ok) {
                    return ok;
                }
                out.write_bytes(as_span(value.value));
            } else if constexpr (std::is_same_v<T, rdata::Naptr>) {
                out.write_u16(value.order);
                out.write_u16(value.preference);
                for (const auto* text : {&value.flags, &value.services, &value.regexp}) {
                    if (auto ok = write_character_string(*text, out); !ok) {
                        return ok;
                    }
                }
                value.replacement.write_uncompressed(out);  // RFC 3403 §4.1: never compressed
            } else {
                out.write_bytes(value.data);
            }
            return {};
        },
        rdata);
}

}  // namespace nfv::net::dns
