#include "tls_session.hpp"

#include <openssl/err.h>
#include <openssl/x509.h>

namespace nfv::tls_proxy {
namespace {

std::string take_openssl_reason() {
    const unsigned long code = ERR_peek_last_error();
    ERR_clear_error();
    if (code == 0) {
        return "TLS error";
    }
    const char* reason = ERR_reason_error_string(code);
    return reason != nullptr ? reason : "TLS error";
}

// The first common name (OID 2.5.4.3) of `name` as UTF-8; empty if it has none.
std::string common_name(const X509_NAME* name) {
    const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (index < 0) {
        return {};
    }
    unsigned char* utf8 = nullptr;
    const int length =
        ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
    if (length < 0) {
        return {};
    }
    std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
    OPENSSL_free(utf8);
    return out;
}

}  // namespace

Result<std::unique_ptr<TlsSession>, TlsSessionError> TlsSession::create(
    std::shared_ptr<const TlsContext> context) {
    SSL* ssl = SSL_new(context->initial());
    if (ssl == nullptr) {
        ERR_clear_error();
        return Unexpected(TlsSessionError{"SSL_new failed"});
    }
    BIO* in = BIO_new(BIO_s_mem());
    // The session owns the SSL from here (its destructor frees it, and the BIOs once set).
    auto session = std::unique_ptr<TlsSession>(new TlsSession(std::move(context), ssl));
    BIO* out = CiphertextSink::make_bio(session->sink_);
    if (in == nullptr || out == nullptr) {
        BIO_free(in);
        BIO_free(out);
        ERR_clear_error();
        return Unexpected(TlsSessionError{"BIO_new failed"});
    }
    // An empty input BIO means "no data yet" (retry), not end of file.
    BIO_set_mem_eof_return(in, -1);
    SSL_set_bio(ssl, in, out);
    session->in_ = in;
    SSL_set_accept_state(ssl);
    return session;
}

TlsSession::TlsSession(std::shared_ptr<const TlsContext> context, SSL* ssl)
    : context_(std::move(context)), ssl_(ssl) {
    SSL_set_ex_data(ssl_, TlsContext::selection_index(), &selection_);
}

TlsSession::~TlsSession() {
    SSL_free(ssl_);
}

void TlsSession::push_event(TlsEventKind kind) {
    if (event_count_ < 4) {
        events_[(event_head_ + event_count_) % 4] = kind;
        ++event_count_;
    }
}

std::optional<TlsEventKind> TlsSession::poll_event() {
    if (event_count_ == 0) {
        return std::nullopt;
    }
    const TlsEventKind kind = events_[event_head_];
    event_head_ = static_cast<std::uint8_t>((event_head_ + 1) % 4);
    --event_count_;
    return kind;
}

void TlsSession::fail(std::string why) {
    if (state_ == TlsState::kFailed) {
        return;
    }
    state_ = TlsState::kFailed;
    detail_ = std::move(why);
    push_event(TlsEventKind::kFailed);
}

void TlsSession::receive_ciphertext(std::span<const std::byte> ciphertext) {
    if (state_ == TlsState::kFailed || ciphertext.empty()) {
        return;
    }
    // A memory BIO takes everything (it grows), so one write suffices.
    if (BIO_write(in_, ciphertext.data(), static_cast<int>(ciphertext.size())) !=
        static_cast<int>(ciphertext.size())) {
        fail("out of memory buffering ciphertext");
        return;
    }
    if (state_ == TlsState::kHandshaking) {
        advance_handshake();
    }
}

void TlsSession::advance_handshake() {
    const int rc = SSL_do_handshake(ssl_);
    if (rc == 1) {
        state_ = TlsState::kEstablished;
        info_.server_name = selection_.server_name;
        info_.route = selection_.route.value_or(0);
        const unsigned char* alpn = nullptr;
        unsigned int alpn_length = 0;
        SSL_get0_alpn_selected(ssl_, &alpn, &alpn_length);
        info_.alpn.assign(reinterpret_cast<const char*>(alpn), alpn_length);
        info_.version = SSL_get_version(ssl_);
        info_.resumed = SSL_session_reused(ssl_) == 1;
        info_.cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(ssl_));
        if (const X509* peer = SSL_get0_peer_certificate(ssl_); peer != nullptr) {
            info_.client_certificate = true;
            info_.client_certificate_verified = SSL_get_verify_result(ssl_) == X509_V_OK;
            info_.client_common_name = common_name(X509_get_subject_name(peer));
        }
        push_event(TlsEventKind::kHandshakeDone);
        return;
    }
    const int error = SSL_get_error(ssl_, rc);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
        return;
    }
    if (selection_.unrecognized_name) {
        ERR_clear_error();
        fail("unrecognized_name");
    } else if (selection_.no_application_protocol) {
        ERR_clear_error();
        fail("no_application_protocol");
    } else {
        fail(take_openssl_reason());
    }
}

std::size_t TlsSession::read_plaintext(std::span<std::byte> out) {
    if (state_ != TlsState::kEstablished || out.empty() || peer_closed_) {
        return 0;
    }
    std::size_t got = 0;
    const int rc = SSL_read_ex(ssl_, out.data(), out.size(), &got);
    if (rc == 1) {
        return got;
    }
    const int error = SSL_get_error(ssl_, rc);
    switch (error) {
        case SSL_ERROR_WANT_READ:
        case SSL_ERROR_WANT_WRITE:
            return 0;
        case SSL_ERROR_ZERO_RETURN:
            peer_closed_ = true;
            push_event(TlsEventKind::kPeerClosed);
            return 0;
        default:
            fail(take_openssl_reason());
            return 0;
    }
}

bool TlsSession::write_plaintext(std::span<const std::byte> plaintext) {
    if (state_ != TlsState::kEstablished || close_sent_) {
        return false;
    }
    if (plaintext.empty()) {
        return true;
    }
    std::size_t written = 0;
    if (SSL_write_ex(ssl_, plaintext.data(), plaintext.size(), &written) != 1 ||
        written != plaintext.size()) {
        fail(take_openssl_reason());
        return false;
    }
    return true;
}

void TlsSession::close() {
    if (close_sent_ || state_ == TlsState::kFailed) {
        return;
    }
    close_sent_ = true;
    if (state_ == TlsState::kHandshaking) {
        // No keys yet: there is nothing to protect; the caller just closes the socket.
        return;
    }
    (void)SSL_shutdown(ssl_);  // queues close_notify; the reply (if any) is not awaited
    ERR_clear_error();
}

std::span<const std::byte> TlsSession::pending_ciphertext() const {
    return sink_.pending();
}

void TlsSession::consume_ciphertext(std::size_t n) {
    sink_.consume(n);
}

}  // namespace nfv::tls_proxy
