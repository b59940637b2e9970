// The dnsmasq file and command-line syntax (reference §2.1), checked line by line; several
// expectations were taken from dnsmasq 2.90's own `--test` verdicts.
#include "config/reader.hpp"

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::dnsvizor::config {
namespace {

using Files = std::map<std::string, std::string>;

LexedLine lex(std::string_view line) {
    auto result = lex_config_line(line);
    EXPECT_TRUE(result.has_value()) << line;
    EXPECT_TRUE(result->has_value()) << line;
    return **result;
}

struct Read {
    std::vector<ReadOption> options;
    std::vector<std::string> files;
};

Result<Read, ConfigError> read_files(MemoryConfigFiles& files, std::vector<std::string_view> args,
                                     const std::string& default_file = "/etc/dnsmasq.conf") {
    ConfigReader reader(files);
    auto modes = reader.read_command_line(args, default_file);
    if (!modes) {
        return Unexpected(modes.error());
    }
    return Read{reader.options(), reader.files_read()};
}

std::vector<std::string> names(const std::vector<ReadOption>& options) {
    std::vector<std::string> out;
    for (const auto& option : options) {
        out.push_back(option.raw.name + (option.raw.has_value ? "=" + option.raw.value : ""));
    }
    return out;
}

TEST(ConfigLexer, BlankAndCommentLinesGiveNothing) {
    for (std::string_view line : {"", "   ", "\t", "# comment", "   # indented comment", "\r"}) {
        auto result = lex_config_line(line);
        ASSERT_TRUE(result.has_value());
        EXPECT_FALSE(result->has_value()) << "'" << line << "'";
    }
}

TEST(ConfigLexer, TrimsBlanksAndAllowsSpacesAroundEquals) {
    const auto line = lex("  port = 5353  ");
    EXPECT_EQ(line.name, "port");
    EXPECT_TRUE(line.has_value);
    EXPECT_EQ(line.value, "5353");
}

TEST(ConfigLexer, CommentNeedsLeadingBlank) {
    EXPECT_EQ(lex("bind-interfaces # x").name, "bind-interfaces");
    EXPECT_EQ(lex("bind-interfaces#x").name, "bind-interfaces#x");  // later "bad option"
    EXPECT_EQ(lex("domain=lan#x").value, "lan#x");
    EXPECT_EQ(lex("domain=lan #x").value, "lan");
}

TEST(ConfigLexer, QuotesHideCommentsAndCommas) {
    const auto line = lex(R"(txt-record=a.b,"x # y, z")");
    EXPECT_EQ(line.value, "a.b,x # y, z");
    ASSERT_EQ(line.quoted.size(), line.value.size());
    EXPECT_FALSE(line.quoted[3]);  // the separating comma
    EXPECT_TRUE(line.quoted[9]);   // the quoted comma
}

TEST(ConfigLexer, ProcessesEscapesInsideQuotes) {
    EXPECT_EQ(lex(R"(x="a\\b\"c\td\ne\bf\rg\eh")").value, "a\\b\"c\td\ne\bf\rg\033h");
    EXPECT_EQ(lex(R"(x="a\qb")").value, "a\\qb");  // unknown escape kept as is
    EXPECT_EQ(lex(R"(x=a\tb)").value, "a\\tb");    // no escapes outside quotes
}

TEST(ConfigLexer, UnterminatedQuoteIsAnError) {
    auto result = lex_config_line(R"(txt-record=a.b,"abc)");
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error(), "missing \"");
}

TEST(ConfigLexer, HashRightAfterClosingQuoteFollowsDnsmasq) {
    // dnsmasq looks at the character after a closing quote without the quote state: after
    // a blank before the opening quote, '#' there starts a comment.
    EXPECT_EQ(lex(R"(txt-record=a, "x"#y)").value, "a, x");
    EXPECT_EQ(lex(R"(txt-record=a,"x"#y)").value, "a,x#y");
}

TEST(ConfigLexer, QuotedBlanksAreNotTrimmed) {
    const auto line = lex(R"(dhcp-option=3," string ")");
    EXPECT_EQ(line.value, "3, string ");
}

TEST(ConfigLexer, FlagWithoutEqualsHasNoValue) {
    const auto line = lex("no-resolv");
    EXPECT_EQ(line.name, "no-resolv");
    EXPECT_FALSE(line.has_value);
    const auto empty = lex("domain=");
    EXPECT_TRUE(empty.has_value);
    EXPECT_EQ(empty.value, "");
}

TEST(ConfigLexer, StopsAtNulByte) {
    const std::string line("port=53\0junk", 12);
    EXPECT_EQ(lex(line).value, "53");
}

TEST(ConfigReader, UnknownOptionIsBadOptionWithFileAndLine) {
    MemoryConfigFiles files(Files{{"/c", "no-resolv\n\nbogus-thing=1\n"}});
    auto read = read_files(files, {"-C", "/c"});
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().where.file, "/c");
    EXPECT_EQ(read.error().where.line, 3U);
    EXPECT_EQ(read.error().option, "bogus-thing");
    EXPECT_EQ(read.error().message, "bad option");
}

TEST(ConfigReader, FlagWithValueIsExtraneousParameter) {
    MemoryConfigFiles files(Files{{"/c", "domain-needed=yes\n"}});
    auto read = read_files(files, {"-C", "/c"});
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().message, "extraneous parameter");
}

