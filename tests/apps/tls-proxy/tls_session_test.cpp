#include "tls_session.hpp"

#include <array>
#include <chrono>
#include <ctime>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "config.hpp"
#include "test_certs.hpp"

namespace nfv::tls_proxy {
namespace {

// Certificates and a config with two routes: a.test (ALPN h2, http/1.1) and *.b.test.
struct Fixture {
    test::TempDir dir;
    std::shared_ptr<const TlsContext> context;

    test::PemPair client_cert;  // trusted by route "c" (its client_ca file)

    explicit Fixture(bool with_default = false, bool with_rsa = false,
                     bool with_client_auth = false, TicketKeys* tickets = nullptr,
                     const std::string& extra_keys = "") {
        const auto a = test::make_certificate(test::KeyType::kEcdsaP256, {"a.test"});
        const auto b = test::make_certificate(test::KeyType::kEcdsaP256, {"*.b.test"});
        dir.write("a.pem", a.certificate);
        dir.write("a.key", a.key);
        dir.write("b.pem", b.certificate);
        dir.write("b.key", b.key);
        std::string rsa_entry;
        if (with_rsa) {
            const auto r = test::make_certificate(test::KeyType::kRsa2048, {"a.test"});
            dir.write("a-rsa.pem", r.certificate);
            dir.write("a-rsa.key", r.key);
            rsa_entry = R"(, {"names": ["a.test"], "chain": "a-rsa.pem", "key": "a-rsa.key"})";
        }
        std::string client_auth_route;
        if (with_client_auth) {
            client_cert = test::make_certificate(test::KeyType::kEcdsaP256, {"client.test"});
            dir.write("clients.pem", client_cert.certificate);
            client_auth_route =
                R"(, {"name": "c", "sni": ["c.test"], "backends": ["127.0.0.1:3"],
                      "client_ca": "clients.pem"})";
        }
        const std::string text = R"({
          "listeners": [{"address": "127.0.0.1:443"}],
          "certificates": [{"names": ["a.test"], "chain": "a.pem", "key": "a.key"},
                           {"names": ["*.b.test"], "chain": "b.pem", "key": "b.key"})" +
                                 rsa_entry + R"(],
          "routes": [{"name": "a", "sni": ["a.test"], "backends": ["127.0.0.1:1"],
                      "alpn": ["h2", "http/1.1"]},
                     {"name": "b", "sni": ["*.b.test"], "backends": ["127.0.0.1:2"]})" +
                                 client_auth_route + "]" +
                                 (with_default ? R"(, "default_route": "b")" : "") + extra_keys +
                                 "}";
        auto config = parse_config(text, "test.json", dir.path());
        if (!config) {
            ADD_FAILURE() << config.error().message;
            return;
        }
        auto created = TlsContext::create(std::move(*config), std::time(nullptr), tickets);
        if (!created) {
            ADD_FAILURE() << created.error().message;
            return;
        }
        context = std::move(*created);
    }
};

// An OpenSSL client over memory BIOs.
struct Client {
    SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
    SSL* ssl = nullptr;
    BIO* in = BIO_new(BIO_s_mem());
    BIO* out = BIO_new(BIO_s_mem());
    std::string received;
    int alert_received = -1;
    bool closed_by_peer = false;
    SSL_SESSION* session = nullptr;

