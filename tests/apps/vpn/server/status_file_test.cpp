#include "server/status_file.hpp"

#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::vpn::server {
namespace {

// The expected texts are the shape openvpn 2.6.14 writes (captured from a real server with one
// client; the interop test compares the live files too). Times in UTC for repeatability.
class StatusFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        ::setenv("TZ", "UTC", 1);
        ::tzset();
    }

    static std::vector<ClientSnapshot> one_client() {
        ClientSnapshot client;
        client.peer_id = 0;
        client.common_name = "client1";
        client.real_address = "10.79.0.2:41689";
        client.virtual_ipv4 = net::Ipv4Address::parse("10.8.0.2").value();
        client.virtual_ipv6 = net::Ipv6Address::parse("fddd:1194:1194:1194::1000").value();
        client.iroutes = {"192.168.1.0/24"};
        client.bytes_received = 2593;
        client.bytes_sent = 2685;
        client.connected_since = 1796340551;  // 2026-12-03 23:29:11
        client.last_ref = 1796340552;
        client.cipher = "AES-256-GCM";
        return {client};
    }
};

TEST_F(StatusFileTest, VersionOneIsOpenVpnsClientListAndRoutingTable) {
    const auto text = format_status({1, "nfv-vpn 0.1.0", 1796340554}, one_client());
    EXPECT_EQ(text,
              "OpenVPN CLIENT LIST\n"
              "Updated,2026-12-03 23:29:14\n"
              "Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since\n"
              "client1,10.79.0.2:41689,2593,2685,2026-12-03 23:29:11\n"
              "ROUTING TABLE\n"
              "Virtual Address,Common Name,Real Address,Last Ref\n"
              "fddd:1194:1194:1194::1000,client1,10.79.0.2:41689,2026-12-03 23:29:12\n"
              "10.8.0.2,client1,10.79.0.2:41689,2026-12-03 23:29:12\n"
              "192.168.1.0/24,client1,10.79.0.2:41689,2026-12-03 23:29:12\n"
              "GLOBAL STATS\n"
              "Max bcast/mcast queue length,0\n"
              "END\n");
}

TEST_F(StatusFileTest, VersionTwoHasTheColumnsMonitoringToolsParse) {
    const auto text = format_status({2, "nfv-vpn 0.1.0", 1796340562}, one_client());
    EXPECT_EQ(text,
              "TITLE,nfv-vpn 0.1.0\n"
              "TIME,2026-12-03 23:29:22,1796340562\n"
              "HEADER,CLIENT_LIST,Common Name,Real Address,Virtual Address,Virtual IPv6 "
              "Address,Bytes Received,Bytes Sent,Connected Since,Connected Since "
              "(time_t),Username,Client ID,Peer ID,Data Channel Cipher\n"
              "CLIENT_LIST,client1,10.79.0.2:41689,10.8.0.2,fddd:1194:1194:1194::1000,2593,2685,"
              "2026-12-03 23:29:11,1796340551,UNDEF,0,0,AES-256-GCM\n"
              "HEADER,ROUTING_TABLE,Virtual Address,Common Name,Real Address,Last Ref,Last Ref "
              "(time_t)\n"
              "ROUTING_TABLE,fddd:1194:1194:1194::1000,client1,10.79.0.2:41689,2026-12-03 "
              "23:29:12,1796340552\n"
              "ROUTING_TABLE,10.8.0.2,client1,10.79.0.2:41689,2026-12-03 23:29:12,1796340552\n"
              "ROUTING_TABLE,192.168.1.0/24,client1,10.79.0.2:41689,2026-12-03 "
              "23:29:12,1796340552\n"
              "GLOBAL_STATS,Max bcast/mcast queue length,0\n"
              "GLOBAL_STATS,dco_enabled,0\n"
              "END\n");
}

TEST_F(StatusFileTest, VersionThreeIsVersionTwoWithTabs) {
    const auto two = format_status({2, "t", 1796340562}, one_client());
    const auto three = format_status({3, "t", 1796340562}, one_client());
    std::string expected = two;
    for (auto& c : expected) {
        if (c == ',') {
            c = '\t';
        }
    }
    EXPECT_EQ(three, expected);
}

TEST_F(StatusFileTest, NoClientsStillWritesEveryHeader) {
    const auto text = format_status({2, "t", 0}, {});
    EXPECT_NE(text.find("HEADER,CLIENT_LIST,"), std::string::npos);
    EXPECT_NE(text.find("HEADER,ROUTING_TABLE,"), std::string::npos);
    EXPECT_EQ(text.find("\nCLIENT_LIST,"), std::string::npos);
    EXPECT_TRUE(text.ends_with("END\n"));
}

TEST_F(StatusFileTest, AClientWithoutIpv6LeavesThatColumnEmpty) {
    auto clients = one_client();
    clients[0].virtual_ipv6.reset();
    clients[0].iroutes.clear();
    const auto text = format_status({2, "t", 0}, clients);
    EXPECT_NE(text.find("CLIENT_LIST,client1,10.79.0.2:41689,10.8.0.2,,2593,"), std::string::npos)
        << text;
    EXPECT_EQ(text.find("ROUTING_TABLE,fddd"), std::string::npos);
}

}  // namespace
}  // namespace nfv::vpn::server
