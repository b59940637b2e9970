// Domain patterns of dnsmasq's `server=/dom/`, `local=/dom/` and `address=/dom/` (dnsmasq 2.90
// domain-match.c): a pattern matches the domain itself and every name below it, the most
// specific (longest) matching pattern wins, `//` (the empty pattern) matches unqualified names
// (no dot), `#` matches every name, and a leading '*' is a plain text-suffix wildcard
// ("*.example.com" matches the subdomains of example.com but not example.com itself).
//
// Names here are "keys": lower case, labels joined by '.', no trailing dot (see name_key()).
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "nfv/net/dns/name.hpp"

namespace nfv::dnsvizor::dns {

/// The lookup key of a DNS name: labels lower-cased (ASCII) and joined by '.', no trailing dot;
/// the root is "". A '.' or '\\' inside a label is escaped with '\\' so that keys of different
/// names never collide.
[[nodiscard]] std::string name_key(const net::dns::Name& name);

/// Hash of keys for unordered containers keyed by std::string that also finds a
/// std::string_view without building a string (C++20 heterogeneous lookup).
struct KeyHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view key) const noexcept {
        return std::hash<std::string_view>{}(key);
    }
};

/// An unordered map from keys to V that can be searched with a std::string_view.
template <typename V>
using KeyMap = std::unordered_map<std::string, V, KeyHash, std::equal_to<>>;

/// Lower-cases ASCII letters of configuration text and strips one trailing dot.
[[nodiscard]] std::string normalize_key(std::string_view text);

/// How specifically `pattern` matches `key`: nullopt if it does not match; otherwise a rank
/// where larger is more specific ("#" ranks 0, "" ranks 1, "*suffix" ranks suffix length + 1,
/// a plain domain ranks its length + 2).
[[nodiscard]] std::optional<std::size_t> match_domain(std::string_view key,
                                                      std::string_view pattern);

/// True if `key` is `domain` or lies below it (plain domains only, no wildcards).
[[nodiscard]] bool is_in_domain(std::string_view key, std::string_view domain);

}  // namespace nfv::dnsvizor::dns
