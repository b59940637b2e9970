#include "config.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "nfv/net/ip_address.hpp"

namespace nfv::tls_proxy {
namespace {

using nlohmann::json;

// Thrown inside this file only; parse_config() turns it into a ConfigError value.
struct Failure {
    std::string path;
    std::string what;
};

[[noreturn]] void fail(std::string path, std::string what) {
    throw Failure{std::move(path), std::move(what)};
}

std::string describe(const json& value) {
    switch (value.type()) {
        case json::value_t::object:
            return "an object";
        case json::value_t::array:
            return "an array";
        case json::value_t::string:
            return "a string";
        case json::value_t::boolean:
            return "a boolean";
        case json::value_t::null:
            return "null";
        default:
            return "a number";
    }
}

// An object whose keys must all be consumed: anything left over is an unknown key.
class ObjectReader {
public:
    ObjectReader(const json& value, std::string path) : value_(value), path_(std::move(path)) {
        if (!value_.is_object()) {
            fail(path_.empty() ? "/" : path_, "expected an object, got " + describe(value_));
        }
    }

    [[nodiscard]] const json* get(const std::string& key) {
        known_.insert(key);
        const auto it = value_.find(key);
        return it == value_.end() ? nullptr : &*it;
    }
    [[nodiscard]] const json& require(const std::string& key) {
        const json* v = get(key);
        if (v == nullptr) {
            fail(path_.empty() ? "/" : path_, "missing required key \"" + key + "\"");
        }
        return *v;
    }
    [[nodiscard]] std::string path(const std::string& key) const { return path_ + "/" + key; }

