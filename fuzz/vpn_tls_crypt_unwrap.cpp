// Fuzz target: tls-crypt (and tls-auth) unwrap of untrusted datagrams with a fixed key
// (OpenVPN's test key from test_pkt.c). Properties: unwrap never crashes or reads/writes out
// of bounds; whatever does unwrap re-wraps (deterministically) to exactly the input.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "openvpn_vectors.hpp"
#include "proto/packet.hpp"
#include "proto/tls_auth.hpp"
#include "proto/tls_crypt.hpp"

namespace {

namespace proto = nfv::vpn::proto;

struct Keys {
    proto::TlsCrypt server;
    proto::TlsCrypt client;
    proto::TlsAuth auth_server;
    proto::TlsAuth auth_client;
};

Keys& keys() {
    static Keys k = [] {
        const auto key = proto::StaticKey::parse(proto::testdata::kStaticKeyText).value();
        return Keys{proto::TlsCrypt::create(key, true).value(),
                    proto::TlsCrypt::create(key, false).value(),
                    proto::TlsAuth::create(key, proto::KeyDirection::kNormal).value(),
                    proto::TlsAuth::create(key, proto::KeyDirection::kInverse).value()};
    }();
    return k;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = std::as_bytes(std::span(data, size));
    auto& k = keys();
    // Exact-size output buffers so that any overrun is visible to ASan.
    const std::size_t crypt_plain =
        size > proto::kTlsCryptOverhead ? size - proto::kTlsCryptOverhead : 0;
    std::vector<std::byte> plain(crypt_plain);
    if (const auto unwrapped = k.server.unwrap(input, plain)) {
        if (unwrapped->size != crypt_plain) {
            std::abort();
        }
        std::vector<std::byte> rewrapped(size);
        const auto written = k.client.wrap(plain, unwrapped->replay_id, rewrapped);
        if (!written || *written != size || std::memcmp(rewrapped.data(), data, size) != 0) {
            std::abort();
        }
        (void)proto::parse_control_packet(plain);
    }

    const std::size_t auth_plain =
        size > k.auth_server.overhead() ? size - k.auth_server.overhead() : 0;
    std::vector<std::byte> auth_out(auth_plain);
    if (const auto unwrapped = k.auth_server.unwrap(input, auth_out)) {
        std::vector<std::byte> rewrapped(size);
        const auto written = k.auth_client.wrap(auth_out, unwrapped->replay_id, rewrapped);
        if (!written || *written != size || std::memcmp(rewrapped.data(), data, size) != 0) {
            std::abort();
        }
    }
    return 0;
}