TEST(ConfigReader, MissingRequiredValueIsMissingParameter) {
    MemoryConfigFiles files(Files{{"/c", "server\n"}});
    auto read = read_files(files, {"-C", "/c"});
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().message, "missing parameter");
}

TEST(ConfigReader, OptionalValueMayBeAbsentInFiles) {
    MemoryConfigFiles files(Files{{"/c", "user\nlog-queries\n"}});
    auto read = read_files(files, {"-C", "/c"});
    ASSERT_TRUE(read.has_value()) << read.error().message;
    EXPECT_EQ(names(read->options), (std::vector<std::string>{"user", "log-queries"}));
}

TEST(ConfigReader, ShortNamesAreNotAcceptedInFiles) {
    MemoryConfigFiles files(Files{{"/c", "S=1.2.3.4\n"}});
    EXPECT_FALSE(read_files(files, {"-C", "/c"}).has_value());
}

TEST(ConfigReader, ConfFileIsReadInPlace) {
    MemoryConfigFiles files(
        Files{{"/main", "port=1\nconf-file=/inc\nno-resolv\n"}, {"/inc", "server=1.1.1.1\n"}});
    auto read = read_files(files, {"-C", "/main"});
    ASSERT_TRUE(read.has_value()) << read.error().message;
    EXPECT_EQ(names(read->options),
              (std::vector<std::string>{"port=1", "server=1.1.1.1", "no-resolv"}));
    EXPECT_EQ(read->options[1].raw.where.file, "/inc");
    EXPECT_EQ(read->options[1].raw.where.line, 1U);
}

TEST(ConfigReader, SameFileIsNeverReadTwice) {
    MemoryConfigFiles files(Files{{"/main", "conf-file=/inc\nconf-file=/inc\nconf-file=/main\n"},
                                  {"/inc", "server=1.1.1.1\n"}});
    auto read = read_files(files, {"-C", "/main"});
    ASSERT_TRUE(read.has_value()) << read.error().message;
    EXPECT_EQ(names(read->options), (std::vector<std::string>{"server=1.1.1.1"}));
}

TEST(ConfigReader, MissingIncludeNamesTheIncludingLine) {
    MemoryConfigFiles files(Files{{"/main", "\nconf-file=/nope\n"}});
    auto read = read_files(files, {"-C", "/main"});
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().where.file, "/main");
    EXPECT_EQ(read.error().where.line, 2U);
    EXPECT_NE(read.error().message.find("cannot read /nope"), std::string::npos);
}

TEST(ConfigReader, ConfDirReadsFilesInOrderSkippingBackupsAndDotFiles) {
    MemoryConfigFiles files(Files{{"/main", "conf-dir=/d\n"},
                                  {"/d/b.conf", "server=2.2.2.2\n"},
                                  {"/d/a.conf", "server=1.1.1.1\n"},
                                  {"/d/c.conf~", "server=9.9.9.1\n"},
                                  {"/d/.hidden", "server=9.9.9.2\n"},
                                  {"/d/#emacs#", "server=9.9.9.3\n"},
                                  {"/d/z.txt", "server=3.3.3.3\n"}});
    auto read = read_files(files, {"-C", "/main"});
    ASSERT_TRUE(read.has_value()) << read.error().message;
    EXPECT_EQ(names(read->options),
              (std::vector<std::string>{"server=1.1.1.1", "server=2.2.2.2", "server=3.3.3.3"}));
}

