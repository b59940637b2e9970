#include "config/listen_sockets.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace nfv::vpn::config {
namespace {

ParsedConfig parse(std::string text) {
    text = "mode server\ntls-server\nca c\ncert c\nkey k\n" + text;
    auto directives = lex_config(text, "s.conf");
    EXPECT_TRUE(directives);
    return parse_vpn_config(*directives);
}

std::vector<ListenSocket> sockets_of(const std::string& text) {
    const ParsedConfig parsed = parse(text);
    EXPECT_TRUE(parsed.diagnostics.ok());
    auto sockets = listen_sockets(parsed.config);
    EXPECT_TRUE(sockets) << (sockets ? std::string() : sockets.error().to_string());
    return sockets ? *sockets : std::vector<ListenSocket>{};
}

TEST(ListenSockets, DefaultIsAnyAddressOfTheProtocolFamily) {
    EXPECT_EQ(sockets_of(""), (std::vector<ListenSocket>{{"0.0.0.0", 1194, Transport::kUdp}}));
    EXPECT_EQ(sockets_of("proto tcp6\nport 443\n"),
              (std::vector<ListenSocket>{{"::", 443, Transport::kTcp}}));
    EXPECT_EQ(sockets_of("port 443\nlport 1195\n"),
              (std::vector<ListenSocket>{{"0.0.0.0", 1195, Transport::kUdp}}));
}

TEST(ListenSockets, BareLocalLinesFollowOpenVpn26TheLastWins) {
    // A unit file's --local after a config file's local replaces it, as with openvpn 2.6.
    EXPECT_EQ(sockets_of("local 127.0.0.1\nproto tcp\nlocal 10.0.0.1\n"),
              (std::vector<ListenSocket>{{"10.0.0.1", 1194, Transport::kTcp}}));
}

TEST(ListenSockets, PortOrProtocolMakesOneSocketPerLine) {
    EXPECT_EQ(sockets_of("port 1195\nlocal 10.0.0.1 1194 udp\nlocal 10.0.0.1 443 tcp-server\n"
                         "local ::1\nlocal fd00::1 1194 udp6\n"),
              (std::vector<ListenSocket>{{"10.0.0.1", 1194, Transport::kUdp},
                                         {"10.0.0.1", 443, Transport::kTcp},
                                         {"::1", 1195, Transport::kUdp},
                                         {"fd00::1", 1194, Transport::kUdp}}));
    // UDP and TCP may share a port.
    EXPECT_EQ(sockets_of("local 0.0.0.0 1194\nlocal 0.0.0.0 1194 tcp\n").size(), 2U);
}

TEST(ListenSockets, TheSameSocketTwiceNamesTheLine) {
    const ParsedConfig parsed = parse("local 10.0.0.1 1194 udp\nproto udp\nlocal 10.0.0.1 1194\n");
    const auto sockets = listen_sockets(parsed.config);
    ASSERT_FALSE(sockets);
    EXPECT_EQ(sockets.error().to_string(),
              "s.conf:8: local: 10.0.0.1 port 1194 udp is listed twice");
    // The parser reports it for a server, so --check-config finds it.
    ASSERT_EQ(parsed.diagnostics.errors.size(), 1U);
    EXPECT_EQ(parsed.diagnostics.errors[0], sockets.error());
}

TEST(ListenSockets, BadPortOrProtocolIsAConfigError) {
    EXPECT_FALSE(parse("local 10.0.0.1 70000\n").diagnostics.ok());
    EXPECT_FALSE(parse("local 10.0.0.1 1194 sctp\n").diagnostics.ok());
    EXPECT_FALSE(parse("local 10.0.0.1 1194 udp extra\n").diagnostics.ok());
}

TEST(ListenSockets, SeveralSocketsAreAServerFeature) {
    auto directives = lex_config(
        "client\ndev tun\nremote 10.0.0.1\nca c\ncert c\nkey k\nlocal 10.0.0.2 1194 udp\n",
        "c.conf");
    ASSERT_TRUE(directives);
    const ParsedConfig parsed = parse_vpn_config(*directives);
    ASSERT_FALSE(parsed.diagnostics.ok());
    EXPECT_EQ(parsed.diagnostics.errors[0].line, 7U);
}

}  // namespace
}  // namespace nfv::vpn::config
