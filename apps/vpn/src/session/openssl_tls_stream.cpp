#include "session/openssl_tls_stream.hpp"

#include <array>

namespace nfv::vpn::session {

std::string describe(proto::TlsError error) {
    switch (error) {
        case proto::TlsError::kBadCredentials:
            return "CA, certificate or key unreadable, or the key does not match the certificate";
        case proto::TlsError::kInternal:
            return "internal OpenSSL failure";
        case proto::TlsError::kBadOption:
            return "tls-cipher, tls-ciphersuites, tls-groups or tls-version rejected by OpenSSL";
        case proto::TlsError::kRevoked:
            return "crl-verify: a certificate of the peer's chain is revoked";
        case proto::TlsError::kFingerprintMismatch:
            return "peer-fingerprint: the peer certificate's SHA-256 is not listed";
        case proto::TlsError::kHandshakeFailed:
            return "TLS handshake failed (protocol error or alert from the peer)";
        case proto::TlsError::kUntrustedPeer:
            return "certificate verify failed: the peer's chain does not lead to our CA";
        case proto::TlsError::kNoPeerCertificate:
            return "the peer sent no certificate";
        case proto::TlsError::kRemoteCertTls:
            return "remote-cert-tls: the peer certificate lacks the required key usage / EKU";
        case proto::TlsError::kX509NameMismatch:
            return "verify-x509-name: the peer certificate name does not match";
        case proto::TlsError::kClosed:
            return "the peer closed the TLS session";
        case proto::TlsError::kNotEstablished:
            return "TLS session not established";
    }
    return "unknown TLS error";
}

Result<void, std::string> OpensslTlsStream::feed(std::span<const std::byte> ciphertext) {
    if (auto fed = engine_.receive_ciphertext(ciphertext); !fed) {
        return Unexpected(describe(fed.error()));
    }
    return {};
}

std::vector<std::byte> OpensslTlsStream::take_outgoing() {
    std::vector<std::byte> out(engine_.pending_ciphertext());
    const std::size_t got = engine_.read_ciphertext(out);
    out.resize(got);
    return out;
}

Result<void, std::string> OpensslTlsStream::write(std::span<const std::byte> plaintext) {
    if (auto written = engine_.write_plaintext(plaintext); !written) {
        return Unexpected(describe(written.error()));
    }
    return {};
}

std::optional<std::vector<std::byte>> OpensslTlsStream::read_record() {
    // A TLS record carries at most 16 KiB of plaintext (RFC 8446 §5.1).
    std::vector<std::byte> record(16384);
    const auto got = engine_.read_plaintext(record);
    if (!got || *got == 0) {
        return std::nullopt;
    }
    record.resize(*got);
    return record;
}

Result<void, std::string> OpensslTlsStream::export_keying_material(std::string_view label,
                                                                   std::span<std::byte> out) {
    if (auto exported = engine_.export_keying_material(label, out); !exported) {
        return Unexpected(describe(exported.error()));
    }
    return {};
}

std::string OpensslTlsStream::description() const {
    std::string text(engine_.protocol_version());
    const auto subject = engine_.peer_subject();
    if (!subject.empty()) {
        text += ", peer " + subject;
    }
    return text;
}

TlsStreamFactory openssl_tls_factory(proto::TlsEngineConfig config) {
    // One SSL_CTX for every session of this factory (a server's clients share it).
    auto context = proto::TlsContext::create(config);
    return [context = std::move(context)]() -> Result<std::unique_ptr<TlsStream>, std::string> {
        if (!context) {
            return Unexpected(describe(context.error()));
        }
        auto engine = proto::TlsEngine::create(*context);
        if (!engine) {
            return Unexpected(describe(engine.error()));
        }
        return std::unique_ptr<TlsStream>(std::make_unique<OpensslTlsStream>(std::move(*engine)));
    };
}

}  // namespace nfv::vpn::session
