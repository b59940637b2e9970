// OpensslTlsStream: the TlsStream of a real connection, over proto::TlsEngine (OpenSSL with
// memory BIOs). A factory makes one per key state from the same TlsEngineConfig.
#pragma once

#include "proto/tls_engine.hpp"
#include "session/tls_stream.hpp"

namespace nfv::vpn::session {

class OpensslTlsStream final : public TlsStream {
public:
    explicit OpensslTlsStream(proto::TlsEngine engine) : engine_(std::move(engine)) {}

    [[nodiscard]] Result<void, std::string> feed(std::span<const std::byte> ciphertext) override;
    [[nodiscard]] std::vector<std::byte> take_outgoing() override;
    [[nodiscard]] Result<void, std::string> write(std::span<const std::byte> plaintext) override;
    [[nodiscard]] std::optional<std::vector<std::byte>> read_record() override;
    [[nodiscard]] bool handshake_done() const override { return engine_.handshake_done(); }
    [[nodiscard]] Result<void, std::string> export_keying_material(
        std::string_view label, std::span<std::byte> out) override;
    [[nodiscard]] std::vector<proto::PeerCertificate> peer_chain() const override {
        return engine_.peer_chain();
    }
    [[nodiscard]] std::string peer_common_name() const override {
        return engine_.peer_common_name();
    }
    [[nodiscard]] std::string description() const override;

private:
    proto::TlsEngine engine_;
};

/// "certificate verify failed: ..." style text for a TLS engine error.
[[nodiscard]] std::string describe(proto::TlsError error);

/// A factory for ClientSessionConfig::make_tls.
[[nodiscard]] TlsStreamFactory openssl_tls_factory(proto::TlsEngineConfig config);

}  // namespace nfv::vpn::session
