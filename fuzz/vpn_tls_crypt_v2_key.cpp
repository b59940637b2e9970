// Fuzz target: tls-crypt-v2 key files and wrapped client keys (proto/tls_crypt_v2.hpp) from
// untrusted bytes. The input is tried as a client key file (PEM text) and as a raw WKc that a
// server would cut from a P_CONTROL_HARD_RESET_CLIENT_V3, unwrapped with OpenVPN's test server
// key (test_tls_crypt.c). Properties: nothing crashes or reads out of bounds; a WKc that
// unwraps re-wraps (deterministically) to exactly the same bytes; a client key that parses
// keeps a WKc whose length field equals its size.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string_view>
#include <vector>

#include "openvpn_tls_crypt_v2_vectors.hpp"
#include "proto/tls_crypt_v2.hpp"

namespace {

namespace proto = nfv::vpn::proto;

const proto::TlsCryptV2ServerKey& server_key() {
    static const auto key =
        proto::TlsCryptV2ServerKey::parse(proto::testdata::kTlsCryptV2ServerKey).value();
    return key;
}

void check_wkc(std::span<const std::byte> wkc) {
    const auto unwrapped = server_key().unwrap(wkc);
    if (!unwrapped) {
        return;
    }
    const auto rewrapped = server_key().wrap(unwrapped->key, unwrapped->metadata);
    if (!rewrapped || rewrapped->size() != wkc.size() ||
        !std::equal(rewrapped->begin(), rewrapped->end(), wkc.begin())) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input = std::as_bytes(std::span(data, size));
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): fuzzer bytes as text.
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (const auto client = proto::TlsCryptV2ClientKey::parse(text)) {
        const auto wkc = client->wkc();
        const auto length = (std::to_integer<std::size_t>(wkc[wkc.size() - 2]) << 8U) |
                            std::to_integer<std::size_t>(wkc[wkc.size() - 1]);
        if (length != wkc.size()) {
            std::abort();
        }
        check_wkc(wkc);
    }
    check_wkc(input);
    (void)proto::TlsCryptV2ServerKey::parse(text);
    return 0;
}
