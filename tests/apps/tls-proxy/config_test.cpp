#include "config.hpp"

#include <string>

#include <gtest/gtest.h>

#include "test_certs.hpp"

namespace nfv::tls_proxy {
namespace {

constexpr const char* kMinimal = R"({
  "listeners": [{"address": "0.0.0.0:443"}, {"address": "[::]:80", "http_redirect": true}],
  "certificates": [{"names": ["A.Example.org", "*.example.org"], "chain": "a.pem", "key": "a.key"}],
  "routes": [
    {"name": "web", "sni": ["a.example.org"], "backends": ["10.0.0.2:8080", "backend.lan:80"],
     "proxy_protocol": "v2", "alpn": ["h2", "http/1.1"], "http": true,
     "client_ca": "clients.pem", "health_check": {"interval": 2, "fall": 4}},
    {"name": "echo", "sni": ["*.example.org"], "backends": ["[fd00::1]:7"]}
  ],
  "default_route": "echo",
  "timeouts": {"handshake": 2.5, "idle": 60, "connect": 1},
  "limits": {"max_connections": 500, "buffer_bytes": 65536},
  "session_tickets": {"enabled": false, "rotation": 7200},
  "workers": "auto",
  "tls": {"min_version": "1.3", "ciphersuites": "TLS_AES_256_GCM_SHA384", "groups": ["X25519", "P-256"]},
  "metrics": {"address": "127.0.0.1:9100"},
  "log_level": "debug"
})";

std::string error_of(std::string_view text) {
    auto r = parse_config(text, "cfg.json");
    return r ? std::string("<parsed>") : r.error().message;
}

TEST(Config, ParsesEveryField) {
    auto r = parse_config(kMinimal, "cfg.json", "/etc/nfv");
    ASSERT_TRUE(r) << r.error().message;
    const Config& c = *r;
    ASSERT_EQ(c.listeners.size(), 2U);
    EXPECT_EQ(c.listeners[0].address, (Endpoint{"0.0.0.0", 443}));
    EXPECT_FALSE(c.listeners[0].http_redirect);
    EXPECT_EQ(c.listeners[1].address, (Endpoint{"::", 80}));
    EXPECT_TRUE(c.listeners[1].http_redirect);
    ASSERT_EQ(c.certificates.size(), 1U);
    EXPECT_EQ(c.certificates[0].names,
              (std::vector<std::string>{"a.example.org", "*.example.org"}));
    EXPECT_EQ(c.certificates[0].chain_path, "/etc/nfv/a.pem");
    EXPECT_EQ(c.certificates[0].key_path, "/etc/nfv/a.key");
    ASSERT_EQ(c.routes.size(), 2U);
    EXPECT_EQ(c.routes[0].backends[1], (Endpoint{"backend.lan", 80}));
    EXPECT_EQ(c.routes[0].proxy_protocol, ProxyProtocol::kV2);
    EXPECT_EQ(c.routes[0].alpn, (std::vector<std::string>{"h2", "http/1.1"}));
    EXPECT_TRUE(c.routes[0].http);
    EXPECT_FALSE(c.routes[1].http);
    EXPECT_EQ(c.routes[0].client_ca_path, "/etc/nfv/clients.pem");
    EXPECT_EQ(c.routes[1].client_ca_path, "");
    ASSERT_TRUE(c.routes[0].health_check);
    EXPECT_EQ(c.routes[0].health_check->interval, std::chrono::seconds(2));
    EXPECT_EQ(c.routes[0].health_check->timeout, std::chrono::seconds(2));
    EXPECT_EQ(c.routes[0].health_check->fall, 4U);
    EXPECT_EQ(c.routes[0].health_check->rise, 2U);
    EXPECT_FALSE(c.routes[1].health_check);
    EXPECT_EQ(c.routes[1].proxy_protocol, ProxyProtocol::kNone);
    EXPECT_EQ(c.default_route, 1U);
    EXPECT_EQ(c.timeouts.handshake, std::chrono::milliseconds(2500));
    EXPECT_EQ(c.timeouts.idle, std::chrono::seconds(60));
    EXPECT_EQ(c.limits.max_connections, 500U);
    EXPECT_EQ(c.limits.buffer_bytes, 65536U);
    EXPECT_EQ(c.session_tickets.rotation, std::chrono::hours(2));
    EXPECT_FALSE(c.session_tickets.enabled);
    EXPECT_EQ(c.workers, 0U);
    EXPECT_TRUE(c.tls.tls13_only);
    EXPECT_EQ(c.tls.ciphersuites, "TLS_AES_256_GCM_SHA384");
    EXPECT_EQ(c.tls.groups, "X25519:P-256");
    EXPECT_EQ(c.tls.ciphers, TlsPolicy{}.ciphers);
    EXPECT_EQ(c.metrics, (Endpoint{"127.0.0.1", 9100}));
    EXPECT_EQ(c.log_level, platform::LogLevel::kDebug);
}

