#include "proto/tls_engine.hpp"

#include <algorithm>
#include <climits>
#include <deque>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace nfv::vpn::proto {

struct TlsEngine::State {
    std::shared_ptr<const TlsContext> context;  // keeps the SSL_CTX alive
    SSL* ssl = nullptr;
    BIO* network_in = nullptr;   // we write received ciphertext here; SSL reads it
    BIO* network_out = nullptr;  // SSL writes ciphertext here; we read it
    bool is_server = false;
    std::optional<RemoteCertTls> remote_cert_tls;
    std::optional<X509NameCheck> verify_x509_name;
    std::vector<CertificateFingerprint> peer_fingerprints;
    bool fingerprint_only = false;           // peer-fingerprint without a CA
    std::optional<TlsError> verify_failure;  // set by the verify callback
    std::optional<TlsError> error;
    bool handshake_done = false;
    std::deque<TlsEvent> events;
    std::deque<std::vector<std::byte>> pending_plaintext;

    State() = default;
    State(const State&) = delete;
    State& operator=(const State&) = delete;
    ~State() {
        SSL_free(ssl);  // frees both BIOs
    }
};

namespace {

struct BioDeleter {
    void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

BioPtr pem_bio(std::string_view pem) {
    if (pem.size() > static_cast<std::size_t>(INT_MAX)) {
        return nullptr;
    }
    return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

// Every certificate in `pem`, in order; false if none could be read.
bool for_each_certificate(std::string_view pem, const auto& use) {
    BioPtr bio = pem_bio(pem);
    if (!bio) {
        return false;
    }
    int count = 0;
    while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        const bool ok = use(cert, count);
        X509_free(cert);
        if (!ok) {
            return false;
        }
        ++count;
    }
    ERR_clear_error();  // the loop ends with a "no start line" error
    return count > 0;
}

std::string subject_line(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0,
                                   XN_FLAG_SEP_CPLUS_SPC | XN_FLAG_FN_SN |
                                       ASN1_STRFLGS_UTF8_CONVERT | ASN1_STRFLGS_ESC_CTRL) < 0) {
        return {};
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

// The last CN of the subject, as OpenVPN's extract_x509_field_ssl picks it.
std::string common_name(X509* cert) {
    const X509_NAME* name = X509_get_subject_name(cert);
    int last = -1;
    for (int pos = -1; (pos = X509_NAME_get_index_by_NID(name, NID_commonName, pos)) >= 0;) {
        last = pos;
    }
    if (last < 0) {
        return {};
    }
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last));
    unsigned char* utf8 = nullptr;
    const int size = ASN1_STRING_to_UTF8(&utf8, data);
    if (size < 0) {
        return {};
    }
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL returns UTF-8 bytes.
    std::string cn(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(size));
    OPENSSL_free(utf8);
    return cn;
}

bool remote_cert_tls_ok(X509* cert, RemoteCertTls want) {
    const std::uint32_t flags = X509_get_extension_flags(cert);
    if ((flags & EXFLAG_KUSAGE) == 0 || (flags & EXFLAG_XKUSAGE) == 0) {
        return false;
    }
    const std::uint32_t eku = X509_get_extended_key_usage(cert);
    return (eku & (want == RemoteCertTls::kServer ? XKU_SSL_SERVER : XKU_SSL_CLIENT)) != 0;
}

bool x509_name_ok(X509* cert, const X509NameCheck& check) {
    switch (check.type) {
        case X509NameType::kSubject:
            return subject_line(cert) == check.value;
        case X509NameType::kName:
            return common_name(cert) == check.value;
        case X509NameType::kNamePrefix:
            return common_name(cert).starts_with(check.value);
    }
    return false;
}

bool fingerprint_ok(X509* cert, const std::vector<CertificateFingerprint>& allowed) {
    CertificateFingerprint digest{};
    unsigned int size = 0;
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL byte pointer.
    auto* out = reinterpret_cast<unsigned char*>(digest.data());
    if (X509_digest(cert, EVP_sha256(), out, &size) != 1 || size != digest.size()) {
        return false;
    }
    return std::find(allowed.begin(), allowed.end(), digest) != allowed.end();
}

