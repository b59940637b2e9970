#include "nfv/platform/log.hpp"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <syslog.h>

#include "nfv/platform/testing/manual_clock.hpp"

namespace nfv::platform {
namespace {

using namespace std::chrono_literals;

constexpr WallTime kNow{1'700'000'000};  // 2023-11-14T22:13:20Z
constexpr std::string_view kStamp = "2023-11-14T22:13:20Z";

// Counts wall-clock reads, to prove a disabled level does no formatting work.
class CountingClock final : public Clock {
public:
    Instant now() override { return Instant{}; }
    WallTime wall_now() override {
        ++wall_reads;
        return kNow;
    }
    int wall_reads = 0;
};

// A private directory under the test temp dir, removed on every exit path.
class TempDir {
public:
    TempDir() {
        std::string pattern = ::testing::TempDir() + "nfv_log_test_XXXXXX";
        if (::mkdtemp(pattern.data()) == nullptr) {
            std::abort();
        }
        path_ = pattern;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

std::vector<std::string> read_lines(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        lines.push_back(line);
    }
    return lines;
}

std::string value_text(std::string_view value) {
    std::string out;
    append_log_value(out, value);
    return out;
}

struct LoggerFixture : ::testing::Test {
    testing::ManualClock clock{Instant{}, kNow};
    MemorySink sink;
    Logger logger{sink, clock, "dns"};
};

TEST_F(LoggerFixture, FormatsTimestampLevelComponentMessageAndFields) {
    logger.info("query forwarded", {{"upstream", "10.0.0.53"},
                                    {"qtype", std::string("A")},
                                    {"id", std::uint16_t{1234}},
                                    {"delta", -5},
                                    {"latency", 0.25},
                                    {"cached", false}});
    ASSERT_EQ(sink.entries().size(), 1U);
    EXPECT_EQ(sink.entries()[0].level, LogLevel::kInfo);
    EXPECT_EQ(sink.entries()[0].line,
              std::string(kStamp) +
                  " info dns: query forwarded upstream=10.0.0.53 qtype=A id=1234 delta=-5 "
                  "latency=0.25 cached=false");
}

TEST_F(LoggerFixture, TimestampFollowsTheClock) {
    clock.advance(61s);
    logger.warn("late");
    EXPECT_EQ(sink.lines(), std::vector<std::string>{"2023-11-14T22:14:21Z warn dns: late"});
}

TEST_F(LoggerFixture, FieldsCoverIntegerExtremes) {
    logger.error("x", {{"min", std::numeric_limits<std::int64_t>::min()},
                       {"max", std::numeric_limits<std::uint64_t>::max()},
                       {"ok", true}});
    EXPECT_EQ(sink.lines().at(0), std::string(kStamp) +
                                      " error dns: x min=-9223372036854775808 "
                                      "max=18446744073709551615 ok=true");
}

TEST_F(LoggerFixture, LevelFiltering) {
    logger.set_level(LogLevel::kWarn);
    logger.error("e");
    logger.warn("w");
    logger.info("i");
    logger.debug("d");
    logger.trace("t");
    ASSERT_EQ(sink.entries().size(), 2U);
    EXPECT_EQ(sink.entries()[0].level, LogLevel::kError);
    EXPECT_EQ(sink.entries()[1].level, LogLevel::kWarn);

    sink.clear();
    logger.set_level(LogLevel::kTrace);
    logger.trace("t", {{"k", 1}});
    logger.debug("d");
    EXPECT_EQ(sink.lines(), (std::vector<std::string>{std::string(kStamp) + " trace dns: t k=1",
                                                      std::string(kStamp) + " debug dns: d"}));
    EXPECT_TRUE(logger.enabled(LogLevel::kTrace));
}

TEST(Logger, DisabledLevelDoesNoFormattingWork) {
    CountingClock clock;
    MemorySink sink;
    Logger logger(sink, clock, "core", LogLevel::kError);
    for (int i = 0; i < 100; ++i) {
        logger.debug("hot path", {{"i", i}});
        logger.info("hot path");
    }
    EXPECT_EQ(clock.wall_reads, 0);
    EXPECT_TRUE(sink.entries().empty());
    logger.error("now");
    EXPECT_EQ(clock.wall_reads, 1);
}

TEST_F(LoggerFixture, WithComponentSharesSinkAndLevel) {
    logger.set_level(LogLevel::kDebug);
    Logger dhcp = logger.with_component("dhcp");
    EXPECT_EQ(dhcp.component(), "dhcp");
    EXPECT_EQ(dhcp.level(), LogLevel::kDebug);
    dhcp.debug("lease", {{"ip", "192.0.2.10"}});
    EXPECT_EQ(sink.lines().at(0), std::string(kStamp) + " debug dhcp: lease ip=192.0.2.10");
}

TEST_F(LoggerFixture, SetSinkRedirectsLaterEvents) {
    MemorySink other;
    logger.info("one");
    logger.set_sink(other);
    logger.info("two");
    EXPECT_EQ(sink.entries().size(), 1U);
    ASSERT_EQ(other.entries().size(), 1U);
    EXPECT_EQ(other.entries()[0].line, std::string(kStamp) + " info dns: two");
}

TEST(LogValue, PlainValuesAreUnquoted) {
    EXPECT_EQ(value_text("example.org."), "example.org.");
    EXPECT_EQ(value_text("10.0.0.1:53"), "10.0.0.1:53");
    EXPECT_EQ(value_text("caf\xc3\xa9"), "caf\xc3\xa9");  // UTF-8 passes through
}

TEST(LogValue, QuotesAndEscapesWhenNeeded) {
    EXPECT_EQ(value_text("hello world"), "\"hello world\"");
    EXPECT_EQ(value_text(""), "\"\"");
    EXPECT_EQ(value_text("a=b"), "\"a=b\"");
    EXPECT_EQ(value_text("say \"hi\""), R"("say \"hi\"")");
    EXPECT_EQ(value_text("back\\slash"), R"("back\\slash")");
    EXPECT_EQ(value_text("two\nlines"), R"("two\nlines")");
    EXPECT_EQ(value_text("tab\there"), R"("tab\there")");
    EXPECT_EQ(value_text(std::string_view("nul\0bel\x07", 8)), R"("nul\x00bel\x07")");
    EXPECT_EQ(value_text("del\x7f"), R"("del\x7f")");
}

TEST_F(LoggerFixture, QuotedFieldInLine) {
    logger.info("config loaded", {{"path", "/etc/my conf/dnsmasq.conf"}});
    EXPECT_EQ(sink.lines().at(0),
              std::string(kStamp) + " info dns: config loaded path=\"/etc/my conf/dnsmasq.conf\"");
}

TEST_F(LoggerFixture, MessageControlCharactersCannotForgeLines) {
    logger.warn("bad name\n2023-01-01T00:00:00Z error dns: forged\r\x1b");
    ASSERT_EQ(sink.entries().size(), 1U);
    const std::string& line = sink.entries()[0].line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_EQ(line, std::string(kStamp) +
                        R"( warn dns: bad name\n2023-01-01T00:00:00Z error dns: forged\r\x1b)");
}

TEST(LogLevel, NamesRoundTrip) {
    for (const LogLevel level :
         {LogLevel::kError, LogLevel::kWarn, LogLevel::kInfo, LogLevel::kDebug, LogLevel::kTrace}) {
        const auto parsed = parse_log_level(log_level_name(level));
        ASSERT_TRUE(parsed.has_value()) << log_level_name(level);
        EXPECT_EQ(*parsed, level);
    }
    EXPECT_EQ(parse_log_level("warning"), LogLevel::kWarn);
    EXPECT_FALSE(parse_log_level("verbose").has_value());
    EXPECT_FALSE(parse_log_level("").has_value());
    EXPECT_FALSE(parse_log_level("INFO").has_value());
}

TEST(Rfc3339, FormatsUtc) {
    const auto text = [](std::int64_t seconds) {
        std::string out;
        append_rfc3339(out, WallTime{seconds});
        return out;
    };
    EXPECT_EQ(text(0), "1970-01-01T00:00:00Z");
    EXPECT_EQ(text(951'782'400), "2000-02-29T00:00:00Z");
    EXPECT_EQ(text(1'700'000'000), "2023-11-14T22:13:20Z");
    EXPECT_EQ(text(4'102'444'799), "2099-12-31T23:59:59Z");
}

TEST(FileSink, AppendsLinesToFile) {
    TempDir dir;
    const auto path = dir.path() / "nfv.log";
    { std::ofstream(path) << "existing\n"; }
    auto opened = FileSink::open(path.string());
    ASSERT_TRUE(opened.has_value()) << opened.error().message();
    FileSink& sink = **opened;
    testing::ManualClock clock(Instant{}, kNow);
    Logger logger(sink, clock, "vpn");
    logger.info("started", {{"mode", "server"}});
    logger.error("stopped", {{"reason", "signal received"}});
    EXPECT_EQ(read_lines(path),
              (std::vector<std::string>{
                  "existing", std::string(kStamp) + " info vpn: started mode=server",
                  std::string(kStamp) + " error vpn: stopped reason=\"signal received\""}));
    EXPECT_EQ(sink.failed_writes(), 0U);
    EXPECT_EQ(sink.path(), path.string());
}

TEST(FileSink, ReopenContinuesInFreshFileAfterRotation) {
    TempDir dir;
    const auto path = dir.path() / "nfv.log";
    const auto rotated = dir.path() / "nfv.log.1";
    auto opened = FileSink::open(path.string());
    ASSERT_TRUE(opened.has_value()) << opened.error().message();
    FileSink& sink = **opened;
    testing::ManualClock clock(Instant{}, kNow);
    Logger logger(sink, clock, "dns");

    logger.info("one");
    std::filesystem::rename(path, rotated);  // what logrotate does before sending SIGHUP
    logger.info("two");                      // still goes to the renamed file
    ASSERT_TRUE(sink.reopen().has_value());
    logger.info("three");

    EXPECT_EQ(read_lines(rotated),
              (std::vector<std::string>{std::string(kStamp) + " info dns: one",
                                        std::string(kStamp) + " info dns: two"}));
    EXPECT_EQ(read_lines(path), std::vector<std::string>{std::string(kStamp) + " info dns: three"});
}

TEST(FileSink, FailedReopenKeepsOldFile) {
    TempDir dir;
    const auto subdir = dir.path() / "logs";
    std::filesystem::create_directory(subdir);
    const auto path = subdir / "nfv.log";
    const auto kept = dir.path() / "kept.log";
    auto opened = FileSink::open(path.string());
    ASSERT_TRUE(opened.has_value()) << opened.error().message();
    FileSink& sink = **opened;
    testing::ManualClock clock(Instant{}, kNow);
    Logger logger(sink, clock, "dns");

    std::filesystem::rename(path, kept);
    std::filesystem::remove(subdir);  // the directory is gone: reopen cannot create the file
    const auto reopened = sink.reopen();
    ASSERT_FALSE(reopened.has_value());
    EXPECT_EQ(reopened.error(), std::errc::no_such_file_or_directory);
    logger.info("still logging");
    EXPECT_EQ(read_lines(kept),
              std::vector<std::string>{std::string(kStamp) + " info dns: still logging"});
}

TEST(FileSink, OpenFailsForMissingDirectory) {
    TempDir dir;
    const auto opened = FileSink::open((dir.path() / "missing" / "nfv.log").string());
    ASSERT_FALSE(opened.has_value());
    EXPECT_EQ(opened.error(), std::errc::no_such_file_or_directory);
}

TEST(SyslogFacility, ParsesDnsmasqNames) {
    EXPECT_EQ(parse_syslog_facility("daemon"), LOG_DAEMON);
    EXPECT_EQ(parse_syslog_facility("user"), LOG_USER);
    EXPECT_EQ(parse_syslog_facility("local0"), LOG_LOCAL0);
    EXPECT_EQ(parse_syslog_facility("local7"), LOG_LOCAL7);
    EXPECT_EQ(parse_syslog_facility("authpriv"), LOG_AUTHPRIV);
    EXPECT_FALSE(parse_syslog_facility("local8").has_value());
    EXPECT_FALSE(parse_syslog_facility("").has_value());
    EXPECT_FALSE(parse_syslog_facility("/var/log/dnsmasq.log").has_value());
}

TEST(DefaultLogger, IsStableAndAtInfo) {
    Logger& a = default_logger();
    Logger& b = default_logger();
    EXPECT_EQ(&a, &b);
    EXPECT_EQ(a.level(), LogLevel::kInfo);
    EXPECT_EQ(a.component(), "nfv");
}

}  // namespace
}  // namespace nfv::platform
