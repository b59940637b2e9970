// parse_invocation end to end: modes, the real file system (per-test temporary directory),
// and the last-wins / accumulate rules across command line and files.
#include "config/invocation.hpp"

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

namespace nfv::dnsvizor::config {
namespace {

class TempDir {
public:
    TempDir() {
        std::random_device seed;
        path_ = std::filesystem::temp_directory_path() /
                ("nfv-dnsconfig-" + std::to_string(::getpid()) + "-" + std::to_string(seed()));
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    std::string write(const std::string& name, const std::string& text) const {
        const auto file = path_ / name;
        std::filesystem::create_directories(file.parent_path());
        std::ofstream(file) << text;
        return file.string();
    }
    [[nodiscard]] std::string path(const std::string& name = "") const {
        return (path_ / name).string();
    }

private:
    std::filesystem::path path_;
};

Result<Invocation, ConfigError> run(std::vector<std::string> args,
                                    const std::string& default_file = "") {
    std::vector<std::string_view> views(args.begin(), args.end());
    OsConfigFiles files;
    return parse_invocation(views, files, default_file);
}

TEST(Invocation, ModesFromTheCommandLine) {
    EXPECT_EQ(run({})->mode, Mode::kRun);
    EXPECT_EQ(run({"--test"})->mode, Mode::kTest);
    EXPECT_EQ(run({"--print-config"})->mode, Mode::kPrintConfig);
    EXPECT_EQ(run({"--help"})->mode, Mode::kHelp);
    EXPECT_EQ(run({"-w"})->mode, Mode::kHelp);
    EXPECT_EQ(run({"--version"})->mode, Mode::kVersion);
    EXPECT_EQ(run({"-v"})->mode, Mode::kVersion);
}

TEST(Invocation, ReadsRealFilesAndDirectories) {
    TempDir dir;
    dir.write("d/10-a.conf", "server=1.1.1.1\n");
    dir.write("d/20-b.conf", "server=2.2.2.2\n");
    dir.write("d/30-c.conf.bak~", "bogus-option\n");
    const auto main_file = dir.write("main.conf", "no-resolv\nconf-dir=" + dir.path("d") + "\n");
    auto invocation = run({"--test", "-C", main_file});
    ASSERT_TRUE(invocation.has_value()) << format(invocation.error());
    EXPECT_EQ(invocation->mode, Mode::kTest);
    const auto& servers = invocation->config.dns.upstream.servers;
    ASSERT_EQ(servers.size(), 2U);
    EXPECT_EQ(servers[0].address->to_string(), "1.1.1.1");
    EXPECT_EQ(servers[1].address->to_string(), "2.2.2.2");
    EXPECT_EQ(invocation->config.process.config_files.size(), 3U);
}

TEST(Invocation, SameFileThroughTwoPathsIsReadOnce) {
    TempDir dir;
    const auto inc = dir.write("inc.conf", "server=1.1.1.1\n");
    std::filesystem::create_symlink(inc, dir.path("link.conf"));
    const auto main_file =
        dir.write("main.conf", "conf-file=" + inc + "\nconf-file=" + dir.path("link.conf") + "\n");
    auto invocation = run({"-C", main_file});
    ASSERT_TRUE(invocation.has_value()) << format(invocation.error());
    EXPECT_EQ(invocation->config.dns.upstream.servers.size(), 1U);
}

TEST(Invocation, DevNullAsConfFileLikeNetworkManager) {
    // NetworkManager runs dnsmasq with --conf-file=/dev/null and everything on the command line.
    auto invocation = run({"--no-resolv", "--keep-in-foreground", "--no-hosts", "--bind-interfaces",
                           "--listen-address=127.0.0.1", "--cache-size=400", "--clear-on-reload",
                           "--conf-file=/dev/null", "--proxy-dnssec"},
                          "/etc/this-default-is-not-read");
    ASSERT_TRUE(invocation.has_value()) << format(invocation.error());
    const auto& config = invocation->config;
    EXPECT_EQ(config.dns.cache.size, 400U);
    EXPECT_TRUE(config.process.keep_in_foreground);
    EXPECT_EQ(config.warnings.size(), 2U);  // clear-on-reload, proxy-dnssec
    EXPECT_EQ(config.process.config_files, (std::vector<std::string>{"/dev/null"}));
}

TEST(Invocation, DefaultFileIsUsedWhenPresent) {
    TempDir dir;
    const auto default_file = dir.write("dnsmasq.conf", "port=5300\n");
    auto invocation = run({}, default_file);
    ASSERT_TRUE(invocation.has_value());
    EXPECT_EQ(invocation->config.dns.listen.port, 5300);
    auto missing = run({}, dir.path("absent.conf"));
    ASSERT_TRUE(missing.has_value());
    EXPECT_EQ(missing->config.dns.listen.port, 53);
}

TEST(Invocation, FileOverridesCommandLineForSingleValues) {
    TempDir dir;
    const auto file = dir.write("c.conf", "cache-size=500\nserver=2.2.2.2\n");
    auto invocation = run({"--cache-size=100", "-S", "1.1.1.1", "-C", file});
    ASSERT_TRUE(invocation.has_value()) << format(invocation.error());
    EXPECT_EQ(invocation->config.dns.cache.size, 500U);
    EXPECT_EQ(invocation->config.dns.upstream.servers.size(), 2U);  // lists accumulate
}

TEST(Invocation, BadValueNamesFileLineAndOption) {
    TempDir dir;
    const auto file = dir.write("bad.conf", "# comment\nno-resolv\nport=99999\n");
    auto invocation = run({"-C", file});
    ASSERT_FALSE(invocation.has_value());
    EXPECT_EQ(format(invocation.error()).substr(0, file.size() + 17), file + ":3: option 'port'");
}

TEST(Invocation, BadCommandLineValueSaysCommandLine) {
    auto invocation = run({"--port=x"});
    ASSERT_FALSE(invocation.has_value());
    EXPECT_EQ(format(invocation.error()).rfind("command line: option 'port': ", 0), 0U);
}

TEST(Invocation, UnreadableConfFileIsAnError) {
    TempDir dir;
    auto invocation = run({"-C", dir.path("missing.conf")});
    ASSERT_FALSE(invocation.has_value());
    EXPECT_NE(invocation.error().message.find("cannot read"), std::string::npos);
}

TEST(Invocation, ParseConfigTextHasNoFileAccess) {
    auto config = parse_config_text("conf-file=/etc/passwd\n");
    ASSERT_FALSE(config.has_value());
    EXPECT_EQ(config.error().option, "conf-file");
}

}  // namespace
}  // namespace nfv::dnsvizor::config

namespace nfv::dnsvizor::config {
namespace {

TEST(Invocation, ExampleConfigsPassTest) {
    for (const std::string name : {"home-router.conf", "pihole-like.conf"}) {
        auto invocation =
            run({"--test", "-C", std::string(NFV_SOURCE_DIR) + "/configs/dnsvizor/" + name});
        ASSERT_TRUE(invocation.has_value()) << name << ": " << format(invocation.error());
        EXPECT_EQ(invocation->mode, Mode::kTest);
        EXPECT_FALSE(invocation->config.dhcp.empty()) << name;
        EXPECT_FALSE(invocation->config.dns.upstream.servers.empty()) << name;
    }
}

}  // namespace
}  // namespace nfv::dnsvizor::config
