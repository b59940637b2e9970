// TlsEngine: OpenSSL TLS for the OpenVPN control channel, run over memory BIOs so that it is
// fed and drained like any other sans-I/O core (no sockets; ciphertext travels in
// P_CONTROL_V1 payloads through the reliability layer).
//
// References: OpenVPN 2.6 src/openvpn/ssl_openssl.c (tls_ctx_*, key_state_ssl_init,
// key_state_write_plaintext/read_ciphertext..., key_state_export_keying_material),
// ssl_verify.c / ssl_verify_openssl.c (verify_callback, x509_verify_ns_cert_type ->
// remote-cert-tls, x509_verify_cert_ku/eku, verify_check_x509_name: --verify-x509-name
// subject|name|name-prefix, x509_get_subject formatting); doc/man-sections/tls-options.rst;
// OpenSSL BIO_s_mem(3), SSL_export_keying_material(3) (RFC 5705);
// /work/shared/reference/openvpn-protocol.md §1.7 and §1.10.
//
// Use: create(); while running, hand every received TLS ciphertext chunk to
// receive_ciphertext(), then drain read_ciphertext() into control packets (the caller splits
// at the control MTU), drain poll_event() and read_plaintext(). write_plaintext() queues until
// the handshake finished. Errors are sticky: after one, the engine only reports it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/types.h>

#include "nfv/platform/result.hpp"

namespace nfv::vpn::proto {

/// --remote-cert-tls server|client: the peer certificate must carry a key usage extension and
/// the TLS Web Server (or Client) Authentication extended key usage.
enum class RemoteCertTls : std::uint8_t { kServer, kClient };

/// --verify-x509-name type: the whole subject in OpenVPN's format
/// ("C=DE, O=Example, CN=server"), the common name, or a prefix of the common name.
enum class X509NameType : std::uint8_t { kSubject, kName, kNamePrefix };

struct X509NameCheck {
    std::string value;
    X509NameType type = X509NameType::kSubject;  // OpenVPN's default type
};

/// A SHA-256 certificate fingerprint (--peer-fingerprint).
using CertificateFingerprint = std::array<std::byte, 32>;

struct TlsEngineConfig {
    bool is_server = false;
    /// Trusted CA certificates (one or more PEM blocks). May be empty only when
    /// peer_fingerprints is set (OpenVPN's peer-fingerprint mode without --ca).
    std::string ca_pem;
    std::string cert_pem;  // our certificate, followed by any extra chain certificates
    std::string key_pem;   // our private key (PEM, PKCS#8 or traditional)
    std::optional<std::string> key_password;  // --askpass: passphrase of an encrypted key
    /// --crl-verify: CRLs (PEM) checked for every certificate of the peer's chain.
    std::string crl_pem;
    /// --peer-fingerprint: the peer certificate's SHA-256 must be one of these. Without a CA
    /// the chain is not verified otherwise (self-signed peers).
    std::vector<CertificateFingerprint> peer_fingerprints;
    /// --tls-cipher (OpenSSL cipher-list syntax, TLS <= 1.2), --tls-ciphersuites (TLS 1.3) and
    /// --tls-groups (colon list); empty = OpenSSL defaults. Names must already be OpenSSL
    /// names (OpenVPN's IANA-style "TLS-ECDHE-..." spelling is translated by the config layer).
    std::string cipher_list;
    std::string ciphersuites;
    std::string groups;
    /// Server only: false accepts clients without a certificate (--verify-client-cert none).
    bool require_peer_certificate = true;
    std::optional<RemoteCertTls> remote_cert_tls;
    std::optional<X509NameCheck> verify_x509_name;
    /// TLS1_2_VERSION by default (OpenVPN 2.6's tls-version-min default).
    int min_protocol_version = 0x0303;
    /// Highest version (--tls-version-max); 0 = the highest OpenSSL supports.
    int max_protocol_version = 0;
};

enum class TlsError : std::uint8_t {
    kBadCredentials,       // CA, certificate or key PEM unreadable, or key does not match
    kInternal,             // OpenSSL failed unexpectedly
    kBadOption,            // cipher list, ciphersuites, groups or protocol versions rejected
    kHandshakeFailed,      // protocol failure or fatal alert from the peer
    kUntrustedPeer,        // peer chain does not verify against the CA
    kRevoked,              // a certificate of the peer's chain is on the CRL
    kFingerprintMismatch,  // --peer-fingerprint did not match
    kNoPeerCertificate,    // peer sent no certificate but one is required
    kRemoteCertTls,        // peer certificate lacks the required key usage / EKU
    kX509NameMismatch,     // --verify-x509-name did not match
    kClosed,               // peer closed the TLS session (close_notify)
    kNotEstablished,       // the operation needs a finished handshake
};

enum class TlsEvent : std::uint8_t {
    kHandshakeDone,  // keys can now be exported; queued plaintext was sent
};

/// The TLS context (OpenSSL SSL_CTX: protocol limits, ciphers, certificate, key, CA store and
/// CRLs) built once from a config and shared by every session made from it. A server makes
/// one for all its clients: parsing the PEM material and holding a certificate store per
/// client would cost CPU per handshake and memory per client.
class TlsContext {
public:
    [[nodiscard]] static Result<std::shared_ptr<const TlsContext>, TlsError> create(
        const TlsEngineConfig& config);
    ~TlsContext();
    TlsContext(const TlsContext&) = delete;
    TlsContext& operator=(const TlsContext&) = delete;

