#include "http_redirect.hpp"

#include <algorithm>

namespace nfv::tls_proxy {
namespace {

bool is_token_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// Request targets we copy: origin-form "/..." with visible ASCII only.
bool safe_target(std::string_view target) {
    if (target.empty() || target.front() != '/' || target.size() > 4096) {
        return false;
    }
    return std::all_of(target.begin(), target.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x7f;
    });
}

// Host names (or literals) with an optional port: letters, digits, '.', '-', ':', '[' and ']'.
bool safe_host(std::string_view host) {
    if (host.empty() || host.size() > 255) {
        return false;
    }
    return std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_';
    });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
        s.remove_suffix(1);
    }
    return s;
}

// Drops a ":port" suffix (but not the colons of a bracketed IPv6 literal).
std::string_view strip_port(std::string_view host) {
    const auto bracket = host.rfind(']');
    const auto colon = host.rfind(':');
    if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
        return host.substr(0, colon);
    }
    return host;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return (x | 0x20) == (y | 0x20);
           });
}

}  // namespace

std::string http_simple_response(int status, std::string_view reason, std::string_view content_type,
                                 std::string_view body) {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason) + "\r\n";
    if (!content_type.empty()) {
        out += "Content-Type: " + std::string(content_type) + "\r\n";
    }
    out += "Content-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
    out += body;
    return out;
}

std::optional<std::string> http_redirect_response(std::string_view received,
                                                  std::uint16_t https_port) {
    const auto bad = [] {
        return http_simple_response(400, "Bad Request", "text/plain", "bad request\n");
    };
    const auto end = received.find("\r\n\r\n");
    if (end == std::string_view::npos) {
        if (received.size() > kMaxRequestHead) {
            return bad();
        }
        return std::nullopt;
    }
    std::string_view head = received.substr(0, end + 2);
    const auto line_end = head.find("\r\n");
    const std::string_view request_line = head.substr(0, line_end);
    head.remove_prefix(line_end + 2);
    // method SP request-target SP HTTP-version
    const auto sp1 = request_line.find(' ');
    const auto sp2 = request_line.rfind(' ');
    if (sp1 == std::string_view::npos || sp2 == sp1 || sp1 == 0) {
        return bad();
    }
    const std::string_view method = request_line.substr(0, sp1);
    const std::string_view target = request_line.substr(sp1 + 1, sp2 - sp1 - 1);
    const std::string_view version = request_line.substr(sp2 + 1);
    if (!std::all_of(method.begin(), method.end(), is_token_char) ||
        !version.starts_with("HTTP/1.")) {
        return bad();
    }
    std::optional<std::string_view> host;
    while (!head.empty()) {
        const auto eol = head.find("\r\n");
        const std::string_view field = head.substr(0, eol);
        head.remove_prefix(eol == std::string_view::npos ? head.size() : eol + 2);
        const auto colon = field.find(':');
        if (colon == std::string_view::npos) {
            return bad();
        }
        if (iequals(field.substr(0, colon), "host")) {
            if (host) {
                return bad();  // RFC 9112 §3.2: more than one Host is a 400
            }
            host = trim(field.substr(colon + 1));
        }
    }
    if (!host || !safe_host(*host)) {
        return bad();
    }
    std::string location = "https://" + std::string(strip_port(*host));
    if (https_port != 443) {
        location += ":" + std::to_string(https_port);
    }
    location += safe_target(target) ? std::string(target) : std::string("/");
    std::string out = "HTTP/1.1 301 Moved Permanently\r\nLocation: " + location +
                      "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    return out;
}

}  // namespace nfv::tls_proxy
