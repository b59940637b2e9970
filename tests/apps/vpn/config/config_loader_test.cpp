#include "config/config_loader.hpp"

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::vpn::config {
namespace {

class MemoryReader final : public FileReader {
public:
    std::map<std::string, std::string> files;
    Result<std::string, std::string> read(const std::string& path) override {
        const auto found = files.find(path);
        if (found == files.end()) {
            return Unexpected(std::string("No such file or directory"));
        }
        return found->second;
    }
};

TEST(ConfigLoader, ExpandsConfigInPlace) {
    MemoryReader reader;
    reader.files["main.conf"] = "client\nconfig common.conf\nverb 3\n";
    reader.files["common.conf"] = "dev tun\nnobind\n";
    const auto loaded = load_config_file("main.conf", reader);
    ASSERT_TRUE(loaded);
    ASSERT_EQ(loaded->size(), 4U);
    EXPECT_EQ((*loaded)[1], (Directive{"dev", {"tun"}, false, "common.conf", 1}));
    EXPECT_EQ((*loaded)[2].file, "common.conf");
    EXPECT_EQ((*loaded)[3], (Directive{"verb", {"3"}, false, "main.conf", 3}));
}

TEST(ConfigLoader, CommandLineOptionsFollowTheFileInOrder) {
    MemoryReader reader;
    reader.files["c.ovpn"] = "verb 3\n";
    const std::vector<std::string> args{"--verb", "1", "--config", "c.ovpn", "--verb", "5"};
    const auto loaded = load_command_line(args, reader);
    ASSERT_TRUE(loaded);
    ASSERT_EQ(loaded->size(), 3U);
    EXPECT_EQ((*loaded)[0].args[0], "1");
    EXPECT_EQ((*loaded)[1].file, "c.ovpn");
    EXPECT_EQ((*loaded)[2].args[0], "5");
}

TEST(ConfigLoader, ConfigAfterCdIsRelativeToThatDirectory) {
    // openvpn --cd DIR --config FILE: OpenVPN chdir()s at `cd`, so FILE is DIR/FILE.
    MemoryReader reader;
    reader.files["/etc/openvpn/server/server.conf"] = "verb 4\nconfig extra.conf\n";
    reader.files["/etc/openvpn/server/extra.conf"] = "mute 3\n";
    reader.files["server.conf"] = "verb 9\n";
    const std::vector<std::string> args{"--cd",   "/etc/openvpn", "--cd",
                                        "server", "--config",     "server.conf"};
    const auto loaded = load_command_line(args, reader);
    ASSERT_TRUE(loaded) << loaded.error().to_string();
    ASSERT_EQ(loaded->size(), 4U);
    EXPECT_EQ((*loaded)[2].name, "verb");
    EXPECT_EQ((*loaded)[2].args.front(), "4");
    EXPECT_EQ((*loaded)[3].name, "mute");
}

TEST(ConfigLoader, MissingIncludeNamesTheIncludingLine) {
    MemoryReader reader;
    reader.files["main.conf"] = "client\n\nconfig nope.conf\n";
    const auto loaded = load_config_file("main.conf", reader);
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().file, "main.conf");
    EXPECT_EQ(loaded.error().line, 3U);
    EXPECT_EQ(loaded.error().directive, "config");
    EXPECT_NE(loaded.error().message.find("nope.conf"), std::string::npos);
}

TEST(ConfigLoader, SelfInclusionStopsAtTheNestingLimit) {
    MemoryReader reader;
    reader.files["loop.conf"] = "verb 1\nconfig loop.conf\n";
    const auto loaded = load_config_file("loop.conf", reader);
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error().message.find("recursive"), std::string::npos);
}

TEST(ConfigLoader, TenNestedFilesAreAllowed) {
    MemoryReader reader;
    for (int i = 1; i < kMaxConfigNesting; ++i) {
        reader.files["f" + std::to_string(i)] = "config f" + std::to_string(i + 1) + "\n";
    }
    reader.files["f" + std::to_string(kMaxConfigNesting)] = "verb 9\n";
    const auto loaded = load_config_file("f1", reader);
    ASSERT_TRUE(loaded) << loaded.error().to_string();
    EXPECT_EQ(loaded->size(), 1U);
}

TEST(ConfigLoader, LexErrorInIncludedFileNamesThatFile) {
    MemoryReader reader;
    reader.files["a"] = "config b\n";
    reader.files["b"] = "verb 3\nup \"x\n";
    const auto loaded = load_config_file("a", reader);
    ASSERT_FALSE(loaded);
    EXPECT_EQ(loaded.error().file, "b");
    EXPECT_EQ(loaded.error().line, 2U);
}

}  // namespace
}  // namespace nfv::vpn::config
