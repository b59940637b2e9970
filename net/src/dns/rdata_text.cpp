// Presentation format of rdata (RFC 1035 §5.1, RFC 3597 §5). Declared in rdata.hpp.
#include <string>
#include <string_view>
#include <type_traits>

#include <arpa/inet.h>
#include <sys/socket.h>

#include "nfv/net/dns/rdata.hpp"

namespace nfv::net::dns {
namespace {

// A quoted character-string: `"` and `\` escaped, bytes outside printable ASCII as \DDD.
void append_quoted(std::string& out, std::string_view text) {
    out.push_back('"');
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(c);
        } else if (byte < 0x20 || byte > 0x7E) {
            out.push_back('\\');
            out.push_back(static_cast<char>('0' + byte / 100));
            out.push_back(static_cast<char>('0' + (byte / 10) % 10));
            out.push_back(static_cast<char>('0' + byte % 10));
        } else {
            out.push_back(c);
        }
    }
    out.push_back('"');
}

std::string address_text(int family, const void* bytes) {
    std::array<char, INET6_ADDRSTRLEN> buffer{};
    if (inet_ntop(family, bytes, buffer.data(), static_cast<socklen_t>(buffer.size())) == nullptr) {
        return "?";
    }
    return std::string(buffer.data());
}

}  // namespace

std::string rdata_to_text(const Rdata& rdata) {
    return std::visit(
        [](const auto& value) -> std::string {
            using T = std::decay_t<decltype(value)>;
            std::string out;
            if constexpr (std::is_same_v<T, rdata::A>) {
                out = address_text(AF_INET, value.address.data());
            } else if constexpr (std::is_same_v<T, rdata::Aaaa>) {
                out = address_text(AF_INET6, value.address.data());
            } else if constexpr (std::is_same_v<T, rdata::Ns>) {
                out = value.host.to_text();
            } else if constexpr (std::is_same_v<T, rdata::Cname> || std::is_same_v<T, rdata::Ptr>) {
                out = value.target.to_text();
            } else if constexpr (std::is_same_v<T, rdata::Mx>) {
                out = std::to_string(value.preference) + " " + value.exchange.to_text();
            } else if constexpr (std::is_same_v<T, rdata::Txt>) {
                for (const auto& text : value.strings) {
                    if (!out.empty()) {
                        out.push_back(' ');
                    }
                    append_quoted(out, text);
                }
            } else if constexpr (std::is_same_v<T, rdata::Soa>) {
                out = value.mname.to_text() + " " + value.rname.to_text() + " " +
                      std::to_string(value.serial) + " " + std::to_string(value.refresh) + " " +
                      std::to_string(value.retry) + " " + std::to_string(value.expire) + " " +
                      std::to_string(value.minimum);
            } else if constexpr (std::is_same_v<T, rdata::Srv>) {
                out = std::to_string(value.priority) + " " + std::to_string(value.weight) + " " +
                      std::to_string(value.port) + " " + value.target.to_text();
            } else if constexpr (std::is_same_v<T, rdata::Caa>) {
                out = std::to_string(value.flags) + " ";
                out += value.tag;  // RFC 8659 §4.1.1: tag is unquoted
                out.push_back(' ');
                append_quoted(out, value.value);
            } else if constexpr (std::is_same_v<T, rdata::Naptr>) {
                out = std::to_string(value.order) + " " + std::to_string(value.preference) + " ";
                append_quoted(out, value.flags);
                out.push_back(' ');
                append_quoted(out, value.services);
                out.push_back(' ');
                append_quoted(out, value.regexp);
                out.push_back(' ');
                out += value.replacement.to_text();
            } else {
                static constexpr std::string_view kHex = "0123456789abcdef";
                out = "\\# " + std::to_string(value.data.size());
                if (!value.data.empty()) {
                    out.push_back(' ');
                }
                for (const std::byte b : value.data) {
                    const auto byte = std::to_integer<unsigned>(b);
                    out.push_back(kHex[byte >> 4U]);
                    out.push_back(kHex[byte & 0x0FU]);
                }
            }
            return out;
        },
        rdata);
}

}  // namespace nfv::net::dns