    explicit Client(const std::string& sni, const std::vector<std::string>& alpn = {},
                    int max_version = TLS1_3_VERSION, int min_version = TLS1_2_VERSION) {
        SSL_CTX_set_min_proto_version(ctx, min_version);
        SSL_CTX_set_max_proto_version(ctx, max_version);
        ssl = SSL_new(ctx);
        BIO_set_mem_eof_return(in, -1);
        BIO_set_mem_eof_return(out, -1);
        SSL_set_bio(ssl, in, out);
        SSL_set_connect_state(ssl);
        if (!sni.empty()) {
            // SSL_set_tlsext_host_name() without its C-style cast.
            SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                     const_cast<char*>(sni.c_str()));
        }
        if (!alpn.empty()) {
            std::vector<unsigned char> wire;
            for (const auto& id : alpn) {
                wire.push_back(static_cast<unsigned char>(id.size()));
                wire.insert(wire.end(), id.begin(), id.end());
            }
            SSL_set_alpn_protos(ssl, wire.data(), static_cast<unsigned>(wire.size()));
        }
        SSL_set_ex_data(ssl, 0, this);
        // Keep the first session the server hands out (as s_client -sess_out does).
        SSL_CTX_set_session_cache_mode(ctx,
                                       SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
        SSL_CTX_sess_set_new_cb(ctx, [](SSL* s, SSL_SESSION* sess) {
            auto* self = static_cast<Client*>(SSL_get_ex_data(s, 0));
            if (self->session == nullptr) {
                self->session = sess;
                return 1;  // we keep the reference
            }
            return 0;
        });
        SSL_set_info_callback(ssl, [](const SSL* s, int where, int ret) {
            if ((where & SSL_CB_READ_ALERT) != 0) {
                static_cast<Client*>(SSL_get_ex_data(s, 0))->alert_received = ret & 0xff;
            }
        });
    }
    ~Client() {
        SSL_SESSION_free(session);
        SSL_free(ssl);
        SSL_CTX_free(ctx);
        ERR_clear_error();
    }
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    bool established() const { return SSL_is_init_finished(ssl) == 1; }
    // Presents `pem` (certificate and key) if the server asks for a client certificate.
    void use_certificate(const test::PemPair& pem) {
        BIO* cert_bio =
            BIO_new_mem_buf(pem.certificate.data(), static_cast<int>(pem.certificate.size()));
        BIO* key_bio = BIO_new_mem_buf(pem.key.data(), static_cast<int>(pem.key.size()));
        X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
        EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
        ASSERT_NE(cert, nullptr);
        ASSERT_NE(key, nullptr);
        ASSERT_EQ(SSL_use_certificate(ssl, cert), 1);
        ASSERT_EQ(SSL_use_PrivateKey(ssl, key), 1);
        X509_free(cert);
        EVP_PKEY_free(key);
        BIO_free(cert_bio);
        BIO_free(key_bio);
    }
    std::string peer_common_name() const {
        X509* cert = SSL_get0_peer_certificate(ssl);
        if (cert == nullptr) {
            return "";
        }
        char buffer[256] = {};
        X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buffer,
                                  sizeof buffer);
        return buffer;
    }
    int peer_key_type() const {
        X509* cert = SSL_get0_peer_certificate(ssl);
        return cert == nullptr ? 0 : EVP_PKEY_get_base_id(X509_get0_pubkey(cert));
    }
    void write(const std::string& text) {
        ASSERT_EQ(SSL_write(ssl, text.data(), static_cast<int>(text.size())),
                  static_cast<int>(text.size()));
    }
    // Advances the handshake or reads application data.
    void step() {
        if (!established()) {
            (void)SSL_do_handshake(ssl);
            return;
        }
        char buffer[16384];
        while (true) {
            const int n = SSL_read(ssl, buffer, sizeof buffer);
            if (n > 0) {
                received.append(buffer, static_cast<std::size_t>(n));
                continue;
            }
            if (SSL_get_error(ssl, n) == SSL_ERROR_ZERO_RETURN) {
                closed_by_peer = true;
            }
            break;
        }
    }
};

// Moves bytes between the client and the server session until neither has anything to say.
struct Conversation {
    Conversation(TlsSession& s, Client& c) : server(s), client(c) {}
    TlsSession& server;
    Client& client;
    std::string server_received;
    std::vector<TlsEventKind> events;

    void run() {
        for (int round = 0; round < 100; ++round) {
            bool moved = false;
            char buffer[16384];
            int n = 0;
            while ((n = BIO_read(client.out, buffer, sizeof buffer)) > 0) {
                server.receive_ciphertext(
                    std::as_bytes(std::span(buffer, static_cast<std::size_t>(n))));
                moved = true;
            }
            drain_server();
            const auto pending = server.pending_ciphertext();
            if (!pending.empty()) {
                BIO_write(client.in, pending.data(), static_cast<int>(pending.size()));
                server.consume_ciphertext(pending.size());
                moved = true;
            }
            client.step();
            if (!moved && BIO_ctrl_pending(client.out) == 0) {
                return;
            }
        }
        ADD_FAILURE() << "conversation did not settle";
    }
    void drain_server() {
        std::byte plain[4096];
        while (true) {
            while (auto e = server.poll_event()) {
                events.push_back(*e);
            }
            const std::size_t k = server.read_plaintext(plain);
            if (k == 0) {
                break;
            }
            server_received.append(reinterpret_cast<const char*>(plain), k);
        }
        while (auto e = server.poll_event()) {
            events.push_back(*e);
        }
    }
};

