#include "dns/hosts_loader.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace nfv::dnsvizor::dns {
namespace {

/// dnsmasq skips these names when reading a directory (option.c / inotify.c).
bool skipped_in_directory(const std::string& name) {
    return name.empty() || name.front() == '.' || name.back() == '~' ||
           (name.size() >= 2 && name.front() == '#' && name.back() == '#');
}

void load_file(const std::string& path, HostsData& out) {
    std::ifstream stream(path, std::ios::binary);
    if (!stream) {
        out.problems.push_back({path, 0, "failed to load names: cannot open file"});
        return;
    }
    std::ostringstream text;
    text << stream.rdbuf();
    if (stream.bad()) {
        out.problems.push_back({path, 0, "failed to load names: read error"});
        return;
    }
    auto content = parse_hosts_file(text.str());
    for (auto& problem : content.problems) {
        out.problems.push_back({path, problem.line, std::move(problem.message)});
    }
    out.files.push_back({path, std::move(content.entries)});
}

}  // namespace

void load_hosts_path(const std::string& path, HostsData& out) {
    std::error_code error;
    if (!std::filesystem::is_directory(path, error)) {
        load_file(path, out);
        return;
    }
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(path, error)) {
        const std::string name = entry.path().filename().string();
        std::error_code type_error;
        if (skipped_in_directory(name) || !entry.is_regular_file(type_error)) {
            continue;
        }
        files.push_back(entry.path().string());
    }
    if (error) {
        out.problems.push_back({path, 0, "cannot read directory: " + error.message()});
        return;
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        load_file(file, out);
    }
}

HostsData load_hosts(const LocalDataSettings& settings) {
    HostsData data;
    if (!settings.no_hosts) {
        load_hosts_path(settings.hosts_file, data);
    }
    for (const auto& path : settings.addn_hosts) {
        load_hosts_path(path, data);
    }
    for (const auto& path : settings.hostsdirs) {
        load_hosts_path(path, data);
    }
    return data;
}

std::string to_string(const HostsLoadProblem& problem) {
    if (problem.line == 0) {
        return problem.file + ": " + problem.message;
    }
    return problem.file + ":" + std::to_string(problem.line) + ": " + problem.message;
}

}  // namespace nfv::dnsvizor::dns