int verify_callback(int preverify_ok, X509_STORE_CTX* store) {
    auto* ssl =
        static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    auto* state = ssl != nullptr ? static_cast<TlsEngine::State*>(SSL_get_app_data(ssl)) : nullptr;
    if (state == nullptr) {
        return 0;
    }
    // Without a CA (peer-fingerprint mode) chain errors are ignored; the fingerprint decides.
    if (preverify_ok == 0 && !state->fingerprint_only) {
        state->verify_failure = X509_STORE_CTX_get_error(store) == X509_V_ERR_CERT_REVOKED
                                    ? TlsError::kRevoked
                                    : TlsError::kUntrustedPeer;
        return 0;
    }
    if (X509_STORE_CTX_get_error_depth(store) != 0) {
        return 1;  // the remaining checks apply to the peer's own certificate only
    }
    X509* cert = X509_STORE_CTX_get_current_cert(store);
    if (!state->peer_fingerprints.empty() && !fingerprint_ok(cert, state->peer_fingerprints)) {
        state->verify_failure = TlsError::kFingerprintMismatch;
        return 0;
    }
    if (state->remote_cert_tls && !remote_cert_tls_ok(cert, *state->remote_cert_tls)) {
        state->verify_failure = TlsError::kRemoteCertTls;
        return 0;
    }
    if (state->verify_x509_name && !x509_name_ok(cert, *state->verify_x509_name)) {
        state->verify_failure = TlsError::kX509NameMismatch;
        return 0;
    }
    return 1;
}

int password_callback(char* buf, int size, int /*rwflag*/, void* user) {
    const auto* password = static_cast<const std::string*>(user);
    if (password == nullptr || size <= 0 || password->size() > static_cast<std::size_t>(size)) {
        return -1;
    }
    std::copy(password->begin(), password->end(), buf);
    return static_cast<int>(password->size());
}

bool load_crls(X509_STORE* store, std::string_view pem) {
    BioPtr bio = pem_bio(pem);
    int count = 0;
    while (X509_CRL* crl =
               bio ? PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr) : nullptr) {
        const bool ok = X509_STORE_add_crl(store, crl) == 1;
        X509_CRL_free(crl);
        if (!ok) {
            return false;
        }
        ++count;
    }
    ERR_clear_error();
    // As OpenVPN: check the whole chain once a CRL is configured.
    return count > 0 &&
           X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL) == 1;
}

bool load_credentials(SSL_CTX* ctx, const TlsEngineConfig& config) {
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    const bool fingerprint_only = config.ca_pem.empty() && !config.peer_fingerprints.empty();
    if (!fingerprint_only && !for_each_certificate(config.ca_pem, [store](X509* cert, int) {
            return X509_STORE_add_cert(store, cert) == 1;
        })) {
        return false;
    }
    if (!config.crl_pem.empty() && !load_crls(store, config.crl_pem)) {
        return false;
    }
    if (config.cert_pem.empty() && config.key_pem.empty() && !config.is_server) {
        return true;  // a client may authenticate with username/password only
    }
    if (!for_each_certificate(config.cert_pem, [ctx](X509* cert, int index) {
            return index == 0 ? SSL_CTX_use_certificate(ctx, cert) == 1
                              : SSL_CTX_add1_chain_cert(ctx, cert) == 1;
        })) {
        return false;
    }
    BioPtr bio = pem_bio(config.key_pem);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast): OpenSSL's void* user data.
    void* password =
        config.key_password ? const_cast<std::string*>(&*config.key_password) : nullptr;
    EVP_PKEY* key =
        bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, password_callback, password) : nullptr;
    const bool ok = key != nullptr && SSL_CTX_use_PrivateKey(ctx, key) == 1 &&
                    SSL_CTX_check_private_key(ctx) == 1;
    EVP_PKEY_free(key);
    return ok;
}

}  // namespace

TlsEngine::TlsEngine(std::unique_ptr<State> state) : state_(std::move(state)) {}
TlsEngine::TlsEngine(TlsEngine&&) noexcept = default;
TlsEngine& TlsEngine::operator=(TlsEngine&&) noexcept = default;
TlsEngine::~TlsEngine() = default;