    void finish() const {
        for (const auto& [key, unused] : value_.items()) {
            if (!known_.contains(key)) {
                fail(path(key), "unknown key");
            }
        }
    }

private:
    const json& value_;
    std::string path_;
    std::set<std::string> known_;
};

std::string as_string(const json& v, const std::string& path) {
    if (!v.is_string()) {
        fail(path, "expected a string, got " + describe(v));
    }
    return v.get<std::string>();
}

bool as_bool(const json& v, const std::string& path) {
    if (!v.is_boolean()) {
        fail(path, "expected true or false, got " + describe(v));
    }
    return v.get<bool>();
}

const json& as_array(const json& v, const std::string& path, bool allow_empty) {
    if (!v.is_array()) {
        fail(path, "expected an array, got " + describe(v));
    }
    if (!allow_empty && v.empty()) {
        fail(path, "must not be empty");
    }
    return v;
}

std::uint64_t as_count(const json& v, const std::string& path, std::uint64_t min,
                       std::uint64_t max) {
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0)) {
        fail(path, "expected a non-negative integer, got " + describe(v));
    }
    const auto n = v.get<std::uint64_t>();
    if (n < min || n > max) {
        fail(path, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return n;
}

platform::Duration as_seconds(const json& v, const std::string& path) {
    if (!v.is_number()) {
        fail(path, "expected a number of seconds, got " + describe(v));
    }
    const double s = v.get<double>();
    if (!std::isfinite(s) || s <= 0.0 || s > 86400.0 * 7) {
        fail(path, "must be a number of seconds in (0, 604800]");
    }
    return std::chrono::duration_cast<platform::Duration>(std::chrono::duration<double>(s));
}

Endpoint as_endpoint(const json& v, const std::string& path) {
    const std::string text = as_string(v, path);
    auto endpoint = parse_endpoint(text);
    if (!endpoint) {
        fail(path, "\"" + text + "\" is not host:port (port 1-65535, IPv6 as [addr]:port)");
    }
    return *endpoint;
}

std::string as_pattern(const json& v, const std::string& path) {
    const std::string text = as_string(v, path);
    auto pattern = canonical_host_pattern(text);
    if (!pattern) {
        fail(path, "\"" + text + "\" is not a host name or a *.<host name> wildcard");
    }
    return *pattern;
}

std::string join_path(std::string_view base_dir, const std::string& file) {
    if (file.empty() || file.front() == '/' || base_dir.empty()) {
        return file;
    }
    std::string out(base_dir);
    if (out.back() != '/') {
        out += '/';
    }
    return out + file;
}

ListenerConfig parse_listener(const json& v, const std::string& path) {
    ObjectReader obj(v, path);
    ListenerConfig out;
    out.address = as_endpoint(obj.require("address"), obj.path("address"));
    if (const json* r = obj.get("http_redirect")) {
        out.http_redirect = as_bool(*r, obj.path("http_redirect"));
    }
    obj.finish();
    return out;
}

CertificateConfig parse_certificate(const json& v, const std::string& path,
                                    std::string_view base_dir) {
    ObjectReader obj(v, path);
    CertificateConfig out;
    const std::string names_path = obj.path("names");
    const json& names = as_array(obj.require("names"), names_path, false);
    for (std::size_t i = 0; i < names.size(); ++i) {
        out.names.push_back(as_pattern(names[i], names_path + "/" + std::to_string(i)));
    }
    out.chain_path = join_path(base_dir, as_string(obj.require("chain"), obj.path("chain")));
    out.key_path = join_path(base_dir, as_string(obj.require("key"), obj.path("key")));
    if (out.chain_path.empty()) {
        fail(obj.path("chain"), "must not be empty");
    }
    if (out.key_path.empty()) {
        fail(obj.path("key"), "must not be empty");
    }
    obj.finish();
    return out;
}

ProxyProtocol as_proxy_protocol(const json& v, const std::string& path) {
    const std::string text = as_string(v, path);
    if (text == "none") {
        return ProxyProtocol::kNone;
    }
    if (text == "v1") {
        return ProxyProtocol::kV1;
    }
    if (text == "v2") {
        return ProxyProtocol::kV2;
    }
    fail(path, "\"" + text + "\" is not one of none, v1, v2");
}

RouteConfig parse_route(const json& v, const std::string& path, std::string_view base_dir) {
    ObjectReader obj(v, path);
    RouteConfig out;
    out.name = as_string(obj.require("name"), obj.path("name"));
    if (out.name.empty() || out.name.size() > 64 ||
        !std::all_of(out.name.begin(), out.name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' ||
                   c == '.';
        })) {
        fail(obj.path("name"), "must be 1-64 characters of [A-Za-z0-9._-]");
    }
    if (const json* sni = obj.get("sni")) {
        const std::string sni_path = obj.path("sni");
        const json& list = as_array(*sni, sni_path, true);
        for (std::size_t i = 0; i < list.size(); ++i) {
            out.sni.push_back(as_pattern(list[i], sni_path + "/" + std::to_string(i)));
        }
    }
    const std::string backends_path = obj.path("backends");
    const json& backends = as_array(obj.require("backends"), backends_path, false);
    for (std::size_t i = 0; i < backends.size(); ++i) {
        out.backends.push_back(as_endpoint(backends[i], backends_path + "/" + std::to_string(i)));
    }
    if (const json* pp = obj.get("proxy_protocol")) {
        out.proxy_protocol = as_proxy_protocol(*pp, obj.path("proxy_protocol"));
    }
    if (const json* alpn = obj.get("alpn")) {
        const std::string alpn_path = obj.path("alpn");
        const json& list = as_array(*alpn, alpn_path, true);
        for (std::size_t i = 0; i < list.size(); ++i) {
            const std::string item_path = alpn_path + "/" + std::to_string(i);
            std::string id = as_string(list[i], item_path);
            if (id.empty() || id.size() > 255) {
                fail(item_path, "an ALPN protocol id is 1-255 bytes (RFC 7301 section 3.1)");
            }
            if (std::find(out.alpn.begin(), out.alpn.end(), id) != out.alpn.end()) {
                fail(item_path, "\"" + id + "\" is listed twice");
            }
            out.alpn.push_back(std::move(id));
        }
    }
    if (const json* http = obj.get("http")) {
        out.http = as_bool(*http, obj.path("http"));
    }
    if (const json* hc = obj.get("health_check")) {
        ObjectReader check(*hc, obj.path("health_check"));
        HealthCheckConfig config;
        if (const json* t = check.get("interval")) {
            config.interval = as_seconds(*t, check.path("interval"));
        }
        if (const json* t = check.get("timeout")) {
            config.timeout = as_seconds(*t, check.path("timeout"));
        }
        if (const json* n = check.get("fall")) {
            config.fall = static_cast<std::uint32_t>(as_count(*n, check.path("fall"), 1, 1000));
        }
        if (const json* n = check.get("rise")) {
            config.rise = static_cast<std::uint32_t>(as_count(*n, check.path("rise"), 1, 1000));
        }
        check.finish();
        out.health_check = config;
    }
    if (const json* ca = obj.get("client_ca")) {
        out.client_ca_path = join_path(base_dir, as_string(*ca, obj.path("client_ca")));
        if (out.client_ca_path.empty()) {
            fail(obj.path("client_ca"), "must not be empty");
        }
    }
    obj.finish();
    return out;
}

Timeouts parse_timeouts(const json& v, const std::string& path) {
    ObjectReader obj(v, path);
    Timeouts out;
    if (const json* t = obj.get("handshake")) {
        out.handshake = as_seconds(*t, obj.path("handshake"));
    }
    if (const json* t = obj.get("idle")) {
        out.idle = as_seconds(*t, obj.path("idle"));
    }
    if (const json* t = obj.get("connect")) {
        out.connect = as_seconds(*t, obj.path("connect"));
    }
    obj.finish();
    return out;
}

Limits parse_limits(const json& v, const std::string& path) {
    ObjectReader obj(v, path);
    Limits out;
    if (const json* m = obj.get("max_connections")) {
        out.max_connections = as_count(*m, obj.path("max_connections"), 1, 10'000'000);
    }
    if (const json* b = obj.get("buffer_bytes")) {
        out.buffer_bytes = as_count(*b, obj.path("buffer_bytes"), 4096, 64ULL * 1024 * 1024);
    }
    obj.finish();
    return out;
}

Config parse_root(const json& root, std::string_view base_dir) {
    ObjectReader obj(root, "");
    Config config;
    if (const json* schema = obj.get("$schema")) {
        (void)as_string(*schema, obj.path("$schema"));  // editors' hint; no meaning here
    }
    const json& listeners = as_array(obj.require("listeners"), "/listeners", false);
    for (std::size_t i = 0; i < listeners.size(); ++i) {
        config.listeners.push_back(parse_listener(listeners[i], "/listeners/" + std::to_string(i)));
    }
    if (const json* certs = obj.get("certificates")) {
        const json& list = as_array(*certs, "/certificates", true);
        for (std::size_t i = 0; i < list.size(); ++i) {
            config.certificates.push_back(
                parse_certificate(list[i], "/certificates/" + std::to_string(i), base_dir));
        }
    }
    const json& routes = as_array(obj.require("routes"), "/routes", false);
    std::set<std::string> route_names;
    std::set<std::string> patterns;
    for (std::size_t i = 0; i < routes.size(); ++i) {
        const std::string path = "/routes/" + std::to_string(i);
        RouteConfig route = parse_route(routes[i], path, base_dir);
        if (!route_names.insert(route.name).second) {
            fail(path + "/name", "route name \"" + route.name + "\" is used twice");
        }
        for (std::size_t j = 0; j < route.sni.size(); ++j) {
            if (!patterns.insert(route.sni[j]).second) {
                fail(path + "/sni/" + std::to_string(j),
                     "SNI pattern \"" + route.sni[j] + "\" already belongs to another route");
            }
        }
        config.routes.push_back(std::move(route));
    }
    if (const json* d = obj.get("default_route")) {
        const std::string name = as_string(*d, "/default_route");
        const auto it = std::find_if(config.routes.begin(), config.routes.end(),
                                     [&](const RouteConfig& r) { return r.name == name; });
        if (it == config.routes.end()) {
            fail("/default_route", "no route is named \"" + name + "\"");
        }
        config.default_route = static_cast<std::size_t>(it - config.routes.begin());
    }
    if (const json* t = obj.get("timeouts")) {
        config.timeouts = parse_timeouts(*t, "/timeouts");
    }
    if (const json* l = obj.get("limits")) {
        config.limits = parse_limits(*l, "/limits");
    }
    if (const json* w = obj.get("workers")) {
        if (w->is_string() && w->get<std::string>() == "auto") {
            config.workers = 0;
        } else if (w->is_number_integer()) {
            config.workers = as_count(*w, "/workers", 1, 256);
        } else {
            fail("/workers", "expected an integer 1-256 or \"auto\", got " + describe(*w));
        }
    }
    if (const json* t = obj.get("tls")) {
        ObjectReader tls(*t, "/tls");
        if (const json* v = tls.get("min_version")) {
            const std::string text = as_string(*v, tls.path("min_version"));
            if (text != "1.2" && text != "1.3") {
                fail(tls.path("min_version"), "\"" + text + "\" is not one of 1.2, 1.3");
            }
            config.tls.tls13_only = text == "1.3";
        }
        if (const json* v = tls.get("ciphers")) {
            config.tls.ciphers = as_string(*v, tls.path("ciphers"));
        }
        if (const json* v = tls.get("ciphersuites")) {
            config.tls.ciphersuites = as_string(*v, tls.path("ciphersuites"));
        }
        if (const json* v = tls.get("groups")) {
            const std::string groups_path = tls.path("groups");
            const json& list = as_array(*v, groups_path, false);
            std::string joined;
            for (std::size_t i = 0; i < list.size(); ++i) {
                const std::string group = as_string(list[i], groups_path + "/" + std::to_string(i));
                if (group.empty() || group.find(':') != std::string::npos) {
                    fail(groups_path + "/" + std::to_string(i), "not a group name");
                }
                joined += (joined.empty() ? "" : ":") + group;
            }
            config.tls.groups = joined;
        }
        tls.finish();
    }
    if (const json* t = obj.get("session_tickets")) {
        ObjectReader tickets(*t, "/session_tickets");
        if (const json* e = tickets.get("enabled")) {
            config.session_tickets.enabled = as_bool(*e, tickets.path("enabled"));
        }
        if (const json* r = tickets.get("rotation")) {
            config.session_tickets.rotation = as_seconds(*r, tickets.path("rotation"));
            if (config.session_tickets.rotation < std::chrono::seconds(1)) {
                fail(tickets.path("rotation"), "must be at least 1 second");
            }
        }
        tickets.finish();
    }
    if (const json* m = obj.get("metrics")) {
        ObjectReader metrics(*m, "/metrics");
        config.metrics = as_endpoint(metrics.require("address"), metrics.path("address"));
        metrics.finish();
    }
    if (const json* level = obj.get("log_level")) {
        const std::string text = as_string(*level, "/log_level");
        auto parsed = platform::parse_log_level(text);
        if (!parsed) {
            fail("/log_level", "\"" + text + "\" is not one of error, warn, info, debug, trace");
        }
        config.log_level = *parsed;
    }
    if (const json* u = obj.get("user")) {
        config.user = as_string(*u, "/user");
        if (config.user.empty()) {
            fail("/user", "must not be empty");
        }
    }
    if (const json* g = obj.get("group")) {
        config.group = as_string(*g, "/group");
        if (config.group.empty() || config.user.empty()) {
            fail("/group", "needs a non-empty group and \"user\"");
        }
    }
    obj.finish();

    const bool any_tls = std::any_of(config.listeners.begin(), config.listeners.end(),
                                     [](const ListenerConfig& l) { return !l.http_redirect; });
    if (!any_tls) {
        fail("/listeners", "at least one listener must be a TLS listener (no http_redirect)");
    }
    if (config.certificates.empty()) {
        fail("/certificates", "at least one certificate is needed to terminate TLS");
    }
    return config;
}

bool valid_label(std::string_view label) {
    if (label.empty() || label.size() > 63) {
        return false;
    }
    return std::all_of(label.begin(), label.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

}  // namespace

std::optional<Endpoint> parse_endpoint(std::string_view text) {
    std::string_view host;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            return std::nullopt;
        }
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
        if (!net::Ipv6Address::parse(host)) {
            return std::nullopt;
        }
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) {
            return std::nullopt;
        }
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            return std::nullopt;  // bare IPv6 needs brackets
        }
    }
    if (host.empty() || port.empty() || port.size() > 5) {
        return std::nullopt;
    }
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535) {
        return std::nullopt;
    }
    for (const char c : host) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == '/' || c == '[' || c == ']') {
            return std::nullopt;
        }
    }
    return Endpoint{std::string(host), static_cast<std::uint16_t>(value)};
}

