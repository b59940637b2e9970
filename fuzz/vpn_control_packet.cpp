// Fuzz target: OpenVPN plain control packet and data header codec.
// Properties: parsing never crashes; a parsed control packet serializes back to exactly the
// input bytes (the layout has no optional encodings) and parses again to the same fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "proto/packet.hpp"

namespace {

using nfv::vpn::proto::ControlPacket;

bool same_fields(const ControlPacket& a, const ControlPacket& b) {
    return a.opcode == b.opcode && a.key_id == b.key_id && a.session_id == b.session_id &&
           a.acks == b.acks && (a.acks.empty() || a.remote_session_id == b.remote_session_id) &&
           a.message_id == b.message_id && a.payload.size() == b.payload.size() &&
           std::equal(a.payload.begin(), a.payload.end(), b.payload.begin());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace proto = nfv::vpn::proto;
    const auto input = std::as_bytes(std::span(data, size));

    (void)proto::parse_control_header(input);

    if (const auto header = proto::parse_data_header(input)) {
        std::vector<std::byte> out(proto::kDataV2HeaderSize);
        const auto written = proto::serialize_data_header(*header, out);
        if (!written || *written + header->body.size() != size ||
            std::memcmp(out.data(), data, *written) != 0) {
            std::abort();
        }
    }

    const auto packet = proto::parse_control_packet(input);
    if (!packet) {
        return 0;
    }
    if (proto::wire_size(*packet) != size) {
        std::abort();
    }
    std::vector<std::byte> out(size);
    const auto written = proto::serialize(*packet, out);
    if (!written || *written != size || std::memcmp(out.data(), data, size) != 0) {
        std::abort();
    }
    const auto again = proto::parse_control_packet(out);
    if (!again || !same_fields(*packet, *again)) {
        std::abort();
    }
    // A buffer one byte short must be refused, not overrun.
    if (size > 0) {
        std::vector<std::byte> small(size - 1);
        if (proto::serialize(*packet, small)) {
            std::abort();
        }
    }
    return 0;
}
