#include "server/management.hpp"

#include <csignal>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::vpn::server {
namespace {

class FakeBackend final : public ManagementBackend {
public:
    std::string status_text(int version) override {
        versions.push_back(version);
        return "OpenVPN CLIENT LIST\nEND\n";
    }
    std::size_t kill(std::string_view target) override {
        killed.emplace_back(target);
        return target == "client1" || target == "10.0.0.2:1194" ? 1 : 0;
    }
    LoadStats load_stats() override { return {2, 100, 200}; }
    void signal(int number) override { signals.push_back(number); }
    std::string state_line() override { return "1796340060,CONNECTED,SUCCESS,10.8.0.1,,,,"; }
    std::string version() override { return "nfv-vpn 0.1.0"; }

    std::vector<int> versions;
    std::vector<std::string> killed;
    std::vector<int> signals;
};

TEST(Management, GreetsLikeOpenVpnAndAnswersStatusInCrLfLines) {
    FakeBackend backend;
    ManagementSession session(backend, std::nullopt);
    EXPECT_EQ(session.greeting(),
              ">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info\r\n");
    EXPECT_EQ(session.on_bytes("status\n"), "OpenVPN CLIENT LIST\r\nEND\r\n");
    EXPECT_EQ(session.on_bytes("status 3\r\n"), "OpenVPN CLIENT LIST\r\nEND\r\n");
    EXPECT_EQ(backend.versions, (std::vector<int>{1, 3}));
    EXPECT_EQ(session.on_bytes("status 9\n"), "ERROR: bad status format, must be 1, 2 or 3\r\n");
}

TEST(Management, CommandsMaySplitAcrossReads) {
    FakeBackend backend;
    ManagementSession session(backend, std::nullopt);
    EXPECT_EQ(session.on_bytes("load-st"), "");
    EXPECT_EQ(session.on_bytes("ats\nver"), "SUCCESS: nclients=2,bytesin=100,bytesout=200\r\n");
    EXPECT_EQ(session.on_bytes("sion\n"),
              "OpenVPN Version: nfv-vpn 0.1.0\r\nManagement Version: 5\r\nEND\r\n");
}

TEST(Management, KillByNameOrAddress) {
    FakeBackend backend;
    ManagementSession session(backend, std::nullopt);
    EXPECT_EQ(session.on_bytes("kill client1\n"),
              "SUCCESS: common name 'client1' found, 1 client(s) killed\r\n");
    EXPECT_EQ(session.on_bytes("kill nobody\n"), "ERROR: common name 'nobody' not found\r\n");
    EXPECT_EQ(session.on_bytes("kill 10.0.0.2:1194\n"),
              "SUCCESS: 1 client(s) at address 10.0.0.2:1194 killed\r\n");
    EXPECT_EQ(session.on_bytes("kill 10.0.0.9:1\n"),
              "ERROR: client at address 10.0.0.9:1 not found\r\n");
    EXPECT_EQ(backend.killed.size(), 4U);
}

TEST(Management, SignalsAreThrownAndOthersRefused) {
    FakeBackend backend;
    ManagementSession session(backend, std::nullopt);
    EXPECT_EQ(session.on_bytes("signal SIGUSR2\n"), "SUCCESS: signal SIGUSR2 thrown\r\n");
    EXPECT_EQ(session.on_bytes("signal SIGKILL\n"),
              "ERROR: signal must be one of SIGHUP, SIGTERM, SIGUSR1, SIGUSR2\r\n");
    EXPECT_EQ(backend.signals, (std::vector<int>{SIGUSR2}));
    EXPECT_NE(session.on_bytes("hold release\n").find("ERROR: unknown command [hold]"),
              std::string::npos);
}

TEST(Management, QuitClosesTheSession) {
    FakeBackend backend;
    ManagementSession session(backend, std::nullopt);
    EXPECT_EQ(session.on_bytes("quit\nstatus\n"), "");
    EXPECT_TRUE(session.closed());
    EXPECT_TRUE(backend.versions.empty()) << "nothing runs after quit";
}

TEST(Management, APasswordIsAskedFirst) {
    FakeBackend backend;
    ManagementSession session(backend, std::string("s3cret"));
    EXPECT_EQ(session.greeting(), "ENTER PASSWORD:");
    const auto reply = session.on_bytes("s3cret\n");
    EXPECT_EQ(reply.rfind("SUCCESS: password is correct\r\n>INFO:OpenVPN Management", 0), 0U);
    EXPECT_FALSE(session.closed());

    ManagementSession wrong(backend, std::string("s3cret"));
    EXPECT_EQ(wrong.on_bytes("guess\nstatus\n"), "ERROR: bad password\r\n");
    EXPECT_TRUE(wrong.closed());
    EXPECT_TRUE(backend.versions.empty());
}

TEST(Management, AnEndlessLineClosesTheConnection) {
    FakeBackend backend;
    ManagementSession session(backend, std::nullopt);
    const std::string flood(kMaxManagementLine + 10, 'a');
    EXPECT_EQ(session.on_bytes(flood), "ERROR: command line too long\r\n");
    EXPECT_TRUE(session.closed());
}

}  // namespace
}  // namespace nfv::vpn::server
