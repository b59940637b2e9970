#include "server/management.hpp"

#include <csignal>
#include <vector>

#include <unistd.h>

namespace nfv::vpn::server {
namespace {

constexpr std::string_view kEol = "\r\n";

std::string lines_crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 16);
    for (const char c : text) {
        if (c == '\n') {
            out += kEol;
        } else {
            out += c;
        }
    }
    return out;
}

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) {
            ++i;
        }
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            ++i;
        }
        if (i > start) {
            out.push_back(line.substr(start, i - start));
        }
    }
    return out;
}

std::optional<int> signal_named(std::string_view name) {
    if (name == "SIGHUP") {
        return SIGHUP;
    }
    if (name == "SIGUSR1") {
        return SIGUSR1;
    }
    if (name == "SIGUSR2") {
        return SIGUSR2;
    }
    if (name == "SIGTERM") {
        return SIGTERM;
    }
    return std::nullopt;
}

constexpr std::string_view kHelp =
    "Management Interface for nfv-vpn (OpenVPN 2.6 protocol), server subset\n"
    "Commands:\n"
    "help                   : Print this message.\n"
    "kill cn                : Kill the client instance(s) having common name cn.\n"
    "kill IP:port           : Kill the client instance connecting from IP:port.\n"
    "load-stats             : Show global server load stats.\n"
    "pid                    : Show process ID of the current process.\n"
    "quit                   : Close management session.\n"
    "signal s               : Send signal s to daemon,\n"
    "                         s = SIGHUP|SIGTERM|SIGUSR1|SIGUSR2.\n"
    "state                  : Show the server's state.\n"
    "status [n]             : Show current daemon status info using format #n.\n"
    "version                : Show current version number.\n"
    "END\n";

}  // namespace

ManagementSession::ManagementSession(ManagementBackend& backend,
                                     std::optional<std::string> password)
    : backend_(backend), password_(std::move(password)), authenticated_(!password_) {}

std::string ManagementSession::welcome() {
    return ">INFO:OpenVPN Management Interface Version 5 -- type 'help' for more info\r\n";
}

std::string ManagementSession::greeting() {
    return authenticated_ ? welcome() : std::string("ENTER PASSWORD:");
}

std::string ManagementSession::on_bytes(std::string_view bytes) {
    std::string out;
    for (const char c : bytes) {
        if (closed_) {
            break;
        }
        if (c == '\n') {
            std::string line = std::move(pending_);
            pending_.clear();
            if (!line.empty() && line.back() == '\r') {
                line.pop_back();
            }
            out += command(line);
        } else if (pending_.size() >= kMaxManagementLine) {
            out += "ERROR: command line too long\r\n";
            closed_ = true;
        } else {
            pending_ += c;
        }
    }
    return out;
}

std::string ManagementSession::command(std::string_view line) {
    if (!authenticated_) {
        if (line == *password_) {
            authenticated_ = true;
            return "SUCCESS: password is correct\r\n" + welcome();
        }
        closed_ = true;
        return "ERROR: bad password\r\n";
    }
    const auto argv = words(line);
    if (argv.empty()) {
        return {};
    }
    const std::string_view name = argv[0];
    if (name == "help") {
        return lines_crlf(kHelp);
    }
    if (name == "quit" || name == "exit") {
        closed_ = true;
        return {};
    }
    if (name == "status") {
        int version = 1;
        if (argv.size() >= 2) {
            if (argv[1] == "2") {
                version = 2;
            } else if (argv[1] == "3") {
                version = 3;
            } else if (argv[1] != "1") {
                return "ERROR: bad status format, must be 1, 2 or 3\r\n";
            }
        }
        return lines_crlf(backend_.status_text(version));
    }
    if (name == "kill") {
        if (argv.size() != 2) {
            return "ERROR: kill needs one parameter (a common name or IP:port)\r\n";
        }
        const auto killed = backend_.kill(argv[1]);
        const bool address = argv[1].find(':') != std::string_view::npos;
        const std::string target(argv[1]);
        if (killed == 0) {
            return address ? "ERROR: client at address " + target + " not found\r\n"
                           : "ERROR: common name '" + target + "' not found\r\n";
        }
        return address ? "SUCCESS: " + std::to_string(killed) + " client(s) at address " + target +
                             " killed\r\n"
                       : "SUCCESS: common name '" + target + "' found, " + std::to_string(killed) +
                             " client(s) killed\r\n";
    }
    if (name == "load-stats") {
        const auto stats = backend_.load_stats();
        return "SUCCESS: nclients=" + std::to_string(stats.clients) +
               ",bytesin=" + std::to_string(stats.bytes_in) +
               ",bytesout=" + std::to_string(stats.bytes_out) + "\r\n";
    }
    if (name == "pid") {
        return "SUCCESS: pid=" + std::to_string(::getpid()) + "\r\n";
    }
    if (name == "version") {
        return "OpenVPN Version: " + backend_.version() + "\r\nManagement Version: 5\r\nEND\r\n";
    }
    if (name == "state") {
        return backend_.state_line() + "\r\nEND\r\n";
    }
    if (name == "signal") {
        const auto number = argv.size() == 2 ? signal_named(argv[1]) : std::nullopt;
        if (!number) {
            return "ERROR: signal must be one of SIGHUP, SIGTERM, SIGUSR1, SIGUSR2\r\n";
        }
        backend_.signal(*number);
        return "SUCCESS: signal " + std::string(argv[1]) + " thrown\r\n";
    }
    return "ERROR: unknown command [" + std::string(name) +
           "], nfv-vpn implements the server subset (enter 'help')\r\n";
}

}  // namespace nfv::vpn::server
