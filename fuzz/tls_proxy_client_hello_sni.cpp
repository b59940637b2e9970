// Fuzz target: the server TLS session (apps/tls-proxy/src/tls_session.cpp) fed arbitrary client
// bytes: ClientHello parsing, the SNI callback (route + certificate choice) and the ALPN
// callback, in OpenSSL, through our memory-BIO session. The input is cut into chunks at the
// positions given by its first byte, to exercise partial records.
// Properties: never crashes or leaks; the state machine only moves forward (handshaking ->
// established/failed), events arrive in a legal order (at most one kHandshakeDone, and kFailed
// is last), and a failed session reports a reason and ignores further input.
// Seeds (fuzz/corpus/tls_proxy_client_hello_sni/): real first flights of `openssl s_client`
// (SNI a.test with ALPN, x.b.test, an unknown name, no SNI, TLS 1.2 with a foreign ALPN),
// captured with `socat -u TCP-LISTEN:24555 OPEN:ch.bin` and prefixed with a chunk-size byte
// (0xff: 256-byte chunks, 0x04: 5-byte chunks).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <span>

#include "config.hpp"
#include "test_certs.hpp"
#include "tls_session.hpp"

namespace {

using namespace nfv::tls_proxy;

std::shared_ptr<const TlsContext> make_context() {
    static test::TempDir dir;
    const auto a = test::make_certificate(test::KeyType::kEcdsaP256, {"a.test"});
    const auto b = test::make_certificate(test::KeyType::kEcdsaP256, {"*.b.test"});
    dir.write("a.pem", a.certificate);
    dir.write("a.key", a.key);
    dir.write("b.pem", b.certificate);
    dir.write("b.key", b.key);
    auto config = parse_config(R"({
      "listeners": [{"address": "127.0.0.1:443"}],
      "certificates": [{"names": ["a.test"], "chain": "a.pem", "key": "a.key"},
                       {"names": ["*.b.test"], "chain": "b.pem", "key": "b.key"}],
      "routes": [{"name": "a", "sni": ["a.test"], "backends": ["127.0.0.1:1"],
                  "alpn": ["h2", "http/1.1"]},
                 {"name": "b", "sni": ["*.b.test"], "backends": ["127.0.0.1:2"]}]})",
                               "fuzz.json", dir.path());
    if (!config) {
        std::abort();
    }
    auto context = TlsContext::create(std::move(*config), std::time(nullptr));
    if (!context) {
        std::abort();
    }
    return std::move(*context);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto context = make_context();
    if (size == 0) {
        return 0;
    }
    auto session = TlsSession::create(context);
    if (!session) {
        std::abort();
    }
    TlsSession& s = **session;
    const std::size_t chunk = 1 + data[0];
    const auto input = std::as_bytes(std::span(data + 1, size - 1));
    bool done = false;
    bool failed = false;
    std::byte plain[512];
    for (std::size_t pos = 0; pos < input.size(); pos += chunk) {
        s.receive_ciphertext(input.subspan(pos, std::min(chunk, input.size() - pos)));
        while (s.read_plaintext(plain) > 0) {
        }
        while (auto e = s.poll_event()) {
            if (failed) {
                std::abort();  // nothing after kFailed
            }
            if (*e == TlsEventKind::kHandshakeDone) {
                if (done || s.info().route > 1) {
                    std::abort();
                }
                done = true;
            } else if (*e == TlsEventKind::kFailed) {
                if (s.detail().empty() || s.state() != TlsState::kFailed) {
                    std::abort();
                }
                failed = true;
            }
        }
        s.consume_ciphertext(s.pending_ciphertext().size());
    }
    if (failed) {
        s.receive_ciphertext(input);  // ignored once failed
        if (s.poll_event()) {
            std::abort();
        }
    }
    return 0;
}