    [[nodiscard]] const TlsEngineConfig& config() const { return config_; }

private:
    friend class TlsEngine;
    TlsContext(TlsEngineConfig config, void* ctx) : config_(std::move(config)), ctx_(ctx) {}

    TlsEngineConfig config_;
    void* ctx_;  // SSL_CTX*, kept opaque to keep OpenSSL's headers out of this one
};

/// One certificate of the peer's verified chain, as OpenVPN's tls-verify script sees it
/// (ssl_verify.c verify_cert_set_env / verify_cert_call_command).
struct PeerCertificate {
    int depth = 0;           // 0 = the peer's own certificate
    std::string subject;     // "C=US, O=Org, CN=client1" (X509_NAME_print_ex, OpenVPN's flags)
    std::string serial;      // decimal
    std::string serial_hex;  // "0a:1b:..." lower-case, colons
    std::string sha1;        // "ab:cd:..." (tls_digest_N)
    std::string sha256;      // (tls_digest_sha256_N)
    std::vector<std::pair<std::string, std::string>> fields;  // ("CN", "client1"), ...
};

class TlsEngine {
public:
    /// Builds the TLS context and session. A client immediately has its ClientHello ready in
    /// read_ciphertext().
    [[nodiscard]] static Result<TlsEngine, TlsError> create(const TlsEngineConfig& config);
    /// A session on a shared context (see TlsContext).
    [[nodiscard]] static Result<TlsEngine, TlsError> create(
        std::shared_ptr<const TlsContext> context);

    TlsEngine(TlsEngine&&) noexcept;
    TlsEngine& operator=(TlsEngine&&) noexcept;
    TlsEngine(const TlsEngine&) = delete;
    TlsEngine& operator=(const TlsEngine&) = delete;
    ~TlsEngine();

    /// Feeds ciphertext from the peer (in order, as delivered by the reliability layer) and
    /// advances the handshake. Returns the sticky error once the session failed.
    [[nodiscard]] Result<void, TlsError> receive_ciphertext(std::span<const std::byte> bytes);

    /// Bytes of ciphertext waiting to be sent.
    [[nodiscard]] std::size_t pending_ciphertext() const;
    /// Moves up to out.size() bytes of pending ciphertext into `out`; returns how many
    /// (0 = nothing to send).
    [[nodiscard]] std::size_t read_ciphertext(std::span<std::byte> out);

    /// Queues plaintext (one TLS record per call once established; OpenVPN sends each control
    /// message as its own record). Sent immediately when the handshake is done.
    [[nodiscard]] Result<void, TlsError> write_plaintext(std::span<const std::byte> bytes);
    /// Reads decrypted plaintext into `out`; returns bytes read, 0 when none is available.
    /// At most one TLS record is returned per call.
    [[nodiscard]] Result<std::size_t, TlsError> read_plaintext(std::span<std::byte> out);

    /// Events in order of occurrence; nullopt when none is pending.
    [[nodiscard]] std::optional<TlsEvent> poll_event();

    [[nodiscard]] bool handshake_done() const;
    [[nodiscard]] std::optional<TlsError> error() const;

    /// RFC 5705 exporter with `label` and no context, filling `out` (e.g. 256 bytes of
    /// "EXPORTER-OpenVPN-datakeys"). kNotEstablished before the handshake finished.
    [[nodiscard]] Result<void, TlsError> export_keying_material(std::string_view label,
                                                                std::span<std::byte> out) const;

    /// The peer certificate's subject CN and subject line (OpenVPN format); empty before the
    /// handshake or without a peer certificate.
    [[nodiscard]] std::string peer_common_name() const;
    /// The peer's verified chain, leaf first (empty without a verified peer certificate).
    [[nodiscard]] std::vector<PeerCertificate> peer_chain() const;
    [[nodiscard]] std::string peer_subject() const;
    /// Negotiated protocol name ("TLSv1.3") and cipher ("TLS_AES_256_GCM_SHA384"), for logs.
    [[nodiscard]] std::string_view protocol_version() const;
    [[nodiscard]] std::string_view cipher_name() const;

    struct State;  // verification settings and outcome, shared with OpenSSL callbacks

private:
    explicit TlsEngine(std::unique_ptr<State> state);
    [[nodiscard]] Result<void, TlsError> advance();
    [[nodiscard]] Result<void, TlsError> flush_plaintext();
    Result<void, TlsError> fail(TlsError error);
    [[nodiscard]] TlsError classify_failure() const;

    std::unique_ptr<State> state_;
};

}  // namespace nfv::vpn::proto
