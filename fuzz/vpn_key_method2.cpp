// Fuzz target: the key-method-2 message parser (OpenVPN ssl.c key_method_2_read). Input: one
// role byte (bit 0 set = parse as the client's message, with pre_master) then the message.
// Properties: parsing never crashes or reads out of bounds; whatever parses serializes into
// exactly wire_size() bytes and parses back to the same fields (round trip).
// Seeds: tests/apps/vpn/data/gen_key_method2_seeds.py.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "proto/key_method2.hpp"

namespace {

namespace proto = nfv::vpn::proto;

bool same(const proto::KeyMethod2Message& a, const proto::KeyMethod2Message& b, bool from_client) {
    return a.flags == b.flags && a.key_source.random1 == b.key_source.random1 &&
           a.key_source.random2 == b.key_source.random2 &&
           (!from_client || a.key_source.pre_master == b.key_source.pre_master) &&
           a.options == b.options && a.credentials == b.credentials && a.peer_info == b.peer_info;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const bool from_client = (data[0] & 1) != 0;
    const auto input = std::as_bytes(std::span(data + 1, size - 1));
    const auto parsed = proto::parse_key_method2(input, from_client);
    if (!parsed) {
        return 0;
    }
    std::vector<std::byte> out(proto::wire_size(*parsed, from_client));
    const auto written = proto::serialize_key_method2(*parsed, from_client, out);
    if (!written || *written != out.size()) {
        std::abort();
    }
    const auto again = proto::parse_key_method2(out, from_client);
    if (!again || !same(*parsed, *again, from_client)) {
        std::abort();
    }
    return 0;
}