std::unique_ptr<TlsSession> new_session(const Fixture& f) {
    auto s = TlsSession::create(f.context);
    EXPECT_TRUE(s);
    return s ? std::move(*s) : nullptr;
}

TEST(TlsSession, HandshakeRoutesBySniAndNegotiatesAlpn) {
    Fixture f;
    ASSERT_TRUE(f.context);
    auto server = new_session(f);
    Client client("a.test", {"http/1.1", "h2"});
    Conversation c(*server, client);
    c.run();
    ASSERT_TRUE(client.established());
    EXPECT_EQ(server->state(), TlsState::kEstablished);
    ASSERT_EQ(c.events, std::vector<TlsEventKind>{TlsEventKind::kHandshakeDone});
    EXPECT_EQ(server->info().server_name, "a.test");
    EXPECT_EQ(server->info().route, 0U);
    EXPECT_EQ(server->info().alpn, "h2");  // the route's preference wins
    EXPECT_EQ(server->info().version, "TLSv1.3");
    EXPECT_EQ(client.peer_common_name(), "a.test");
}

TEST(TlsSession, WildcardSniPicksItsRouteAndCertificate) {
    Fixture f;
    auto server = new_session(f);
    Client client("X.b.test", {"h2"});
    Conversation c(*server, client);
    c.run();
    ASSERT_TRUE(client.established());
    EXPECT_EQ(server->info().route, 1U);
    EXPECT_EQ(server->info().alpn, "");  // route b offers no ALPN
    EXPECT_EQ(client.peer_common_name(), "*.b.test");
}

TEST(TlsSession, UnknownSniWithoutDefaultGetsUnrecognizedNameAlert) {
    Fixture f;
    auto server = new_session(f);
    Client client("nobody.test");
    Conversation c(*server, client);
    c.run();
    EXPECT_FALSE(client.established());
    EXPECT_EQ(client.alert_received, SSL_AD_UNRECOGNIZED_NAME);  // 112
    EXPECT_EQ(server->state(), TlsState::kFailed);
    EXPECT_EQ(server->detail(), "unrecognized_name");
    EXPECT_EQ(server->server_name(), "nobody.test");
    EXPECT_EQ(c.events, std::vector<TlsEventKind>{TlsEventKind::kFailed});
}

TEST(TlsSession, UnknownOrMissingSniUsesTheDefaultRoute) {
    Fixture f(/*with_default=*/true);
    for (const char* sni : {"nobody.test", ""}) {
        SCOPED_TRACE(sni);
        auto server = new_session(f);
        Client client(sni);
        Conversation c(*server, client);
        c.run();
        ASSERT_TRUE(client.established());
        EXPECT_EQ(server->info().route, 1U);
        EXPECT_EQ(client.peer_common_name(), "a.test");  // the default certificate
    }
}

TEST(TlsSession, DataFlowsBothWaysAndCloseNotifyIsReported) {
    Fixture f;
    auto server = new_session(f);
    Client client("a.test");
    Conversation c(*server, client);
    c.run();
    ASSERT_TRUE(client.established());
    client.write("hello proxy");
    c.run();
    EXPECT_EQ(c.server_received, "hello proxy");
    std::string big(100000, 'x');
    for (std::size_t i = 0; i < big.size(); ++i) {
        big[i] = static_cast<char>('a' + i % 26);
    }
    ASSERT_TRUE(server->write_plaintext(std::as_bytes(std::span(big))));
    c.run();
    EXPECT_EQ(client.received, big);
    // Client close_notify reaches the server as kPeerClosed.
    ASSERT_EQ(SSL_shutdown(client.ssl), 0);
    c.run();
    ASSERT_FALSE(c.events.empty());
    EXPECT_EQ(c.events.back(), TlsEventKind::kPeerClosed);
    // The server's direction is still open (half-close), then it closes too.
    ASSERT_TRUE(server->write_plaintext(std::as_bytes(std::span("tail", 4))));
    server->close();
    EXPECT_TRUE(server->close_sent());
    EXPECT_FALSE(server->write_plaintext(std::as_bytes(std::span("late", 4))));
    c.run();
    EXPECT_TRUE(client.received.ends_with("tail"));
    EXPECT_TRUE(client.closed_by_peer);
}