TEST(ConfigReader, ConfDirStarSuffixSelectsAndPlainSuffixExcludes) {
    MemoryConfigFiles files(Files{{"/d/a.conf", "server=1.1.1.1\n"},
                                  {"/d/b.txt", "server=2.2.2.2\n"},
                                  {"/d/c.bak", "server=3.3.3.3\n"},
                                  {"/d/d.conf", "server=4.4.4.4\n"}});
    auto selected = read_files(files, {"--conf-dir=/d,*.conf"}, "");
    ASSERT_TRUE(selected.has_value()) << selected.error().message;
    EXPECT_EQ(names(selected->options),
              (std::vector<std::string>{"server=1.1.1.1", "server=4.4.4.4"}));

    MemoryConfigFiles again(files);
    auto excluded = read_files(again, {"--conf-dir=/d, .bak ,.txt"}, "");
    ASSERT_TRUE(excluded.has_value()) << excluded.error().message;
    EXPECT_EQ(names(excluded->options),
              (std::vector<std::string>{"server=1.1.1.1", "server=4.4.4.4"}));
}

TEST(ConfigReader, ConfDirSuffixMustBeShorterThanTheName) {
    // dnsmasq requires the name to be longer than the suffix: a file called ".conf"-only is
    // a dot file anyway, "conf" against suffix "conf" does not match.
    MemoryConfigFiles files(
        Files{{"/d/conf", "server=1.1.1.1\n"}, {"/d/x.conf", "server=2.2.2.2\n"}});
    auto read = read_files(files, {"--conf-dir=/d,*conf"}, "");
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(names(read->options), (std::vector<std::string>{"server=2.2.2.2"}));
}

TEST(ConfigReader, ConfDirThatCannotBeListedIsAnError) {
    MemoryConfigFiles files;
    auto read = read_files(files, {"--conf-dir=/none"}, "");
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().option, "conf-dir");
}

TEST(ConfigReader, DefaultFileIsReadOnlyWithoutConfFile) {
    MemoryConfigFiles files(Files{{"/etc/dnsmasq.conf", "no-resolv\n"}, {"/other", "no-hosts\n"}});
    auto defaulted = read_files(files, {});
    ASSERT_TRUE(defaulted.has_value());
    EXPECT_EQ(names(defaulted->options), (std::vector<std::string>{"no-resolv"}));

    MemoryConfigFiles again(files);
    auto explicit_file = read_files(again, {"--conf-file=/other"});
    ASSERT_TRUE(explicit_file.has_value());
    EXPECT_EQ(names(explicit_file->options), (std::vector<std::string>{"no-hosts"}));
}

TEST(ConfigReader, MissingDefaultFileIsFineButMissingNamedFileIsNot) {
    MemoryConfigFiles files;
    EXPECT_TRUE(read_files(files, {}).has_value());
    auto named = read_files(files, {"-C", "/missing"});
    ASSERT_FALSE(named.has_value());
    EXPECT_TRUE(named.error().where.from_command_line());
}

TEST(ConfigReader, CommandLineComesBeforeFilesAndExtraConfFilesAreReadInPlace) {
    MemoryConfigFiles files(Files{{"/first", "server=1.1.1.1\n"}, {"/second", "server=2.2.2.2\n"}});
    auto read = read_files(files, {"-C", "/first", "-S", "3.3.3.3", "-C", "/second", "-k"});
    ASSERT_TRUE(read.has_value()) << read.error().message;
    EXPECT_EQ(names(read->options),
              (std::vector<std::string>{"server=3.3.3.3", "server=2.2.2.2", "keep-in-foreground",
                                        "server=1.1.1.1"}));
}

TEST(ConfigReader, LongFormsOnTheCommandLine) {
    MemoryConfigFiles files;
    auto read = read_files(files,
                           {"--port=5353", "--server", "1.1.1.1", "--log-queries=extra",
                            "--log-queries", "--no-resolv"},
                           "");
    ASSERT_TRUE(read.has_value()) << read.error().message;
    EXPECT_EQ(names(read->options),
              (std::vector<std::string>{"port=5353", "server=1.1.1.1", "log-queries=extra",
                                        "log-queries", "no-resolv"}));
    EXPECT_EQ(read->options[1].raw.where.line, 2U);  // argv index of "--server"
}

TEST(ConfigReader, OptionalValueNeedsEqualsOnTheCommandLine) {
    MemoryConfigFiles files;
    // getopt leaves "100" as a stray argument, which dnsmasq rejects as junk.
    auto read = read_files(files, {"--cache-size", "100"}, "");
    ASSERT_FALSE(read.has_value());
    EXPECT_NE(read.error().message.find("junk"), std::string::npos);
}

