#include "config/invocation.hpp"

#include "config/mapper.hpp"
#include "config/reader.hpp"

namespace nfv::dnsvizor::config {
namespace {

Result<DnsmasqConfig, ConfigError> map_all(const ConfigReader& reader) {
    DnsmasqConfig config;
    config.warnings = reader.warnings();
    for (const auto& option : reader.options()) {
        if (auto applied = apply_option(option, config); !applied) {
            return Unexpected(applied.error());
        }
    }
    if (auto finished = finish_config(config); !finished) {
        return Unexpected(finished.error());
    }
    config.process.config_files = reader.files_read();
    return config;
}

}  // namespace

Result<Invocation, ConfigError> parse_invocation(std::span<const std::string_view> args,
                                                 ConfigFiles& files,
                                                 const std::string& default_conf_file) {
    ConfigReader reader(files);
    auto modes = reader.read_command_line(args, default_conf_file);
    if (!modes) {
        return Unexpected(modes.error());
    }
    Invocation invocation;
    if (modes->help) {
        invocation.mode = Mode::kHelp;
        return invocation;
    }
    if (modes->version) {
        invocation.mode = Mode::kVersion;
        return invocation;
    }
    invocation.mode = modes->test           ? Mode::kTest
                      : modes->print_config ? Mode::kPrintConfig
                                            : Mode::kRun;
    auto config = map_all(reader);
    if (!config) {
        return Unexpected(config.error());
    }
    invocation.config = std::move(*config);
    return invocation;
}

Result<Invocation, ConfigError> parse_invocation(std::span<const std::string_view> args) {
    OsConfigFiles files;
    return parse_invocation(args, files, std::string(kDefaultConfFile));
}

Result<DnsmasqConfig, ConfigError> parse_config_text(std::string_view text,
                                                     const std::string& name) {
    MemoryConfigFiles files;
    ConfigReader reader(files);
    if (auto read = reader.read_text(text, name); !read) {
        return Unexpected(read.error());
    }
    reader.read_servers_file();
    return map_all(reader);
}

}  // namespace nfv::dnsvizor::config