TEST(TlsSession, AcceptsTls12AndRefusesTls11) {
    Fixture f;
    {
        auto server = new_session(f);
        Client client("a.test", {"http/1.1"}, TLS1_2_VERSION);
        Conversation c(*server, client);
        c.run();
        ASSERT_TRUE(client.established());
        EXPECT_EQ(server->info().version, "TLSv1.2");
        EXPECT_EQ(server->info().alpn, "http/1.1");
    }
    {
        auto server = new_session(f);
        Client client("a.test", {}, TLS1_1_VERSION, TLS1_VERSION);
        SSL_set_security_level(client.ssl, 0);
        Conversation c(*server, client);
        c.run();
        EXPECT_FALSE(client.established());
        EXPECT_EQ(server->state(), TlsState::kFailed);
    }
}

TEST(TlsSession, AlpnWithNoCommonProtocolFails) {
    Fixture f;
    auto server = new_session(f);
    Client client("a.test", {"spdy/3"});
    Conversation c(*server, client);
    c.run();
    EXPECT_FALSE(client.established());
    EXPECT_EQ(server->detail(), "no_application_protocol");
    EXPECT_EQ(client.alert_received, SSL_AD_NO_APPLICATION_PROTOCOL);
}

TEST(TlsSession, PicksRsaOrEcdsaCertificateByClientSignatureAlgorithms) {
    Fixture f(/*with_default=*/false, /*with_rsa=*/true);
    ASSERT_TRUE(f.context);
    {
        auto server = new_session(f);
        Client client("a.test");
        ASSERT_EQ(SSL_set1_sigalgs_list(client.ssl, "rsa_pss_rsae_sha256:RSA+SHA256"), 1);
        Conversation c(*server, client);
        c.run();
        ASSERT_TRUE(client.established());
        EXPECT_EQ(client.peer_key_type(), EVP_PKEY_RSA);
    }
    {
        auto server = new_session(f);
        Client client("a.test");
        ASSERT_EQ(SSL_set1_sigalgs_list(client.ssl, "ECDSA+SHA256"), 1);
        Conversation c(*server, client);
        c.run();
        ASSERT_TRUE(client.established());
        EXPECT_EQ(client.peer_key_type(), EVP_PKEY_EC);
    }
}

TEST(TlsSession, SessionTicketResumes) {
    Fixture f;
    SSL_SESSION* saved = nullptr;
    {
        auto server = new_session(f);
        Client client("a.test");
        Conversation c(*server, client);
        c.run();
        ASSERT_TRUE(client.established());
        EXPECT_FALSE(server->info().resumed);
        ASSERT_NE(client.session, nullptr);
        saved = client.session;
        client.session = nullptr;
    }
    auto server = new_session(f);
    Client client("a.test");
    ASSERT_EQ(SSL_set_session(client.ssl, saved), 1);
    SSL_SESSION_free(saved);
    Conversation c(*server, client);
    c.run();
    ASSERT_TRUE(client.established());
    EXPECT_EQ(SSL_session_reused(client.ssl), 1);
    EXPECT_TRUE(server->info().resumed);
}

// A full handshake on `sni`, optionally resuming `session` and presenting `cert`; returns the
// client's new session (caller frees) and reports the outcome.
struct Attempt {
    bool established = false;
    bool resumed = false;
    int alert = -1;
    SSL_SESSION* session = nullptr;
    HandshakeInfo info;  // the server's, when established
};
Attempt attempt(const Fixture& f, const std::string& sni, SSL_SESSION* resume,
                const test::PemPair* cert) {
    auto server = new_session(f);
    Client client(sni);
    if (resume != nullptr) {
        EXPECT_EQ(SSL_set_session(client.ssl, resume), 1);
    }
    if (cert != nullptr) {
        client.use_certificate(*cert);
    }
    Conversation c(*server, client);
    c.run();
    Attempt out;
    out.established = client.established() && server->state() == TlsState::kEstablished;
    out.resumed = out.established && server->info().resumed;
    if (out.established) {
        out.info = server->info();
    }
    out.alert = client.alert_received;
    out.session = client.session;
    client.session = nullptr;
    // A clean close (as wrk and curl do): OpenSSL marks the last session of a connection
    // freed without close_notify as not resumable.
    (void)SSL_shutdown(client.ssl);
    return out;
}