TEST(ConfigReader, ShortOptionsClustersAndAttachedValues) {
    MemoryConfigFiles files;
    auto read =
        read_files(files, {"-kd", "-p5353", "-c", "100", "-qS", "1.1.1.1", "-i", "eth0"}, "");
    ASSERT_TRUE(read.has_value()) << read.error().message;
    EXPECT_EQ(
        names(read->options),
        (std::vector<std::string>{"keep-in-foreground", "no-daemon", "port=5353", "cache-size=100",
                                  "log-queries", "server=1.1.1.1", "interface=eth0"}));
}

TEST(ConfigReader, ShortOptionMapping) {
    const std::vector<std::pair<std::string, std::string>> expected = {{"-a", "listen-address"},
                                                                       {"-A", "address"},
                                                                       {"-h", "no-hosts"},
                                                                       {"-H", "addn-hosts"},
                                                                       {"-I", "except-interface"},
                                                                       {"-l", "dhcp-leasefile"},
                                                                       {"-F", "dhcp-range"},
                                                                       {"-G", "dhcp-host"},
                                                                       {"-K", "dhcp-authoritative"},
                                                                       {"-N", "no-negcache"},
                                                                       {"-R", "no-resolv"},
                                                                       {"-r", "resolv-file"},
                                                                       {"-z", "bind-interfaces"},
                                                                       {"-b", "bogus-priv"},
                                                                       {"-f", "filterwin2k"},
                                                                       {"-E", "expand-hosts"},
                                                                       {"-T", "local-ttl"},
                                                                       {"-x", "pid-file"},
                                                                       {"-u", "user"},
                                                                       {"-g", "group"},
                                                                       {"-8", "log-facility"},
                                                                       {"-O", "dhcp-option"},
                                                                       {"-L", "localmx"},
                                                                       {"-n", "no-poll"},
                                                                       {"-o", "strict-order"},
                                                                       {"-D", "domain-needed"},
                                                                       {"-e", "selfmx"},
                                                                       {"-s", "domain"},
                                                                       {"-P", "edns-packet-max"},
                                                                       {"-0", "dns-forward-max"}};
    for (const auto& [flag, name] : expected) {
        const OptionSpec* spec = find_short_option(flag[1]);
        ASSERT_NE(spec, nullptr) << flag;
        EXPECT_EQ(spec->name, name) << flag;
    }
}

TEST(ConfigReader, UniqueLongPrefixIsAcceptedAmbiguousIsNot) {
    MemoryConfigFiles files;
    auto read = read_files(files, {"--no-resol", "--strict"}, "");
    ASSERT_TRUE(read.has_value()) << read.error().message;
    EXPECT_EQ(names(read->options), (std::vector<std::string>{"no-resolv", "strict-order"}));
    auto ambiguous = read_files(files, {"--no-"}, "");
    ASSERT_FALSE(ambiguous.has_value());
    EXPECT_NE(ambiguous.error().message.find("ambiguous"), std::string::npos);
}

TEST(ConfigReader, CommandLineErrors) {
    MemoryConfigFiles files;
    EXPECT_FALSE(read_files(files, {"--bogus"}, "").has_value());
    EXPECT_FALSE(read_files(files, {"--no-resolv=1"}, "").has_value());
    EXPECT_FALSE(read_files(files, {"--server"}, "").has_value());
    EXPECT_FALSE(read_files(files, {"-p"}, "").has_value());
    EXPECT_FALSE(read_files(files, {"-Y"}, "").has_value());
    EXPECT_FALSE(read_files(files, {"stray"}, "").has_value());
    EXPECT_TRUE(read_files(files, {" "}, "").has_value());  // blank stray arguments are fine
}

TEST(ConfigReader, SingleValuedOptionOncePerPlaceFileOverridesCommandLine) {
    MemoryConfigFiles files(Files{{"/c", "port=7\n"}, {"/twice", "port=1\nport=2\n"}});
    auto overridden = read_files(files, {"-C", "/c", "--port=1"});
    ASSERT_TRUE(overridden.has_value()) << overridden.error().message;
    EXPECT_EQ(names(overridden->options), (std::vector<std::string>{"port=1", "port=7"}));

    auto twice_in_file = read_files(files, {"-C", "/twice"});
    ASSERT_FALSE(twice_in_file.has_value());
    EXPECT_EQ(twice_in_file.error().message, "illegal repeated keyword");
    EXPECT_EQ(twice_in_file.error().where.line, 2U);

    auto twice_on_command_line = read_files(files, {"--port=1", "-p", "2"}, "");
    ASSERT_FALSE(twice_on_command_line.has_value());
    EXPECT_EQ(twice_on_command_line.error().message, "illegal repeated flag");
}

