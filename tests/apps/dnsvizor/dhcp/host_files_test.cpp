#include "dhcp/host_files.hpp"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <stdlib.h>

namespace nfv::dnsvizor::dhcp {
namespace {

namespace fs = std::filesystem;
using net::Ipv4Address;

class TempDir {
public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "nfv-host-files-XXXXXX").string();
        const char* made = ::mkdtemp(pattern.data());
        EXPECT_NE(made, nullptr);
        path_ = pattern;
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path_, ignored);
    }
    [[nodiscard]] std::string write(const std::string& name, const std::string& text) const {
        const auto path = (path_ / name).string();
        std::ofstream(path, std::ios::trunc) << text;
        return path;
    }
    [[nodiscard]] std::string path() const { return path_.string(); }

private:
    fs::path path_;
};

config::RawOption opt(std::string name, std::string value = {}, std::size_t line = 1) {
    config::RawOption o;
    o.name = std::move(name);
    o.has_value = !value.empty();
    o.value = std::move(value);
    o.where = {"/etc/dnsmasq.conf", line};
    return o;
}

DhcpImport map_ok(const std::vector<config::RawOption>& options) {
    auto mapped = map_dhcp_options(options);
    EXPECT_TRUE(mapped.has_value()) << (mapped ? "" : mapped.error());
    return mapped ? std::move(*mapped) : DhcpImport{};
}

TEST(DhcpHostLines, EachLineIsADhcpHostValue) {
    DhcpImport out;
    add_host_lines(
        "# libvirt writes these\n"
        "52:54:00:12:34:56,192.168.122.10,vm1\n"
        "\n"
        "  52:54:00:aa:bb:cc,vm2,12h   # trailing comment\n",
        "/var/lib/libvirt/dnsmasq/default.hostsfile", "dhcp-hostsfile", out);
    EXPECT_TRUE(out.warnings.empty());
    ASSERT_EQ(out.settings.hosts.size(), 2U);
    EXPECT_EQ(out.settings.hosts[0].address, Ipv4Address::parse("192.168.122.10"));
    EXPECT_EQ(out.settings.hosts[0].hostname, "vm1");
    EXPECT_EQ(out.settings.hosts[1].hostname, "vm2");
    EXPECT_EQ(out.settings.hosts[1].lease_seconds, 12U * 3600U);
    EXPECT_EQ(out.settings.hosts[1].hardware[0].bytes,
              (std::vector<int>{0x52, 0x54, 0, 0xaa, 0xbb, 0xcc}));
}

TEST(DhcpHostLines, BadLineIsAWarningWithFileAndLineAndIsSkipped) {
    DhcpImport out;
    add_host_lines(
        "52:54:00:12:34:56,192.168.122.10\n"
        "52:54:00:12:34:57,10.0.0.1,10.0.0.2\n"
        "52:54:00:12:34:58,192.168.122.12\n",
        "/hosts", "dhcp-hostsfile", out);
    ASSERT_EQ(out.settings.hosts.size(), 2U);
    EXPECT_EQ(out.settings.hosts[1].address, Ipv4Address::parse("192.168.122.12"));
    ASSERT_EQ(out.warnings.size(), 1U);
    EXPECT_NE(out.warnings[0].find("/hosts:2: dhcp-hostsfile: more than one IPv4 address"),
              std::string::npos)
        << out.warnings[0];
}

TEST(DhcpEthers, MacWithAddressOrNameBecomesAHost) {
    DhcpImport out;
    add_ethers_lines(
        "# /etc/ethers\n"
        "00:11:22:33:44:55 192.168.1.20\n"
        "0:1:2:a:b:c\tprinter\n",
        "/etc/ethers", out);
    EXPECT_TRUE(out.warnings.empty()) << out.warnings[0];
    ASSERT_EQ(out.settings.hosts.size(), 2U);
    EXPECT_EQ(out.settings.hosts[0].address, Ipv4Address::parse("192.168.1.20"));
    EXPECT_TRUE(out.settings.hosts[0].hostname.empty());
    EXPECT_EQ(out.settings.hosts[1].hostname, "printer");
    EXPECT_FALSE(out.settings.hosts[1].address.has_value());
    EXPECT_EQ(out.settings.hosts[1].hardware[0].bytes, (std::vector<int>{0, 1, 2, 0xa, 0xb, 0xc}));
}

TEST(DhcpEthers, BadLinesAreWarningsAndSkipped) {
    DhcpImport out;
    add_ethers_lines(
        "00:11:22:33:44 host1\n"          // five bytes
        "00:11:22:33:44:zz host2\n"       // not hex
        "00:11:22:33:44:55\n"             // no name
        "00:11:22:33:44:56 ignore\n"      // would read as a keyword
        "00:11:22:33:44:57 bad!name\n"    // illegal character
        "00:11:22:33:44:58 10.0.0.1 x\n"  // extra field
        "00:11:22:33:44:59 good\n",
        "/etc/ethers", out);
    ASSERT_EQ(out.settings.hosts.size(), 1U);
    EXPECT_EQ(out.settings.hosts[0].hostname, "good");
    ASSERT_EQ(out.warnings.size(), 6U);
    EXPECT_NE(out.warnings[0].find("/etc/ethers:1: read-ethers: bad hardware address"),
              std::string::npos);
    EXPECT_NE(out.warnings[5].find("/etc/ethers:6: read-ethers: bad name or address"),
              std::string::npos);
}

