#include "tls_context.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <span>
#include <string_view>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "nfv/net/byte_reader.hpp"

namespace nfv::tls_proxy {
namespace {

constexpr unsigned char kSessionIdContext[] = "nfv-tls-proxy";

struct X509Deleter {
    void operator()(X509* x) const { X509_free(x); }
};
struct PkeyDeleter {
    void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioDeleter {
    void operator()(BIO* b) const { BIO_free(b); }
};
struct ChainDeleter {
    void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using ChainPtr = std::unique_ptr<STACK_OF(X509), ChainDeleter>;

struct LoadedCertificate {
    X509Ptr leaf;
    ChainPtr chain;  // intermediates
    PkeyPtr key;
    std::string chain_path;
};

std::string openssl_reason() {
    const unsigned long code = ERR_peek_last_error();
    ERR_clear_error();
    if (code == 0) {
        return "unknown OpenSSL error";
    }
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    return buffer;
}

Result<LoadedCertificate, ConfigError> load_certificate(const CertificateConfig& entry,
                                                        std::time_t now) {
    LoadedCertificate out;
    out.chain_path = entry.chain_path;
    BioPtr chain_bio(BIO_new_file(entry.chain_path.c_str(), "r"));
    if (!chain_bio) {
        ERR_clear_error();
        return Unexpected(ConfigError{entry.chain_path + ": cannot open the certificate chain"});
    }
    out.leaf.reset(PEM_read_bio_X509(chain_bio.get(), nullptr, nullptr, nullptr));
    if (!out.leaf) {
        return Unexpected(ConfigError{entry.chain_path + ": no PEM certificate found (" +
                                      openssl_reason() + ")"});
    }
    out.chain.reset(sk_X509_new_null());
    while (X509* next = PEM_read_bio_X509(chain_bio.get(), nullptr, nullptr, nullptr)) {
        sk_X509_push(out.chain.get(), next);
    }
    ERR_clear_error();  // the loop ends with a "no start line" error
    if (X509_cmp_time(X509_get0_notAfter(out.leaf.get()), &now) < 0) {
        return Unexpected(ConfigError{entry.chain_path + ": the certificate has expired"});
    }
    if (X509_cmp_time(X509_get0_notBefore(out.leaf.get()), &now) > 0) {
        return Unexpected(ConfigError{entry.chain_path + ": the certificate is not valid yet"});
    }
    BioPtr key_bio(BIO_new_file(entry.key_path.c_str(), "r"));
    if (!key_bio) {
        ERR_clear_error();
        return Unexpected(ConfigError{entry.key_path + ": cannot open the private key"});
    }
    out.key.reset(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
    if (!out.key) {
        return Unexpected(
            ConfigError{entry.key_path + ": no PEM private key found (" + openssl_reason() + ")"});
    }
    if (X509_check_private_key(out.leaf.get(), out.key.get()) != 1) {
        ERR_clear_error();
        return Unexpected(
            ConfigError{entry.key_path + ": the private key does not match " + entry.chain_path});
    }
    return out;
}

HandshakeSelection* selection_of(SSL* ssl) {
    return static_cast<HandshakeSelection*>(SSL_get_ex_data(ssl, TlsContext::selection_index()));
}

// RFC 6066 §3: the server name decides the route and the certificate. An unknown name with no
// default route is refused with the fatal alert unrecognized_name(112).
int on_servername(SSL* ssl, int* alert, void* arg) {
    const auto* context = static_cast<const TlsContext*>(arg);
    HandshakeSelection* selection = selection_of(ssl);
    if (selection == nullptr) {
        *alert = SSL_AD_INTERNAL_ERROR;
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    selection->server_name = name == nullptr ? "" : name;
    selection->route = context->route_for(selection->server_name);
    if (!selection->route) {
        selection->unrecognized_name = true;
        *alert = SSL_AD_UNRECOGNIZED_NAME;
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    SSL_CTX* wanted = context->context_for(selection->server_name);
    if (wanted != SSL_get_SSL_CTX(ssl) && SSL_set_SSL_CTX(ssl, wanted) == nullptr) {
        *alert = SSL_AD_INTERNAL_ERROR;
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    // Client authentication is per route, so it is requested here, before the server's flight
    // (RFC 8446 §4.3.2 CertificateRequest with certificate_authorities; RFC 5246 §7.4.4). No
    // certificate, or one that does not verify, fails the handshake (alert certificate_required
    // in TLS 1.3, handshake_failure or a verification alert otherwise).
    const ClientAuth& auth = context->client_auth(*selection->route);
    if (auth.store) {
        SSL_set_verify(ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
        // SSL_set1_verify_cert_store() without its C-style cast (larg 1: takes a reference).
        if (SSL_ctrl(ssl, SSL_CTRL_SET_VERIFY_CERT_STORE, 1, auth.store.get()) != 1) {
            *alert = SSL_AD_INTERNAL_ERROR;
            return SSL_TLSEXT_ERR_ALERT_FATAL;
        }
        SSL_set_client_CA_list(ssl, SSL_dup_CA_list(auth.names.get()));
    }
    return SSL_TLSEXT_ERR_OK;
}

// The SNI of the ClientHello being processed. Ticket decryption can run before the server_name
// extension is processed (TLS 1.2 resumption), so the extension is read from the ClientHello
// itself when OpenSSL does not know the name yet (RFC 6066 §3: list length, then entries of
// type(1) length(2) name; host_name is type 0).
std::string client_hello_server_name(SSL* ssl) {
    if (const char* known = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name)) {
        return known;
    }
    const unsigned char* data = nullptr;
    std::size_t length = 0;
    if (SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &data, &length) != 1) {
        return "";
    }
    net::ByteReader reader(std::as_bytes(std::span(data, length)));
    const auto list_length = reader.read_u16();
    if (!list_length) {
        return "";
    }
    while (!reader.empty()) {
        const auto type = reader.read_u8();
        const auto name_length = reader.read_u16();
        if (!type || !name_length) {
            return "";
        }
        const auto name = reader.read_bytes(*name_length);
        if (!name) {
            return "";
        }
        if (*type == TLSEXT_NAMETYPE_host_name) {
            return std::string(reinterpret_cast<const char*>(name->data()), name->size());
        }
    }
    return "";
}

// Every ticket names the route it was issued on (ticket application data) ...
int on_ticket_generated(SSL* ssl, void* arg) {
    const auto* context = static_cast<const TlsContext*>(arg);
    const HandshakeSelection* selection = selection_of(ssl);
    SSL_SESSION* session = SSL_get_session(ssl);
    if (selection == nullptr || !selection->route || session == nullptr) {
        return 0;
    }
    const std::string& name = context->route(*selection->route).name;
    return SSL_SESSION_set1_ticket_appdata(session, name.data(), name.size());
}

// ... and resumes only on that route; otherwise the client gets a full handshake (and a new
// ticket), which is where a route's client authentication happens.
SSL_TICKET_RETURN on_ticket_decrypted(SSL* ssl, SSL_SESSION* session, const unsigned char*,
                                      std::size_t, SSL_TICKET_STATUS status, void* arg) {
    switch (status) {
        case SSL_TICKET_FATAL_ERR_MALLOC:
        case SSL_TICKET_FATAL_ERR_OTHER:
            return SSL_TICKET_RETURN_ABORT;
        case SSL_TICKET_SUCCESS:
        case SSL_TICKET_SUCCESS_RENEW:
            break;
        default:  // none, empty, or not decryptable (another key): a full handshake
            return SSL_TICKET_RETURN_IGNORE_RENEW;
    }
    const auto* context = static_cast<const TlsContext*>(arg);
    const auto route = context->route_for(client_hello_server_name(ssl));
    void* data = nullptr;
    std::size_t length = 0;
    if (!route || SSL_SESSION_get0_ticket_appdata(session, &data, &length) != 1 ||
        std::string_view(static_cast<const char*>(data), length) != context->route(*route).name) {
        return SSL_TICKET_RETURN_IGNORE_RENEW;
    }
    // TLS 1.3: a fresh ticket after every resumption, as OpenSSL's default does: clients use a
    // ticket once (RFC 8446 §C.4; OpenSSL's client does not offer a used one again), so without
    // it every other connection of a reconnecting client would be a full handshake. TLS 1.2
    // keeps its ticket until the key that sealed it is rotated out (RFC 5077 §3.3).
    if (status == SSL_TICKET_SUCCESS && SSL_version(ssl) != TLS1_3_VERSION) {
        return SSL_TICKET_RETURN_USE;
    }
    return SSL_TICKET_RETURN_USE_RENEW;
}

// The client CAs of a route: a trust store and the names listed in CertificateRequest.
Result<ClientAuth, ConfigError> load_client_ca(const std::string& path) {
    ClientAuth auth;
    BioPtr probe(BIO_new_file(path.c_str(), "r"));
    if (!probe) {
        ERR_clear_error();
        return Unexpected(ConfigError{path + ": cannot open the client CA file"});
    }
    auth.store.reset(X509_STORE_new());
    if (!auth.store || X509_STORE_load_file(auth.store.get(), path.c_str()) != 1) {
        return Unexpected(
            ConfigError{path + ": no PEM CA certificate found (" + openssl_reason() + ")"});
    }
    auth.names.reset(SSL_load_client_CA_file(path.c_str()));
    if (!auth.names) {
        return Unexpected(
            ConfigError{path + ": no PEM CA certificate found (" + openssl_reason() + ")"});
    }
    return auth;
}

// RFC 7301 §3.2: pick the first of the route's protocols the client offers; a route with a list
// the client shares nothing with is refused with no_application_protocol(120).
int on_alpn(SSL* ssl, const unsigned char** out, unsigned char* out_length,
            const unsigned char* offered, unsigned int offered_length, void* arg) {
    const auto* context = static_cast<const TlsContext*>(arg);
    HandshakeSelection* selection = selection_of(ssl);
    if (selection == nullptr || !selection->route) {
        return SSL_TLSEXT_ERR_NOACK;
    }
    const auto& wire = context->alpn_wire(*selection->route);
    if (wire.empty()) {
        return SSL_TLSEXT_ERR_NOACK;
    }
    unsigned char* chosen = nullptr;
    unsigned char chosen_length = 0;
    if (SSL_select_next_proto(&chosen, &chosen_length, wire.data(),
                              static_cast<unsigned int>(wire.size()), offered,
                              offered_length) != OPENSSL_NPN_NEGOTIATED) {
        selection->no_application_protocol = true;
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    }
    *out = chosen;
    *out_length = chosen_length;
    return SSL_TLSEXT_ERR_OK;
}

Result<SslCtxPtr, ConfigError> make_context(const std::string& what, const TlsPolicy& policy,
                                            bool session_tickets) {
    SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
    const auto failed = [&what]() {
        return Unexpected(ConfigError{what + ": cannot set up TLS: " + openssl_reason()});
    };
    const auto rejected = [&what](const std::string& path, const std::string& value) {
        ERR_clear_error();
        return Unexpected(
            ConfigError{what + ": " + path + ": OpenSSL accepts none of \"" + value + "\""});
    };
    if (!ctx) {
        return failed();
    }
    SSL_CTX* c = ctx.get();
    if (SSL_CTX_set_min_proto_version(c, policy.tls13_only ? TLS1_3_VERSION : TLS1_2_VERSION) !=
            1 ||
        SSL_CTX_set_max_proto_version(c, TLS1_3_VERSION) != 1 ||
        SSL_CTX_set_session_id_context(c, kSessionIdContext, sizeof kSessionIdContext - 1) != 1) {
        return failed();
    }
    if (SSL_CTX_set_cipher_list(c, policy.ciphers.c_str()) != 1) {
        return rejected("/tls/ciphers", policy.ciphers);
    }
    if (!policy.ciphersuites.empty() &&
        SSL_CTX_set_ciphersuites(c, policy.ciphersuites.c_str()) != 1) {
        return rejected("/tls/ciphersuites", policy.ciphersuites);
    }
    if (SSL_CTX_set1_groups_list(c, policy.groups.c_str()) != 1) {
        return rejected("/tls/groups", policy.groups);
    }
    SSL_CTX_set_options(
        c, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    // Release the 34 KiB record buffers of idle connections.
    SSL_CTX_set_mode(c, SSL_MODE_RELEASE_BUFFERS);
    SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_OFF);
    if (!session_tickets) {
        // nginx's `ssl_session_tickets off`: no ticket in TLS 1.2 (RFC 5077) or 1.3, and with
        // the session cache off, no resumption at all.
        SSL_CTX_set_options(c, SSL_OP_NO_TICKET);
        if (SSL_CTX_set_num_tickets(c, 0) != 1) {
            return failed();
        }
    }
    return ctx;
}

}  // namespace

int TlsContext::selection_index() {
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

TlsContext::~TlsContext() = default;

SSL_CTX* TlsContext::context_for(std::string_view server_name) const {
    const auto index = certificates_.match(server_name);
    return index ? contexts_[*index].get() : initial_;
}

Result<std::shared_ptr<const TlsContext>, ConfigError> TlsContext::create(Config config,
                                                                          std::time_t now,
                                                                          TicketKeys* tickets) {
    std::shared_ptr<TlsContext> self(new TlsContext(std::move(config)));
    const Config& cfg = self->config_;
    if (cfg.certificates.empty()) {
        return Unexpected(ConfigError{cfg.source + ": /certificates: no certificate configured"});
    }
    std::vector<LoadedCertificate> loaded;
    for (const auto& entry : cfg.certificates) {
        auto cert = load_certificate(entry, now);
        if (!cert) {
            return Unexpected(cert.error());
        }
        loaded.push_back(std::move(*cert));
    }
    // Every distinct name gets a context with all certificates listing it.
    std::map<std::string, std::vector<std::size_t>> by_name;
    std::vector<std::string> order;
    for (std::size_t i = 0; i < cfg.certificates.size(); ++i) {
        for (const auto& name : cfg.certificates[i].names) {
            auto& list = by_name[name];
            if (list.empty()) {
                order.push_back(name);
            }
            if (std::find(list.begin(), list.end(), i) == list.end()) {
                list.push_back(i);
            }
        }
    }
    for (const auto& name : order) {
        auto ctx = make_context(cfg.source, cfg.tls, cfg.session_tickets.enabled);
        if (!ctx) {
            return Unexpected(ctx.error());
        }
        for (const std::size_t i : by_name[name]) {
            LoadedCertificate& cert = loaded[i];
            if (SSL_CTX_use_cert_and_key(ctx->get(), cert.leaf.get(), cert.key.get(),
                                         cert.chain.get(), /*override=*/0) != 1) {
                return Unexpected(ConfigError{
                    cert.chain_path + ": cannot be used for \"" + name +
                    "\" (another certificate with the same key type serves this name?): " +
                    openssl_reason()});
            }
        }
        // SSL_CTX_set_tlsext_servername_callback() without its C-style cast.
        SSL_CTX_callback_ctrl(ctx->get(), SSL_CTRL_SET_TLSEXT_SERVERNAME_CB,
                              reinterpret_cast<void (*)()>(on_servername));
        SSL_CTX_set_tlsext_servername_arg(ctx->get(), self.get());
        SSL_CTX_set_alpn_select_cb(ctx->get(), on_alpn, self.get());
        if (tickets != nullptr) {
            SSL_CTX_set_timeout(ctx->get(), std::chrono::duration_cast<std::chrono::seconds>(
                                                cfg.session_tickets.rotation)
                                                .count());
        }
        if ((tickets != nullptr && !tickets->install(ctx->get())) ||
            SSL_CTX_set_session_ticket_cb(ctx->get(), on_ticket_generated, on_ticket_decrypted,
                                          self.get()) != 1) {
            return Unexpected(
                ConfigError{cfg.source + ": cannot set up session tickets: " + openssl_reason()});
        }
        (void)self->certificates_.add(name, self->contexts_.size());
        self->contexts_.push_back(std::move(*ctx));
    }
    self->initial_ = self->contexts_.front().get();

    for (std::size_t r = 0; r < cfg.routes.size(); ++r) {
        for (const auto& pattern : cfg.routes[r].sni) {
            if (!self->routes_.add(pattern, r)) {
                return Unexpected(ConfigError{cfg.source + ": /routes/" + std::to_string(r) +
                                              ": SNI pattern \"" + pattern +
                                              "\" is invalid or already routed"});
            }
        }
        std::vector<unsigned char> wire;
        for (const auto& id : cfg.routes[r].alpn) {
            wire.push_back(static_cast<unsigned char>(id.size()));
            wire.insert(wire.end(), id.begin(), id.end());
        }
        self->alpn_wire_.push_back(std::move(wire));
        ClientAuth auth;
        if (!cfg.routes[r].client_ca_path.empty()) {
            auto loaded_ca = load_client_ca(cfg.routes[r].client_ca_path);
            if (!loaded_ca) {
                return Unexpected(loaded_ca.error());
            }
            auth = std::move(*loaded_ca);
        }
        self->client_auth_.push_back(std::move(auth));
    }
    self->routes_.set_default(cfg.default_route);
    return std::shared_ptr<const TlsContext>(std::move(self));
}

}  // namespace nfv::tls_proxy
