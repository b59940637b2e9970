// to_json: --print-config output is valid JSON with normalised, typed values.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/invocation.hpp"

namespace nfv::dnsvizor::config {
namespace {

nlohmann::json print(std::string_view text) {
    auto config = parse_config_text(text, "c.conf");
    EXPECT_TRUE(config.has_value()) << (config ? "" : format(config.error()));
    return nlohmann::json::parse(to_json(config ? *config : DnsmasqConfig{}));
}

TEST(ConfigJson, TypedAndNormalised) {
    const auto json = print(
        "port=5353\nserver=/Example.COM/2001:0db8::0001#5300\nlisten-address=127.0.0.1\n"
        "cache-size=1000\nhost-record=NAS.lan,192.168.1.2\nlocal-service=host");
    EXPECT_EQ(json["dns"]["listen"]["port"], 5353);
    EXPECT_EQ(json["dns"]["listen"]["local_service"], "host");
    EXPECT_EQ(json["dns"]["listen"]["listen_addresses"][0], "127.0.0.1");
    const auto& server = json["dns"]["upstream"]["servers"][0];
    EXPECT_EQ(server["domains"][0], "example.com");
    EXPECT_EQ(server["address"], "2001:db8::1");
    EXPECT_EQ(server["port"], 5300);
    EXPECT_EQ(server["kind"], "forward");
    EXPECT_EQ(json["dns"]["cache"]["size"], 1000);
    EXPECT_EQ(json["dns"]["local"]["host_records"][0]["names"][0], "nas.lan");
    EXPECT_TRUE(json["dns"]["local"]["host_records"][0]["ttl"].is_null());
}

TEST(ConfigJson, DhcpOptionsAndWarningsAreListed) {
    const auto json = print("dhcp-range=10.0.0.10,10.0.0.99,1h\ndnssec\n");
    ASSERT_EQ(json["dhcp"].size(), 1U);
    EXPECT_EQ(json["dhcp"][0]["name"], "dhcp-range");
    EXPECT_EQ(json["dhcp"][0]["value"], "10.0.0.10,10.0.0.99,1h");
    EXPECT_EQ(json["dhcp"][0]["where"]["line"], 1);
    ASSERT_EQ(json["warnings"].size(), 1U);
    EXPECT_EQ(json["warnings"][0]["option"], "dnssec");
    EXPECT_EQ(json["warnings"][0]["where"]["file"], "c.conf");
}

TEST(ConfigJson, RawRecordAsHexAndInvalidUtf8IsReplaced) {
    const auto json = print("dns-rr=x.lan,51,0A0b\ntxt-record=t.lan,\xff\xfe");
    EXPECT_EQ(json["dns"]["local"]["raw_records"][0]["rdata"], "0a0b");
    EXPECT_EQ(json["dns"]["local"]["txt_records"][0]["strings"].size(), 1U);
}

}  // namespace
}  // namespace nfv::dnsvizor::config