std::optional<std::string> canonical_host_pattern(std::string_view text) {
    std::string name(text);
    std::transform(name.begin(), name.end(), name.begin(), [](char c) {
        return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    });
    if (!name.empty() && name.back() == '.') {
        name.pop_back();
    }
    if (name.empty() || name.size() > 253) {
        return std::nullopt;
    }
    std::string_view rest = name;
    if (rest.starts_with("*.")) {
        rest.remove_prefix(2);
        if (rest.empty()) {
            return std::nullopt;
        }
    }
    while (true) {
        const auto dot = rest.find('.');
        if (!valid_label(rest.substr(0, dot))) {
            return std::nullopt;
        }
        if (dot == std::string_view::npos) {
            break;
        }
        rest.remove_prefix(dot + 1);
    }
    return name;
}

Result<Config, ConfigError> parse_config(std::string_view text, std::string_view source,
                                         std::string_view base_dir) {
    const std::string prefix = std::string(source) + ": ";
    json root;
    try {
        root = json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {
        return Unexpected(ConfigError{prefix + "invalid JSON: " + e.what()});
    }
    try {
        Config config = parse_root(root, base_dir);
        config.source = std::string(source);
        return config;
    } catch (const Failure& f) {
        return Unexpected(ConfigError{prefix + f.path + ": " + f.what});
    } catch (const json::exception& e) {
        return Unexpected(ConfigError{prefix + e.what()});
    }
}

Result<Config, ConfigError> load_config(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Unexpected(ConfigError{path + ": cannot open the config file"});
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        return Unexpected(ConfigError{path + ": cannot read the config file"});
    }
    const auto slash = path.rfind('/');
    const std::string base_dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
    return parse_config(text.str(), path, base_dir);
}

}  // namespace nfv::tls_proxy
