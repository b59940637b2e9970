#include "config/config_loader.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

namespace nfv::vpn::config {
namespace {

Result<void, ConfigError> expand(std::vector<Directive> input, int level, FileReader& reader,
                                 std::string& cd, std::vector<Directive>& out);

// `path` as OpenVPN opens it: OpenVPN chdir()s when it reads `cd`, so a relative name given
// after a `cd` (e.g. `openvpn --cd /etc/openvpn --config server.conf`) is relative to it.
std::string under_cd(const std::string& cd, const std::string& path) {
    if (cd.empty() || path.empty() || path.front() == '/') {
        return path;
    }
    return cd + "/" + path;
}

Result<void, ConfigError> include_file(const Directive& at, int level, FileReader& reader,
                                       std::string& cd, std::vector<Directive>& out) {
    const std::string path = under_cd(cd, at.args.front());
    if (level >= kMaxConfigNesting) {
        return Unexpected(ConfigError{at.file, at.line, at.name,
                                      "Maximum recursive include levels exceeded in include "
                                      "attempt of file " +
                                          path + " (does a config include itself?)"});
    }
    auto text = reader.read(path);
    if (!text) {
        return Unexpected(
            ConfigError{at.file, at.line, at.name,
                        "Error opening configuration file " + path + ": " + text.error()});
    }
    auto directives = lex_config(*text, path);
    if (!directives) {
        return Unexpected(directives.error());
    }
    return expand(std::move(*directives), level + 1, reader, cd, out);
}

Result<void, ConfigError> expand(std::vector<Directive> input, int level, FileReader& reader,
                                 std::string& cd, std::vector<Directive>& out) {
    for (auto& directive : input) {
        if (directive.name == "cd" && directive.args.size() == 1) {
            cd = under_cd(cd, directive.args.front());
        }
        if (directive.name == "config" && !directive.is_inline) {
            if (directive.args.size() != 1) {
                return Unexpected(ConfigError{directive.file, directive.line, directive.name,
                                              "expects exactly one parameter (a file name)"});
            }
            auto included = include_file(directive, level, reader, cd, out);
            if (!included) {
                return included;
            }
            continue;
        }
        out.push_back(std::move(directive));
    }
    return {};
}

Result<std::vector<Directive>, ConfigError> expand_all(std::vector<Directive> input, int level,
                                                       FileReader& reader) {
    std::vector<Directive> out;
    std::string cd;
    auto expanded = expand(std::move(input), level, reader, cd, out);
    if (!expanded) {
        return Unexpected(expanded.error());
    }
    return out;
}

}  // namespace

Result<std::string, std::string> DiskFileReader::read(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        return Unexpected(std::string(std::strerror(errno)));
    }
    std::string content;
    char buffer[8192];
    while (file.read(buffer, sizeof(buffer)) || file.gcount() > 0) {
        content.append(buffer, static_cast<std::size_t>(file.gcount()));
        if (content.size() > kMaxConfigFileSize) {
            return Unexpected("file is larger than " + std::to_string(kMaxConfigFileSize) +
                              " bytes");
        }
    }
    if (file.bad()) {
        return Unexpected(std::string("read error"));
    }
    return content;
}

Result<std::vector<Directive>, ConfigError> load_config_text(std::string_view text,
                                                             std::string_view file_name,
                                                             FileReader& reader) {
    auto directives = lex_config(text, file_name);
    if (!directives) {
        return Unexpected(directives.error());
    }
    return expand_all(std::move(*directives), 1, reader);
}

Result<std::vector<Directive>, ConfigError> load_config_file(const std::string& path,
                                                             FileReader& reader) {
    const Directive at{"config", {path}, false, kCommandLineFile, 1};
    std::vector<Directive> out;
    std::string cd;
    auto loaded = include_file(at, 0, reader, cd, out);
    if (!loaded) {
        return Unexpected(loaded.error());
    }
    return out;
}

Result<std::vector<Directive>, ConfigError> load_command_line(std::span<const std::string> args,
                                                              FileReader& reader) {
    auto directives = lex_command_line(args);
    if (!directives) {
        return Unexpected(directives.error());
    }
    return expand_all(std::move(*directives), 0, reader);
}

}  // namespace nfv::vpn::config
