// Text helpers of nfv-docgen: escaping for markdown table cells and for troff (man(7)).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace nfv::docgen {

enum class Format : std::uint8_t { kMarkdown, kMan };

/// A cell of a GitHub-flavoured markdown table: '|' escaped (it would end the cell), newlines
/// as spaces (they would end the row).
[[nodiscard]] std::string md_cell(std::string_view text);
/// md_cell() inside a code span; "" for empty text.
[[nodiscard]] std::string md_code(std::string_view text);
/// Text for troff: backslashes as \e, '-' as \- (the ASCII hyphen-minus), newlines as spaces,
/// and a leading '.' or '\'' (a control character) protected with \&.
[[nodiscard]] std::string roff(std::string_view text);

/// Each app's reference on stdout, from the app's own tables. 0 on success.
void print_dnsvizor_options(Format format);
void print_vpn_options(Format format);
int print_tls_proxy_options(Format format, const char* schema_path);

}  // namespace nfv::docgen
