#include "session/push_reply_builder.hpp"

#include <gtest/gtest.h>

#include "config/push_reply.hpp"

namespace nfv::vpn::session {
namespace {

TEST(PushReplyBuilder, PerClientOptionsFollowThePushListInOpenVpnOrder) {
    PushReplyParams params;
    params.options = {"route-gateway 10.8.0.1", "topology subnet"};
    params.ifconfig = {net::Ipv4Address({10, 8, 0, 2}), net::Ipv4Address({255, 255, 255, 0})};
    params.ifconfig_ipv6 = net::Ipv6Address::parse("fddd:1194:1194:1194::1000").value();
    params.ifconfig_ipv6_remote = net::Ipv6Address::parse("fddd:1194:1194:1194::1").value();
    params.peer_id = 0;
    params.cipher = "AES-256-GCM";
    params.cc_exit = true;
    params.tls_ekm = true;
    params.tun_mtu = 1500;
    const auto messages = build_push_reply(params);
    ASSERT_EQ(messages.size(), 1u);
    EXPECT_EQ(messages[0],
              "PUSH_REPLY,route-gateway 10.8.0.1,topology subnet,ifconfig-ipv6 "
              "fddd:1194:1194:1194::1000/64 fddd:1194:1194:1194::1,ifconfig 10.8.0.2 "
              "255.255.255.0,peer-id 0,cipher AES-256-GCM,protocol-flags cc-exit tls-ekm,"
              "tun-mtu 1500");
}

TEST(PushReplyBuilder, LongRepliesAreSplitWithPushContinuationAndReassemble) {
    PushReplyParams params;
    for (int i = 0; i < 100; ++i) {
        params.options.push_back("route 10." + std::to_string(i) + ".0.0 255.255.0.0");
    }
    params.cipher = "AES-256-GCM";
    const auto messages = build_push_reply(params, 300);
    ASSERT_GT(messages.size(), 1u);
    config::PushReplyAssembler assembler{config::PullPolicy{}};
    std::optional<config::PushedOptions> done;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        EXPECT_LE(messages[i].size(), 300u);
        EXPECT_EQ(messages[i].rfind(i + 1 == messages.size() ? ",push-continuation 1"
                                                             : ",push-continuation 2"),
                  messages[i].size() - 20);
        auto added = assembler.add(messages[i]);
        ASSERT_TRUE(added) << added.error().message;
        EXPECT_EQ(added->has_value(), i + 1 == messages.size());
        if (*added) {
            done = std::move(**added);
        }
    }
    ASSERT_TRUE(done);
    EXPECT_EQ(done->routes.size(), 100u);
    EXPECT_EQ(done->cipher, "AES-256-GCM");
}

}  // namespace
}  // namespace nfv::vpn::session
