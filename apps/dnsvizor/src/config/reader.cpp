#include "config/reader.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace nfv::dnsvizor::config {
namespace {

// dnsmasq reads lines with fgets(MAXDNAME) and so splits longer ones; we read them whole and
// say so.
constexpr std::size_t kDnsmasqMaxLine = 1024;
// Includes are cycle-free (every file is read once) but may still nest deeply.
constexpr std::size_t kMaxIncludeDepth = 64;

// Characters dnsmasq hides inside quotes ("meta" in option.c): they never act as separators
// and are not trimmed.
bool is_meta(char c) {
    return std::strchr("123456789 \b\t\n\r0abcdefABCDEF\033:,.", c) != nullptr || c == '\0';
}

bool is_space(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// Short options that take a value (a ':' in dnsmasq's getopt string); every other short
// option is a plain flag on the command line, whatever its long form accepts.
bool short_takes_value(char c) {
    return std::strchr("rmpclsitugaxSCATHQIBFGOMXVUjPJWY2467803", c) != nullptr;
}

std::string option_key(const OptionSpec& spec) {
    // dhcp-lease and dhcp-leasefile are one option in dnsmasq (same short form).
    return spec.short_name != '\0' ? std::string(1, spec.short_name) : std::string(spec.name);
}

ConfigError error_at(const SourceLocation& where, std::string option, std::string message) {
    return ConfigError{where, std::move(option), std::move(message)};
}

}  // namespace

Result<std::optional<LexedLine>, std::string> lex_config_line(std::string_view line) {
    // fgets stops at a NUL for our purposes: nothing after it is seen by strlen.
    line = line.substr(0, line.find('\0'));
    std::string out;
    std::vector<bool> hidden;
    out.reserve(line.size());
    hidden.reserve(line.size());
    bool white = true;
    std::size_t i = 0;
    const std::size_t n = line.size();
    while (i < n) {
        char c = line[i];
        if (c == '"') {
            ++i;
            while (i < n && line[i] != '"') {
                if (line[i] == '\\' && i + 1 < n &&
                    std::strchr("\"tnebr\\", line[i + 1]) != nullptr) {
                    char escaped = line[i + 1];
                    switch (escaped) {
                        case 't':
                            escaped = '\t';
                            break;
                        case 'n':
                            escaped = '\n';
                            break;
                        case 'b':
                            escaped = '\b';
                            break;
                        case 'r':
                            escaped = '\r';
                            break;
                        case 'e':
                            escaped = '\033';
                            break;
                        default:
                            break;
                    }
                    out += escaped;
                    hidden.push_back(is_meta(escaped));
                    i += 2;
                    continue;
                }
                out += line[i];
                hidden.push_back(is_meta(line[i]));
                ++i;
            }
            if (i >= n) {
                return Unexpected(std::string("missing \""));
            }
            ++i;  // the closing quote
            if (i >= n) {
                break;
            }
            // dnsmasq examines the character after a closing quote as an ordinary one: a '"'
            // there is kept literally, and a '#' there starts a comment if a blank came before
            // the opening quote.
            c = line[i];
        }
        if (is_space(c)) {
            out += ' ';
            hidden.push_back(false);
            white = true;
        } else if (white && c == '#') {
            break;
        } else {
            out += c;
            hidden.push_back(false);
            white = false;
        }
        ++i;
    }

    auto blank = [&](std::size_t k) { return out[k] == ' ' && !hidden[k]; };
    std::size_t start = 0;
    while (start < out.size() && blank(start)) {
        ++start;
    }
    std::size_t end = out.size();
    while (end > start && blank(end - 1)) {
        --end;
    }
    if (start == end) {
        return std::optional<LexedLine>{};
    }

    LexedLine lexed;
    const std::size_t equals = out.find('=', start);
    std::size_t name_end = end;
    if (equals != std::string::npos && equals < end) {
        std::size_t arg = equals + 1;
        while (arg < end && blank(arg)) {
            ++arg;
        }
        lexed.has_value = true;
        lexed.value = out.substr(arg, end - arg);
        lexed.quoted.assign(hidden.begin() + static_cast<std::ptrdiff_t>(arg),
                            hidden.begin() + static_cast<std::ptrdiff_t>(end));
        // dnsmasq strips blanks and '=' backwards from the first '='.
        name_end = equals;
        while (name_end > start &&
               ((out[name_end - 1] == ' ' && !hidden[name_end - 1]) || out[name_end - 1] == '=')) {
            --name_end;
        }
    }
    lexed.name = out.substr(start, name_end - start);
    lexed.name_quoted = std::any_of(hidden.begin() + static_cast<std::ptrdiff_t>(start),
                                    hidden.begin() + static_cast<std::ptrdiff_t>(name_end),
                                    [](bool b) { return b; });
    return std::optional<LexedLine>{std::move(lexed)};
}

Result<void, ConfigError> ConfigReader::add_option(ReadOption option) {
    const OptionSpec& spec = *option.spec;
    const bool command_line = option.raw.where.from_command_line();
    if (spec.repeat == Repeat::kOnce) {
        const std::string key = option_key(spec);
        auto it = std::find_if(once_.begin(), once_.end(),
                               [&](const auto& entry) { return entry.first == key; });
        if (it == once_.end()) {
            once_.emplace_back(key, OnceState::kUnused);
            it = once_.end() - 1;
        }
        if (command_line) {
            if (it->second == OnceState::kUsedOnCommandLine) {
                return Unexpected(
                    error_at(option.raw.where, option.raw.name, "illegal repeated flag"));
            }
            if (it->second == OnceState::kUnused) {
                it->second = OnceState::kUsedOnCommandLine;
            }
        } else {
            if (it->second == OnceState::kUsedInFile) {
                return Unexpected(
                    error_at(option.raw.where, option.raw.name, "illegal repeated keyword"));
            }
            it->second = OnceState::kUsedInFile;
        }
    }

    if (spec.status == OptionStatus::kReader) {
        if (spec.name == "conf-file") {
            if (!option.raw.has_value || option.raw.value.empty()) {
                return {};  // dnsmasq ignores a conf-file without a name
            }
            return read_file(option.raw.value, false, option.raw.where);
        }
        if (spec.name == "conf-dir") {
            return read_directory(option.raw.value, option.raw.where);
        }
        if (spec.name == "servers-file") {
            servers_file_.emplace(option.raw.value, option.raw.where);  // read last
            return {};
        }
        if (spec.name == "print-config") {  // ours: dnsmasq has no such option
            return Unexpected(error_at(option.raw.where, option.raw.name, "bad option"));
        }
        // dnsmasq accepts test, help and version in files and does nothing with them.
        warnings_.push_back(ConfigWarning{option.raw.where, option.raw.name,
                                          "only has an effect on the command line; ignored"});
        return {};
    }
    options_.push_back(std::move(option));
    return {};
}

Result<void, ConfigError> ConfigReader::read_file(const std::string& path, bool missing_ok,
                                                  const SourceLocation& from) {
    const std::string option = from.from_command_line() && from.line == 0 ? "" : "conf-file";
    auto id = files_.identity(path);
    if (id) {
        if (identities_.count(*id) != 0) {
            return {};  // never the same file twice
        }
        identities_.insert(*id);
    } else if (id.error().kind == FileError::Kind::kNotFound && missing_ok) {
        return {};
    }
    auto content = files_.read(path);
    if (!content) {
        if (content.error().kind == FileError::Kind::kNotFound && missing_ok) {
            return {};
        }
        return Unexpected(
            error_at(from, option, "cannot read " + path + ": " + content.error().message));
    }
    return read_contents(content->text, path == "-" ? std::string("stdin") : path);
}

Result<void, ConfigError> ConfigReader::read_text(std::string_view text, const std::string& name) {
    return read_contents(text, name);
}

Result<void, ConfigError> ConfigReader::read_contents(std::string_view text,
                                                      const std::string& name) {
    if (depth_ >= kMaxIncludeDepth) {
        return Unexpected(
            error_at(SourceLocation{name, 0}, "conf-file", "includes nested more than 64 deep"));
    }
    ++depth_;
    files_read_.push_back(name);
    std::size_t line_number = 0;
    std::size_t position = 0;
    Result<void, ConfigError> status;
    while (position < text.size()) {
        const std::size_t newline = text.find('\n', position);
        const std::size_t line_end = newline == std::string_view::npos ? text.size() : newline;
        const std::string_view line = text.substr(position, line_end - position);
        position = line_end + 1;
        ++line_number;
        const SourceLocation where{name, line_number};

        auto lexed = lex_config_line(line);
        if (!lexed) {
            status = Unexpected(error_at(where, "", lexed.error()));
            break;
        }
        if (!lexed->has_value()) {
            continue;
        }
        LexedLine& lex = **lexed;
        if (line.size() > kDnsmasqMaxLine) {
            warnings_.push_back(ConfigWarning{
                where, lex.name, "line is longer than 1024 characters; dnsmasq would split it"});
        }
        const OptionSpec* spec = lex.name_quoted ? nullptr : find_option(lex.name);
        if (spec == nullptr) {
            status = Unexpected(error_at(where, lex.name, "bad option"));
            break;
        }
        if (spec->arg == ArgKind::kNone && lex.has_value) {
            status = Unexpected(error_at(where, lex.name, "extraneous parameter"));
            break;
        }
        if (spec->arg == ArgKind::kRequired && !lex.has_value) {
            status = Unexpected(error_at(where, lex.name, "missing parameter"));
            break;
        }
        ReadOption option{
            RawOption{std::move(lex.name), std::move(lex.value), lex.has_value, where}, spec,
            std::move(lex.quoted)};
        status = add_option(std::move(option));
        if (!status) {
            break;
        }
    }
    --depth_;
    return status;
}

Result<void, ConfigError> ConfigReader::read_directory(std::string_view value,
                                                       const SourceLocation& from) {
    // conf-dir=DIR[,SUFFIX|*SUFFIX...], fields split on ',' with blanks around them trimmed.
    std::vector<std::string> fields;
    std::size_t position = 0;
    while (true) {
        const std::size_t comma = value.find(',', position);
        std::string_view field = value.substr(
            position, comma == std::string_view::npos ? std::string_view::npos : comma - position);
        while (!field.empty() && field.front() == ' ') {
            field.remove_prefix(1);
        }
        while (!field.empty() && field.back() == ' ') {
            field.remove_suffix(1);
        }
        fields.emplace_back(field);
        if (comma == std::string_view::npos) {
            break;
        }
        position = comma + 1;
    }
    const std::string directory = fields.front();
    std::vector<std::string> match_suffixes;
    std::vector<std::string> ignore_suffixes;
    for (std::size_t i = 1; i < fields.size(); ++i) {
        if (fields[i].empty() || fields[i] == "*") {
            continue;  // "*" alone is a no-op in dnsmasq
        }
        if (fields[i].front() == '*') {
            match_suffixes.push_back(fields[i].substr(1));
        } else {
            ignore_suffixes.push_back(fields[i]);
        }
    }
    auto listing = files_.list_regular_files(directory);
    if (!listing) {
        return Unexpected(
            error_at(from, "conf-dir",
                     "cannot access directory " + directory + ": " + listing.error().message));
    }
    auto ends_with = [](const std::string& name, const std::string& suffix) {
        return name.size() > suffix.size() &&
               name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    std::vector<std::string> paths;
    for (const auto& name : *listing) {
        if (name.empty() || name.back() == '~' || name.front() == '.' ||
            (name.front() == '#' && name.back() == '#')) {
            continue;  // editor backups and dot files
        }
        if (!match_suffixes.empty() &&
            std::none_of(match_suffixes.begin(), match_suffixes.end(),
                         [&](const std::string& s) { return ends_with(name, s); })) {
            continue;
        }
        if (std::any_of(ignore_suffixes.begin(), ignore_suffixes.end(),
                        [&](const std::string& s) { return ends_with(name, s); })) {
            continue;
        }
        paths.push_back(directory + "/" + name);
    }
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
        auto read = read_file(path, false, from);
        if (!read) {
            return read;
        }
    }
    return {};
}

Result<CommandLineModes, ConfigError> ConfigReader::read_command_line(
    std::span<const std::string_view> args, const std::string& default_conf_file) {
    CommandLineModes modes;
    std::optional<std::string> main_conf_file;
    bool options_ended = false;

    // Applies one command-line option (argument index `index`, 1-based like argv).
    auto apply = [&](const OptionSpec& spec, bool has_value, std::string_view value,
                     std::size_t index) -> Result<bool, ConfigError> {  // true = stop
        const SourceLocation where{"", index};
        if (spec.name == "help") {
            modes.help = true;
            return true;
        }
        if (spec.name == "version") {
            modes.version = true;
            return true;
        }
        if (spec.name == "test") {
            modes.test = true;
            return false;
        }
        if (spec.name == "print-config") {
            modes.print_config = true;
            return false;
        }
        if (spec.name == "conf-file" && !main_conf_file.has_value()) {
            if (has_value && !value.empty()) {
                main_conf_file = std::string(value);  // read after the command line
            }
            return false;
        }
        ReadOption option{RawOption{std::string(spec.name), std::string(value), has_value, where},
                          &spec, std::vector<bool>(value.size(), false)};
        auto added = add_option(std::move(option));
        if (!added) {
            return Unexpected(added.error());
        }
        return false;
    };

    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string_view arg = args[i];
        const std::size_t index = i + 1;
        const SourceLocation where{"", index};
        if (options_ended || arg.size() < 2 || arg[0] != '-') {
            // getopt collects these; dnsmasq rejects any that is not blank.
            if (std::any_of(arg.begin(), arg.end(), [](char c) { return !is_space(c); })) {
                return Unexpected(
                    error_at(where, "", "junk found in command line: '" + std::string(arg) + "'"));
            }
            continue;
        }
        if (arg == "--") {
            options_ended = true;
            continue;
        }
        if (arg[1] == '-') {
            const std::string_view body = arg.substr(2);
            const std::size_t equals = body.find('=');
            const std::string_view name = body.substr(0, equals);
            const OptionSpec* spec = find_option(name);
            if (spec == nullptr && !name.empty()) {
                // getopt_long accepts an unambiguous prefix of a long name.
                const OptionSpec* candidate = nullptr;
                bool ambiguous = false;
                for (const auto& entry : all_options()) {
                    if (entry.name.substr(0, name.size()) == name) {
                        if (candidate != nullptr && option_key(*candidate) != option_key(entry)) {
                            ambiguous = true;
                        }
                        candidate = candidate == nullptr ? &entry : candidate;
                    }
                }
                if (ambiguous) {
                    return Unexpected(
                        error_at(where, std::string(name), "ambiguous option; try --help"));
                }
                spec = candidate;
            }
            if (spec == nullptr) {
                return Unexpected(error_at(where, std::string(name), "bad option; try --help"));
            }
            bool has_value = equals != std::string_view::npos;
            std::string_view value = has_value ? body.substr(equals + 1) : std::string_view{};
            if (spec->arg == ArgKind::kNone && has_value) {
                return Unexpected(error_at(where, std::string(spec->name), "extraneous parameter"));
            }
            if (spec->arg == ArgKind::kRequired && !has_value) {
                if (i + 1 >= args.size()) {
                    return Unexpected(
                        error_at(where, std::string(spec->name), "missing parameter"));
                }
                ++i;
                value = args[i];
                has_value = true;
            }
            auto applied = apply(*spec, has_value, value, index);
            if (!applied) {
                return Unexpected(applied.error());
            }
            if (*applied) {
                return modes;
            }
            continue;
        }
        // A cluster of short options: "-kd", "-p5353", "-p" "5353".
        for (std::size_t k = 1; k < arg.size(); ++k) {
            const char c = arg[k];
            const OptionSpec* spec = find_short_option(c);
            if (spec == nullptr) {
                return Unexpected(error_at(where, std::string("-") + c, "bad option; try --help"));
            }
            if (!short_takes_value(c)) {
                auto applied = apply(*spec, false, {}, index);
                if (!applied) {
                    return Unexpected(applied.error());
                }
                if (*applied) {
                    return modes;
                }
                continue;
            }
            std::string_view value = arg.substr(k + 1);
            if (value.empty()) {
                if (i + 1 >= args.size()) {
                    return Unexpected(
                        error_at(where, std::string(spec->name), "missing parameter"));
                }
                ++i;
                value = args[i];
            }
            auto applied = apply(*spec, true, value, index);
            if (!applied) {
                return Unexpected(applied.error());
            }
            if (*applied) {
                return modes;
            }
            break;
        }
    }

