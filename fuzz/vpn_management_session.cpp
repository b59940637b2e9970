// Fuzz target: bytes typed into the server's management interface (server/management.hpp).
// Properties: never crashes; every reply is whole "\r\n"-terminated lines; nothing is answered
// or run after the session closed (quit, a bad password, an endless line).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "server/management.hpp"

namespace {

class Backend final : public nfv::vpn::server::ManagementBackend {
public:
    std::string status_text(int version) override {
        return "status " + std::to_string(version) + "\nEND\n";
    }
    std::size_t kill(std::string_view target) override { return target.size() % 2; }
    LoadStats load_stats() override { return {}; }
    void signal(int /*number*/) override {}
    std::string state_line() override { return "0,CONNECTED,SUCCESS,,,,,"; }
    std::string version() override { return "fuzz"; }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    Backend backend;
    // The first byte picks whether a password is configured.
    std::optional<std::string> password;
    if (!text.empty() && (static_cast<unsigned char>(text[0]) & 1U) != 0) {
        password = "pw";
    }
    nfv::vpn::server::ManagementSession session(backend, password);
    (void)session.greeting();
    // Feed in chunks of varying size to exercise split lines.
    std::size_t at = 0;
    std::size_t chunk = 1;
    while (at < text.size()) {
        const bool was_closed = session.closed();
        const auto reply = session.on_bytes(text.substr(at, chunk));
        if (was_closed && !reply.empty()) {
            std::abort();
        }
        if (!reply.empty() && !reply.ends_with("\r\n")) {
            std::abort();
        }
        at += chunk;
        chunk = chunk % 13 + 1;
    }
    return 0;
}
