// Backend name resolution (c-ares) as Snapshot::build uses it.
#include "runtime/snapshot.hpp"

#include <algorithm>

#include <gtest/gtest.h>

namespace nfv::tls_proxy {
namespace {

TEST(ResolveEndpoint, NumericAddressesNeedNoLookup) {
    auto r = resolve_endpoint(Endpoint{"192.0.2.7", 8080});
    ASSERT_TRUE(r) << r.error();
    ASSERT_EQ(r->size(), 1U);
    EXPECT_EQ(r->front().to_string(), "192.0.2.7:8080");
}

TEST(ResolveEndpoint, HostNamesGoThroughCAresAndTheHostsFile) {
    // "localhost" is in /etc/hosts on every system we run on; c-ares reads it before any DNS.
    auto r = resolve_endpoint(Endpoint{"localhost", 8443});
    ASSERT_TRUE(r) << r.error();
    ASSERT_FALSE(r->empty());
    EXPECT_TRUE(std::any_of(r->begin(), r->end(), [](const auto& a) {
        return a.to_string() == "127.0.0.1:8443" || a.to_string() == "[::1]:8443";
    }));
}

}  // namespace
}  // namespace nfv::tls_proxy
