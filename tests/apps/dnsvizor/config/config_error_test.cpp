#include "config/config_error.hpp"

#include <gtest/gtest.h>

namespace nfv::dnsvizor::config {
namespace {

TEST(ConfigErrorFormat, FileLineAndOption) {
    EXPECT_EQ(format(ConfigError{{"/etc/dnsmasq.conf", 12}, "port", "bad port"}),
              "/etc/dnsmasq.conf:12: option 'port': bad port");
}

TEST(ConfigErrorFormat, CommandLine) {
    EXPECT_EQ(format(ConfigError{{"", 3}, "server", "missing parameter"}),
              "command line: option 'server': missing parameter");
}

TEST(ConfigErrorFormat, WithoutOptionOrLine) {
    EXPECT_EQ(format(ConfigError{{"/x.conf", 0}, "", "cannot read"}), "/x.conf: cannot read");
}

TEST(ConfigErrorFormat, Warning) {
    EXPECT_EQ(format(ConfigWarning{{"a.conf", 1}, "dnssec", "not supported"}),
              "a.conf:1: option 'dnssec': warning: not supported");
}

}  // namespace
}  // namespace nfv::dnsvizor::config
