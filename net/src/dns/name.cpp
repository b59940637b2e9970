#include "nfv/net/dns/name.hpp"

#include <optional>

namespace nfv::net::dns {

bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (fold_ascii_case(a[i]) != fold_ascii_case(b[i])) {
            return false;
        }
    }
    return true;
}

namespace {

constexpr unsigned kPointerMask = 0xC0;

// Appends one label to `wire`, enforcing the per-label and whole-name limits.
Result<void, DnsError> append_label(std::string& wire, std::string_view label) {
    if (label.empty()) {
        return Unexpected(DnsError::kBadText);
    }
    if (label.size() > kMaxLabelLength) {
        return Unexpected(DnsError::kLabelTooLong);
    }
    if (wire.size() + 1 + label.size() + 1 > kMaxNameLength) {
        return Unexpected(DnsError::kNameTooLong);
    }
    wire.push_back(static_cast<char>(label.size()));
    wire.append(label);
    return {};
}

bool needs_backslash(char c) {
    switch (c) {
        case '.':
        case '\\':
        case '"':
        case ';':
        case '(':
        case ')':
        case '@':
        case '$':
            return true;
        default:
            return false;
    }
}

}  // namespace

Result<Name, DnsError> Name::parse_wire(ByteReader& reader) {
    const auto whole = reader.whole();
    std::size_t pos = reader.position();
    // Every pointer must target an offset before the start of the label run it sits in; that
    // start strictly decreases with each jump, so the walk terminates even without the bound.
    std::size_t segment_start = pos;
    std::optional<std::size_t> resume;
    std::size_t jumps = 0;
    std::string wire;
    for (;;) {
        if (pos >= whole.size()) {
            return Unexpected(DnsError::kTruncated);
        }
        const unsigned length = std::to_integer<unsigned>(whole[pos]);
        const unsigned kind = length & kPointerMask;
        if (kind == kPointerMask) {
            if (pos + 1 >= whole.size()) {
                return Unexpected(DnsError::kTruncated);
            }
            const std::size_t target =
                ((length & ~kPointerMask) << 8U) | std::to_integer<unsigned>(whole[pos + 1]);
            if (target >= segment_start || ++jumps > kMaxPointerJumps) {
                return Unexpected(DnsError::kBadPointer);
            }
            if (!resume) {
                resume = pos + 2;
            }
            pos = target;
            segment_start = target;
            continue;
        }
        if (kind != 0) {
            return Unexpected(DnsError::kBadLabelType);
        }
        if (length == 0) {
            ++pos;
            break;
        }
        if (whole.size() - pos - 1 < length) {
            return Unexpected(DnsError::kTruncated);
        }
        if (wire.size() + 1 + length + 1 > kMaxNameLength) {
            return Unexpected(DnsError::kNameTooLong);
        }
        // The length byte and the label, appended in one go.
        wire.append(reinterpret_cast<const char*>(whole.data()) + pos, 1 + length);
        pos += 1 + length;
    }
    if (!reader.seek(resume.value_or(pos))) {
        return Unexpected(DnsError::kTruncated);
    }
    return Name(std::move(wire));
}

Result<Name, DnsError> Name::parse_text(std::string_view text) {
    if (text == ".") {
        return Name();
    }
    if (text.empty()) {
        return Unexpected(DnsError::kBadText);
    }
    std::string wire;
    std::string label;
    bool label_pending = false;  // a label was started (possibly by an escape)
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '.') {
            if (auto ok = append_label(wire, label); !ok) {
                return Unexpected(ok.error());
            }
            label.clear();
            label_pending = false;
            continue;
        }
        label_pending = true;
        if (c != '\\') {
            label.push_back(c);
        } else if (i + 1 >= text.size()) {
            return Unexpected(DnsError::kBadText);
        } else if (text[i + 1] >= '0' && text[i + 1] <= '9') {
            if (i + 3 >= text.size()) {
                return Unexpected(DnsError::kBadText);
            }
            unsigned value = 0;
            for (std::size_t k = 1; k <= 3; ++k) {
                const char d = text[i + k];
                if (d < '0' || d > '9') {
                    return Unexpected(DnsError::kBadText);
                }
                value = value * 10 + static_cast<unsigned>(d - '0');
            }
            if (value > 255) {
                return Unexpected(DnsError::kBadText);
            }
            label.push_back(static_cast<char>(value));
            i += 3;
        } else {
            label.push_back(text[i + 1]);
            ++i;
        }
        if (label.size() > kMaxLabelLength) {
            return Unexpected(DnsError::kLabelTooLong);
        }
    }
    if (label_pending) {
        if (auto ok = append_label(wire, label); !ok) {
            return Unexpected(ok.error());
        }
    }
    return Name(std::move(wire));
}

