// nfv-docgen's dnsvizor reference lists every entry of the option table exactly once, with its
// status and note, in both formats.
#include <string>

#include <gtest/gtest.h>

#include "config/option_table.hpp"
#include "doc_text.hpp"

namespace nfv::docgen {
namespace {

std::string printed(Format format) {
    testing::internal::CaptureStdout();
    print_dnsvizor_options(format);
    return testing::internal::GetCapturedStdout();
}

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

TEST(DnsvizorOptionsDoc, MarkdownHasOneRowPerOption) {
    const std::string md = printed(Format::kMarkdown);
    const auto options = dnsvizor::config::all_options();
    EXPECT_EQ(count(md, "\n| `--"), options.size());
    for (const auto& spec : options) {
        EXPECT_NE(md.find("| `--" + std::string(spec.name)), std::string::npos) << spec.name;
    }
}

TEST(DnsvizorOptionsDoc, WarningsAndErrorsCarryTheirNote) {
    const std::string md = printed(Format::kMarkdown);
    for (const auto& spec : dnsvizor::config::all_options()) {
        if (!spec.note.empty()) {
            EXPECT_NE(md.find(std::string(spec.name) + " " + std::string(spec.note)),
                      std::string::npos)
                << spec.name;
        }
    }
}

std::string row_of(const std::string& md, const std::string& name) {
    const auto at = md.find("| `--" + name);
    return at == std::string::npos ? std::string() : md.substr(at, md.find('\n', at) - at);
}

// The DHCP options' status is the DHCP option mapper's own answer.
TEST(DnsvizorOptionsDoc, DhcpStatusComesFromTheOptionMapper) {
    const std::string md = printed(Format::kMarkdown);
    EXPECT_NE(row_of(md, "dhcp-range=").find("| dhcp: implemented |"), std::string::npos);
    EXPECT_NE(row_of(md, "dhcp-relay=").find("| dhcp: error, refused |"), std::string::npos);
    EXPECT_NE(row_of(md, "dhcp-script=").find("| dhcp: implemented |"), std::string::npos);
    EXPECT_NE(row_of(md, "dhcp-broadcast").find("| dhcp: warning, no effect |"), std::string::npos);
    EXPECT_NE(row_of(md, "enable-ra").find("DHCPv6/RA is not supported yet"), std::string::npos);
}

TEST(DnsvizorOptionsDoc, ManHasOneTaggedParagraphPerOption) {
    const std::string man = printed(Format::kMan);
    EXPECT_EQ(count(man, ".TP\n"), dnsvizor::config::all_options().size());
    EXPECT_NE(man.find("\\fB\\-\\-dhcp\\-range="), std::string::npos);
}

}  // namespace
}  // namespace nfv::docgen
