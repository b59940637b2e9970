#include "dhcp/lease_engine.hpp"

#include <algorithm>
#include <set>
#include <span>

#include "dhcp/lease_file.hpp"

namespace nfv::dnsvizor::dhcp {

namespace dh = net::dhcp;
using net::Ipv4Address;
using platform::WallTime;

namespace {

constexpr std::int64_t kOfferHoldSeconds = 30;
constexpr std::int64_t kDeclineHoldSeconds = 600;  // dnsmasq keeps a declined address 10 minutes

std::string client_key_of(const dh::DhcpMessage& request) {
    if (const auto* id = request.options.find(dh::OptionCode::kClientIdentifier);
        id != nullptr && !id->empty()) {
        std::string key = "id:";
        for (const std::byte b : *id)
            key.push_back(static_cast<char>(b));
        return key;
    }
    std::string key = "hw:";
    key.push_back(static_cast<char>(request.htype));
    for (std::size_t i = 0; i < std::min<std::size_t>(request.hlen, 16); ++i) {
        key.push_back(static_cast<char>(request.chaddr[i]));
    }
    return key;
}

std::string client_key_of(const Lease& lease) {
    if (!lease.client_id.empty()) {
        std::string key = "id:";
        for (const std::uint8_t b : lease.client_id)
            key.push_back(static_cast<char>(b));
        return key;
    }
    std::string key = "hw:";
    key.push_back(static_cast<char>(lease.hardware.type));
    for (const std::uint8_t b : lease.hardware.bytes)
        key.push_back(static_cast<char>(b));
    return key;
}

bool pattern_matches(const HardwarePattern& pattern, const dh::DhcpMessage& request) {
    if (pattern.type && *pattern.type != request.htype)
        return false;
    if (pattern.bytes.size() != request.hlen)
        return false;
    for (std::size_t i = 0; i < pattern.bytes.size(); ++i) {
        if (pattern.bytes[i] >= 0 && pattern.bytes[i] != request.chaddr[i])
            return false;
    }
    return true;
}

bool tags_match(const std::vector<TagCondition>& conditions, const std::set<std::string>& tags) {
    return std::all_of(conditions.begin(), conditions.end(),
                       [&](const TagCondition& c) { return tags.contains(c.name) != c.negated; });
}

bool contains_bytes(std::span<const std::byte> haystack, std::span<const std::byte> needle,
                    std::size_t step) {
    if (needle.size() > haystack.size())
        return false;
    for (std::size_t at = 0; at + needle.size() <= haystack.size(); at += step) {
        if (std::equal(needle.begin(), needle.end(), haystack.begin() + static_cast<long>(at)))
            return true;
    }
    return false;
}

// The user classes of option 77: RFC 3004 §4 length-prefixed strings; a value that is not
// well-formed that way (some Windows clients send one bare string) is taken as one class.
std::vector<std::span<const std::byte>> user_classes(std::span<const std::byte> value) {
    std::vector<std::span<const std::byte>> classes;
    std::size_t at = 0;
    while (at < value.size()) {
        const auto length = std::to_integer<std::size_t>(value[at]);
        if (length == 0 || at + 1 + length > value.size())
            return {value};
        classes.push_back(value.subspan(at + 1, length));
        at += 1 + length;
    }
    return classes;
}

bool client_matches(const ClientMatch& match, const dh::DhcpMessage& request) {
    switch (match.kind) {
        case ClientMatch::Kind::kOption: {
            const auto* value = request.options.find(match.code);
            if (value == nullptr)
                return false;
            if (match.value.empty())
                return true;
            if (match.prefix_only)
                return value->size() >= match.value.size() &&
                       std::equal(match.value.begin(), match.value.end(), value->begin());
            return contains_bytes(*value, match.value, std::max<std::size_t>(1, match.step));
        }
        case ClientMatch::Kind::kVendorClass: {
            const auto* value = request.options.find(dh::OptionCode::kVendorClass);
            return value != nullptr && contains_bytes(*value, match.value, 1);
        }
        case ClientMatch::Kind::kUserClass: {
            const auto* value = request.options.find(dh::OptionCode::kUserClass);
            if (value == nullptr)
                return false;
            const auto classes = user_classes(*value);
            return std::any_of(classes.begin(), classes.end(),
                               [&](auto one) { return contains_bytes(one, match.value, 1); });
        }
    }
    return false;
}

// dnsmasq's rule for a usable host name: letters, digits and '-', not starting with '-'.
std::string legal_hostname(std::string name, const std::string& domain) {
    if (const auto dot = name.find('.'); dot != std::string::npos) {
        // A qualified name is kept only if its domain is ours; then the first label is used.
        const std::string suffix = name.substr(dot + 1);
        if (!domain.empty() && suffix != domain)
            return {};
        name.resize(dot);
    }
    if (name.empty() || name.size() > 63 || name.front() == '-')
        return {};
    for (const char c : name) {
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        if (!ok)
            return {};
    }
    return name;
}

std::uint32_t fnv1a(const std::string& key) {
    std::uint32_t hash = 2166136261U;
    for (const char c : key) {
        hash ^= static_cast<std::uint8_t>(c);
        hash *= 16777619U;
    }
    return hash;
}

Lease lease_from(const dh::DhcpMessage& request, Ipv4Address address) {
    Lease lease;
    lease.address = address;
    lease.hardware.type = request.htype;
    lease.hardware.bytes.assign(request.chaddr.begin(),
                                request.chaddr.begin() + std::min<std::size_t>(request.hlen, 16));
    if (const auto* id = request.options.find(dh::OptionCode::kClientIdentifier); id != nullptr) {
        for (const std::byte b : *id)
            lease.client_id.push_back(std::to_integer<std::uint8_t>(b));
    }
    return lease;
}

}  // namespace

std::string_view to_string(LeaseEvent event) {
    switch (event) {
        case LeaseEvent::kAdded:
            return "add";
        case LeaseEvent::kRenewed:
            return "old";
        case LeaseEvent::kReleased:
            return "del";
        case LeaseEvent::kExpired:
            return "del";
        case LeaseEvent::kDeclined:
            return "del";
    }
    return "?";
}

struct LeaseEngine::Context {
    const dh::DhcpMessage& request;
    const InterfaceInfo& iface;
    WallTime now;
    std::string client_key;
    const StaticHost* host = nullptr;
    std::set<std::string> tags;
    std::string hostname;
    net::Ipv4Cidr network;  // the client's network: the interface's, or the relay's
    bool relayed = false;
};

LeaseEngine::LeaseEngine(DhcpServerSettings settings) : settings_(std::move(settings)) {}

void LeaseEngine::load(const std::vector<Lease>& leases, WallTime now) {
    for (const auto& lease : leases) {
        if (lease.expired_at(now))
            continue;
        put_lease(lease);
    }
}

void LeaseEngine::put_lease(const Lease& lease) {
    const std::uint32_t address = lease.address.to_u32();
    if (const auto it = leases_.find(address); it != leases_.end())
        erase_lease(it);
    leases_[address] = lease;
    by_client_[client_key_of(lease)].insert(address);
}

std::map<std::uint32_t, Lease>::iterator LeaseEngine::erase_lease(
    std::map<std::uint32_t, Lease>::iterator it) {
    const auto key = by_client_.find(client_key_of(it->second));
    if (key != by_client_.end()) {
        key->second.erase(it->first);
        if (key->second.empty())
            by_client_.erase(key);
    }
    return leases_.erase(it);
}

std::vector<LeaseChange> LeaseEngine::expire(WallTime now) {
    std::vector<LeaseChange> changes;
    for (auto it = leases_.begin(); it != leases_.end();) {
        if (it->second.expired_at(now)) {
            changes.push_back(LeaseChange{LeaseEvent::kExpired, it->second});
            it = erase_lease(it);
        } else {
            ++it;
        }
    }
    std::erase_if(offered_, [&](const auto& entry) { return entry.second.until <= now; });
    std::erase_if(declined_, [&](const auto& entry) { return entry.second <= now; });
    return changes;
}

std::optional<WallTime> LeaseEngine::next_expiry() const {
    std::optional<WallTime> earliest;
    for (const auto& [address, lease] : leases_) {
        if (lease.infinite())
            continue;
        if (!earliest || lease.expires < *earliest)
            earliest = lease.expires;
    }
    return earliest;
}

std::vector<Lease> LeaseEngine::leases() const {
    std::vector<Lease> out;
    out.reserve(leases_.size());
    for (const auto& [address, lease] : leases_)
        out.push_back(lease);
    return out;
}

Outcome LeaseEngine::handle(const dh::DhcpMessage& request, const InterfaceInfo& iface,
                            WallTime now) {
    ++counters_.requests;
    const auto type = request.options.message_type();
    if (request.op != dh::BootpOp::kRequest || !type) {
        ++counters_.ignored;
        return {};
    }
    Context context{request, iface, now, client_key_of(request), nullptr, {}, {}, {}, false};
    context.relayed = request.giaddr != Ipv4Address{};
    context.network = iface.subnet;
    if (context.relayed) {
        // The relay's subnet: the range containing giaddr decides its netmask (default /24).
        context.network = net::Ipv4Cidr(request.giaddr, 24);
        for (const auto& range : settings_.ranges) {
            const std::uint8_t prefix =
                range.netmask ? net::Ipv4Cidr::prefix_from_netmask(*range.netmask).value_or(24)
                              : std::uint8_t{24};
            const net::Ipv4Cidr candidate(request.giaddr, prefix);
            if (candidate.contains(range.start)) {
                context.network = net::Ipv4Cidr(candidate.network(), prefix);
                break;
            }
        }
    }

    // dhcp-match / dhcp-vendorclass / dhcp-userclass tags come first: dhcp-host `tag:`
    // conditions, range selection and options may depend on them (dnsmasq rfc2131.c order).
    for (const auto& match : settings_.client_matches) {
        if (client_matches(match, request))
            context.tags.insert(match.set_tag);
    }

    // dhcp-host: by client id first, then by hardware address.
    const auto* client_id = request.options.find(dh::OptionCode::kClientIdentifier);
    for (const auto& host : settings_.hosts) {
        if (!tags_match(host.match, context.tags))
            continue;
        bool matches = false;
        if (!host.client_id.empty() && client_id != nullptr &&
            client_id->size() == host.client_id.size()) {
            matches = std::equal(host.client_id.begin(), host.client_id.end(), client_id->begin(),
                                 [](std::uint8_t a, std::byte b) { return std::byte{a} == b; });
        }
        if (!matches) {
            matches =
                std::any_of(host.hardware.begin(), host.hardware.end(),
                            [&](const HardwarePattern& p) { return pattern_matches(p, request); });
        }
        if (matches) {
            context.host = &host;
            break;
        }
    }
    if (context.host != nullptr) {
        if (context.host->ignore) {
            ++counters_.ignored;
            return Outcome{
                std::nullopt, {}, "DHCP packet ignored for " + request.hardware_address_text()};
        }
        context.tags.insert("known");
        if (!context.host->set_tag.empty())
            context.tags.insert(context.host->set_tag);
    }
    // dnsmasq's context tags: the `set:` tag of each range on the client's network.
    for (const auto& range : settings_.ranges) {
        if (!range.set_tag.empty() && context.network.contains(range.start) &&
            tags_match(range.match, context.tags)) {
            context.tags.insert(range.set_tag);
        }
    }
    // tag-if rules, in order, after every other tag is known and before dhcp-ignore and option
    // selection use the tags (dnsmasq run_tag_if).
    for (const auto& rule : settings_.tag_ifs) {
        if (tags_match(rule.match, context.tags))
            context.tags.insert(rule.set_tags.begin(), rule.set_tags.end());
    }
    // dhcp-ignore: a rule whose tag conditions all hold silences the server for this client.
    for (const auto& rule : settings_.ignore) {
        if (tags_match(rule, context.tags)) {
            ++counters_.ignored;
            return Outcome{
                std::nullopt,
                {},
                "DHCP packet ignored (dhcp-ignore) for " + request.hardware_address_text()};
        }
    }

    // The host name: option 81 (preferred), else 12; a dhcp-host name overrides both.
    std::string offered_name;
    if (const auto* fqdn = request.options.find(dh::OptionCode::kClientFqdn); fqdn != nullptr) {
        if (auto decoded = dh::decode_client_fqdn(*fqdn))
            offered_name = decoded->name;
    }
    if (offered_name.empty()) {
        offered_name = request.options.get_text(dh::OptionCode::kHostName).value_or("");
    }
    context.hostname = legal_hostname(offered_name, settings_.domain);
    if (context.host != nullptr && !context.host->hostname.empty()) {
        context.hostname = context.host->hostname;
    }

    switch (*type) {
        case dh::MessageType::kDiscover:
            return discover(context);
        case dh::MessageType::kRequest:
            return on_request(context);
        case dh::MessageType::kDecline:
            return decline(context);
        case dh::MessageType::kRelease:
            return release(context);
        case dh::MessageType::kInform:
            return inform(context);
        default:
            ++counters_.ignored;
            return {};
    }
}

const DhcpRange* LeaseEngine::range_for(const Context& context, Ipv4Address address) const {
    // dnsmasq: a dhcp-host address may lie anywhere in the subnet of a range, not only
    // between its start and end.
    const bool host_address =
        context.host != nullptr && context.host->address && *context.host->address == address;
    for (const auto& range : settings_.ranges) {
        if (!tags_match(range.match, context.tags))
            continue;
        if (!context.network.contains(range.start))
            continue;
        if (range.static_only || host_address) {
            if (context.network.contains(address))
                return &range;
            continue;
        }
        if (address.to_u32() >= range.start.to_u32() && address.to_u32() <= range.end.to_u32()) {
            return &range;
        }
    }
    return nullptr;
}

const DhcpRange* LeaseEngine::range_for_network(const Context& context) const {
    for (const auto& range : settings_.ranges) {
        if (tags_match(range.match, context.tags) && context.network.contains(range.start)) {
            return &range;
        }
    }
    return nullptr;
}

bool LeaseEngine::address_available(const Context& context, Ipv4Address address) const {
    const std::uint32_t key = address.to_u32();
    if (address == context.iface.address || address == context.network.network() ||
        address == context.network.broadcast()) {
        return false;
    }
    if (const auto it = leases_.find(key);
        it != leases_.end() && client_key_of(it->second) != context.client_key) {
        return false;
    }
    if (const auto it = offered_.find(key); it != offered_.end() &&
                                            it->second.client_key != context.client_key &&
                                            it->second.until > context.now) {
        return false;
    }
    if (const auto it = declined_.find(key); it != declined_.end() && it->second > context.now) {
        return false;
    }
    // Addresses reserved by dhcp-host for other clients are never given out dynamically.
    for (const auto& host : settings_.hosts) {
        if (&host != context.host && host.address && *host.address == address)
            return false;
    }
    return true;
}

std::optional<Ipv4Address> LeaseEngine::allocate(const Context& context,
                                                 const DhcpRange& range) const {
    if (range.static_only)
        return std::nullopt;
    const std::uint32_t first = range.start.to_u32();
    const std::uint32_t last = range.end.to_u32();
    if (last < first)
        return std::nullopt;
    const std::uint64_t size = std::uint64_t{last} - first + 1;
    // Start from a hash of the client, so a client tends to get the same address again even
    // after its lease is gone; dhcp-sequential-ip starts at the beginning instead.
    const std::uint64_t start = settings_.sequential_ip ? 0 : fnv1a(context.client_key) % size;
    for (std::uint64_t i = 0; i < size && i < 65536; ++i) {
        const auto candidate =
            Ipv4Address::from_u32(static_cast<std::uint32_t>(first + (start + i) % size));
        if (address_available(context, candidate))
            return candidate;
    }
    return std::nullopt;
}

Lease* LeaseEngine::lease_of_client(const Context& context) {
    const auto lowest = [&](const std::string& key) -> Lease* {
        const auto found = by_client_.find(key);
        if (found == by_client_.end() || found->second.empty())
            return nullptr;
        const auto it = leases_.find(*found->second.begin());
        return it != leases_.end() ? &it->second : nullptr;
    };
    if (Lease* lease = lowest(context.client_key))
        return lease;
    // A client that now sends a client id may hold a lease recorded by hardware address (the
    // key of a lease without client id is its hardware key).
    Lease by_hw = lease_from(context.request, Ipv4Address{});
    by_hw.client_id.clear();
    return lowest(client_key_of(by_hw));
}

std::uint32_t LeaseEngine::lease_seconds_for(const Context& context, const DhcpRange* range) const {
    std::uint32_t seconds = range != nullptr ? range->lease_seconds : kDefaultLeaseSeconds;
    if (context.host != nullptr && context.host->lease_seconds)
        seconds = *context.host->lease_seconds;
    if (seconds == kInfiniteLease)
        return seconds;
    // A client may ask for less (option 51), never below dnsmasq's 2-minute floor.
    if (const auto asked = context.request.options.get_u32(dh::OptionCode::kLeaseTime)) {
        seconds = std::min(seconds, std::max(*asked, kMinimumLeaseSeconds));
    }
    return std::max(seconds, kMinimumLeaseSeconds);
}

Reply LeaseEngine::make_reply(Context& context, dh::MessageType type, Ipv4Address yiaddr,
                              const DhcpRange* range, std::optional<std::uint32_t> lease_seconds) {
    const auto& request = context.request;
    Reply reply;
    auto& m = reply.message;
    m.op = dh::BootpOp::kReply;
    m.htype = request.htype;
    m.hlen = request.hlen;
    m.xid = request.xid;
    m.flags = request.flags;
    m.giaddr = request.giaddr;
    m.chaddr = request.chaddr;
    m.yiaddr = yiaddr;
    if (type == dh::MessageType::kAck && yiaddr == Ipv4Address{})
        m.ciaddr = request.ciaddr;
    m.options.set_u8(dh::OptionCode::kMessageType, static_cast<std::uint8_t>(type));
    m.options.set_address(dh::OptionCode::kServerIdentifier, context.iface.address);
    if (lease_seconds) {
        m.options.set_u32(dh::OptionCode::kLeaseTime, *lease_seconds);
        if (*lease_seconds != kInfiniteLease) {
            m.options.set_u32(dh::OptionCode::kRenewalTime, *lease_seconds / 2);
            m.options.set_u32(dh::OptionCode::kRebindingTime,
                              static_cast<std::uint32_t>((std::uint64_t{*lease_seconds} * 7) / 8));
        }
    }
    if (type != dh::MessageType::kNak) {
        // Defaults dnsmasq gives: netmask, broadcast, router and DNS server = us, domain.
        const Ipv4Address netmask =
            range != nullptr && range->netmask ? *range->netmask : context.network.netmask();
        const std::uint8_t prefix = net::Ipv4Cidr::prefix_from_netmask(netmask).value_or(24);
        std::vector<ServedOption> defaults;
        const auto add_default = [&](dh::OptionCode code, std::vector<std::byte> value) {
            defaults.push_back(
                ServedOption{static_cast<std::uint8_t>(code), std::move(value), {}, false, {}});
        };
        const auto address_bytes = [](Ipv4Address a) {
            std::vector<std::byte> v;
            for (const auto o : a.octets())
                v.push_back(std::byte{o});
            return v;
        };
        add_default(dh::OptionCode::kSubnetMask, address_bytes(netmask));
        add_default(
            dh::OptionCode::kBroadcastAddress,
            address_bytes(
                range != nullptr && range->broadcast
                    ? *range->broadcast
                    : net::Ipv4Cidr(yiaddr == Ipv4Address{} ? request.ciaddr : yiaddr, prefix)
                          .broadcast()));
        if (!context.relayed) {
            add_default(dh::OptionCode::kRouter, address_bytes(context.iface.address));
            if (settings_.dns_enabled) {
                add_default(dh::OptionCode::kDnsServer, address_bytes(context.iface.address));
            }
        }
        const std::string& domain =
            range != nullptr && !range->domain.empty() ? range->domain : settings_.domain;
        if (!domain.empty()) {
            std::vector<std::byte> v;
            for (const char c : domain)
                v.push_back(static_cast<std::byte>(c));
            add_default(dh::OptionCode::kDomainName, std::move(v));
        }
        // Configured options replace defaults of the same code; later lines and tagged lines win.
        std::map<std::uint8_t, const ServedOption*> chosen;
        for (const auto& option : defaults)
            chosen[option.code] = &option;
        std::map<std::uint8_t, bool> chosen_tagged;
        for (const auto& option : settings_.options) {
            if (!tags_match(option.match, context.tags))
                continue;
            const bool tagged = !option.match.empty();
            if (chosen_tagged[option.code] && !tagged)
                continue;
            chosen[option.code] = &option;
            chosen_tagged[option.code] = tagged;
        }
        const auto* requested = request.options.find(dh::OptionCode::kParameterRequestList);
        const auto was_requested = [&](std::uint8_t code) {
            if (code == static_cast<std::uint8_t>(dh::OptionCode::kSubnetMask))
                return true;
            return requested != nullptr && std::find(requested->begin(), requested->end(),
                                                     std::byte{code}) != requested->end();
        };
        for (const auto& [code, option] : chosen) {
            if (option->value.empty())
                continue;  // an empty value suppresses the option
            if (!option->force && !was_requested(code))
                continue;
            if (option->server_address_at.empty()) {
                m.options.set(code, option->value);
                continue;
            }
            // 0.0.0.0 in a configured address list means this server (dnsmasq).
            std::vector<std::byte> patched = option->value;
            const auto self = context.iface.address.octets();
            for (const std::size_t at : option->server_address_at) {
                for (std::size_t i = 0; i < 4 && at + i < patched.size(); ++i)
                    patched[at + i] = std::byte{self[i]};
            }
            m.options.set(code, patched);
        }
        if (!context.hostname.empty() &&
            was_requested(static_cast<std::uint8_t>(dh::OptionCode::kHostName)) &&
            context.host != nullptr && !context.host->hostname.empty()) {
            m.options.set_text(dh::OptionCode::kHostName, context.hostname);
        }
    }
    // RFC 3046 §2.2: the relay agent information comes back unchanged.
    if (const auto* agent = request.options.find(dh::OptionCode::kRelayAgentInfo);
        agent != nullptr) {
        m.options.set(dh::OptionCode::kRelayAgentInfo, *agent);
    }
    // RFC 2131 §4.1 destinations.
    if (request.giaddr != Ipv4Address{}) {
        reply.to = ReplyTo::kRelay;
        reply.destination = request.giaddr;
        if (type == dh::MessageType::kNak)
            m.flags |= dh::kBroadcastFlag;
    } else if (type == dh::MessageType::kNak) {
        reply.to = ReplyTo::kBroadcast;
    } else if (request.ciaddr != Ipv4Address{}) {
        reply.to = ReplyTo::kClientAddress;
        reply.destination = request.ciaddr;
    } else if (request.broadcast()) {
        reply.to = ReplyTo::kBroadcast;
    } else {
        reply.to = ReplyTo::kHardwareUnicast;
        reply.destination = yiaddr;
    }
    return reply;
}

Outcome LeaseEngine::discover(Context& context) {
    const auto& request = context.request;
    const std::string hw = request.hardware_address_text();
    Outcome outcome;
    outcome.log = "DHCPDISCOVER(" + context.iface.name + ") " + hw;

    std::optional<Ipv4Address> address;
    const DhcpRange* range = nullptr;
    if (context.host != nullptr && context.host->address) {
        range = range_for(context, *context.host->address);
        if (range != nullptr)
            address = context.host->address;
    }
    if (!address) {
        if (Lease* lease = lease_of_client(context); lease != nullptr) {
            range = range_for(context, lease->address);
            if (range != nullptr && !range->static_only)
                address = lease->address;
        }
    }
    if (!address) {
        if (const auto wanted = request.options.get_address(dh::OptionCode::kRequestedAddress)) {
            range = range_for(context, *wanted);
            if (range != nullptr && !range->static_only && address_available(context, *wanted)) {
                address = wanted;
            }
        }
    }
    if (!address) {
        range = range_for_network(context);
        if (range != nullptr) {
            if (leases_.size() >= settings_.lease_max) {
                ++counters_.ignored;
                outcome.log += " no address available (dhcp-lease-max reached)";
                return outcome;
            }
            address = allocate(context, *range);
        }
    }
    if (!address || range == nullptr) {
        ++counters_.ignored;
        outcome.log += range == nullptr ? " no address range available for DHCP request"
                                        : " no address available";
        return outcome;
    }
    if (settings_.rapid_commit && request.options.has(dh::OptionCode::kRapidCommit)) {
        Outcome acked = commit_and_ack(context, *address, range, true);
        acked.log = outcome.log + "\n" + acked.log;
        return acked;
    }
    offered_[address->to_u32()] =
        Hold{context.client_key, WallTime{context.now.unix_seconds + kOfferHoldSeconds}};
    outcome.reply = make_reply(context, dh::MessageType::kOffer, *address, range,
                               lease_seconds_for(context, range));
    ++counters_.offers;
    outcome.log += "\nDHCPOFFER(" + context.iface.name + ") " + address->to_string() + " " + hw;
    return outcome;
}

Outcome LeaseEngine::commit_and_ack(Context& context, Ipv4Address address, const DhcpRange* range,
                                    bool rapid_commit) {
    const std::uint32_t seconds = lease_seconds_for(context, range);
    Lease lease = lease_from(context.request, address);
    lease.hostname = context.hostname;
    lease.expires =
        seconds == kInfiniteLease ? WallTime{0} : WallTime{context.now.unix_seconds + seconds};
    Outcome outcome;
    // The client's previous lease on another address ends.
    if (Lease* old = lease_of_client(context); old != nullptr && old->address != address) {
        outcome.changes.push_back(LeaseChange{LeaseEvent::kReleased, *old});
        erase_lease(leases_.find(old->address.to_u32()));
    }
    // A host name moves to the newest lease that claims it.
    if (!lease.hostname.empty()) {
        for (auto& [key, other] : leases_) {
            if (other.address != address && other.hostname == lease.hostname) {
                other.hostname.clear();
                outcome.changes.push_back(LeaseChange{LeaseEvent::kRenewed, other});
            }
        }
    }
    const auto existing = leases_.find(address.to_u32());
    const bool renewed = existing != leases_.end();
    put_lease(lease);
    offered_.erase(address.to_u32());
    outcome.changes.push_back(
        LeaseChange{renewed ? LeaseEvent::kRenewed : LeaseEvent::kAdded, lease});
    outcome.reply = make_reply(context, dh::MessageType::kAck, address, range, seconds);
    if (rapid_commit) {
        outcome.reply->message.options.set(dh::OptionCode::kRapidCommit,
                                           std::span<const std::byte>{});
    }
    ++counters_.acks;
    outcome.log = "DHCPACK(" + context.iface.name + ") " + address.to_string() + " " +
                  context.request.hardware_address_text() +
                  (lease.hostname.empty() ? std::string{} : " " + lease.hostname);
    return outcome;
}

Outcome LeaseEngine::nak(Context& context, std::string_view why) {
    Outcome outcome;
    outcome.reply =
        make_reply(context, dh::MessageType::kNak, Ipv4Address{}, nullptr, std::nullopt);
    outcome.reply->message.options.set_text(dh::OptionCode::kMessage, why);
    ++counters_.naks;
    outcome.log = "DHCPNAK(" + context.iface.name + ") " +
                  context.request.options.get_address(dh::OptionCode::kRequestedAddress)
                      .value_or(context.request.ciaddr)
                      .to_string() +
                  " " + context.request.hardware_address_text() + " " + std::string(why);
    return outcome;
}

Outcome LeaseEngine::on_request(Context& context) {
    const auto& request = context.request;
    const auto server_id = request.options.get_address(dh::OptionCode::kServerIdentifier);
    const auto requested = request.options.get_address(dh::OptionCode::kRequestedAddress);
    const std::string prefix = "DHCPREQUEST(" + context.iface.name + ") ";

    if (server_id) {
        // SELECTING: the client chose a server; if not us, forget our offer and stay silent.
        if (*server_id != context.iface.address) {
            std::erase_if(offered_,
                          [&](const auto& e) { return e.second.client_key == context.client_key; });
            ++counters_.ignored;
            return {};
        }
        if (!requested)
            return nak(context, "no address requested");
        const DhcpRange* range = range_for(context, *requested);
        const bool static_ok = context.host != nullptr && context.host->address == requested;
        if (range == nullptr || (range->static_only && !static_ok) ||
            !address_available(context, *requested)) {
            Outcome n = nak(context, "address not available");
            n.log = prefix + requested->to_string() + " " + request.hardware_address_text() + "\n" +
                    n.log;
            return n;
        }
        Outcome acked = commit_and_ack(context, *requested, range, false);
        acked.log = prefix + requested->to_string() + " " + request.hardware_address_text() + "\n" +
                    acked.log;
        return acked;
    }

    // INIT-REBOOT (requested address, no ciaddr) or RENEWING/REBINDING (ciaddr).
    const bool init_reboot = request.ciaddr == Ipv4Address{};
    const Ipv4Address address = init_reboot ? requested.value_or(Ipv4Address{}) : request.ciaddr;
    const std::string log_prefix =
        prefix + address.to_string() + " " + request.hardware_address_text() + "\n";
    if (address == Ipv4Address{}) {
        ++counters_.ignored;
        return {};
    }
    if (!context.network.contains(address)) {
        // §4.3.2: a client on the wrong network gets a NAK.
        Outcome n = nak(context, "wrong network");
        n.log = log_prefix + n.log;
        return n;
    }
    const DhcpRange* range = range_for(context, address);
    Lease* lease = lease_of_client(context);
    const bool static_ok = context.host != nullptr && context.host->address == address;
    const bool static_elsewhere =
        context.host != nullptr && context.host->address && *context.host->address != address;
    if (lease != nullptr && lease->address == address && range != nullptr && !static_elsewhere) {
        Outcome acked = commit_and_ack(context, address, range, false);
        acked.log = log_prefix + acked.log;
        return acked;
    }
    if (lease != nullptr && lease->address != address) {
        Outcome n = nak(context, "address not available");
        n.log = log_prefix + n.log;
        return n;
    }
    if (static_elsewhere || range == nullptr || (range->static_only && !static_ok) ||
        !address_available(context, address)) {
        if (!settings_.authoritative && lease == nullptr && range == nullptr) {
            ++counters_.ignored;
            return {};
        }
        Outcome n = nak(context, "address not available");
        n.log = log_prefix + n.log;
        return n;
    }
    // No record of this client, but the address is ours and free.
    if (!settings_.authoritative) {
        ++counters_.ignored;
        return {};
    }
    Outcome acked = commit_and_ack(context, address, range, false);
    acked.log = log_prefix + acked.log;
    return acked;
}

Outcome LeaseEngine::decline(Context& context) {
    Outcome outcome;
    const auto address = context.request.options.get_address(dh::OptionCode::kRequestedAddress);
    if (!address)
        return outcome;
    outcome.log = "DHCPDECLINE(" + context.iface.name + ") " + address->to_string() + " " +
                  context.request.hardware_address_text();
    const auto it = leases_.find(address->to_u32());
    if (it != leases_.end() && client_key_of(it->second) == context.client_key) {
        outcome.changes.push_back(LeaseChange{LeaseEvent::kDeclined, it->second});
        erase_lease(it);
    }
    declined_[address->to_u32()] = WallTime{context.now.unix_seconds + kDeclineHoldSeconds};
    return outcome;
}

Outcome LeaseEngine::release(Context& context) {
    Outcome outcome;
    const auto& request = context.request;
    outcome.log = "DHCPRELEASE(" + context.iface.name + ") " + request.ciaddr.to_string() + " " +
                  request.hardware_address_text();
    if (const auto server_id = request.options.get_address(dh::OptionCode::kServerIdentifier);
        server_id && *server_id != context.iface.address) {
        return outcome;
    }
    const auto it = leases_.find(request.ciaddr.to_u32());
    if (it != leases_.end() && client_key_of(it->second) == context.client_key) {
        outcome.changes.push_back(LeaseChange{LeaseEvent::kReleased, it->second});
        erase_lease(it);
    } else {
        outcome.log += " unknown lease";
    }
    return outcome;
}

Outcome LeaseEngine::inform(Context& context) {
    // RFC 2131 §4.3.5: options only; no lease, no lease time, yiaddr zero, reply to ciaddr.
    Outcome outcome;
    const auto& request = context.request;
    outcome.log = "DHCPINFORM(" + context.iface.name + ") " + request.ciaddr.to_string() + " " +
                  request.hardware_address_text();
    if (request.ciaddr == Ipv4Address{})
        return outcome;
    const DhcpRange* range = range_for_network(context);
    outcome.reply = make_reply(context, dh::MessageType::kAck, Ipv4Address{}, range, std::nullopt);
    outcome.reply->message.ciaddr = request.ciaddr;
    ++counters_.acks;
    outcome.log += "\nDHCPACK(" + context.iface.name + ") " + request.ciaddr.to_string() + " " +
                   request.hardware_address_text();
    return outcome;
}

}  // namespace nfv::dnsvizor::dhcp
