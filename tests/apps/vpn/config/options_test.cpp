#include "config/options.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::vpn::config {
namespace {

FilteredDirectives filter_text(std::string_view text) {
    auto lexed = lex_config(text, "t.conf");
    EXPECT_TRUE(lexed);
    return filter_directives(*lexed);
}

std::vector<std::string> names(const std::vector<Directive>& directives) {
    std::vector<std::string> out;
    for (const auto& directive : directives) {
        out.push_back(directive.name);
    }
    return out;
}

TEST(OptionTable, IsSortedAndUnique) {
    const auto table = option_table();
    for (std::size_t i = 1; i < table.size(); ++i) {
        EXPECT_LT(table[i - 1].name, table[i].name) << table[i].name;
    }
}

TEST(OptionTable, EveryEntryIsConsistent) {
    for (const OptionSpec& spec : option_table()) {
        EXPECT_LE(spec.min_args, spec.max_args) << spec.name;
        EXPECT_LE(spec.max_args, kAnyArgs) << spec.name;
        if (spec.support != Support::kSupported) {
            EXPECT_FALSE(spec.note.empty()) << spec.name << " needs a reason";
        }
        EXPECT_EQ(find_option(spec.name), &spec);
    }
}

TEST(OptionTable, KnowsTheCommonDirectives) {
    for (const char* name : {"remote", "client", "tls-crypt", "tls-crypt-v2", "push", "server",
                             "data-ciphers", "auth-user-pass", "verify-x509-name"}) {
        const OptionSpec* spec = find_option(name);
        ASSERT_NE(spec, nullptr) << name;
        EXPECT_EQ(spec->support, Support::kSupported) << name;
    }
    EXPECT_EQ(find_option("no-such-option"), nullptr);
    EXPECT_EQ(find_option("ncp-disable")->support, Support::kRemoved);
}

TEST(FilterDirectives, KeepsSupportedDirectivesInOrder) {
    const auto filtered = filter_text("client\ndev tun\nremote a 1194 udp\nverb 3\n");
    EXPECT_TRUE(filtered.diagnostics.ok());
    EXPECT_TRUE(filtered.diagnostics.warnings.empty());
    EXPECT_EQ(names(filtered.directives),
              (std::vector<std::string>{"client", "dev", "remote", "verb"}));
}

TEST(FilterDirectives, UnknownDirectiveIsAnErrorWithFileLineAndName) {
    const auto filtered = filter_text("client\nfrobnicate 1\n");
    ASSERT_EQ(filtered.diagnostics.errors.size(), 1U);
    const ConfigError& error = filtered.diagnostics.errors.front();
    EXPECT_EQ(error.file, "t.conf");
    EXPECT_EQ(error.line, 2U);
    EXPECT_EQ(error.directive, "frobnicate");
}

TEST(FilterDirectives, ReportsEveryErrorNotJustTheFirst) {
    const auto filtered = filter_text("a1\nclient\na2\nverb\n");
    EXPECT_EQ(filtered.diagnostics.errors.size(), 3U);  // a1, a2, verb without its parameter
}

TEST(FilterDirectives, IgnoreUnknownOptionDowngradesLaterDirectivesOnly) {
    const auto filtered = filter_text(
        "block-outside-dns\n"
        "ignore-unknown-option block-outside-dns --frob\n"
        "block-outside-dns\n"
        "frob x y\n");
    ASSERT_EQ(filtered.diagnostics.errors.size(), 1U);
    EXPECT_EQ(filtered.diagnostics.errors[0].line, 1U);
    ASSERT_EQ(filtered.diagnostics.warnings.size(), 2U);
    EXPECT_EQ(filtered.diagnostics.warnings[0].directive, "block-outside-dns");
    EXPECT_EQ(filtered.diagnostics.warnings[1].directive, "frob");
}

TEST(FilterDirectives, SetenvOptMakesAnUnknownDirectiveAWarning) {
    const auto filtered = filter_text("setenv opt block-outside-dns\nsetenv opt verb 4\n");
    EXPECT_TRUE(filtered.diagnostics.ok());
    ASSERT_EQ(filtered.diagnostics.warnings.size(), 1U);
    EXPECT_EQ(filtered.diagnostics.warnings[0].directive, "block-outside-dns");
    // A known directive behind setenv opt is applied like any other.
    ASSERT_EQ(filtered.directives.size(), 1U);
    EXPECT_EQ(filtered.directives[0], (Directive{"verb", {"4"}, false, "t.conf", 2}));
}

TEST(FilterDirectives, ForwardCompatibleMakesLaterUnknownsWarnings) {
    const auto filtered = filter_text("x1\nsetenv FORWARD_COMPATIBLE 1\nx2\n");
    ASSERT_EQ(filtered.diagnostics.errors.size(), 1U);
    EXPECT_EQ(filtered.diagnostics.errors[0].directive, "x1");
    EXPECT_EQ(filtered.diagnostics.warnings.size(), 1U);
}

TEST(FilterDirectives, WrongParameterCountIsAnError) {
    const auto filtered = filter_text("remote\nkeepalive 10\nnobind 1\n");
    EXPECT_EQ(filtered.diagnostics.errors.size(), 3U);
    EXPECT_TRUE(filtered.directives.empty());
}

TEST(FilterDirectives, UnsupportedAndRemovedDirectivesAreErrorsWithReasons) {
    const auto filtered = filter_text("fragment 1300\nncp-disable\n");
    ASSERT_EQ(filtered.diagnostics.errors.size(), 2U);
    EXPECT_NE(filtered.diagnostics.errors[0].message.find("mssfix"), std::string::npos);
    EXPECT_NE(filtered.diagnostics.errors[1].message.find("2.6"), std::string::npos);
}

TEST(FilterDirectives, IgnoredDirectivesWarnByName) {
    const auto filtered = filter_text("tun-ipv6\nmute-replay-warnings\n");
    EXPECT_TRUE(filtered.diagnostics.ok());
    EXPECT_EQ(filtered.diagnostics.warnings.size(), 2U);
    EXPECT_TRUE(filtered.directives.empty());
}

TEST(FilterDirectives, InlineBlocksOnlyWhereAllowed) {
    const auto filtered = filter_text("<ca>\nx\n</ca>\n<verb>\n3\n</verb>\n");
    ASSERT_EQ(filtered.diagnostics.errors.size(), 1U);
    EXPECT_EQ(filtered.diagnostics.errors[0].directive, "verb");
    ASSERT_EQ(filtered.directives.size(), 1U);
    EXPECT_TRUE(filtered.directives[0].is_inline);
}

}  // namespace
}  // namespace nfv::vpn::config
