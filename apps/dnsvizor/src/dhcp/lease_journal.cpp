#include "dhcp/lease_journal.hpp"

#include <unordered_map>

namespace nfv::dnsvizor::dhcp {

void append_journal_record(const LeaseChange& change, std::string& out) {
    switch (change.event) {
        case LeaseEvent::kAdded:
        case LeaseEvent::kRenewed:
            out += "+ ";
            out += format_lease_line(change.lease);
            break;
        case LeaseEvent::kReleased:
        case LeaseEvent::kExpired:
        case LeaseEvent::kDeclined:
            out += "- ";
            out += change.lease.address.to_string();
            break;
    }
    out += '\n';
}

JournalReplay replay_journal(std::string_view text, std::vector<Lease>& leases) {
    JournalReplay replay;
    // Address -> index in `leases`; removals leave a hole that is compacted at the end, so the
    // replay is O(leases + records).
    std::unordered_map<std::uint32_t, std::size_t> index;
    index.reserve(leases.size());
    for (std::size_t i = 0; i < leases.size(); ++i)
        index[leases[i].address.to_u32()] = i;
    std::vector<bool> removed(leases.size(), false);

    int line_number = 0;
    std::size_t position = 0;
    while (position < text.size()) {
        const std::size_t end = text.find('\n', position);
        if (end == std::string_view::npos) {
            replay.torn_tail = true;  // an append cut short by a crash: never acknowledged
            break;
        }
        const std::string_view line = text.substr(position, end - position);
        position = end + 1;
        ++line_number;
        const auto problem = [&](std::string message) {
            replay.problems.push_back(LeaseFileProblem{line_number, std::move(message)});
        };
        if (line.size() < 3 || line[1] != ' ' || (line[0] != '+' && line[0] != '-')) {
            problem("journal record must start with '+ ' or '- '");
            continue;
        }
        const std::string_view body = line.substr(2);
        if (line[0] == '-') {
            const auto address = net::Ipv4Address::parse(body);
            if (!address) {
                problem("bad IPv4 address '" + std::string(body) + "' in journal");
                continue;
            }
            if (const auto it = index.find(address->to_u32()); it != index.end()) {
                removed[it->second] = true;
                index.erase(it);
            }
            ++replay.records;
            continue;
        }
        auto parsed = parse_lease_file(body);
        if (parsed.leases.size() != 1 || !parsed.problems.empty() || !parsed.ipv6_lines.empty()) {
            problem(parsed.problems.empty() ? std::string("bad lease in journal")
                                            : "journal: " + parsed.problems.front().message);
            continue;
        }
        Lease& lease = parsed.leases.front();
        const std::uint32_t key = lease.address.to_u32();
        if (const auto it = index.find(key); it != index.end()) {
            leases[it->second] = std::move(lease);
        } else {
            index.emplace(key, leases.size());
            leases.push_back(std::move(lease));
            removed.push_back(false);
        }
        ++replay.records;
    }

    std::size_t kept = 0;
    for (std::size_t i = 0; i < leases.size(); ++i) {
        if (removed[i])
            continue;
        if (kept != i)
            leases[kept] = std::move(leases[i]);
        ++kept;
    }
    leases.resize(kept);
    return replay;
}

}  // namespace nfv::dnsvizor::dhcp