TEST(Config, UnknownKeyIsRejectedWithItsPath) {
    std::string text = kMinimal;
    text.replace(text.find("\"http\": true"), 12, "\"http\": true, \"colour\": 1");
    EXPECT_EQ(error_of(text), "cfg.json: /routes/0/colour: unknown key");
    EXPECT_EQ(error_of(R"({"listeners": [], "bogus": 1})"),
              "cfg.json: /listeners: must not be empty");
}

TEST(Config, UnknownTopLevelKeyIsRejected) {
    std::string text = kMinimal;
    text.replace(text.find("\"log_level\""), 11, "\"loglevel\"");
    EXPECT_EQ(error_of(text), "cfg.json: /loglevel: unknown key");
}

TEST(Config, MissingRequiredKeyNamesTheObject) {
    EXPECT_EQ(error_of(R"({"listeners": [{"http_redirect": true}]})"),
              "cfg.json: /listeners/0: missing required key \"address\"");
}

TEST(Config, RejectsBadValuesWithTheirPath) {
    std::string text = kMinimal;
    text.replace(text.find("10.0.0.2:8080"), 13, "10.0.0.2:99999");
    EXPECT_NE(error_of(text).find("/routes/0/backends/0"), std::string::npos) << error_of(text);

    text = kMinimal;
    text.replace(text.find("\"v2\""), 4, "\"v3\"");
    EXPECT_EQ(error_of(text),
              "cfg.json: /routes/0/proxy_protocol: \"v3\" is not one of none, v1, v2");

    text = kMinimal;
    text.replace(text.find("[\"*.example.org\"]"), 17, "[\"a.*.org\"]");
    EXPECT_NE(error_of(text).find("/routes/1/sni/0"), std::string::npos) << error_of(text);

    text = kMinimal;
    text.replace(text.find("2.5"), 3, "-1");
    EXPECT_NE(error_of(text).find("/timeouts/handshake"), std::string::npos);

    text = kMinimal;
    text.replace(text.find("65536"), 5, "1024");
    EXPECT_NE(error_of(text).find("/limits/buffer_bytes"), std::string::npos) << error_of(text);

    text = kMinimal;
    text.replace(text.find("\"echo\","), 7, "\"web\",");
    EXPECT_EQ(error_of(text), "cfg.json: /routes/1/name: route name \"web\" is used twice");
}

TEST(Config, DefaultRouteMustExist) {
    std::string text = kMinimal;
    text.replace(text.find("\"default_route\": \"echo\""), 23, "\"default_route\": \"nope\"");
    EXPECT_EQ(error_of(text), "cfg.json: /default_route: no route is named \"nope\"");
}

