// TlsContext: one immutable snapshot of the proxy's TLS configuration: the OpenSSL SSL_CTX
// objects holding the certificates (per host name, one RSA and one ECDSA certificate each) and the
// SNI router, built from a Config. TLS 1.3 (RFC 8446) and TLS 1.2 (RFC 5246) only.
//
// Policy (applies to every context):
//   * protocol versions TLS 1.2 (or 1.3 with min_version) .. 1.3; no compression, no
//     renegotiation; ciphers, TLS 1.3 suites and groups from Config::tls (defaults there: ECDHE
//     + AEAD only; X25519, P-256, P-384); a value OpenSSL rejects is an error naming /tls/...;
//     server cipher preference;
//   * session resumption with stateless tickets under the process's rotating TicketKeys (so
//     they survive reloads); no server-side session cache; a ticket carries the
//     name of the route that issued it and is accepted only on that route (a full handshake
//     otherwise), so a session from a route without client authentication never resumes on one
//     with it;
//   * routes with `client_ca` require a client certificate that verifies against that bundle
//     (requested in the SNI callback, i.e. per route);
//   * OpenSSL picks RSA or ECDSA per handshake from the client's signature algorithms when a
//     name has both.
// A reload builds a new snapshot; sessions keep a shared_ptr to theirs, so established
// connections are unaffected.
// Loading errors name the file: a missing/unreadable chain or key, a key that does not match,
// a certificate that has expired or is not valid yet, two certificates of one key type per name.
#pragma once

#include <cstddef>
#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "nfv/platform/result.hpp"

#include "config.hpp"
#include "router.hpp"
#include "ticket_keys.hpp"

namespace nfv::tls_proxy {

struct SslCtxDeleter {
    void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;

/// A route's client-certificate requirement: the trust store and the CA names sent in the
/// CertificateRequest. No store: the route does not ask for a certificate.
struct ClientAuth {
    struct StoreDeleter {
        void operator()(X509_STORE* s) const { X509_STORE_free(s); }
    };
    struct NamesDeleter {
        void operator()(STACK_OF(X509_NAME) * n) const { sk_X509_NAME_pop_free(n, X509_NAME_free); }
    };
    std::unique_ptr<X509_STORE, StoreDeleter> store;
    std::unique_ptr<STACK_OF(X509_NAME), NamesDeleter> names;
};

/// What the handshake callbacks decided for one connection. A TlsSession owns one and attaches
/// it to its SSL object (ex_data at TlsContext::selection_index()).
struct HandshakeSelection {
    std::string server_name;               // as sent by the client (empty: no SNI)
    std::optional<std::size_t> route;      // chosen route
    bool unrecognized_name = false;        // SNI matched no route and there is no default
    bool no_application_protocol = false;  // the route lists ALPN ids the client did not offer
};

class TlsContext {
public:
    /// The SSL ex_data index under which a HandshakeSelection* is stored.
    [[nodiscard]] static int selection_index();

    /// Loads every certificate of `config` and builds the contexts and routers. `now` (Unix
    /// seconds) is the time certificate validity is checked against. With `tickets`, session
    /// tickets use those keys (which must outlive the context); without, OpenSSL's own key per
    /// context (tickets then die with the snapshot).
    [[nodiscard]] static Result<std::shared_ptr<const TlsContext>, ConfigError> create(
        Config config, std::time_t now, TicketKeys* tickets = nullptr);

    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;
    ~TlsContext();

    /// The context an SSL object starts with (it serves the default certificate).
    [[nodiscard]] SSL_CTX* initial() const { return initial_; }
    /// The context holding the certificate(s) for `server_name`: exact name, then wildcard, then
    /// the default certificate (the first name of the first certificate entry). Never null.
    [[nodiscard]] SSL_CTX* context_for(std::string_view server_name) const;
    /// The route for `server_name`; nullopt: unknown name and no default route.
    [[nodiscard]] std::optional<std::size_t> route_for(std::string_view server_name) const {
        return routes_.match(server_name);
    }
    [[nodiscard]] const Config& config() const { return config_; }
    [[nodiscard]] const RouteConfig& route(std::size_t index) const {
        return config_.routes[index];
    }
    /// The route's ALPN list in wire format (RFC 7301 §3.1: length-prefixed ids), may be empty.
    [[nodiscard]] const std::vector<unsigned char>& alpn_wire(std::size_t route) const {
        return alpn_wire_[route];
    }
    [[nodiscard]] const ClientAuth& client_auth(std::size_t route) const {
        return client_auth_[route];
    }

private:
    explicit TlsContext(Config config) : config_(std::move(config)) {}

    Config config_;
    std::vector<SslCtxPtr> contexts_;  // one per distinct certificate name
    Router certificates_;              // name -> index into contexts_
    SSL_CTX* initial_ = nullptr;
    Router routes_;
    std::vector<std::vector<unsigned char>> alpn_wire_;
    std::vector<ClientAuth> client_auth_;  // per route
};

}  // namespace nfv::tls_proxy