TEST(DhcpHostFiles, HostsFileAndDirFollowTheConfigHosts) {
    TempDir dir;
    const auto file = dir.write("hostsfile", "52:54:00:00:00:01,10.0.0.11,fromfile\n");
    fs::create_directory(dir.path() + "/d");
    (void)dir.write("d/b", "52:54:00:00:00:03,10.0.0.13\n");
    (void)dir.write("d/a", "52:54:00:00:00:02,10.0.0.12\nnot-a-host-line,,\n");
    (void)dir.write("d/.hidden", "52:54:00:00:00:09,10.0.0.19\n");
    (void)dir.write("d/a~", "52:54:00:00:00:08,10.0.0.18\n");
    const auto imported =
        map_ok({opt("dhcp-range", "10.0.0.10,10.0.0.50"), opt("dhcp-hostsfile", file, 2),
                opt("dhcp-hostsdir", dir.path() + "/d", 3),
                opt("dhcp-host", "52:54:00:00:00:00,10.0.0.10", 4)});
    const auto& hosts = imported.settings.hosts;
    ASSERT_EQ(hosts.size(), 4U);
    EXPECT_EQ(hosts[0].address, Ipv4Address::parse("10.0.0.10"));  // dhcp-host first
    EXPECT_EQ(hosts[1].hostname, "fromfile");
    EXPECT_EQ(hosts[2].address, Ipv4Address::parse("10.0.0.12"));  // d/a before d/b
    EXPECT_EQ(hosts[3].address, Ipv4Address::parse("10.0.0.13"));
    ASSERT_EQ(imported.warnings.size(), 1U);
    EXPECT_NE(imported.warnings[0].find(dir.path() + "/d/a:2: dhcp-hostsdir: "), std::string::npos)
        << imported.warnings[0];
}

TEST(DhcpHostFiles, HostsFileMayBeADirectory) {
    TempDir dir;
    (void)dir.write("one", "52:54:00:00:00:01,10.0.0.11\n");
    (void)dir.write("two", "52:54:00:00:00:02,10.0.0.12\n");
    const auto imported =
        map_ok({opt("dhcp-range", "10.0.0.10,10.0.0.50"), opt("dhcp-hostsfile", dir.path())});
    EXPECT_EQ(imported.settings.hosts.size(), 2U);
}

TEST(DhcpHostFiles, MissingFileIsAWarningNotAnError) {
    const auto imported = map_ok({opt("dhcp-range", "10.0.0.10,10.0.0.50"),
                                  opt("dhcp-hostsfile", "/nonexistent/nfv-hostsfile")});
    EXPECT_TRUE(imported.settings.hosts.empty());
    ASSERT_EQ(imported.warnings.size(), 1U);
    EXPECT_NE(imported.warnings[0].find("cannot read /nonexistent/nfv-hostsfile"),
              std::string::npos);
}

TEST(DhcpHostFiles, ReloadReplacesOnlyTheFileHosts) {
    TempDir dir;
    const auto file = dir.write("hostsfile", "52:54:00:00:00:01,10.0.0.11\n");
    auto imported =
        map_ok({opt("dhcp-range", "10.0.0.10,10.0.0.50"),
                opt("dhcp-host", "52:54:00:00:00:00,10.0.0.10"), opt("dhcp-hostsfile", file)});
    ASSERT_EQ(imported.settings.hosts.size(), 2U);
    (void)dir.write("hostsfile", "52:54:00:00:00:01,10.0.0.21\n52:54:00:00:00:02,10.0.0.22\n");
    std::vector<std::string> warnings;
    reload_host_sources(imported, warnings);
    EXPECT_TRUE(warnings.empty());
    ASSERT_EQ(imported.settings.hosts.size(), 3U);
    EXPECT_EQ(imported.settings.hosts[0].address, Ipv4Address::parse("10.0.0.10"));
    EXPECT_EQ(imported.settings.hosts[1].address, Ipv4Address::parse("10.0.0.21"));
    EXPECT_EQ(imported.settings.hosts[2].address, Ipv4Address::parse("10.0.0.22"));
}

TEST(DhcpHostFiles, ReadEthersTakesNoValue) {
    auto mapped = map_dhcp_options(std::vector<config::RawOption>{
        opt("dhcp-range", "10.0.0.10,10.0.0.50"), opt("read-ethers", "yes", 7)});
    ASSERT_FALSE(mapped.has_value());
    EXPECT_EQ(mapped.error(), "/etc/dnsmasq.conf:7: read-ethers: extraneous parameter 'yes'");
}

}  // namespace
}  // namespace nfv::dnsvizor::dhcp
