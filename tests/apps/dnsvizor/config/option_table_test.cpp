// The option table: complete, consistent, and the source of --help.
#include "config/option_table.hpp"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace nfv::dnsvizor::config {
namespace {

TEST(OptionTable, NamesAreUnique) {
    std::set<std::string_view> seen;
    for (const auto& spec : all_options()) {
        EXPECT_TRUE(seen.insert(spec.name).second) << spec.name;
    }
    EXPECT_GE(seen.size(), 190U);  // dnsmasq 2.90 has about 190 long options
}

TEST(OptionTable, ContainsEveryOptionOfDnsmasqHelp) {
    // A sample across all groups, spelled as in `dnsmasq --help`.
    for (std::string_view name : {"listen-address",
                                  "address",
                                  "bogus-priv",
                                  "conf-file",
                                  "dhcp-range",
                                  "dhcp-host",
                                  "dhcp-hostsfile",
                                  "tag-if",
                                  "addn-hosts",
                                  "hostsdir",
                                  "dhcp-pxe-vendor",
                                  "mx-host",
                                  "use-stale-cache",
                                  "servers-file",
                                  "rev-server",
                                  "local",
                                  "fast-dns-retry",
                                  "dynamic-host",
                                  "caa-record",
                                  "dns-rr",
                                  "auth-zone",
                                  "nftset",
                                  "connmark-allowlist",
                                  "synth-domain",
                                  "dnssec-limits",
                                  "ra-param",
                                  "dumpmask",
                                  "umbrella",
                                  "no-ident",
                                  "cache-rr",
                                  "max-tcp-connections",
                                  "filter-rr",
                                  "dhcp-lease",
                                  "domain-suffix"}) {
        EXPECT_NE(find_option(name), nullptr) << name;
    }
    EXPECT_EQ(find_option("Port"), nullptr);  // exact, case-sensitive names
    EXPECT_EQ(find_option("nonsense"), nullptr);
}

TEST(OptionTable, ArgumentKindsFollowDnsmasq) {
    EXPECT_EQ(find_option("no-resolv")->arg, ArgKind::kNone);
    EXPECT_EQ(find_option("server")->arg, ArgKind::kRequired);
    EXPECT_EQ(find_option("cache-size")->arg, ArgKind::kOptional);
    EXPECT_EQ(find_option("log-queries")->arg, ArgKind::kOptional);
    EXPECT_EQ(find_option("port")->repeat, Repeat::kOnce);
    EXPECT_EQ(find_option("server")->repeat, Repeat::kMany);
}

TEST(OptionTable, WarningsAndErrorsCarryANote) {
    for (const auto& spec : all_options()) {
        const bool needs_note =
            spec.status == OptionStatus::kWarning || spec.status == OptionStatus::kError;
        EXPECT_EQ(!spec.note.empty(), needs_note) << spec.name;
        EXPECT_FALSE(spec.summary.empty()) << spec.name;
    }
}

TEST(OptionTable, DhcpGroupIsRoutedToDhcp) {
    for (const auto& spec : all_options()) {
        if (spec.name.substr(0, 5) == "dhcp-" && spec.name != "dhcp-ttl") {
            EXPECT_EQ(spec.status, OptionStatus::kDhcp) << spec.name;
        }
    }
    EXPECT_EQ(find_option("domain")->status, OptionStatus::kDhcp);
    EXPECT_EQ(find_option("enable-ra")->status, OptionStatus::kDhcp);
    EXPECT_EQ(find_option("dnssec")->status, OptionStatus::kWarning);
}

TEST(OptionTable, ShortFormsResolveToTheFirstSpelling) {
    EXPECT_EQ(find_short_option('l')->name, "dhcp-leasefile");
    EXPECT_EQ(find_short_option('s')->name, "domain");
    EXPECT_EQ(find_short_option('S')->name, "server");
    EXPECT_EQ(find_short_option('w')->name, "help");
    EXPECT_EQ(find_short_option('Q')->name, "query-port");
    EXPECT_EQ(find_short_option('!'), nullptr);
}

TEST(OptionTable, HelpTextListsEveryOptionWithItsStatus) {
    const std::string help = help_text();
    for (const auto& spec : all_options()) {
        EXPECT_NE(help.find("--" + std::string(spec.name)), std::string::npos) << spec.name;
    }
    EXPECT_NE(help.find("-S, --server=[/<domain>/]<ip>"), std::string::npos);
    EXPECT_NE(help.find("--dnssec"), std::string::npos);
    EXPECT_NE(help.find("(accepted, not supported yet)"), std::string::npos);
    EXPECT_NE(help.find("(not supported: rejected)"), std::string::npos);
}

}  // namespace
}  // namespace nfv::dnsvizor::config
