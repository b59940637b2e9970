#include "config/config_lexer.hpp"

#include <cstdint>
#include <optional>

namespace nfv::vpn::config {
namespace {

// OpenVPN's space(): the string terminator or isspace() in the C locale.
bool is_space(char c) {
    return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

enum class State : std::uint8_t { kInitial, kUnquoted, kDoubleQuoted, kSingleQuoted };

ConfigError make_error(std::string_view file, std::size_t line, std::string directive,
                       std::string message) {
    return ConfigError{std::string(file), line, std::move(directive), std::move(message)};
}

// One line of `text` starting at `pos`, with its '\n' when it has one; advances `pos`.
std::string_view next_line(std::string_view text, std::size_t& pos) {
    const std::size_t start = pos;
    const std::size_t newline = text.find('\n', start);
    if (newline == std::string_view::npos) {
        pos = text.size();
        return text.substr(start);
    }
    pos = newline + 1;
    return text.substr(start, newline + 1 - start);
}

// The tag name of an inline block opener: the single token "<tag>"; nullopt otherwise.
std::optional<std::string> inline_tag(const std::vector<std::string>& tokens) {
    if (tokens.size() != 1) {
        return std::nullopt;
    }
    const std::string& token = tokens.front();
    if (token.size() < 2 || token.front() != '<' || token.back() != '>') {
        return std::nullopt;
    }
    return token.substr(1, token.size() - 2);
}

// Drops one leading "--" from a directive name of three or more characters
// (bypass_doubledash()).
void bypass_double_dash(std::string& name) {
    if (name.size() >= 3 && name.starts_with("--")) {
        name.erase(0, 2);
    }
}

}  // namespace

Result<std::vector<std::string>, std::string> split_line(std::string_view line) {
    std::vector<std::string> tokens;
    std::string token;
    State state = State::kInitial;
    bool backslash = false;

    // Walk the characters plus a terminating '\0', as OpenVPN's do/while over a C string does:
    // the terminator is whitespace and ends an unquoted token.
    for (std::size_t i = 0; i <= line.size(); ++i) {
        const char in = i < line.size() ? line[i] : '\0';
        if (i < line.size() && in == '\0') {
            return Unexpected(std::string("NUL character in line"));
        }
        char out = '\0';
        bool done = false;

        if (!backslash && in == '\\' && state != State::kSingleQuoted) {
            backslash = true;
        } else {
            switch (state) {
                case State::kInitial:
                    if (!is_space(in)) {
                        if (in == ';' || in == '#') {
                            // A comment starts where a token would: the rest is ignored.
                            return tokens;
                        }
                        if (!backslash && in == '"') {
                            state = State::kDoubleQuoted;
                        } else if (!backslash && in == '\'') {
                            state = State::kSingleQuoted;
                        } else {
                            out = in;
                            state = State::kUnquoted;
                        }
                    }
                    break;
                case State::kUnquoted:
                    if (!backslash && is_space(in)) {
                        done = true;
                    } else {
                        out = in;
                    }
                    break;
                case State::kDoubleQuoted:
                    if (!backslash && in == '"') {
                        done = true;
                    } else {
                        out = in;
                    }
                    break;
                case State::kSingleQuoted:
                    if (in == '\'') {
                        done = true;
                    } else {
                        out = in;
                    }
                    break;
            }
            if (done) {
                if (tokens.size() == kMaxTokensPerLine) {
                    return Unexpected(std::string("too many parameters (at most ") +
                                      std::to_string(kMaxTokensPerLine - 1) +
                                      " after the directive name)");
                }
                tokens.push_back(std::move(token));
                token.clear();
                state = State::kInitial;
            }
            if (backslash && out != '\0' && !(out == '\\' || out == '"' || is_space(out))) {
                return Unexpected(std::string(
                    "Bad backslash ('\\') usage: a backslash may only escape '\\', '\"' or "
                    "whitespace; write a literal backslash as \"\\\\\""));
            }
            backslash = false;
        }

        if (out != '\0') {
            if (token.size() >= kMaxTokenLength) {
                return Unexpected(std::string("parameter is too long (") +
                                  std::to_string(kMaxTokenLength) + " characters max)");
            }
            token.push_back(out);
        }
    }

    switch (state) {
        case State::kInitial:
            return tokens;
        case State::kDoubleQuoted:
            return Unexpected(std::string("No closing quotation (\")"));
        case State::kSingleQuoted:
            return Unexpected(std::string("No closing single quotation (')"));
        case State::kUnquoted:
            break;
    }
    // Only reachable when the line ends in a lone backslash.
    return Unexpected(std::string("line ends with an unfinished backslash escape"));
}

Result<std::vector<Directive>, ConfigError> lex_config(std::string_view text,
                                                       std::string_view file_name) {
    std::vector<Directive> directives;
    std::size_t pos = 0;
    std::size_t line_number = 0;

    if (text.starts_with("\xEF\xBB\xBF")) {
        pos = 3;  // UTF-8 byte order mark
    }
    while (pos < text.size()) {
        const std::string_view line = next_line(text, pos);
        ++line_number;
        const std::size_t directive_line = line_number;
        if (line.size() > kMaxLineLength) {
            return Unexpected(make_error(file_name, directive_line, "",
                                         "line is longer than " + std::to_string(kMaxLineLength) +
                                             " characters (OpenVPN's OPTION_LINE_SIZE)"));
        }
        auto tokens = split_line(line);
        if (!tokens) {
            return Unexpected(make_error(file_name, directive_line, "", tokens.error()));
        }
        if (tokens->empty()) {
            continue;
        }
        bypass_double_dash(tokens->front());

        Directive directive;
        directive.file = std::string(file_name);
        directive.line = directive_line;
        if (auto tag = inline_tag(*tokens)) {
            if (tag->empty()) {
                return Unexpected(
                    make_error(file_name, directive_line, "<>", "inline block without a name"));
            }
            const std::string close_tag = "</" + *tag + ">";
            std::string content;
            bool closed = false;
            while (pos < text.size()) {
                const std::string_view body_line = next_line(text, pos);
                ++line_number;
                const std::size_t first = body_line.find_first_not_of(" \t\n\v\f\r");
                if (first != std::string_view::npos &&
                    body_line.substr(first).starts_with(close_tag)) {
                    closed = true;
                    break;
                }
                content += body_line;
                if (!body_line.ends_with('\n')) {
                    content += '\n';  // OpenVPN appends the newline a last line lacks
                }
            }
            if (!closed) {
                return Unexpected(make_error(file_name, directive_line, *tag,
                                             "end tag " + close_tag + " missing"));
            }
            directive.name = std::move(*tag);
            directive.args.push_back(std::move(content));
            directive.is_inline = true;
        } else {
            directive.name = std::move(tokens->front());
            directive.args.assign(std::make_move_iterator(tokens->begin() + 1),
                                  std::make_move_iterator(tokens->end()));
        }
        directives.push_back(std::move(directive));
    }
    return directives;
}

Result<std::vector<Directive>, ConfigError> lex_command_line(std::span<const std::string> args) {
    std::vector<Directive> directives;
    if (args.size() == 1 && !args.front().starts_with("--")) {
        directives.push_back(Directive{"config", {args.front()}, false, kCommandLineFile, 1});
        return directives;
    }
    std::size_t i = 0;
    while (i < args.size()) {
        const std::string& arg = args[i];
        if (!arg.starts_with("--")) {
            return Unexpected(make_error(kCommandLineFile, 1, arg,
                                         "I'm trying to parse \"" + arg +
                                             "\" as an --option parameter but I don't see a "
                                             "leading '--'"));
        }
        Directive directive;
        directive.name = arg.substr(2);
        directive.file = kCommandLineFile;
        directive.line = 1;
        if (directive.name.empty()) {
            return Unexpected(make_error(kCommandLineFile, 1, "--", "option without a name"));
        }
        ++i;
        while (i < args.size() && !args[i].starts_with("--")) {
            if (directive.args.size() + 1 == kMaxTokensPerLine) {
                return Unexpected(make_error(
                    kCommandLineFile, 1, directive.name,
                    "too many parameters (at most " + std::to_string(kMaxTokensPerLine - 1) + ")"));
            }
            directive.args.push_back(args[i]);
            ++i;
        }
        directives.push_back(std::move(directive));
    }
    return directives;
}

}  // namespace nfv::vpn::config