    if (main_conf_file.has_value()) {
        auto read = read_file(*main_conf_file, false, SourceLocation{"", 0});
        if (!read) {
            return Unexpected(read.error());
        }
    } else if (!default_conf_file.empty()) {
        auto read = read_file(default_conf_file, true, SourceLocation{"", 0});
        if (!read) {
            return Unexpected(read.error());
        }
    }
    read_servers_file();
    return modes;
}

void ConfigReader::read_servers_file() {
    if (!servers_file_) {
        return;
    }
    const auto [path, from] = *servers_file_;
    servers_file_.reset();
    auto content = files_.read(path);
    if (!content) {
        warnings_.push_back(ConfigWarning{from, "servers-file",
                                          "cannot read " + path + ": " + content.error().message});
        return;
    }
    std::string_view text = content->text;
    std::size_t line_number = 0;
    while (!text.empty()) {
        const std::size_t newline = text.find('\n');
        const std::string_view line = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        const SourceLocation where{path, ++line_number};
        auto lexed = lex_config_line(line);
        if (!lexed) {
            warnings_.push_back(ConfigWarning{where, "", lexed.error() + "; line ignored"});
            continue;
        }
        if (!lexed->has_value()) {
            continue;
        }
        LexedLine& lex = **lexed;
        if (lex.name_quoted || (lex.name != "server" && lex.name != "rev-server")) {
            warnings_.push_back(ConfigWarning{where, lex.name, "illegal option; line ignored"});
            continue;
        }
        if (!lex.has_value) {
            warnings_.push_back(ConfigWarning{where, lex.name, "missing parameter; line ignored"});
            continue;
        }
        options_.push_back(
            ReadOption{RawOption{std::move(lex.name), std::move(lex.value), true, where},
                       find_option(lex.name == "server" ? "server" : "rev-server"),
                       std::move(lex.quoted), true});
    }
}

}  // namespace nfv::dnsvizor::config
