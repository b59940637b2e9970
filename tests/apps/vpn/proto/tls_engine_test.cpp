#include "proto/tls_engine.hpp"

#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "../data/test_pki.hpp"

namespace nfv::vpn::proto {
namespace {

using testdata::LeafKind;
using testdata::PemPair;

constexpr std::size_t kControlMtu = 1250;

const testdata::TestPki& pki() {
    static const testdata::TestPki instance;
    return instance;
}

TlsEngineConfig client_config(const PemPair& ca = pki().ca, const PemPair& own = pki().client) {
    TlsEngineConfig c;
    c.is_server = false;
    c.ca_pem = ca.cert;
    c.cert_pem = own.cert;
    c.key_pem = own.key;
    c.remote_cert_tls = RemoteCertTls::kServer;
    return c;
}

TlsEngineConfig server_config(const PemPair& ca = pki().ca, const PemPair& own = pki().server) {
    TlsEngineConfig c;
    c.is_server = true;
    c.ca_pem = ca.cert;
    c.cert_pem = own.cert;
    c.key_pem = own.key;
    c.remote_cert_tls = RemoteCertTls::kClient;
    return c;
}

// Moves pending ciphertext from `from` to `to` in control-MTU sized chunks.
bool transfer(TlsEngine& from, TlsEngine& to, std::size_t chunk_size = kControlMtu) {
    std::vector<std::byte> chunk(chunk_size);
    bool moved = false;
    while (const std::size_t n = from.read_ciphertext(chunk)) {
        EXPECT_LE(n, chunk_size);
        moved = true;
        (void)to.receive_ciphertext(std::span(chunk).first(n));
    }
    return moved;
}

void pump(TlsEngine& a, TlsEngine& b, std::size_t chunk_size = kControlMtu) {
    for (int round = 0; round < 50; ++round) {
        const bool ab = transfer(a, b, chunk_size);
        const bool ba = transfer(b, a, chunk_size);
        if (!ab && !ba) {
            return;
        }
    }
    ADD_FAILURE() << "handshake did not settle";
}

std::string read_text(TlsEngine& engine) {
    std::array<std::byte, 4096> buffer{};
    std::string text;
    while (true) {
        const auto n = engine.read_plaintext(buffer);
        if (!n || *n == 0) {
            return text;
        }
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes to chars.
        text.append(reinterpret_cast<const char*>(buffer.data()), *n);
    }
}

std::span<const std::byte> bytes_of(std::string_view s) {
    return std::as_bytes(std::span(s.data(), s.size()));
}

TEST(TlsEngine, ClientAndServerCompleteHandshakeAndExchangeData) {
    auto client = TlsEngine::create(client_config()).value();
    auto server = TlsEngine::create(server_config()).value();
    EXPECT_GT(client.pending_ciphertext(), 0U);  // ClientHello ready at once
    EXPECT_EQ(server.pending_ciphertext(), 0U);
    // Plaintext written before the handshake is queued, not lost.
    ASSERT_TRUE(client.write_plaintext(bytes_of("key-method-2 from client")));
    pump(client, server);
    ASSERT_TRUE(client.handshake_done());
    ASSERT_TRUE(server.handshake_done());
    EXPECT_EQ(client.poll_event(), TlsEvent::kHandshakeDone);
    EXPECT_EQ(client.poll_event(), std::nullopt);
    EXPECT_EQ(server.poll_event(), TlsEvent::kHandshakeDone);
    EXPECT_EQ(read_text(server), "key-method-2 from client");
    ASSERT_TRUE(server.write_plaintext(bytes_of("PUSH_REPLY,ping 10")));
    pump(client, server);
    EXPECT_EQ(read_text(client), "PUSH_REPLY,ping 10");
    EXPECT_EQ(client.peer_common_name(), "server");
    EXPECT_EQ(server.peer_common_name(), "client1");
    EXPECT_EQ(server.peer_subject(), "C=DE, O=nfv test, CN=client1");
    EXPECT_FALSE(client.error());
}

TEST(TlsEngine, KeyingMaterialIsEqualOnBothSides) {
    for (const int max_version : {TLS1_2_VERSION, TLS1_3_VERSION}) {
        auto cc = client_config();
        cc.max_protocol_version = max_version;
        auto client = TlsEngine::create(cc).value();
        auto server = TlsEngine::create(server_config()).value();
        std::array<std::byte, 256> early{};
        EXPECT_FALSE(client.export_keying_material("EXPORTER-OpenVPN-datakeys", early));
        pump(client, server);
        ASSERT_TRUE(client.handshake_done() && server.handshake_done());
        EXPECT_EQ(client.protocol_version(), max_version == TLS1_2_VERSION ? "TLSv1.2" : "TLSv1.3");
        std::array<std::byte, 256> a{};
        std::array<std::byte, 256> b{};
        std::array<std::byte, 256> other{};
        ASSERT_TRUE(client.export_keying_material("EXPORTER-OpenVPN-datakeys", a));
        ASSERT_TRUE(server.export_keying_material("EXPORTER-OpenVPN-datakeys", b));
        ASSERT_TRUE(server.export_keying_material("EXPORTER-OpenVPN-other", other));
        EXPECT_EQ(a, b);
        EXPECT_NE(a, other);
        EXPECT_NE(a, (std::array<std::byte, 256>{}));
    }
}

TEST(TlsEngine, TinyCiphertextChunksStillWork) {
    auto client = TlsEngine::create(client_config()).value();
    auto server = TlsEngine::create(server_config()).value();
    pump(client, server, 7);
    EXPECT_TRUE(client.handshake_done());
    EXPECT_TRUE(server.handshake_done());
}

TEST(TlsEngine, ClientRejectsServerFromAnotherCa) {
    const PemPair other_ca = testdata::make_ca("other CA");
    auto client = TlsEngine::create(client_config(other_ca)).value();
    auto server = TlsEngine::create(server_config()).value();
    pump(client, server);
    EXPECT_FALSE(client.handshake_done());
    EXPECT_EQ(client.error(), TlsError::kUntrustedPeer);
    EXPECT_FALSE(server.handshake_done());
    EXPECT_EQ(server.error(), TlsError::kHandshakeFailed);  // the client's alert
}

TEST(TlsEngine, ServerRejectsClientFromAnotherCa) {
    const PemPair other_ca = testdata::make_ca("other CA");
    const PemPair stranger = testdata::make_leaf(other_ca, "stranger", LeafKind::kClient);
    auto client = TlsEngine::create(client_config(pki().ca, stranger)).value();
    auto server = TlsEngine::create(server_config()).value();
    pump(client, server);
    EXPECT_EQ(server.error(), TlsError::kUntrustedPeer);
    EXPECT_FALSE(server.handshake_done());
    // With TLS 1.3 the client finishes first and learns of the rejection from the alert.
    std::array<std::byte, 64> buffer{};
    const auto read = client.read_plaintext(buffer);
    EXPECT_FALSE(read);
    EXPECT_TRUE(client.error());
}

TEST(TlsEngine, RemoteCertTlsServerRejectsCertificateWithoutServerEku) {
    const PemPair plain = testdata::make_leaf(pki().ca, "no-eku", LeafKind::kNoExtendedKeyUsage);
    auto client = TlsEngine::create(client_config()).value();
    auto server = TlsEngine::create(server_config(pki().ca, plain)).value();
    pump(client, server);
    EXPECT_EQ(client.error(), TlsError::kRemoteCertTls);
    EXPECT_FALSE(client.handshake_done());
}

TEST(TlsEngine, ClientCertificateNeverPassesAsServer) {
    // EKU clientAuth only: OpenSSL's own purpose check rejects it before remote-cert-tls is
    // consulted, as it does for OpenVPN (verify_callback sees preverify_ok == 0).
    auto config = client_config();
    config.remote_cert_tls.reset();
    auto client = TlsEngine::create(config).value();
    auto server = TlsEngine::create(server_config(pki().ca, pki().client)).value();
    pump(client, server);
    EXPECT_EQ(client.error(), TlsError::kUntrustedPeer);
}

TEST(TlsEngine, RemoteCertTlsClientRejectsCertificateWithoutEku) {
    const PemPair plain = testdata::make_leaf(pki().ca, "no-eku", LeafKind::kNoExtendedKeyUsage);
    auto client = TlsEngine::create(client_config(pki().ca, plain)).value();
    auto server = TlsEngine::create(server_config()).value();
    pump(client, server);
    EXPECT_EQ(server.error(), TlsError::kRemoteCertTls);
    // Without the remote-cert-tls option the same certificate is accepted.
    auto client2 = TlsEngine::create(client_config(pki().ca, plain)).value();
    auto lenient = server_config();
    lenient.remote_cert_tls.reset();
    auto server2 = TlsEngine::create(lenient).value();
    pump(client2, server2);
    EXPECT_TRUE(server2.handshake_done());
    EXPECT_FALSE(server2.error());
}

TEST(TlsEngine, VerifyX509NameChecksCommonNameAndSubject) {
    struct Case {
        X509NameCheck check;
        bool accepted;
    };
    const Case cases[] = {
        {{"server", X509NameType::kName}, true},
        {{"server2", X509NameType::kName}, false},
        {{"serv", X509NameType::kNamePrefix}, true},
        {{"client", X509NameType::kNamePrefix}, false},
        {{"C=DE, O=nfv test, CN=server", X509NameType::kSubject}, true},
        {{"server", X509NameType::kSubject}, false},
    };
    for (const auto& c : cases) {
        auto config = client_config();
        config.verify_x509_name = c.check;
        auto client = TlsEngine::create(config).value();
        auto server = TlsEngine::create(server_config()).value();
        pump(client, server);
        EXPECT_EQ(client.handshake_done(), c.accepted) << c.check.value;
        if (!c.accepted) {
            EXPECT_EQ(client.error(), TlsError::kX509NameMismatch) << c.check.value;
        }
    }
}

TEST(TlsEngine, ServerRequiresAClientCertificateUnlessConfiguredNot) {
    auto no_cert = client_config();
    no_cert.cert_pem.clear();
    no_cert.key_pem.clear();
    auto client = TlsEngine::create(no_cert).value();
    auto server = TlsEngine::create(server_config()).value();
    pump(client, server);
    EXPECT_EQ(server.error(), TlsError::kNoPeerCertificate);

    auto optional = server_config();
    optional.require_peer_certificate = false;
    optional.remote_cert_tls.reset();
    auto client2 = TlsEngine::create(no_cert).value();
    auto server2 = TlsEngine::create(optional).value();
    pump(client2, server2);
    EXPECT_TRUE(server2.handshake_done());
    EXPECT_EQ(server2.peer_common_name(), "");
}

TEST(TlsEngine, CrlRejectsARevokedClient) {
    const PemPair revoked = testdata::make_leaf(pki().ca, "revoked", LeafKind::kClient);
    auto config = server_config();
    config.crl_pem = testdata::make_crl(pki().ca, revoked.cert);
    auto client = TlsEngine::create(client_config(pki().ca, revoked)).value();
    auto server = TlsEngine::create(config).value();
    pump(client, server);
    EXPECT_EQ(server.error(), TlsError::kRevoked);
    // Another client of the same CA is still fine with the same CRL.
    auto good = TlsEngine::create(client_config()).value();
    auto server2 = TlsEngine::create(config).value();
    pump(good, server2);
    EXPECT_TRUE(server2.handshake_done());
    EXPECT_FALSE(server2.error());
}

TEST(TlsEngine, PeerFingerprintWithoutCaAcceptsOnlyTheListedCertificate) {
    const PemPair self_signed = testdata::make_self_signed("fp-server", LeafKind::kServer);
    const auto fingerprint = [](const std::string& pem) {
        BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
        X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
        CertificateFingerprint fp{};
        unsigned int size = 0;
        X509_digest(cert, EVP_sha256(), reinterpret_cast<unsigned char*>(fp.data()),  // NOLINT
                    &size);
        X509_free(cert);
        BIO_free(bio);
        return fp;
    };
    auto config = client_config();
    config.ca_pem.clear();
    config.peer_fingerprints = {CertificateFingerprint{}, fingerprint(self_signed.cert)};
    auto client = TlsEngine::create(config).value();
    auto server = TlsEngine::create(server_config(pki().ca, self_signed)).value();
    pump(client, server);
    EXPECT_TRUE(client.handshake_done());
    EXPECT_FALSE(client.error());

    config.peer_fingerprints = {fingerprint(pki().server.cert)};  // some other certificate
    auto client2 = TlsEngine::create(config).value();
    auto server2 = TlsEngine::create(server_config(pki().ca, self_signed)).value();
    pump(client2, server2);
    EXPECT_EQ(client2.error(), TlsError::kFingerprintMismatch);
}

TEST(TlsEngine, EncryptedKeyNeedsItsPassword) {
    auto config = server_config();
    config.key_pem = testdata::encrypt_key(pki().server.key, "correct horse");
    config.key_password = "wrong";
    EXPECT_EQ(TlsEngine::create(config).error(), TlsError::kBadCredentials);
    config.key_password = "correct horse";
    auto server = TlsEngine::create(config);
    ASSERT_TRUE(server);
    auto client = TlsEngine::create(client_config()).value();
    pump(client, *server);
    EXPECT_TRUE(server->handshake_done());
}

TEST(TlsEngine, CipherAndGroupRestrictionsApply) {
    auto config = client_config();
    config.ciphersuites = "TLS_CHACHA20_POLY1305_SHA256";
    config.groups = "X25519";
    auto client = TlsEngine::create(config).value();
    auto server = TlsEngine::create(server_config()).value();
    pump(client, server);
    ASSERT_TRUE(server.handshake_done());
    EXPECT_EQ(server.cipher_name(), "TLS_CHACHA20_POLY1305_SHA256");

    auto tls12 = client_config();
    tls12.max_protocol_version = TLS1_2_VERSION;
    tls12.cipher_list = "ECDHE-ECDSA-AES128-GCM-SHA256";
    auto client12 = TlsEngine::create(tls12).value();
    auto server12 = TlsEngine::create(server_config()).value();
    pump(client12, server12);
    ASSERT_TRUE(server12.handshake_done());
    EXPECT_EQ(server12.cipher_name(), "ECDHE-ECDSA-AES128-GCM-SHA256");

    auto bad = client_config();
    bad.cipher_list = "NO-SUCH-CIPHER";
    EXPECT_EQ(TlsEngine::create(bad).error(), TlsError::kBadOption);
    bad = client_config();
    bad.groups = "no-such-group";
    EXPECT_EQ(TlsEngine::create(bad).error(), TlsError::kBadOption);
}

TEST(TlsEngine, BadCredentialsAreReported) {
    auto config = client_config();
    config.ca_pem = "not a certificate";
    auto engine = TlsEngine::create(config);
    ASSERT_FALSE(engine);
    EXPECT_EQ(engine.error(), TlsError::kBadCredentials);

    auto mismatched = server_config();
    mismatched.key_pem = pki().client.key;  // key of another certificate
    engine = TlsEngine::create(mismatched);
    ASSERT_FALSE(engine);
    EXPECT_EQ(engine.error(), TlsError::kBadCredentials);

    auto keyless_server = server_config();
    keyless_server.cert_pem.clear();
    keyless_server.key_pem.clear();
    EXPECT_FALSE(TlsEngine::create(keyless_server));
}

TEST(TlsEngine, GarbageCiphertextFailsStickily) {
    auto server = TlsEngine::create(server_config()).value();
    const std::string junk = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";
    const auto result = server.receive_ciphertext(bytes_of(junk));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), TlsError::kHandshakeFailed);
    EXPECT_EQ(server.error(), TlsError::kHandshakeFailed);
    EXPECT_FALSE(server.write_plaintext(bytes_of("x")));
    std::array<std::byte, 8> buffer{};
    EXPECT_FALSE(server.read_plaintext(buffer));
}

}  // namespace
}  // namespace nfv::vpn::proto
