// Loading an OpenVPN configuration: reads files through a FileReader, lexes them
// (config_lexer.hpp) and expands `config FILE` directives in place, as OpenVPN 2.6's
// read_config_file() does (options.c; man openvpn, "--config file").
//
//  * `config FILE` is replaced by the directives of FILE at that point; files may nest up to
//    10 levels (OpenVPN's max_recursive_levels), deeper nesting is an error naming the
//    including file and line.
//  * The command line is processed in order, so `nfv-vpn --config a.conf --verb 4` applies
//    `verb 4` after everything in a.conf (later directives override earlier ones).
//  * Relative paths are handed to the FileReader unchanged: like OpenVPN, they are relative to
//    the working directory (see `cd`), not to the including file.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/platform/result.hpp"

#include "config/config_error.hpp"
#include "config/config_lexer.hpp"

namespace nfv::vpn::config {

/// OpenVPN's max_recursive_levels for nested `config` directives.
inline constexpr int kMaxConfigNesting = 10;
/// Largest config or key file we read (OpenVPN has no limit; ours bounds memory).
inline constexpr std::size_t kMaxConfigFileSize = 4U * 1024U * 1024U;

/// The only file access of the config layer. Tests provide an in-memory implementation.
class FileReader {
public:
    FileReader() = default;
    FileReader(const FileReader&) = delete;
    FileReader& operator=(const FileReader&) = delete;
    virtual ~FileReader() = default;

    /// The whole content of `path`, or a message such as "No such file or directory".
    [[nodiscard]] virtual Result<std::string, std::string> read(const std::string& path) = 0;

protected:
    FileReader(FileReader&&) = default;
    FileReader& operator=(FileReader&&) = default;
};

/// Reads from the local file system (relative paths against the process working directory);
/// files larger than kMaxConfigFileSize are refused.
class DiskFileReader final : public FileReader {
public:
    [[nodiscard]] Result<std::string, std::string> read(const std::string& path) override;
};

/// Lexes `text` (named `file_name` in messages) and expands its `config` directives.
[[nodiscard]] Result<std::vector<Directive>, ConfigError> load_config_text(
    std::string_view text, std::string_view file_name, FileReader& reader);

/// Reads `path` as a config file and expands its `config` directives.
[[nodiscard]] Result<std::vector<Directive>, ConfigError> load_config_file(const std::string& path,
                                                                           FileReader& reader);

/// Lexes the command line (argv without the program name; see lex_command_line) and expands
/// every `--config FILE` in place.
[[nodiscard]] Result<std::vector<Directive>, ConfigError> load_command_line(
    std::span<const std::string> args, FileReader& reader);

}  // namespace nfv::vpn::config
