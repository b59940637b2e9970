#include "server/status_file.hpp"

#include <ctime>

namespace nfv::vpn::server {
namespace {

// One row of fields joined by the version's separator.
class Rows {
public:
    explicit Rows(char separator) : separator_(separator) {}

    template <typename... Fields>
    void row(const Fields&... fields) {
        bool first = true;
        (append(fields, first), ...);
        text_ += '\n';
    }
    [[nodiscard]] std::string take() { return std::move(text_); }

private:
    void append(std::string_view field, bool& first) {
        if (!first) {
            text_ += separator_;
        }
        first = false;
        text_ += field;
    }
    void append(std::uint64_t number, bool& first) { append(std::to_string(number), first); }

    char separator_;
    std::string text_;
};

std::string real_address(const ClientSnapshot& client) {
    // OpenVPN prefixes TCP peers' addresses only in the management interface, not here.
    return client.real_address;
}

// The routing table: each client's IPv6 and IPv4 address, then its iroutes.
template <typename Emit>
void for_each_route(std::span<const ClientSnapshot> clients, Emit emit) {
    for (const auto& client : clients) {
        if (client.virtual_ipv6) {
            emit(client.virtual_ipv6->to_string(), client);
        }
        if (client.virtual_ipv4) {
            emit(client.virtual_ipv4->to_string(), client);
        }
        for (const auto& iroute : client.iroutes) {
            emit(iroute, client);
        }
    }
}

std::string format_version1(const StatusContext& context, std::span<const ClientSnapshot> clients) {
    Rows rows(',');
    rows.row("OpenVPN CLIENT LIST");
    rows.row("Updated", status_time(context.now));
    rows.row("Common Name", "Real Address", "Bytes Received", "Bytes Sent", "Connected Since");
    for (const auto& client : clients) {
        rows.row(client.common_name, real_address(client), client.bytes_received, client.bytes_sent,
                 status_time(client.connected_since));
    }
    rows.row("ROUTING TABLE");
    rows.row("Virtual Address", "Common Name", "Real Address", "Last Ref");
    for_each_route(clients, [&](const std::string& address, const ClientSnapshot& client) {
        rows.row(address, client.common_name, real_address(client), status_time(client.last_ref));
    });
    rows.row("GLOBAL STATS");
    rows.row("Max bcast/mcast queue length", "0");
    rows.row("END");
    return rows.take();
}

std::string format_version2(const StatusContext& context, std::span<const ClientSnapshot> clients,
                            char separator) {
    Rows rows(separator);
    rows.row("TITLE", context.title);
    rows.row("TIME", status_time(context.now), std::uint64_t{context.now});
    rows.row("HEADER", "CLIENT_LIST", "Common Name", "Real Address", "Virtual Address",
             "Virtual IPv6 Address", "Bytes Received", "Bytes Sent", "Connected Since",
             "Connected Since (time_t)", "Username", "Client ID", "Peer ID", "Data Channel Cipher");
    for (const auto& client : clients) {
        rows.row("CLIENT_LIST", client.common_name, real_address(client),
                 client.virtual_ipv4 ? client.virtual_ipv4->to_string() : std::string(),
                 client.virtual_ipv6 ? client.virtual_ipv6->to_string() : std::string(),
                 client.bytes_received, client.bytes_sent, status_time(client.connected_since),
                 std::uint64_t{client.connected_since}, "UNDEF", std::uint64_t{client.peer_id},
                 std::uint64_t{client.peer_id}, client.cipher);
    }
    rows.row("HEADER", "ROUTING_TABLE", "Virtual Address", "Common Name", "Real Address",
             "Last Ref", "Last Ref (time_t)");
    for_each_route(clients, [&](const std::string& address, const ClientSnapshot& client) {
        rows.row("ROUTING_TABLE", address, client.common_name, real_address(client),
                 status_time(client.last_ref), std::uint64_t{client.last_ref});
    });
    rows.row("GLOBAL_STATS", "Max bcast/mcast queue length", "0");
    rows.row("GLOBAL_STATS", "dco_enabled", "0");
    rows.row("END");
    return rows.take();
}

}  // namespace

std::string status_time(std::uint32_t unix_seconds) {
    const std::time_t seconds = unix_seconds;
    std::tm local{};
    if (::localtime_r(&seconds, &local) == nullptr) {
        return "1970-01-01 00:00:00";
    }
    char text[32];
    const auto length = std::strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S", &local);
    return std::string(text, length);
}

std::string format_status(const StatusContext& context, std::span<const ClientSnapshot> clients) {
    switch (context.version) {
        case 2:
            return format_version2(context, clients, ',');
        case 3:
            return format_version2(context, clients, '\t');
        default:
            return format_version1(context, clients);
    }
}

}  // namespace nfv::vpn::server
