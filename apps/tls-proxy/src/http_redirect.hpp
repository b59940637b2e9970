// The plain-HTTP listener's responder: reads an HTTP/1.x request head (RFC 9112 §2-3: request
// line, header fields, empty line) and answers 301 Moved Permanently with
// Location: https://<host><target> (RFC 9110 §15.4.2), so clients move to the TLS listener.
//
// Contract: pure function of the bytes received so far. It only looks for the request target and
// the Host field; everything else in the head is skipped. A head larger than kMaxRequestHead, a
// malformed request line, or a missing/invalid Host answers 400. Anything that could inject
// header lines (CR, LF, spaces, control bytes) is never copied into the response.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nfv::tls_proxy {

inline constexpr std::size_t kMaxRequestHead = 8192;

/// The complete response to send (then close), or nullopt when more bytes are needed.
/// `https_port` is appended to the host when it is not 443.
[[nodiscard]] std::optional<std::string> http_redirect_response(std::string_view received,
                                                                std::uint16_t https_port);

/// A minimal complete HTTP/1.1 response with `Connection: close` and a text body.
[[nodiscard]] std::string http_simple_response(int status, std::string_view reason,
                                               std::string_view content_type,
                                               std::string_view body);

}  // namespace nfv::tls_proxy
