#include "dns/hosts_loader.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

namespace nfv::dnsvizor::dns {
namespace {

namespace fs = std::filesystem;

class HostsLoaderTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("nfv_hosts_loader_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string write(const std::string& relative, std::string_view text) {
        const fs::path path = dir_ / relative;
        fs::create_directories(path.parent_path());
        std::ofstream(path, std::ios::binary) << text;
        return path.string();
    }

    fs::path dir_;
};

TEST_F(HostsLoaderTest, ReadsHostsFileThenAddnHostsInOrder) {
    LocalDataSettings settings;
    settings.hosts_file = write("hosts", "127.0.0.1 localhost\n");
    settings.addn_hosts = {write("extra", "10.0.0.1 a\nbad b\n")};
    const auto data = load_hosts(settings);
    ASSERT_EQ(data.files.size(), 2U);
    EXPECT_EQ(data.files[0].path, settings.hosts_file);
    EXPECT_EQ(data.files[1].entries.size(), 1U);
    ASSERT_EQ(data.problems.size(), 1U);
    EXPECT_EQ(data.problems[0].file, settings.addn_hosts[0]);
    EXPECT_EQ(data.problems[0].line, 2U);
    EXPECT_EQ(to_string(data.problems[0]), settings.addn_hosts[0] + ":2: bad address 'bad'");
}

TEST_F(HostsLoaderTest, NoHostsSkipsTheSystemFile) {
    LocalDataSettings settings;
    settings.no_hosts = true;
    settings.hosts_file = write("hosts", "127.0.0.1 localhost\n");
    EXPECT_TRUE(load_hosts(settings).files.empty());
}

TEST_F(HostsLoaderTest, DirectoryIsReadSortedSkippingBackupsAndDotFiles) {
    write("d/b", "10.0.0.2 b\n");
    write("d/a", "10.0.0.1 a\n");
    write("d/.hidden", "10.0.0.3 hidden\n");
    write("d/c~", "10.0.0.4 backup\n");
    write("d/#edit#", "10.0.0.5 emacs\n");
    LocalDataSettings settings;
    settings.no_hosts = true;
    settings.addn_hosts = {(dir_ / "d").string()};
    const auto data = load_hosts(settings);
    ASSERT_EQ(data.files.size(), 2U);
    EXPECT_EQ(fs::path(data.files[0].path).filename(), "a");
    EXPECT_EQ(fs::path(data.files[1].path).filename(), "b");
    EXPECT_TRUE(data.problems.empty());
}

TEST_F(HostsLoaderTest, HostsdirIsReadToo) {
    write("hd/x", "10.0.0.9 x\n");
    LocalDataSettings settings;
    settings.no_hosts = true;
    settings.hostsdirs = {(dir_ / "hd").string()};
    const auto data = load_hosts(settings);
    ASSERT_EQ(data.files.size(), 1U);
    EXPECT_EQ(data.files[0].entries[0].names[0], "x");
}

TEST_F(HostsLoaderTest, MissingFileIsReportedAndOthersStillLoad) {
    LocalDataSettings settings;
    settings.hosts_file = (dir_ / "missing").string();
    settings.addn_hosts = {write("ok", "10.0.0.1 ok\n")};
    const auto data = load_hosts(settings);
    ASSERT_EQ(data.files.size(), 1U);
    ASSERT_EQ(data.problems.size(), 1U);
    EXPECT_EQ(data.problems[0].line, 0U);
    EXPECT_EQ(data.problems[0].file, settings.hosts_file);
}

}  // namespace
}  // namespace nfv::dnsvizor::dns
