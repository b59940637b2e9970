// Fuzz target: OpenVPN config text through the lexer, the option table and the typed
// client/server config.
// Properties: never crashes; errors name the file and a line; directive lines are
// non-decreasing and inside the text; an inline block has exactly one argument; no directive
// has more than MAX_PARMS tokens.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config_lexer.hpp"
#include "config/vpn_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace config = nfv::vpn::config;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto lexed = config::lex_config(text, "fuzz.conf");
    if (!lexed) {
        if (lexed.error().file != "fuzz.conf" || lexed.error().line == 0) {
            std::abort();
        }
        return 0;
    }
    std::size_t lines = 1;
    for (const char c : text) {
        lines += c == '\n' ? 1U : 0U;
    }
    std::size_t previous = 0;
    for (const auto& directive : *lexed) {
        if (directive.line < previous || directive.line == 0 || directive.line > lines) {
            std::abort();
        }
        if (directive.is_inline && directive.args.size() != 1) {
            std::abort();
        }
        if (!directive.is_inline && directive.args.size() >= config::kMaxTokensPerLine) {
            std::abort();
        }
        previous = directive.line;
    }
    // Interpretation must report problems, never crash; every diagnostic names a directive
    // position taken from the input.
    const auto parsed = config::parse_vpn_config(*lexed);
    for (const auto& error : parsed.diagnostics.errors) {
        if (error.line > lines) {
            std::abort();
        }
    }
    return 0;
}
