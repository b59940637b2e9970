#include "config/config_lexer.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::vpn::config {
namespace {

std::vector<std::string> tokens(std::string_view line) {
    auto split = split_line(line);
    EXPECT_TRUE(split) << line;
    return split ? *split : std::vector<std::string>{};
}

using Tokens = std::vector<std::string>;

TEST(SplitLine, SplitsOnWhitespace) {
    EXPECT_EQ(tokens("remote  vpn.example.com\t1194 udp\r\n"),
              (Tokens{"remote", "vpn.example.com", "1194", "udp"}));
}

TEST(SplitLine, CommentOnlyWhereATokenStarts) {
    EXPECT_EQ(tokens("# comment"), Tokens{});
    EXPECT_EQ(tokens("  ; comment"), Tokens{});
    EXPECT_EQ(tokens("remote a 1194 # the server"), (Tokens{"remote", "a", "1194"}));
    EXPECT_EQ(tokens("remote a;b c#d"), (Tokens{"remote", "a;b", "c#d"}));
    EXPECT_EQ(tokens("verb \"3\"#x"), (Tokens{"verb", "3"}));
}

TEST(SplitLine, DoubleQuotesGroupAndHonourEscapes) {
    EXPECT_EQ(tokens(R"(push "route 10.0.0.0 255.0.0.0")"),
              (Tokens{"push", "route 10.0.0.0 255.0.0.0"}));
    EXPECT_EQ(tokens(R"(setenv X "a \"b\" c\\d")"), (Tokens{"setenv", "X", R"(a "b" c\d)"}));
    EXPECT_EQ(tokens(R"(x "")"), (Tokens{"x", ""}));
    EXPECT_EQ(tokens(R"(x "a"b)"), (Tokens{"x", "a", "b"}));
}

TEST(SplitLine, SingleQuotesAreVerbatim) {
    EXPECT_EQ(tokens(R"(up 'C:\dir\up.bat "x"')"), (Tokens{"up", R"(C:\dir\up.bat "x")"}));
}

TEST(SplitLine, BackslashEscapesSpaceQuoteAndBackslash) {
    EXPECT_EQ(tokens(R"(ca my\ ca.crt)"), (Tokens{"ca", "my ca.crt"}));
    EXPECT_EQ(tokens(R"(ca c:\\ca.crt)"), (Tokens{"ca", R"(c:\ca.crt)"}));
    EXPECT_EQ(tokens(R"(x \"y)"), (Tokens{"x", "\"y"}));
}

TEST(SplitLine, RejectsOtherBackslashUse) {
    const auto split = split_line(R"(ca c:\ca.crt)");
    ASSERT_FALSE(split);
    EXPECT_NE(split.error().find("Bad backslash"), std::string::npos);
}

TEST(SplitLine, RejectsUnclosedQuotes) {
    EXPECT_FALSE(split_line("push \"route 10.0.0.0"));
    EXPECT_FALSE(split_line("up 'x"));
    EXPECT_FALSE(split_line("x y\\"));  // residual state: the escape has nothing to escape
}

TEST(SplitLine, LimitsTokensAndTokenLength) {
    EXPECT_TRUE(split_line("a b c d e f g h i j k l m n o p"));  // 16 tokens
    EXPECT_FALSE(split_line("a b c d e f g h i j k l m n o p q"));
    EXPECT_TRUE(split_line(std::string(kMaxTokenLength, 'x')));
    EXPECT_FALSE(split_line(std::string(kMaxTokenLength + 1, 'x')));
}

TEST(LexConfig, KeepsFileAndLineOfEachDirective) {
    const auto lexed = lex_config("client\n\n# c\ndev tun\r\n--proto udp\n", "c.ovpn");
    ASSERT_TRUE(lexed);
    ASSERT_EQ(lexed->size(), 3U);
    EXPECT_EQ((*lexed)[0], (Directive{"client", {}, false, "c.ovpn", 1}));
    EXPECT_EQ((*lexed)[1], (Directive{"dev", {"tun"}, false, "c.ovpn", 4}));
    EXPECT_EQ((*lexed)[2], (Directive{"proto", {"udp"}, false, "c.ovpn", 5}));
}

TEST(LexConfig, SkipsByteOrderMark) {
    const auto lexed = lex_config("\xEF\xBB\xBFverb 3\n", "x");
    ASSERT_TRUE(lexed);
    EXPECT_EQ(lexed->front().name, "verb");
}

TEST(LexConfig, ReadsInlineBlocksVerbatim) {
    const std::string text =
        "client\n"
        "<ca>\n"
        "-----BEGIN CERTIFICATE-----\n"
        "  MIIB # not a comment\n"
        "-----END CERTIFICATE-----\n"
        "  </ca> trailing text is ignored\n"
        "<tls-crypt>\r\n"
        "k\r\n"
        "</tls-crypt>\n"
        "verb 3\n";
    const auto lexed = lex_config(text, "c.ovpn");
    ASSERT_TRUE(lexed);
    ASSERT_EQ(lexed->size(), 4U);
    const Directive& ca = (*lexed)[1];
    EXPECT_EQ(ca.name, "ca");
    EXPECT_TRUE(ca.is_inline);
    EXPECT_EQ(ca.line, 2U);
    ASSERT_EQ(ca.args.size(), 1U);
    EXPECT_EQ(ca.args[0],
              "-----BEGIN CERTIFICATE-----\n  MIIB # not a comment\n-----END CERTIFICATE-----\n");
    EXPECT_EQ((*lexed)[2].args[0], "k\r\n");
    EXPECT_EQ((*lexed)[2].line, 7U);
    EXPECT_EQ((*lexed)[3].line, 10U);
}

TEST(LexConfig, MissingEndTagNamesBlockAndLine) {
    const auto lexed = lex_config("client\n<key>\nabc\n</ca>\n", "c.ovpn");
    ASSERT_FALSE(lexed);
    EXPECT_EQ(lexed.error(), (ConfigError{"c.ovpn", 2, "key", "end tag </key> missing"}));
}

TEST(LexConfig, TagWithArgumentsIsNotABlock) {
    const auto lexed = lex_config("<ca> x\n", "c");
    ASSERT_TRUE(lexed);
    EXPECT_FALSE(lexed->front().is_inline);
    EXPECT_EQ(lexed->front().name, "<ca>");
}

TEST(LexConfig, ErrorsCarryFileAndLine) {
    const auto lexed = lex_config("client\nremote \"x\n", "bad.conf");
    ASSERT_FALSE(lexed);
    EXPECT_EQ(lexed.error().file, "bad.conf");
    EXPECT_EQ(lexed.error().line, 2U);
    EXPECT_EQ(lexed.error().to_string(), "bad.conf:2: No closing quotation (\")");
}

TEST(LexConfig, RejectsOverlongLines) {
    // OpenVPN reads 256 bytes per line including the newline and rejects a full buffer.
    const std::string ok = "setenv X " + std::string(kMaxLineLength - 10, 'a') + "\n";
    const std::string too_long = "setenv X " + std::string(kMaxLineLength - 9, 'a') + "\n";
    EXPECT_TRUE(lex_config(ok, "x"));
    EXPECT_FALSE(lex_config(too_long, "x"));
}

TEST(LexCommandLine, SingleArgumentIsAConfigFile) {
    const std::vector<std::string> args{"client.ovpn"};
    const auto lexed = lex_command_line(args);
    ASSERT_TRUE(lexed);
    EXPECT_EQ(*lexed,
              (std::vector<Directive>{{"config", {"client.ovpn"}, false, "[CMD-LINE]", 1}}));
}

TEST(LexCommandLine, EachDoubleDashStartsADirective) {
    const std::vector<std::string> args{"--config", "c.ovpn", "--verb", "4",
                                        "--remote", "h",      "1194",   "--nobind"};
    const auto lexed = lex_command_line(args);
    ASSERT_TRUE(lexed);
    ASSERT_EQ(lexed->size(), 4U);
    EXPECT_EQ((*lexed)[1].name, "verb");
    EXPECT_EQ((*lexed)[2].args, (std::vector<std::string>{"h", "1194"}));
    EXPECT_TRUE((*lexed)[3].args.empty());
}

TEST(LexCommandLine, RejectsArgumentWithoutLeadingDashes) {
    const std::vector<std::string> args{"verb", "4"};
    const auto lexed = lex_command_line(args);
    ASSERT_FALSE(lexed);
    EXPECT_EQ(lexed.error().file, "[CMD-LINE]");
}

}  // namespace
}  // namespace nfv::vpn::config
