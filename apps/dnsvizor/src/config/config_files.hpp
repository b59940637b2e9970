// Where the config reader gets file contents and directory listings from.
//
// The reader never touches the file system itself: OsConfigFiles reads real files (and "-" as
// standard input), MemoryConfigFiles serves a fixed map for tests and the fuzz target. Both
// give each file an identity so the reader can refuse to read the same file twice, as dnsmasq
// does by inode.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "nfv/platform/result.hpp"

namespace nfv::dnsvizor::config {

struct FileError {
    enum class Kind : std::uint8_t { kNotFound, kUnreadable };
    Kind kind = Kind::kUnreadable;
    std::string message;  // e.g. "No such file or directory"
};

struct FileContent {
    std::string text;
    std::string identity;  // equal for the same file reached by different paths
};

class ConfigFiles {
public:
    virtual ~ConfigFiles() = default;
    /// The whole file at `path`.
    [[nodiscard]] virtual Result<FileContent, FileError> read(const std::string& path) = 0;
    /// The identity of `path` without reading it; an error if it does not exist.
    [[nodiscard]] virtual Result<std::string, FileError> identity(const std::string& path) = 0;
    /// Names (not paths) of the regular files directly inside `directory`, any order.
    [[nodiscard]] virtual Result<std::vector<std::string>, FileError> list_regular_files(
        const std::string& directory) = 0;
};

/// The real file system; "-" reads standard input.
class OsConfigFiles final : public ConfigFiles {
public:
    [[nodiscard]] Result<FileContent, FileError> read(const std::string& path) override;
    [[nodiscard]] Result<std::string, FileError> identity(const std::string& path) override;
    [[nodiscard]] Result<std::vector<std::string>, FileError> list_regular_files(
        const std::string& directory) override;
};

/// Files held in memory: path -> text. A directory is every path "dir/name" with no further
/// '/'. The identity of a file is its path.
class MemoryConfigFiles final : public ConfigFiles {
public:
    MemoryConfigFiles() = default;
    explicit MemoryConfigFiles(std::map<std::string, std::string> files)
        : files_(std::move(files)) {}
    void add(std::string path, std::string text) { files_[std::move(path)] = std::move(text); }

    [[nodiscard]] Result<FileContent, FileError> read(const std::string& path) override;
    [[nodiscard]] Result<std::string, FileError> identity(const std::string& path) override;
    [[nodiscard]] Result<std::vector<std::string>, FileError> list_regular_files(
        const std::string& directory) override;

private:
    std::map<std::string, std::string> files_;
};

}  // namespace nfv::dnsvizor::config