TEST(Config, SniPatternMayBelongToOneRouteOnly) {
    std::string text = kMinimal;
    text.replace(text.find("[\"*.example.org\"]"), 17, "[\"A.example.org.\"]");
    EXPECT_EQ(error_of(text),
              "cfg.json: /routes/1/sni/0: SNI pattern \"a.example.org\" already belongs to another "
              "route");
}

TEST(Config, InvalidJsonIsReported) {
    EXPECT_NE(error_of("{\"listeners\": [").find("cfg.json: invalid JSON"), std::string::npos);
    EXPECT_EQ(error_of("[]"), "cfg.json: /: expected an object, got an array");
}

TEST(Config, NeedsATlsListenerAndACertificate) {
    EXPECT_EQ(error_of(R"({"listeners": [{"address": "1.2.3.4:80", "http_redirect": true}],
                           "routes": [{"name": "r", "backends": ["1.1.1.1:1"]}]})"),
              "cfg.json: /listeners: at least one listener must be a TLS listener (no "
              "http_redirect)");
    EXPECT_EQ(error_of(R"({"listeners": [{"address": "1.2.3.4:443"}],
                           "routes": [{"name": "r", "backends": ["1.1.1.1:1"]}]})"),
              "cfg.json: /certificates: at least one certificate is needed to terminate TLS");
}

TEST(Config, LoadConfigNamesAMissingFile) {
    auto r = load_config("/nonexistent/dir/tls.json");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "/nonexistent/dir/tls.json: cannot open the config file");
}

TEST(Config, LoadConfigResolvesPathsAgainstTheConfigDirectory) {
    test::TempDir dir;
    const std::string path = dir.write("tls.json", kMinimal);
    auto r = load_config(path);
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(r->certificates[0].chain_path, dir.path() + "/a.pem");
    EXPECT_EQ(r->source, path);
}

TEST(Endpoint, ParsesHostPortForms) {
    EXPECT_EQ(parse_endpoint("a.b:1"), (Endpoint{"a.b", 1}));
    EXPECT_EQ(parse_endpoint("[::1]:65535"), (Endpoint{"::1", 65535}));
    EXPECT_FALSE(parse_endpoint("::1:80"));
    EXPECT_FALSE(parse_endpoint("host"));
    EXPECT_FALSE(parse_endpoint("host:0"));
    EXPECT_FALSE(parse_endpoint("host:65536"));
    EXPECT_FALSE(parse_endpoint(":80"));
    EXPECT_FALSE(parse_endpoint("[nothex]:80"));
    EXPECT_FALSE(parse_endpoint("host:8x"));
}

TEST(HostPattern, CanonicalisesAndValidates) {
    EXPECT_EQ(canonical_host_pattern("WWW.Example.ORG."), "www.example.org");
    EXPECT_EQ(canonical_host_pattern("*.example.org"), "*.example.org");
    EXPECT_FALSE(canonical_host_pattern("*"));
    EXPECT_FALSE(canonical_host_pattern("*.*.org"));
    EXPECT_FALSE(canonical_host_pattern("a.*.org"));
    EXPECT_FALSE(canonical_host_pattern("a..org"));
    EXPECT_FALSE(canonical_host_pattern(std::string(64, 'a') + ".org"));
    EXPECT_FALSE(canonical_host_pattern("bad name.org"));
    EXPECT_FALSE(canonical_host_pattern(""));
}

}  // namespace
}  // namespace nfv::tls_proxy

namespace nfv::tls_proxy {
namespace {

// The shipped examples must parse (their certificate files are only checked by --check-config).
TEST(Config, ShippedExamplesParse) {
    for (const char* name : {"web-frontend.json", "tcp-services.json"}) {
        SCOPED_TRACE(name);
        auto r = load_config(std::string(NFV_SOURCE_DIR "/configs/tls-proxy/") + name);
        ASSERT_TRUE(r) << r.error().message;
        EXPECT_GE(r->routes.size(), 2U);
    }
}

}  // namespace
}  // namespace nfv::tls_proxy
