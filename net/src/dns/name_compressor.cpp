#include "nfv/net/dns/name_compressor.hpp"

namespace nfv::net::dns {

void NameCompressor::write(const Name& name, ByteWriter& out) {
    Name suffix = name;
    while (!suffix.is_root()) {
        if (const auto it = offsets_.find(suffix); it != offsets_.end()) {
            out.write_u16(static_cast<std::uint16_t>(0xC000U | it->second));
            return;
        }
        const std::size_t offset = out.position();
        const auto label = suffix.label(0);
        const bool wrote = out.write_u8(static_cast<std::uint8_t>(label.size())) &&
                           out.write_bytes(std::as_bytes(std::span(label.data(), label.size())));
        if (wrote && !out.overflowed() && offset <= kMaxPointerOffset) {
            offsets_.emplace(suffix, static_cast<std::uint16_t>(offset));
        }
        suffix = suffix.parent();
    }
    out.write_u8(0);
}

}  // namespace nfv::net::dns