TEST(ConfigReader, RepeatedFlagsAndListsAreFine) {
    MemoryConfigFiles files(Files{{"/c", "no-hosts\nno-hosts\nserver=1.1.1.1\nserver=2.2.2.2\n"}});
    auto read = read_files(files, {"-C", "/c"});
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->options.size(), 4U);
}

TEST(ConfigReader, CommandLineOnlyOptionsInFilesAreIgnoredWithAWarning) {
    // dnsmasq 2.90 accepts "test", "help" and "version" lines in a file and ignores them.
    MemoryConfigFiles files(Files{{"/c", "test\nhelp\nversion\n"}});
    ConfigReader reader(files);
    std::vector<std::string_view> args = {"-C", "/c"};
    auto modes = reader.read_command_line(args, "");
    ASSERT_TRUE(modes.has_value());
    EXPECT_FALSE(modes->test);
    EXPECT_TRUE(reader.options().empty());
    ASSERT_EQ(reader.warnings().size(), 3U);
    EXPECT_EQ(reader.warnings()[0].option, "test");
}

TEST(ConfigReader, PrintConfigIsNotAFileOption) {
    MemoryConfigFiles files(Files{{"/c", "print-config\n"}});
    auto read = read_files(files, {"-C", "/c"});
    ASSERT_FALSE(read.has_value());
    EXPECT_EQ(read.error().message, "bad option");
}

TEST(ConfigReader, HelpStopsBeforeReadingFiles) {
    MemoryConfigFiles files;
    ConfigReader reader(files);
    std::vector<std::string_view> args = {"--help", "--bogus"};
    auto modes = reader.read_command_line(args, "/etc/dnsmasq.conf");
    ASSERT_TRUE(modes.has_value());
    EXPECT_TRUE(modes->help);
}

TEST(ConfigReader, LongLineIsReadWholeWithAWarning) {
    const std::string line = "txt-record=a.b," + std::string(1100, 'x') + "\n";
    MemoryConfigFiles files(Files{{"/c", line}});
    ConfigReader reader(files);
    std::vector<std::string_view> args = {"-C", "/c"};
    ASSERT_TRUE(reader.read_command_line(args, "").has_value());
    ASSERT_EQ(reader.options().size(), 1U);
    EXPECT_EQ(reader.options()[0].raw.value.size(), 1104U);
    ASSERT_EQ(reader.warnings().size(), 1U);
}

TEST(ConfigReader, CrLfLineEndingsAreBlanks) {
    MemoryConfigFiles files(Files{{"/c", "port=53\r\nno-resolv\r\n"}});
    auto read = read_files(files, {"-C", "/c"});
    ASSERT_TRUE(read.has_value()) << read.error().message;
    EXPECT_EQ(names(read->options), (std::vector<std::string>{"port=53", "no-resolv"}));
}

TEST(ConfigReader, ServersFileIsReadLastWithOnlyServerLines) {
    MemoryConfigFiles files(Files{{"/c", "servers-file=/s\nserver=1.1.1.1\n"},
                                  {"/s", "server=/a/2.2.2.2\nno-resolv\nrev-server=10.0.0.0/8\n"}});
    ConfigReader reader(files);
    std::vector<std::string_view> args = {"-C", "/c"};
    ASSERT_TRUE(reader.read_command_line(args, "").has_value());
    EXPECT_EQ(
        names(reader.options()),
        (std::vector<std::string>{"server=1.1.1.1", "server=/a/2.2.2.2", "rev-server=10.0.0.0/8"}));
    EXPECT_TRUE(reader.options()[1].errors_are_warnings);
    ASSERT_EQ(reader.warnings().size(), 1U);  // no-resolv is not allowed there
    EXPECT_EQ(reader.warnings()[0].option, "no-resolv");
    EXPECT_EQ(reader.warnings()[0].where.line, 2U);
}

TEST(ConfigReader, MissingServersFileIsAWarning) {
    MemoryConfigFiles files(Files{{"/c", "servers-file=/none\n"}});
    ConfigReader reader(files);
    std::vector<std::string_view> args = {"-C", "/c"};
    ASSERT_TRUE(reader.read_command_line(args, "").has_value());
    ASSERT_EQ(reader.warnings().size(), 1U);
    EXPECT_EQ(reader.warnings()[0].option, "servers-file");
}

}  // namespace
}  // namespace nfv::dnsvizor::config
