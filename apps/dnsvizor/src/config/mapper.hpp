// Maps read options onto DnsmasqConfig following the option table: mapped options are parsed
// and validated into DnsSettings/ProcessSettings (with dnsmasq 2.90's value syntax and
// defaults), DHCP-group options are appended verbatim to `dhcp`, options we do not implement
// add a named warning, rejected ones an error naming file, line and option.
#pragma once

#include "nfv/platform/result.hpp"

#include "config/config_error.hpp"
#include "config/dnsmasq_config.hpp"
#include "config/reader.hpp"

namespace nfv::dnsvizor::config {

/// Applies one option (options must be applied in reader order: later single-valued options
/// override earlier ones, repeatable ones accumulate).
[[nodiscard]] Result<void, ConfigError> apply_option(const ReadOption& option,
                                                     DnsmasqConfig& config);

/// Checks that need every option (run after the last apply_option): e.g. min-port <= max-port.
/// Currently fills derived defaults: MX targets from mx-target.
[[nodiscard]] Result<void, ConfigError> finish_config(DnsmasqConfig& config);

/// Maps one option of the "Local data" group (address, host-record, cname, ...). Returns an
/// error message (without location) on a bad value. Used by apply_option.
[[nodiscard]] Result<void, std::string> map_local_data(const ReadOption& option,
                                                       DnsmasqConfig& config);

}  // namespace nfv::dnsvizor::config