TEST(TlsSession, RouteWithClientCaRequiresAVerifiedClientCertificate) {
    Fixture f(false, false, /*with_client_auth=*/true);
    ASSERT_TRUE(f.context);
    const Attempt without = attempt(f, "c.test", nullptr, nullptr);
    EXPECT_FALSE(without.established);
    EXPECT_EQ(without.alert, SSL_AD_CERTIFICATE_REQUIRED);  // RFC 8446 §6.2, TLS 1.3
    const auto stranger = test::make_certificate(test::KeyType::kEcdsaP256, {"client.test"});
    const Attempt untrusted = attempt(f, "c.test", nullptr, &stranger);
    EXPECT_FALSE(untrusted.established);
    EXPECT_NE(untrusted.alert, -1);
    const Attempt trusted = attempt(f, "c.test", nullptr, &f.client_cert);
    EXPECT_TRUE(trusted.established);
    // What the PROXY v2 SSL TLV reports: the certificate, its verification and common name.
    EXPECT_TRUE(trusted.info.client_certificate);
    EXPECT_TRUE(trusted.info.client_certificate_verified);
    EXPECT_EQ(trusted.info.client_common_name, "client.test");
    EXPECT_EQ(trusted.info.version, "TLSv1.3");
    EXPECT_TRUE(trusted.info.cipher.starts_with("TLS_")) << trusted.info.cipher;
    // A resumed session still carries the certificate of its full handshake.
    const Attempt again = attempt(f, "c.test", trusted.session, nullptr);
    EXPECT_TRUE(again.resumed);
    EXPECT_TRUE(again.info.client_certificate);
    EXPECT_EQ(again.info.client_common_name, "client.test");
    SSL_SESSION_free(trusted.session);
    SSL_SESSION_free(again.session);
    // Routes without client_ca do not ask.
    const Attempt other = attempt(f, "a.test", nullptr, nullptr);
    EXPECT_TRUE(other.established);
    EXPECT_FALSE(other.info.client_certificate);
    EXPECT_TRUE(other.info.client_common_name.empty());
    SSL_SESSION_free(other.session);
}

TEST(TlsSession, TicketsResumeOnlyOnTheRouteThatIssuedThem) {
    Fixture f(false, false, /*with_client_auth=*/true);
    ASSERT_TRUE(f.context);
    const Attempt on_a = attempt(f, "a.test", nullptr, nullptr);
    ASSERT_TRUE(on_a.established);
    ASSERT_NE(on_a.session, nullptr);
    // A ticket from route a must not skip route c's client authentication ...
    const Attempt a_on_c = attempt(f, "c.test", on_a.session, nullptr);
    EXPECT_FALSE(a_on_c.established);
    const Attempt a_on_c_with_cert = attempt(f, "c.test", on_a.session, &f.client_cert);
    EXPECT_TRUE(a_on_c_with_cert.established);
    EXPECT_FALSE(a_on_c_with_cert.resumed);
    // ... and it still resumes on route a; a ticket from c resumes on c.
    const Attempt a_on_a = attempt(f, "a.test", on_a.session, nullptr);
    EXPECT_TRUE(a_on_a.resumed);
    ASSERT_NE(a_on_c_with_cert.session, nullptr);
    const Attempt c_on_c = attempt(f, "c.test", a_on_c_with_cert.session, nullptr);
    EXPECT_TRUE(c_on_c.resumed);
    for (SSL_SESSION* s :
         {on_a.session, a_on_c.session, a_on_c_with_cert.session, a_on_a.session, c_on_c.session}) {
        SSL_SESSION_free(s);
    }
}

void rotate(TicketKeys& keys, int seed) {
    std::array<std::byte, TicketKeys::kMaterialSize> material{};
    for (std::size_t i = 0; i < material.size(); ++i) {
        material[i] = static_cast<std::byte>(static_cast<std::size_t>(seed) * 31U + i);
    }
    keys.rotate(platform::Instant{std::chrono::hours(seed)}, material);
}

