#include "http_redirect.hpp"

#include <string>

#include <gtest/gtest.h>

namespace nfv::tls_proxy {
namespace {

TEST(HttpRedirect, WaitsForTheWholeHead) {
    EXPECT_EQ(http_redirect_response("GET / HTTP/1.1\r\nHost: a.test\r\n", 443), std::nullopt);
    EXPECT_EQ(http_redirect_response("", 443), std::nullopt);
}

TEST(HttpRedirect, RedirectsToHttpsKeepingPathAndDroppingPort) {
    const auto r = http_redirect_response(
        "GET /x/y?z=1 HTTP/1.1\r\nUser-Agent: t\r\nhost: A.test:80\r\n\r\n", 443);
    ASSERT_TRUE(r);
    EXPECT_EQ(*r,
              "HTTP/1.1 301 Moved Permanently\r\nLocation: https://A.test/x/y?z=1\r\n"
              "Content-Length: 0\r\nConnection: close\r\n\r\n");
}

TEST(HttpRedirect, AddsANonDefaultHttpsPort) {
    const auto r = http_redirect_response("HEAD / HTTP/1.0\r\nHost: [::1]:8080\r\n\r\n", 8443);
    ASSERT_TRUE(r);
    EXPECT_NE(r->find("Location: https://[::1]:8443/\r\n"), std::string::npos) << *r;
}

TEST(HttpRedirect, BadRequestsGet400) {
    for (const char* req : {"GET / HTTP/1.1\r\n\r\n",                        // no Host
                            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",  // two Hosts
                            "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",           // bad host
                            "GET /\r\nHost: a\r\n\r\n",                      // no version
                            "G3T / HTTP/1.1\r\nHost: a\r\n\r\n",             // bad method
                            "GET / HTTP/1.1\r\nbroken\r\n\r\n"}) {           // bad field
        SCOPED_TRACE(req);
        const auto r = http_redirect_response(req, 443);
        ASSERT_TRUE(r);
        EXPECT_TRUE(r->starts_with("HTTP/1.1 400 ")) << *r;
    }
    const std::string huge(kMaxRequestHead + 1, 'a');
    ASSERT_TRUE(http_redirect_response(huge, 443));
    EXPECT_TRUE(http_redirect_response(huge, 443)->starts_with("HTTP/1.1 400 "));
}

TEST(HttpRedirect, UnsafeTargetIsReplacedBySlash) {
    const auto r = http_redirect_response("GET http://evil/\x01 HTTP/1.1\r\nHost: a\r\n\r\n", 443);
    ASSERT_TRUE(r);
    EXPECT_NE(r->find("Location: https://a/\r\n"), std::string::npos) << *r;
}

TEST(HttpSimpleResponse, HasLengthAndClose) {
    EXPECT_EQ(http_simple_response(502, "Bad Gateway", "text/plain", "x"),
              "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: 1\r\n"
              "Connection: close\r\n\r\nx");
}

}  // namespace
}  // namespace nfv::tls_proxy
