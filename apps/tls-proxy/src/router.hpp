// Router: maps a TLS server name (SNI, RFC 6066 §3) to a value (a route or certificate index).
//
// Patterns are canonical (see canonical_host_pattern): an exact host name, or "*.<suffix>" which
// matches exactly one extra label (RFC 6125 §6.4.3 style: "*.example.org" matches
// "a.example.org", not "example.org" nor "a.b.example.org").
// Lookup order: exact beats wildcard beats the default. Names compare case-insensitively and a
// trailing dot is ignored. A missing or empty SNI gets the default.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace nfv::tls_proxy {

class Router {
public:
    /// Adds a canonical pattern. Returns false (and changes nothing) if the pattern is not
    /// canonical or is already present.
    bool add(std::string_view pattern, std::size_t value);
    /// The value returned when nothing matches; nullopt: unmatched names get nothing.
    void set_default(std::optional<std::size_t> value) { default_ = value; }

    /// The value for `server_name` (exact, then wildcard, then default); nullopt when none.
    [[nodiscard]] std::optional<std::size_t> match(std::string_view server_name) const;
    /// Like match() but without falling back to the default.
    [[nodiscard]] std::optional<std::size_t> match_explicit(std::string_view server_name) const;

    [[nodiscard]] std::size_t size() const { return exact_.size() + wildcard_.size(); }

private:
    std::unordered_map<std::string, std::size_t> exact_;
    std::unordered_map<std::string, std::size_t> wildcard_;  // keyed by the suffix after "*."
    std::optional<std::size_t> default_;
};

}  // namespace nfv::tls_proxy