// Clients use a TLS 1.3 ticket once (RFC 8446 §C.4): every resumption must hand out a fresh
// one, or a reconnecting client (wrk, a browser) does a full handshake every other time.
TEST(TicketKeys, EveryTls13ResumptionHandsOutAFreshTicket) {
    TicketKeys keys(std::chrono::hours(1));
    rotate(keys, 1);
    Fixture f(false, false, false, &keys);
    const Attempt first = attempt(f, "a.test", nullptr, nullptr);
    ASSERT_TRUE(first.established);
    ASSERT_NE(first.session, nullptr);
    SSL_SESSION* current = first.session;
    for (int i = 0; i < 3; ++i) {
        const Attempt next = attempt(f, "a.test", current, nullptr);
        EXPECT_TRUE(next.resumed) << "resumption " << i << " established " << next.established
                                  << " alert " << next.alert;
        SSL_SESSION_free(current);
        current = next.session;
        ASSERT_NE(current, nullptr) << "no fresh ticket after resumption " << i;
    }
    SSL_SESSION_free(current);
}

// nginx's `ssl_session_tickets off`: no ticket, so the next connection is a full handshake.
TEST(TicketKeys, TicketsCanBeTurnedOff) {
    TicketKeys keys(std::chrono::hours(1));
    rotate(keys, 1);
    Fixture f(false, false, false, &keys, R"(, "session_tickets": {"enabled": false})");
    const Attempt first = attempt(f, "a.test", nullptr, nullptr);
    EXPECT_TRUE(first.established);
    EXPECT_EQ(first.session, nullptr) << "a ticket was issued";
    SSL_SESSION_free(first.session);
}

TEST(TicketKeys, TicketsSurviveAReloadThatKeepsTheKeys) {
    TicketKeys keys(std::chrono::hours(1));
    rotate(keys, 1);
    Fixture before(false, false, false, &keys);
    const Attempt first = attempt(before, "a.test", nullptr, nullptr);
    ASSERT_TRUE(first.established);
    ASSERT_NE(first.session, nullptr);
    Fixture after(false, false, false, &keys);  // a new snapshot, same process keys
    const Attempt resumed = attempt(after, "a.test", first.session, nullptr);
    EXPECT_TRUE(resumed.resumed);
    Fixture own_keys;  // OpenSSL's per-context key: the ticket means nothing there
    const Attempt elsewhere = attempt(own_keys, "a.test", first.session, nullptr);
    EXPECT_TRUE(elsewhere.established);
    EXPECT_FALSE(elsewhere.resumed);
    for (SSL_SESSION* s : {first.session, resumed.session, elsewhere.session}) {
        SSL_SESSION_free(s);
    }
}

TEST(TicketKeys, ATicketOutlivesOneRotationButNotTwo) {
    TicketKeys keys(std::chrono::hours(1));
    rotate(keys, 1);
    Fixture f(false, false, false, &keys);
    const Attempt issued = attempt(f, "a.test", nullptr, nullptr);
    ASSERT_NE(issued.session, nullptr);
    // An OpenSSL client uses a TLS 1.3 ticket once: keep an unused copy per attempt.
    SSL_SESSION* for_second = SSL_SESSION_dup(issued.session);
    rotate(keys, 2);
    EXPECT_EQ(keys.key_count(), 2U);
    const Attempt after_one = attempt(f, "a.test", issued.session, nullptr);
    EXPECT_TRUE(after_one.resumed);  // previous key: accepted (and renewed)
    rotate(keys, 3);
    EXPECT_EQ(keys.key_count(), 2U);
    const Attempt after_two = attempt(f, "a.test", for_second, nullptr);
    EXPECT_TRUE(after_two.established);
    EXPECT_FALSE(after_two.resumed);  // its key is gone: a full handshake, not an error
    for (SSL_SESSION* s : {issued.session, for_second, after_one.session, after_two.session}) {
        SSL_SESSION_free(s);
    }
}

TEST(TlsSession, GarbageFailsCleanly) {
    Fixture f;
    auto server = new_session(f);
    const std::string junk = "GET / HTTP/1.1\r\nHost: a.test\r\n\r\n";
    server->receive_ciphertext(std::as_bytes(std::span(junk)));
    EXPECT_EQ(server->state(), TlsState::kFailed);
    EXPECT_EQ(server->poll_event(), TlsEventKind::kFailed);
    EXPECT_FALSE(server->detail().empty());
    std::byte out[16];
    EXPECT_EQ(server->read_plaintext(out), 0U);
    server->receive_ciphertext(std::as_bytes(std::span(junk)));  // ignored
    EXPECT_EQ(server->poll_event(), std::nullopt);
}