TlsContext::~TlsContext() {
    SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
}

Result<std::shared_ptr<const TlsContext>, TlsError> TlsContext::create(
    const TlsEngineConfig& config) {
    ERR_clear_error();
    SSL_CTX* ctx = SSL_CTX_new(config.is_server ? TLS_server_method() : TLS_client_method());
    if (ctx == nullptr) {
        return Unexpected(TlsError::kInternal);
    }
    // Owned from here on: freed by ~TlsContext on every path.
    std::shared_ptr<const TlsContext> context(new TlsContext(config, ctx));
    // No session resumption: every key state runs a full handshake (as OpenVPN).
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET | SSL_OP_NO_COMPRESSION);
    SSL_CTX_set_num_tickets(ctx, 0);
    // The control channel is idle between renegotiations: give the 16 KiB record buffers back
    // (most of an idle client's TLS memory on a server with many clients).
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
    if (SSL_CTX_set_min_proto_version(ctx, config.min_protocol_version) != 1 ||
        SSL_CTX_set_max_proto_version(ctx, config.max_protocol_version) != 1 ||
        (!config.cipher_list.empty() &&
         SSL_CTX_set_cipher_list(ctx, config.cipher_list.c_str()) != 1) ||
        (!config.ciphersuites.empty() &&
         SSL_CTX_set_ciphersuites(ctx, config.ciphersuites.c_str()) != 1) ||
        (!config.groups.empty() && SSL_CTX_set1_groups_list(ctx, config.groups.c_str()) != 1)) {
        ERR_clear_error();
        return Unexpected(TlsError::kBadOption);
    }
    int mode = SSL_VERIFY_PEER;
    if (config.is_server && config.require_peer_certificate) {
        mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
    }
    SSL_CTX_set_verify(ctx, mode, verify_callback);
    if (!load_credentials(ctx, config)) {
        ERR_clear_error();
        return Unexpected(TlsError::kBadCredentials);
    }
    return context;
}

Result<TlsEngine, TlsError> TlsEngine::create(const TlsEngineConfig& config) {
    auto context = TlsContext::create(config);
    if (!context) {
        return Unexpected(context.error());
    }
    return create(std::move(*context));
}

Result<TlsEngine, TlsError> TlsEngine::create(std::shared_ptr<const TlsContext> context) {
    ERR_clear_error();
    const TlsEngineConfig& config = context->config();
    auto state = std::make_unique<State>();
    state->is_server = config.is_server;
    state->remote_cert_tls = config.remote_cert_tls;
    state->verify_x509_name = config.verify_x509_name;
    state->peer_fingerprints = config.peer_fingerprints;
    state->fingerprint_only = config.ca_pem.empty() && !config.peer_fingerprints.empty();
    auto* ctx = static_cast<SSL_CTX*>(context->ctx_);
    state->context = std::move(context);
    state->ssl = SSL_new(ctx);
    state->network_in = BIO_new(BIO_s_mem());
    state->network_out = BIO_new(BIO_s_mem());
    if (state->ssl == nullptr || state->network_in == nullptr || state->network_out == nullptr) {
        BIO_free(state->network_in);
        BIO_free(state->network_out);
        state->network_in = state->network_out = nullptr;
        return Unexpected(TlsError::kInternal);
    }
    // An empty input BIO means "try again later", not end of file.
    BIO_set_mem_eof_return(state->network_in, -1);
    SSL_set_bio(state->ssl, state->network_in, state->network_out);
    SSL_set_app_data(state->ssl, state.get());
    if (config.is_server) {
        SSL_set_accept_state(state->ssl);
    } else {
        SSL_set_connect_state(state->ssl);
    }
    TlsEngine engine(std::move(state));
    if (!config.is_server) {
        if (auto started = engine.advance(); !started) {
            return Unexpected(started.error());
        }
    }
    return engine;
}

Result<void, TlsError> TlsEngine::fail(TlsError error) {
    state_->error = error;
    ERR_clear_error();
    return Unexpected(error);
}

