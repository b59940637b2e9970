// TlsSession: the server side of one TLS 1.2/1.3 connection (RFC 8446, RFC 5246) as a sans-I/O
// object over in-memory BIOs (an OpenSSL memory BIO in, a CiphertextSink out). It never touches a
// socket: the caller feeds it the client's ciphertext, drains the ciphertext it wants sent, and
// moves plaintext in and out.
//
// Drive protocol (after every receive_ciphertext(), write_plaintext() or close()):
//   1. while (auto e = poll_event()) handle e;   // handshake done, peer closed, failed
//   2. while ((n = read_plaintext(buffer)) > 0) forward buffer[0..n);
//   3. send pending_ciphertext() to the client, then consume_ciphertext().
// Step 2 may queue more events (close_notify seen) and ciphertext (TLS 1.3 key updates), so a
// caller loops until all three report nothing.
// The handshake picks the route and certificate from the SNI (RFC 6066 §3) and the ALPN protocol
// from the route's list (RFC 7301); see TlsContext. An SNI that matches no route (and no default
// route) fails the handshake with the alert unrecognized_name(112), which is left in the
// ciphertext output for the caller to send before closing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <openssl/ssl.h>

#include "nfv/platform/result.hpp"

#include "ciphertext_sink.hpp"
#include "tls_context.hpp"

namespace nfv::tls_proxy {

enum class TlsState : std::uint8_t { kHandshaking, kEstablished, kClosed, kFailed };

/// What the completed handshake negotiated.
struct HandshakeInfo {
    std::string server_name;  // SNI as sent (empty: none)
    std::string alpn;         // chosen protocol (empty: none)
    std::string version;      // "TLSv1.3" or "TLSv1.2"
    std::string_view cipher;  // OpenSSL's name of the cipher suite (a static string)
    std::size_t route = 0;    // index into TlsContext::config().routes
    bool resumed = false;     // session resumption (ticket)
    // The client certificate (routes with client_ca; a resumed session keeps the one of its
    // full handshake): whether there is one, whether it verified, its subject's common name.
    bool client_certificate = false;
    bool client_certificate_verified = false;
    std::string client_common_name;
};

enum class TlsEventKind : std::uint8_t {
    kHandshakeDone,  // info() is valid; plaintext may flow
    kPeerClosed,     // the client sent close_notify: no more plaintext will arrive
    kFailed,         // fatal error; any alert is in pending_ciphertext(); detail() says why
};

struct TlsSessionError {
    std::string message;
};

class TlsSession {
public:
    /// A session starting a server handshake with `context`'s initial SSL_CTX. Fails only if
    /// OpenSSL cannot allocate.
    [[nodiscard]] static Result<std::unique_ptr<TlsSession>, TlsSessionError> create(
        std::shared_ptr<const TlsContext> context);
    TlsSession(const TlsSession&) = delete;
    TlsSession& operator=(const TlsSession&) = delete;
    ~TlsSession();

    /// Feeds ciphertext received from the client and advances the handshake. Ignored once the
    /// session has failed.
    void receive_ciphertext(std::span<const std::byte> ciphertext);
    /// Decrypts up to out.size() bytes of application data; 0 when none is available now (or the
    /// session is not established). Never blocks.
    [[nodiscard]] std::size_t read_plaintext(std::span<std::byte> out);
    /// Encrypts all of `plaintext` into the ciphertext output. False (nothing queued) unless
    /// established and not closed by us.
    [[nodiscard]] bool write_plaintext(std::span<const std::byte> plaintext);
    /// Queues close_notify (once). Later write_plaintext() calls fail.
    void close();

    /// Ciphertext waiting to be sent to the client (valid until the next call on this object).
    [[nodiscard]] std::span<const std::byte> pending_ciphertext() const;
    /// Drops the first `n` bytes of pending_ciphertext() (n <= its size).
    void consume_ciphertext(std::size_t n);

    /// The next event, or nullopt when none is queued.
    [[nodiscard]] std::optional<TlsEventKind> poll_event();
    /// True when poll_event() would return an event.
    [[nodiscard]] bool has_event() const { return event_count_ > 0; }

    [[nodiscard]] TlsState state() const { return state_; }
    [[nodiscard]] const HandshakeInfo& info() const { return info_; }
    /// Why the session failed ("unrecognized_name", OpenSSL's reason, ...); empty otherwise.
    [[nodiscard]] const std::string& detail() const { return detail_; }
    /// The SNI seen so far (set during the handshake, even when it failed).
    [[nodiscard]] const std::string& server_name() const { return selection_.server_name; }
    [[nodiscard]] const TlsContext& context() const { return *context_; }
    [[nodiscard]] bool close_sent() const { return close_sent_; }

private:
    TlsSession(std::shared_ptr<const TlsContext> context, SSL* ssl);
    void advance_handshake();
    void fail(std::string why);
    void push_event(TlsEventKind kind);

    std::shared_ptr<const TlsContext> context_;
    SSL* ssl_;
    BIO* in_ = nullptr;    // ciphertext from the client (owned by ssl_)
    CiphertextSink sink_;  // ciphertext to the client (written through a BIO owned by ssl_)
    HandshakeSelection selection_;
    HandshakeInfo info_;
    TlsState state_ = TlsState::kHandshaking;
    std::string detail_;
    // Events in order; at most three ever exist (done, closed, failed).
    TlsEventKind events_[4] = {};
    std::uint8_t event_head_ = 0;
    std::uint8_t event_count_ = 0;
    bool close_sent_ = false;
    bool peer_closed_ = false;
};

}  // namespace nfv::tls_proxy