TEST(TlsContext, NamesAMissingCertificateFile) {
    auto config = parse_config(R"({"listeners": [{"address": "127.0.0.1:443"}],
        "certificates": [{"names": ["a.test"], "chain": "/nonexistent/a.pem", "key": "a.key"}],
        "routes": [{"name": "a", "backends": ["127.0.0.1:1"]}]})",
                               "t.json");
    ASSERT_TRUE(config);
    auto created = TlsContext::create(std::move(*config), std::time(nullptr));
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().message, "/nonexistent/a.pem: cannot open the certificate chain");
}

Result<std::shared_ptr<const TlsContext>, ConfigError> context_with(const test::TempDir& dir,
                                                                    const test::PemPair& cert,
                                                                    const test::PemPair& key,
                                                                    const std::string& extra = "") {
    dir.write("c.pem", cert.certificate);
    dir.write("c.key", key.key);
    auto config = parse_config(R"({"listeners": [{"address": "127.0.0.1:443"}],
        "certificates": [{"names": ["a.test"], "chain": "c.pem", "key": "c.key"}],
        "routes": [{"name": "a", "backends": ["127.0.0.1:1"]}])" +
                                   extra + "}",
                               "t.json", dir.path());
    EXPECT_TRUE(config);
    return TlsContext::create(std::move(*config), std::time(nullptr));
}

TEST(TlsContext, RejectsExpiredAndNotYetValidCertificates) {
    test::TempDir dir;
    const auto expired = test::make_certificate(test::KeyType::kEcdsaP256, {"a.test"}, -10, -1);
    auto r = context_with(dir, expired, expired);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, dir.path() + "/c.pem: the certificate has expired");
    const auto future = test::make_certificate(test::KeyType::kEcdsaP256, {"a.test"}, 2, 10);
    r = context_with(dir, future, future);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, dir.path() + "/c.pem: the certificate is not valid yet");
}

TEST(TlsContext, PolicyFromTheConfigIsAppliedAndBadValuesAreNamed) {
    test::TempDir dir;
    const auto cert = test::make_certificate(test::KeyType::kEcdsaP256, {"a.test"});
    {
        auto r = context_with(dir, cert, cert,
                              R"(, "default_route": "a", "tls": {"min_version": "1.3"})");
        ASSERT_TRUE(r) << r.error().message;
        Fixture unused;  // only for new_session's signature
        unused.context = *r;
        auto server = new_session(unused);
        Client tls12("a.test", {}, TLS1_2_VERSION);
        Conversation c(*server, tls12);
        c.run();
        EXPECT_FALSE(tls12.established());
        auto server13 = new_session(unused);
        Client tls13("a.test");
        Conversation c13(*server13, tls13);
        c13.run();
        EXPECT_TRUE(tls13.established());
    }
    {
        auto r = context_with(dir, cert, cert,
                              R"(, "default_route": "a", "tls": {"groups": ["P-384"]})");
        ASSERT_TRUE(r) << r.error().message;
        Fixture unused;
        unused.context = *r;
        auto server = new_session(unused);
        Client x25519_only("a.test");
        ASSERT_EQ(SSL_set1_groups_list(x25519_only.ssl, "X25519"), 1);
        Conversation c(*server, x25519_only);
        c.run();
        EXPECT_FALSE(x25519_only.established());  // no common group
        auto server384 = new_session(unused);
        Client p384("a.test");
        ASSERT_EQ(SSL_set1_groups_list(p384.ssl, "P-384"), 1);
        Conversation c384(*server384, p384);
        c384.run();
        EXPECT_TRUE(p384.established());
    }
    auto bad = context_with(dir, cert, cert, R"(, "tls": {"ciphers": "NO-SUCH-CIPHER"})");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message,
              "t.json: /tls/ciphers: OpenSSL accepts none of \"NO-SUCH-CIPHER\"");
    bad = context_with(dir, cert, cert, R"(, "tls": {"groups": ["P-999"]})");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "t.json: /tls/groups: OpenSSL accepts none of \"P-999\"");
}

TEST(TlsContext, RejectsAKeyThatDoesNotMatch) {
    test::TempDir dir;
    const auto one = test::make_certificate(test::KeyType::kEcdsaP256, {"a.test"});
    const auto two = test::make_certificate(test::KeyType::kEcdsaP256, {"a.test"});
    auto r = context_with(dir, one, two);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message,
              dir.path() + "/c.key: the private key does not match " + dir.path() + "/c.pem");
}

}  // namespace
}  // namespace nfv::tls_proxy