TlsError TlsEngine::classify_failure() const {
    if (state_->verify_failure) {
        return *state_->verify_failure;
    }
    const unsigned long err = ERR_peek_error();
    if (ERR_GET_LIB(err) == ERR_LIB_SSL &&
        ERR_GET_REASON(err) == SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
        return TlsError::kNoPeerCertificate;
    }
    return TlsError::kHandshakeFailed;
}

Result<void, TlsError> TlsEngine::advance() {
    if (state_->error) {
        return Unexpected(*state_->error);
    }
    if (!state_->handshake_done) {
        ERR_clear_error();
        const int rc = SSL_do_handshake(state_->ssl);
        if (rc != 1) {
            const int err = SSL_get_error(state_->ssl, rc);
            if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
                return {};
            }
            return fail(classify_failure());
        }
        state_->handshake_done = true;
        state_->events.push_back(TlsEvent::kHandshakeDone);
    }
    return flush_plaintext();
}

Result<void, TlsError> TlsEngine::flush_plaintext() {
    while (!state_->pending_plaintext.empty()) {
        const auto& record = state_->pending_plaintext.front();
        ERR_clear_error();
        std::size_t written = 0;
        if (SSL_write_ex(state_->ssl, record.data(), record.size(), &written) != 1) {
            const int err = SSL_get_error(state_->ssl, 0);
            if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
                return {};
            }
            return fail(err == SSL_ERROR_ZERO_RETURN ? TlsError::kClosed : classify_failure());
        }
        state_->pending_plaintext.pop_front();
    }
    return {};
}

Result<void, TlsError> TlsEngine::receive_ciphertext(std::span<const std::byte> bytes) {
    if (state_->error) {
        return Unexpected(*state_->error);
    }
    if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
        return fail(TlsError::kHandshakeFailed);
    }
    if (!bytes.empty() &&
        BIO_write(state_->network_in, bytes.data(), static_cast<int>(bytes.size())) !=
            static_cast<int>(bytes.size())) {
        return fail(TlsError::kInternal);
    }
    return advance();
}

std::size_t TlsEngine::pending_ciphertext() const {
    return BIO_ctrl_pending(state_->network_out);
}

std::size_t TlsEngine::read_ciphertext(std::span<std::byte> out) {
    const std::size_t want = std::min(out.size(), pending_ciphertext());
    if (want == 0) {
        return 0;
    }
    const int got = BIO_read(state_->network_out, out.data(),
                             static_cast<int>(std::min<std::size_t>(want, INT_MAX)));
    return got > 0 ? static_cast<std::size_t>(got) : 0;
}

Result<void, TlsError> TlsEngine::write_plaintext(std::span<const std::byte> bytes) {
    if (state_->error) {
        return Unexpected(*state_->error);
    }
    if (bytes.empty()) {
        return {};
    }
    state_->pending_plaintext.emplace_back(bytes.begin(), bytes.end());
    return state_->handshake_done ? flush_plaintext() : Result<void, TlsError>{};
}

Result<std::size_t, TlsError> TlsEngine::read_plaintext(std::span<std::byte> out) {
    if (state_->error) {
        return Unexpected(*state_->error);
    }
    if (!state_->handshake_done || out.empty()) {
        return std::size_t{0};
    }
    ERR_clear_error();
    std::size_t read = 0;
    if (SSL_read_ex(state_->ssl, out.data(), out.size(), &read) == 1) {
        return read;
    }
    const int err = SSL_get_error(state_->ssl, 0);
    if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
        return std::size_t{0};
    }
    const auto failed = fail(err == SSL_ERROR_ZERO_RETURN ? TlsError::kClosed : classify_failure());
    return Unexpected(failed.error());
}

std::optional<TlsEvent> TlsEngine::poll_event() {
    if (state_->events.empty()) {
        return std::nullopt;
    }
    const TlsEvent event = state_->events.front();
    state_->events.pop_front();
    return event;
}

bool TlsEngine::handshake_done() const {
    return state_->handshake_done;
}

std::optional<TlsError> TlsEngine::error() const {
    return state_->error;
}

