#include "dns/upstream_selector.hpp"

#include <gtest/gtest.h>

namespace nfv::dnsvizor::dns {
namespace {

net::IpAddress ip(std::string_view text) {
    return *net::IpAddress::parse(text);
}

ServerRule rule(std::vector<std::string> domains, ServerRule::Kind kind,
                std::optional<std::string_view> address = std::nullopt,
                std::uint16_t port = kDefaultPort) {
    ServerRule r;
    r.domains = std::move(domains);
    r.kind = kind;
    if (address) {
        r.address = ip(*address);
    }
    r.port = port;
    return r;
}

TEST(UpstreamSelector, NothingConfiguredIsNoServer) {
    const UpstreamSelector selector;
    EXPECT_EQ(selector.select("example.com").kind, UpstreamChoice::Kind::kNoServer);
}

TEST(UpstreamSelector, DefaultsAreServerLinesThenResolvConfWithoutDuplicates) {
    UpstreamSelector selector({rule({}, ServerRule::Kind::kForward, "10.0.0.1", 5353)});
    selector.set_default_upstreams(
        {Upstream{ip("192.0.2.1"), 53, ""}, Upstream{ip("10.0.0.1"), 5353, ""}});
    const auto choice = selector.select("example.com");
    EXPECT_EQ(choice.kind, UpstreamChoice::Kind::kForward);
    EXPECT_FALSE(choice.domain_specific);
    EXPECT_EQ(choice.upstreams, (std::vector<Upstream>{Upstream{ip("10.0.0.1"), 5353, ""},
                                                       Upstream{ip("192.0.2.1"), 53, ""}}));
}

TEST(UpstreamSelector, MostSpecificDomainWinsAndLocalOnly) {
    UpstreamSelector selector({rule({"example.com"}, ServerRule::Kind::kForward, "10.0.0.1"),
                               rule({"in.example.com"}, ServerRule::Kind::kLocalOnly),
                               rule({"x.in.example.com"}, ServerRule::Kind::kUseDefault)});
    selector.set_default_upstreams({Upstream{ip("192.0.2.1"), 53, ""}});
    EXPECT_EQ(selector.select("www.example.com").upstreams,
              (std::vector<Upstream>{Upstream{ip("10.0.0.1"), 53, ""}}));
    EXPECT_EQ(selector.select("a.in.example.com").kind, UpstreamChoice::Kind::kLocalOnly);
    const auto use_default = selector.select("y.x.in.example.com");
    EXPECT_TRUE(use_default.domain_specific);
    EXPECT_EQ(use_default.upstreams, (std::vector<Upstream>{Upstream{ip("192.0.2.1"), 53, ""}}));
    EXPECT_TRUE(selector.has_domain_rule("in.example.com"));
    EXPECT_FALSE(selector.has_domain_rule("example.org"));
}

TEST(UpstreamSelector, UseDefaultWithoutDefaultsIsNoServer) {
    const UpstreamSelector selector({rule({"lan"}, ServerRule::Kind::kUseDefault)});
    EXPECT_EQ(selector.select("x.lan").kind, UpstreamChoice::Kind::kNoServer);
}

}  // namespace
}  // namespace nfv::dnsvizor::dns
