#include "dhcp/lease_script.hpp"

#include <gtest/gtest.h>

namespace nfv::dnsvizor::dhcp {
namespace {

Lease sample() {
    Lease lease;
    lease.address = net::Ipv4Address({192, 168, 1, 50});
    lease.hardware.bytes = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    lease.client_id = {0x01, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    lease.hostname = "laptop";
    lease.expires = platform::WallTime{1'700'003'600};
    return lease;
}

TEST(LeaseScript, ArgumentsAreActionMacAddressAndName) {
    const auto call = script_call("/usr/local/bin/on-lease", sample(), {"add", "lan", "", false},
                                  platform::WallTime{1'700'000'000});
    EXPECT_EQ(call.argv, (std::vector<std::string>{"/usr/local/bin/on-lease", "add",
                                                   "52:54:00:12:34:56", "192.168.1.50", "laptop"}));
    EXPECT_EQ(
        call.environment,
        (std::vector<std::string>{"DNSMASQ_LEASE_EXPIRES=1700003600", "DNSMASQ_TIME_REMAINING=3600",
                                  "DNSMASQ_CLIENT_ID=01:52:54:00:12:34:56", "DNSMASQ_DOMAIN=lan"}));
}

TEST(LeaseScript, NamelessInfiniteLeaseAndOldHostname) {
    auto lease = sample();
    lease.hostname.clear();
    lease.client_id.clear();
    lease.expires = platform::WallTime{0};
    const auto call =
        script_call("s", lease, {"old", "", "oldname", true}, platform::WallTime{1'700'000'000});
    EXPECT_EQ(call.argv.size(), 4U);
    EXPECT_EQ(call.environment,
              (std::vector<std::string>{"DNSMASQ_OLD_HOSTNAME=oldname", "DNSMASQ_LOG_DHCP=1"}));
}

}  // namespace
}  // namespace nfv::dnsvizor::dhcp
