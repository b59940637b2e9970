// A throw-away PKI generated at test time with the OpenSSL API (no committed key material):
// CAs and leaf certificates shaped like easy-rsa's (server: KU digitalSignature+keyEncipherment,
// EKU serverAuth; client: KU digitalSignature, EKU clientAuth). EC P-256 keys, SHA-256
// signatures, valid from one hour ago for one day. Test-only code.
#pragma once

#include <cstdlib>
#include <string>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

namespace nfv::vpn::testdata {

struct PemPair {
    std::string cert;
    std::string key;
};

enum class LeafKind { kServer, kClient, kNoExtendedKeyUsage };

namespace pki_detail {

inline void require(bool ok) {
    if (!ok) {
        std::abort();  // test fixture generation must not fail
    }
}

inline std::string drain(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<std::size_t>(size));
    BIO_free(bio);
    return out;
}

inline EVP_PKEY* read_key(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    require(key != nullptr);
    return key;
}

inline X509* read_cert(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    require(cert != nullptr);
    return cert;
}

inline void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    require(ext != nullptr && X509_add_ext(cert, ext, -1) == 1);
    X509_EXTENSION_free(ext);
}

// Builds and signs a certificate; `issuer`/`issuer_key` null = self-signed.
inline PemPair make_cert(const char* cn, X509* issuer, EVP_PKEY* issuer_key, bool is_ca,
                         LeafKind kind, long serial) {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    require(key != nullptr);
    X509* cert = X509_new();
    require(X509_set_version(cert, 2) == 1);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), serial);
    X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
    X509_NAME* name = X509_get_subject_name(cert);
    const auto add = [name](const char* field, const char* value) {
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL API.
        const auto* bytes = reinterpret_cast<const unsigned char*>(value);
        require(X509_NAME_add_entry_by_txt(name, field, MBSTRING_ASC, bytes, -1, -1, 0) == 1);
    };
    add("C", "DE");
    add("O", "nfv test");
    add("CN", cn);
    require(X509_set_issuer_name(cert, issuer != nullptr ? X509_get_subject_name(issuer) : name) ==
            1);
    require(X509_set_pubkey(cert, key) == 1);
    X509* ext_issuer = issuer != nullptr ? issuer : cert;
    add_ext(cert, ext_issuer, NID_subject_key_identifier, "hash");
    if (is_ca) {
        add_ext(cert, ext_issuer, NID_basic_constraints, "critical,CA:TRUE");
        add_ext(cert, ext_issuer, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        add_ext(cert, ext_issuer, NID_basic_constraints, "CA:FALSE");
        add_ext(cert, ext_issuer, NID_authority_key_identifier, "keyid");
        switch (kind) {
            case LeafKind::kServer:
                add_ext(cert, ext_issuer, NID_key_usage, "digitalSignature,keyEncipherment");
                add_ext(cert, ext_issuer, NID_ext_key_usage, "serverAuth");
                break;
            case LeafKind::kClient:
                add_ext(cert, ext_issuer, NID_key_usage, "digitalSignature");
                add_ext(cert, ext_issuer, NID_ext_key_usage, "clientAuth");
                break;
            case LeafKind::kNoExtendedKeyUsage:
                add_ext(cert, ext_issuer, NID_key_usage, "digitalSignature");
                break;
        }
    }
    require(X509_sign(cert, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0);
    BIO* cert_bio = BIO_new(BIO_s_mem());
    BIO* key_bio = BIO_new(BIO_s_mem());
    require(PEM_write_bio_X509(cert_bio, cert) == 1);
    require(PEM_write_bio_PrivateKey(key_bio, key, nullptr, nullptr, 0, nullptr, nullptr) == 1);
    X509_free(cert);
    EVP_PKEY_free(key);
    return PemPair{drain(cert_bio), drain(key_bio)};
}

}  // namespace pki_detail

/// A self-signed CA.
inline PemPair make_ca(const char* cn) {
    return pki_detail::make_cert(cn, nullptr, nullptr, true, LeafKind::kServer, 1);
}

/// A leaf certificate signed by `ca`.
inline PemPair make_leaf(const PemPair& ca, const char* cn, LeafKind kind) {
    static long serial = 100;
    X509* issuer = pki_detail::read_cert(ca.cert);
    EVP_PKEY* issuer_key = pki_detail::read_key(ca.key);
    PemPair leaf = pki_detail::make_cert(cn, issuer, issuer_key, false, kind, ++serial);
    X509_free(issuer);
    EVP_PKEY_free(issuer_key);
    return leaf;
}

/// A self-signed end-entity certificate (peer-fingerprint setups).
inline PemPair make_self_signed(const char* cn, LeafKind kind) {
    return pki_detail::make_cert(cn, nullptr, nullptr, false, kind, 7);
}

/// A CRL issued by `ca` that revokes `revoked` (one certificate PEM).
inline std::string make_crl(const PemPair& ca, const std::string& revoked) {
    using pki_detail::require;
    X509* issuer = pki_detail::read_cert(ca.cert);
    EVP_PKEY* issuer_key = pki_detail::read_key(ca.key);
    X509* victim = pki_detail::read_cert(revoked);
    X509_CRL* crl = X509_CRL_new();
    require(X509_CRL_set_version(crl, 1) == 1);
    require(X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer)) == 1);
    ASN1_TIME* now = X509_gmtime_adj(nullptr, -60);
    ASN1_TIME* next = X509_gmtime_adj(nullptr, 86400);
    require(X509_CRL_set1_lastUpdate(crl, now) == 1 && X509_CRL_set1_nextUpdate(crl, next) == 1);
    X509_REVOKED* entry = X509_REVOKED_new();
    require(X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(victim)) == 1);
    require(X509_REVOKED_set_revocationDate(entry, now) == 1);
    require(X509_CRL_add0_revoked(crl, entry) == 1);
    require(X509_CRL_sort(crl) == 1);
    require(X509_CRL_sign(crl, issuer_key, EVP_sha256()) > 0);
    BIO* bio = BIO_new(BIO_s_mem());
    require(PEM_write_bio_X509_CRL(bio, crl) == 1);
    ASN1_TIME_free(now);
    ASN1_TIME_free(next);
    X509_CRL_free(crl);
    X509_free(victim);
    X509_free(issuer);
    EVP_PKEY_free(issuer_key);
    return pki_detail::drain(bio);
}

/// `key_pem` re-encoded as an AES-256-CBC encrypted PEM with `password`.
inline std::string encrypt_key(const std::string& key_pem, const std::string& password) {
    EVP_PKEY* key = pki_detail::read_key(key_pem);
    BIO* bio = BIO_new(BIO_s_mem());
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): OpenSSL API.
    const auto* pass = reinterpret_cast<const unsigned char*>(password.data());
    pki_detail::require(
        PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(),
                                      reinterpret_cast<const char*>(pass),  // NOLINT
                                      static_cast<int>(password.size()), nullptr, nullptr) == 1);
    EVP_PKEY_free(key);
    return pki_detail::drain(bio);
}

/// The PKI most tests use: one CA, a server and a client certificate.
struct TestPki {
    PemPair ca = make_ca("nfv test CA");
    PemPair server = make_leaf(ca, "server", LeafKind::kServer);
    PemPair client = make_leaf(ca, "client1", LeafKind::kClient);
};

}  // namespace nfv::vpn::testdata