Result<Name, DnsError> Name::from_labels(std::span<const std::string_view> labels) {
    std::string wire;
    for (const auto label : labels) {
        if (auto ok = append_label(wire, label); !ok) {
            return Unexpected(ok.error());
        }
    }
    return Name(std::move(wire));
}

std::string Name::to_text() const {
    if (is_root()) {
        return ".";
    }
    std::string text;
    text.reserve(wire_.size() + 1);
    std::size_t pos = 0;
    while (pos < wire_.size()) {
        const auto length = static_cast<unsigned char>(wire_[pos]);
        for (std::size_t i = 0; i < length; ++i) {
            const char c = wire_[pos + 1 + i];
            const auto byte = static_cast<unsigned char>(c);
            if (needs_backslash(c)) {
                text.push_back('\\');
                text.push_back(c);
            } else if (byte < 0x21 || byte > 0x7E) {
                text.push_back('\\');
                text.push_back(static_cast<char>('0' + byte / 100));
                text.push_back(static_cast<char>('0' + (byte / 10) % 10));
                text.push_back(static_cast<char>('0' + byte % 10));
            } else {
                text.push_back(c);
            }
        }
        text.push_back('.');
        pos += 1 + length;
    }
    return text;
}

std::size_t Name::label_count() const {
    std::size_t count = 0;
    for (std::size_t pos = 0; pos < wire_.size();
         pos += 1 + std::size_t{static_cast<unsigned char>(wire_[pos])}) {
        ++count;
    }
    return count;
}

std::string_view Name::label(std::size_t index) const {
    std::size_t pos = 0;
    for (std::size_t i = 0; i < index; ++i) {
        pos += 1 + std::size_t{static_cast<unsigned char>(wire_[pos])};
    }
    const auto length = static_cast<unsigned char>(wire_[pos]);
    return std::string_view(wire_).substr(pos + 1, length);
}

bool Name::is_subdomain_of(const Name& parent) const {
    const std::size_t mine = label_count();
    const std::size_t theirs = parent.label_count();
    if (theirs > mine) {
        return false;
    }
    std::size_t pos = 0;
    for (std::size_t i = 0; i < mine - theirs; ++i) {
        pos += 1 + std::size_t{static_cast<unsigned char>(wire_[pos])};
    }
    return equal_ignoring_ascii_case(std::string_view(wire_).substr(pos), parent.wire_);
}

Name Name::parent() const {
    if (is_root()) {
        return Name();
    }
    return Name(wire_.substr(1 + std::size_t{static_cast<unsigned char>(wire_[0])}));
}

Result<Name, DnsError> Name::prepend(std::string_view label) const {
    std::string wire;
    if (auto ok = append_label(wire, label); !ok) {
        return Unexpected(ok.error());
    }
    if (wire.size() + wire_.size() + 1 > kMaxNameLength) {
        return Unexpected(DnsError::kNameTooLong);
    }
    wire.append(wire_);
    return Name(std::move(wire));
}

void Name::write_uncompressed(ByteWriter& out) const {
    out.write_bytes(std::as_bytes(std::span(wire_.data(), wire_.size())));
    out.write_u8(0);
}

std::size_t hash_ignoring_ascii_case(std::string_view wire) {
    std::uint64_t h = 14695981039346656037ULL;
    for (const char c : wire) {
        h ^= static_cast<unsigned char>(fold_ascii_case(c));
        h *= 1099511628211ULL;
    }
    return static_cast<std::size_t>(h);
}

std::size_t Name::hash() const {
    return hash_ignoring_ascii_case(wire_);
}

bool operator==(const Name& a, const Name& b) {
    return equal_ignoring_ascii_case(a.wire_, b.wire_);
}

}  // namespace nfv::net::dns
