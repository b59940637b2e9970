// TlsStream: what a control-channel session needs from a TLS connection running over memory
// (the OpenSSL engine in proto/ implements it; tests may use their own). Ciphertext goes in and
// out as bytes carried by P_CONTROL_V1 packets; plaintext is read one TLS record at a time,
// because OpenVPN sends each control message (key-method 2, PUSH_REQUEST, PUSH_REPLY, ...) as
// exactly one record.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/platform/result.hpp"

#include "proto/tls_engine.hpp"

namespace nfv::vpn::session {

class TlsStream {
public:
    virtual ~TlsStream() = default;

    /// Ciphertext received from the peer (in order). Errors are fatal to the key state
    /// (handshake failure, certificate rejected, bad record); the message says why.
    [[nodiscard]] virtual Result<void, std::string> feed(std::span<const std::byte> ciphertext) = 0;
    /// Ciphertext to send (handshake messages, records of written plaintext); empty if none.
    [[nodiscard]] virtual std::vector<std::byte> take_outgoing() = 0;
    /// Writes one plaintext message as one record (after the handshake).
    [[nodiscard]] virtual Result<void, std::string> write(std::span<const std::byte> plaintext) = 0;
    /// The plaintext of the next complete record received, or nullopt.
    [[nodiscard]] virtual std::optional<std::vector<std::byte>> read_record() = 0;
    [[nodiscard]] virtual bool handshake_done() const = 0;
    /// RFC 5705 keying material exporter (no context), after the handshake.
    [[nodiscard]] virtual Result<void, std::string> export_keying_material(
        std::string_view label, std::span<std::byte> out) = 0;
    /// The peer certificate's subject CN (empty before the handshake or without a
    /// certificate); a server reports it with the authenticated client (OpenVPN common_name).
    [[nodiscard]] virtual std::string peer_common_name() const = 0;
    /// The peer's verified chain, leaf first, for the tls-verify script (empty by default).
    [[nodiscard]] virtual std::vector<proto::PeerCertificate> peer_chain() const { return {}; }
    /// Human-readable summary for logs ("TLSv1.3, TLS_AES_256_GCM_SHA384, peer CN=server").
    [[nodiscard]] virtual std::string description() const = 0;
};

/// Makes the TLS client connection for a new key state.
using TlsStreamFactory = std::function<Result<std::unique_ptr<TlsStream>, std::string>()>;

}  // namespace nfv::vpn::session
