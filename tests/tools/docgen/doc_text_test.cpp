// nfv-docgen's escaping: a markdown table cell must not end early, a troff line must not turn
// into a request (man(7): lines starting with '.' or '\'' are control lines).
#include "doc_text.hpp"

#include <gtest/gtest.h>

namespace nfv::docgen {
namespace {

TEST(DocText, MarkdownCellEscapesPipesAndNewlines) {
    EXPECT_EQ(md_cell("[=net|host]"), "[=net\\|host]");
    EXPECT_EQ(md_cell("a\nb"), "a b");
    EXPECT_EQ(md_cell("plain"), "plain");
}

TEST(DocText, MarkdownCodeIsEmptyForEmptyText) {
    EXPECT_EQ(md_code(""), "");
    EXPECT_EQ(md_code("a|b"), "`a\\|b`");
}

TEST(DocText, RoffEscapesHyphensAndBackslashes) {
    EXPECT_EQ(roff("dhcp-range"), "dhcp\\-range");
    EXPECT_EQ(roff("C:\\path"), "C:\\epath");
}

TEST(DocText, RoffProtectsLeadingControlCharacters) {
    EXPECT_EQ(roff(".hidden"), "\\&.hidden");
    EXPECT_EQ(roff("'quoted'"), "\\&'quoted'");
    EXPECT_EQ(roff("a.b"), "a.b");
}

}  // namespace
}  // namespace nfv::docgen
