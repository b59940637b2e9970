// Name: a DNS domain name (RFC 1035 §3.1, §4.1.4; RFC 2181 §11; RFC 4343).
//
// A sequence of labels; each label is 1..63 arbitrary bytes (RFC 2181 §11: any octet is allowed),
// and the whole name is at most 255 bytes in uncompressed wire form, root byte included.
// Case is preserved as received, but equality, hashing and suffix tests ignore ASCII case
// (RFC 4343), so a Name can be a map key: `std::unordered_map<Name, V, NameHash>`.
//
// Storage is the uncompressed wire form without the final root byte, so wire_size() is O(1) and
// comparing two names is one case-folded memcmp (length bytes are <= 63 and never ASCII letters).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/byte_writer.hpp"
#include "nfv/net/dns/error.hpp"
#include "nfv/platform/result.hpp"

namespace nfv::net::dns {

inline constexpr std::size_t kMaxLabelLength = 63;
inline constexpr std::size_t kMaxNameLength = 255;  ///< wire bytes including the root label
/// Bound on pointer jumps while reading one name; 127 is the most a 255-byte name can need.
inline constexpr std::size_t kMaxPointerJumps = 127;

class Name {
public:
    /// The root name ".".
    Name() = default;

    /// Reads a possibly compressed name at the reader's position (RFC 1035 §4.1.4).
    /// Pointers are resolved against `reader.whole()` (the whole message) and must point strictly
    /// before the start of the label run that contains them, so no loop is possible; the number of
    /// jumps is also bounded. On success the reader is just past the name as it appears in place
    /// (after the first pointer, if any); on failure the reader position is unspecified.
    [[nodiscard]] static Result<Name, DnsError> parse_wire(ByteReader& reader);

    /// Parses presentation text ("www.example.com." or "www.example.com"; both are absolute,
    /// there is no origin). "." is the root. Escapes: `\X` for any character X, `\DDD` for a
    /// decimal byte 0..255. Empty labels ("a..b", ".a") are rejected.
    [[nodiscard]] static Result<Name, DnsError> parse_text(std::string_view text);

    /// Builds a name from raw labels (each 1..63 bytes, total <= 255 wire bytes).
    [[nodiscard]] static Result<Name, DnsError> from_labels(
        std::span<const std::string_view> labels);

    /// Presentation text with the trailing dot ("www.example.com.", root is "."). Special
    /// characters are escaped as `\.` etc., bytes outside printable ASCII as `\DDD`, so
    /// parse_text(to_text()) yields an identical name.
    [[nodiscard]] std::string to_text() const;

    [[nodiscard]] bool is_root() const { return wire_.empty(); }
    [[nodiscard]] std::size_t label_count() const;
    /// Label `index` (0 = leftmost). Precondition: index < label_count().
    [[nodiscard]] std::string_view label(std::size_t index) const;
    /// Uncompressed wire length including the root byte (1 for the root).
    [[nodiscard]] std::size_t wire_size() const { return wire_.size() + 1; }

    /// True if this name equals `parent` or lies below it (case-insensitive). Every name is a
    /// subdomain of the root.
    [[nodiscard]] bool is_subdomain_of(const Name& parent) const;
    /// The name without its leftmost label; the root's parent is the root.
    [[nodiscard]] Name parent() const;
    /// The name with `label` prepended; fails if the label or the result is too long or empty.
    [[nodiscard]] Result<Name, DnsError> prepend(std::string_view label) const;

    /// Writes the uncompressed wire form (labels and the root byte).
    void write_uncompressed(ByteWriter& out) const;

    /// The uncompressed wire form without the final root byte.
    [[nodiscard]] std::string_view wire_without_root() const { return wire_; }

    /// Byte-exact comparison (case-sensitive), for round-trip checks.
    [[nodiscard]] bool identical(const Name& other) const { return wire_ == other.wire_; }
    /// Case-insensitive hash consistent with operator==.
    [[nodiscard]] std::size_t hash() const;

    /// Case-insensitive equality (RFC 4343).
    friend bool operator==(const Name& a, const Name& b);

private:
    explicit Name(std::string wire) : wire_(std::move(wire)) {}

    std::string wire_;  // length-prefixed labels, no root byte
};

/// RFC 4343: ASCII letters compare without case, every other byte as is.
[[nodiscard]] constexpr char fold_ascii_case(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}
/// Byte strings (labels, wire forms) equal under fold_ascii_case.
[[nodiscard]] bool equal_ignoring_ascii_case(std::string_view a, std::string_view b);
/// FNV-1a over the case-folded bytes: Name::hash() of a name whose wire form (without the root
/// byte) is `wire`, for containers that keep names as bytes.
[[nodiscard]] std::size_t hash_ignoring_ascii_case(std::string_view wire);

/// Hash functor for unordered containers keyed by Name (case-insensitive).
struct NameHash {
    std::size_t operator()(const Name& name) const { return name.hash(); }
};

}  // namespace nfv::net::dns
