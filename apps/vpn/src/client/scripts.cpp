#include "client/scripts.hpp"

#include <cerrno>
#include <cstring>

#include <sys/wait.h>

#include <unistd.h>

extern char** environ;

namespace nfv::vpn::client {

std::string_view script_type_name(ScriptType type) {
    switch (type) {
        case ScriptType::kUp:
            return "up";
        case ScriptType::kRouteUp:
            return "route-up";
        case ScriptType::kRoutePreDown:
            return "route-pre-down";
        case ScriptType::kDown:
            return "down";
    }
    return "up";
}

namespace {

using tunnel::Topology;

// The vpn_gateway of route.c: route-gateway, else the net30/p2p remote end.
std::optional<net::Ipv4Address> vpn_gateway(const tunnel::TunnelNetwork& network) {
    if (network.route_gateway) {
        return network.route_gateway;
    }
    if (network.topology != Topology::kSubnet) {
        return network.ifconfig_second;
    }
    return std::nullopt;
}

}  // namespace

const std::string& script_command(const config::VpnConfig& config, ScriptType type) {
    switch (type) {
        case ScriptType::kUp:
            return config.up;
        case ScriptType::kRouteUp:
            return config.route_up;
        case ScriptType::kRoutePreDown:
            return config.route_pre_down;
        case ScriptType::kDown:
            return config.down;
    }
    return config.up;
}

std::vector<std::string> split_command(std::string_view command) {
    std::vector<std::string> argv;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (const char c : command) {
        if (quote != 0) {
            if (c == quote) {
                quote = 0;
            } else {
                word.push_back(c);
            }
        } else if (c == '"' || c == '\'') {
            quote = c;
            in_word = true;
        } else if (c == ' ' || c == '\t') {
            if (in_word) {
                argv.push_back(std::move(word));
                word.clear();
                in_word = false;
            }
        } else {
            word.push_back(c);
            in_word = true;
        }
    }
    if (in_word) {
        argv.push_back(std::move(word));
    }
    return argv;
}

std::vector<std::string> script_arguments(std::string_view command, ScriptType type,
                                          const ScriptState& state) {
    std::vector<std::string> argv = split_command(command);
    if (type == ScriptType::kRouteUp || type == ScriptType::kRoutePreDown) {
        return argv;
    }
    const tunnel::TunnelNetwork& network = *state.network;
    argv.push_back(state.dev);
    argv.push_back(std::to_string(network.tun_mtu));
    argv.emplace_back("0");
    argv.push_back(network.ifconfig_local ? network.ifconfig_local->to_string() : std::string());
    argv.push_back(network.ifconfig_second ? network.ifconfig_second->to_string() : std::string());
    argv.emplace_back(state.restart ? "restart" : "init");
    return argv;
}

std::vector<std::string> script_environment(const config::VpnConfig& config, ScriptType type,
                                            const ScriptState& state) {
    const tunnel::TunnelNetwork& network = *state.network;
    std::vector<std::string> env;
    auto set = [&env](std::string_view name, std::string_view value) {
        env.push_back(std::string(name) + "=" + std::string(value));
    };
    set("script_type", script_type_name(type));
    set("script_context", state.restart ? "restart" : "init");
    set("dev", state.dev);
    set("dev_type", "tun");
    set("tun_mtu", std::to_string(network.tun_mtu));
    set("verb", std::to_string(config.verb));
    set("daemon", config.daemon ? "1" : "0");
    set("proto_1", state.tcp ? "tcp-client" : "udp");
    set("remote_1", state.remote_host);
    set("remote_port_1", std::to_string(state.remote_port));
    set("trusted_ip", state.remote_host);
    set("trusted_port", std::to_string(state.remote_port));
    if (network.ifconfig_local) {
        set("ifconfig_local", network.ifconfig_local->to_string());
    }
    if (network.ifconfig_second) {
        set(network.topology == Topology::kSubnet ? "ifconfig_netmask" : "ifconfig_remote",
            network.ifconfig_second->to_string());
    }
    if (network.ifconfig_ipv6) {
        set("ifconfig_ipv6_local", network.ifconfig_ipv6->address().to_string());
        set("ifconfig_ipv6_netbits", std::to_string(network.ifconfig_ipv6->prefix_length()));
    }
    if (network.ifconfig_ipv6_remote) {
        set("ifconfig_ipv6_remote", network.ifconfig_ipv6_remote->to_string());
    }
    const auto gateway = vpn_gateway(network);
    if (gateway) {
        set("route_vpn_gateway", gateway->to_string());
    }
    std::size_t n = 0;
    for (const auto& route : network.routes) {
        const std::string index = std::to_string(++n);
        set("route_network_" + index, route.network.address().to_string());
        set("route_netmask_" + index, route.network.netmask().to_string());
        if (route.gateway.kind == tunnel::RouteGateway::Kind::kAddress) {
            set("route_gateway_" + index, route.gateway.address.to_string());
        } else if (route.gateway.kind != tunnel::RouteGateway::Kind::kNetGateway && gateway) {
            set("route_gateway_" + index, gateway->to_string());
        }
    }
    n = 0;
    for (const auto& option : state.pushed->dhcp_options) {
        std::string text = "dhcp-option " + option.type;
        for (const auto& value : option.values) {
            text += " " + value;
        }
        set("foreign_option_" + std::to_string(++n), text);
    }
    for (const auto& [name, value] : config.setenv) {
        set(name, value);
    }
    return env;
}

Result<void, std::string> run_script(std::span<const std::string> argv,
                                     std::span<const std::string> environment) {
    if (argv.empty() || argv.front().empty()) {
        return Unexpected(std::string("empty command"));
    }
    // Build the vectors before fork(): only async-signal-safe calls run in the child.
    std::vector<char*> args;
    args.reserve(argv.size() + 1);
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
    }
    args.push_back(nullptr);
    std::vector<char*> env;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        env.push_back(*e);
    }
    for (const auto& e : environment) {
        env.push_back(const_cast<char*>(e.c_str()));
    }
    env.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        return Unexpected("fork: " + std::string(std::strerror(errno)));
    }
    if (pid == 0) {
        ::execve(args.front(), args.data(), env.data());
        ::_exit(127);
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return Unexpected("waitpid: " + std::string(std::strerror(errno)));
        }
    }
    if (WIFSIGNALED(status)) {
        return Unexpected(argv.front() + " killed by signal " + std::to_string(WTERMSIG(status)));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
        return Unexpected(argv.front() + " exited with status " +
                          std::to_string(WEXITSTATUS(status)) +
                          (WEXITSTATUS(status) == 127 ? " (could not be executed?)" : ""));
    }
    return {};
}

}  // namespace nfv::vpn::client
