#include "config/config_files.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <system_error>

#include <sys/stat.h>

namespace nfv::dnsvizor::config {
namespace {

FileError from_errno(int error) {
    return FileError{error == ENOENT ? FileError::Kind::kNotFound : FileError::Kind::kUnreadable,
                     std::strerror(error)};
}

}  // namespace

Result<std::string, FileError> OsConfigFiles::identity(const std::string& path) {
    if (path == "-") {
        return std::string("-");
    }
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        return Unexpected(from_errno(errno));
    }
    return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino);
}

Result<FileContent, FileError> OsConfigFiles::read(const std::string& path) {
    if (path == "-") {
        std::ostringstream text;
        text << std::cin.rdbuf();
        return FileContent{text.str(), "-"};
    }
    auto id = identity(path);
    if (!id) {
        return Unexpected(id.error());
    }
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        return Unexpected(FileError{FileError::Kind::kUnreadable, "Is a directory"});
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Unexpected(from_errno(errno != 0 ? errno : EACCES));
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) {
        return Unexpected(FileError{FileError::Kind::kUnreadable, "read error"});
    }
    return FileContent{buffer.str(), std::move(*id)};
}

Result<std::vector<std::string>, FileError> OsConfigFiles::list_regular_files(
    const std::string& directory) {
    std::error_code ec;
    std::filesystem::directory_iterator it(directory, ec);
    if (ec) {
        return Unexpected(from_errno(ec.value()));
    }
    std::vector<std::string> names;
    for (; it != std::filesystem::directory_iterator(); it.increment(ec)) {
        if (ec) {
            return Unexpected(from_errno(ec.value()));
        }
        std::error_code type_ec;
        // dnsmasq stat()s each entry: symlinks to regular files count as regular files.
        if (std::filesystem::is_regular_file(it->path(), type_ec)) {
            names.push_back(it->path().filename().string());
        }
    }
    if (ec) {
        return Unexpected(from_errno(ec.value()));
    }
    return names;
}

Result<FileContent, FileError> MemoryConfigFiles::read(const std::string& path) {
    const auto found = files_.find(path);
    if (found == files_.end()) {
        return Unexpected(FileError{FileError::Kind::kNotFound, "No such file or directory"});
    }
    return FileContent{found->second, path};
}

Result<std::string, FileError> MemoryConfigFiles::identity(const std::string& path) {
    if (files_.find(path) == files_.end()) {
        return Unexpected(FileError{FileError::Kind::kNotFound, "No such file or directory"});
    }
    return path;
}

Result<std::vector<std::string>, FileError> MemoryConfigFiles::list_regular_files(
    const std::string& directory) {
    std::string prefix = directory;
    if (prefix.empty() || prefix.back() != '/') {
        prefix += '/';
    }
    std::vector<std::string> names;
    for (const auto& [path, text] : files_) {
        if (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
            path.find('/', prefix.size()) == std::string::npos) {
            names.push_back(path.substr(prefix.size()));
        }
    }
    if (names.empty()) {
        return Unexpected(FileError{FileError::Kind::kNotFound, "No such file or directory"});
    }
    return names;
}

}  // namespace nfv::dnsvizor::config
