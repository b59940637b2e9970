#include "nfv/net/dns/name_compressor.hpp"

#include <algorithm>

namespace nfv::net::dns {

namespace {

// FNV-1a over the case-folded bytes.
std::uint32_t folded_hash(std::string_view bytes) {
    std::uint32_t h = 2166136261U;
    for (const char c : bytes) {
        h ^= static_cast<unsigned char>(fold_ascii_case(c));
        h *= 16777619U;
    }
    return h;
}

}  // namespace

std::optional<std::uint16_t> NameCompressor::find(std::string_view suffix,
                                                  std::uint32_t hash) const {
    for (std::size_t i = 0; i < suffix_count_; ++i) {
        const Suffix& s = suffixes_[i];
        if (s.hash == hash && s.length == suffix.size() &&
            equal_ignoring_ascii_case(std::string_view(arena_.data() + s.arena_offset, s.length),
                                      suffix)) {
            return s.message_offset;
        }
    }
    return std::nullopt;
}

void NameCompressor::write(const Name& name, ByteWriter& out) {
    // The wire form is length-prefixed labels: each step drops the leftmost label.
    std::string_view rest = name.wire_without_root();
    while (!rest.empty()) {
        const std::uint32_t hash = folded_hash(rest);
        if (const auto offset = find(rest, hash)) {
            out.write_u16(static_cast<std::uint16_t>(0xC000U | *offset));
            return;
        }
        const std::size_t position = out.position();
        const std::size_t label_bytes = 1 + static_cast<unsigned char>(rest[0]);
        const auto label = rest.substr(0, label_bytes);
        const bool wrote = out.write_bytes(std::as_bytes(std::span(label.data(), label.size())));
        if (wrote && !out.overflowed() && position <= kMaxPointerOffset &&
            suffix_count_ < kMaxRemembered && arena_used_ + rest.size() <= kArenaBytes) {
            suffixes_[suffix_count_++] = Suffix{hash, static_cast<std::uint16_t>(arena_used_),
                                                static_cast<std::uint8_t>(rest.size()),
                                                static_cast<std::uint16_t>(position)};
            std::copy(rest.begin(), rest.end(),
                      arena_.begin() + static_cast<std::ptrdiff_t>(arena_used_));
            arena_used_ += rest.size();
        }
        rest.remove_prefix(label_bytes);
    }
    out.write_u8(0);
}

}  // namespace nfv::net::dns