Result<void, TlsError> TlsEngine::export_keying_material(std::string_view label,
                                                         std::span<std::byte> out) const {
    if (!state_->handshake_done || state_->error) {
        return Unexpected(TlsError::kNotEstablished);
    }
    const std::string label_text(label);
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL byte pointer.
    auto* dst = reinterpret_cast<unsigned char*>(out.data());
    if (SSL_export_keying_material(state_->ssl, dst, out.size(), label_text.c_str(),
                                   label_text.size(), nullptr, 0, 0) != 1) {
        ERR_clear_error();
        return Unexpected(TlsError::kInternal);
    }
    return {};
}

std::string TlsEngine::peer_common_name() const {
    X509* cert = SSL_get0_peer_certificate(state_->ssl);
    return cert != nullptr ? common_name(cert) : std::string();
}

namespace {

// "ab:cd:..." as OpenVPN prints tls_digest_N.
std::string hex_digest(X509* cert, const EVP_MD* md) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(cert, md, digest, &length) != 1) {
        return {};
    }
    static constexpr char kDigits[] = "0123456789abcdef";
    const char* digits = kDigits;
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        if (i != 0) {
            out += ':';
        }
        out += digits[digest[i] >> 4U];
        out += digits[digest[i] & 0xfU];
    }
    return out;
}

void serial_numbers(X509* cert, std::string& decimal, std::string& hex) {
    const ASN1_INTEGER* serial = X509_get0_serialNumber(cert);
    BIGNUM* number = ASN1_INTEGER_to_BN(serial, nullptr);
    if (number == nullptr) {
        return;
    }
    if (char* text = BN_bn2dec(number)) {
        decimal = text;
        OPENSSL_free(text);
    }
    std::vector<unsigned char> bytes(static_cast<std::size_t>(BN_num_bytes(number)));
    BN_bn2bin(number, bytes.data());
    BN_free(number);
    static constexpr char kDigits[] = "0123456789abcdef";
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i != 0) {
            hex += ':';
        }
        hex += kDigits[bytes[i] >> 4U];
        hex += kDigits[bytes[i] & 0xfU];
    }
}

std::vector<std::pair<std::string, std::string>> subject_fields(X509* cert) {
    std::vector<std::pair<std::string, std::string>> out;
    const X509_NAME* name = X509_get_subject_name(cert);
    for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
        const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
        const int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
        const char* short_name = nid != NID_undef ? OBJ_nid2sn(nid) : nullptr;
        unsigned char* utf8 = nullptr;
        const int size = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
        if (short_name == nullptr || size < 0) {
            continue;
        }
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL's UTF-8 bytes.
        out.emplace_back(short_name, std::string(reinterpret_cast<const char*>(utf8),
                                                 static_cast<std::size_t>(size)));
        OPENSSL_free(utf8);
    }
    return out;
}

}  // namespace

std::vector<PeerCertificate> TlsEngine::peer_chain() const {
    std::vector<PeerCertificate> out;
    STACK_OF(X509)* chain = SSL_get0_verified_chain(state_->ssl);
    if (chain == nullptr) {
        return out;
    }
    for (int i = 0; i < sk_X509_num(chain); ++i) {
        X509* cert = sk_X509_value(chain, i);
        PeerCertificate info;
        info.depth = i;
        info.subject = subject_line(cert);
        serial_numbers(cert, info.serial, info.serial_hex);
        info.sha1 = hex_digest(cert, EVP_sha1());
        info.sha256 = hex_digest(cert, EVP_sha256());
        info.fields = subject_fields(cert);
        out.push_back(std::move(info));
    }
    return out;
}

std::string TlsEngine::peer_subject() const {
    X509* cert = SSL_get0_peer_certificate(state_->ssl);
    return cert != nullptr ? subject_line(cert) : std::string();
}

std::string_view TlsEngine::protocol_version() const {
    return SSL_get_version(state_->ssl);
}

std::string_view TlsEngine::cipher_name() const {
    const char* name = SSL_get_cipher_name(state_->ssl);
    return name != nullptr ? std::string_view(name) : std::string_view();
}

}  // namespace nfv::vpn::proto
