// nfv-docgen's vpn reference lists every directive of the table exactly once with its support
// status, in both formats.
#include <string>

#include <gtest/gtest.h>

#include "config/options.hpp"
#include "doc_text.hpp"

namespace nfv::docgen {
namespace {

std::string printed(Format format) {
    testing::internal::CaptureStdout();
    print_vpn_options(format);
    return testing::internal::GetCapturedStdout();
}

std::size_t count(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
        ++n;
    }
    return n;
}

TEST(VpnOptionsDoc, MarkdownHasOneRowPerDirectiveWithItsStatus) {
    const std::string md = printed(Format::kMarkdown);
    const auto options = vpn::config::option_table();
    EXPECT_EQ(count(md, "\n| `"), options.size());
    for (const auto& spec : options) {
        const std::string row = "| `" + std::string(spec.name) + "` |";
        const auto at = md.find(row);
        ASSERT_NE(at, std::string::npos) << spec.name;
        const std::string line = md.substr(at, md.find('\n', at) - at);
        EXPECT_NE(line.find(" " + std::string(vpn::config::support_name(spec.support)) + " |"),
                  std::string::npos)
            << line;
    }
}

TEST(VpnOptionsDoc, ManHasOneTaggedParagraphPerDirective) {
    const std::string man = printed(Format::kMan);
    EXPECT_EQ(count(man, ".TP\n"), vpn::config::option_table().size());
    EXPECT_NE(man.find("\\fB\\-\\-tls\\-crypt\\-v2\\fR"), std::string::npos);
}

}  // namespace
}  // namespace nfv::docgen
