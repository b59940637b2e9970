#include "dns/local_records.hpp"

#include "dns/domain_match.hpp"

namespace nfv::dnsvizor::dns {
namespace {

using net::dns::Name;
using net::dns::RrType;
namespace rdata = net::dns::rdata;

}  // namespace

std::optional<Name> LocalRecords::parse_name(const std::string& option, std::string_view text) {
    if (text.empty() || text == ".") {
        return Name{};
    }
    auto name = Name::parse_text(text);
    if (!name) {
        problems_.push_back(option + ": bad name '" + std::string(text) + "'");
        return std::nullopt;
    }
    return *name;
}

void LocalRecords::add(const std::string& option, std::string_view name, net::dns::Rdata rdata,
                       bool default_mx) {
    if (!parse_name(option, name)) {
        return;
    }
    auto& entries = records_[normalize_key(name)];
    // dnsmasq prepends each option to its list, so later lines are answered first.
    entries.insert(entries.begin(), Entry{std::move(rdata), ttl_, default_mx});
}

LocalRecords::LocalRecords(const LocalDataSettings& local) : ttl_(local.local_ttl) {
    for (const auto& cname : local.cnames) {
        const auto target = parse_name("cname", cname.target);
        if (!target) {
            continue;
        }
        for (const auto& alias : cname.aliases) {
            if (!parse_name("cname", alias)) {
                continue;
            }
            cnames_.try_emplace(normalize_key(alias),
                                LocalCname{*target, normalize_key(cname.target),
                                           cname.ttl.value_or(local.local_ttl)});
        }
    }
    for (const auto& txt : local.txt_records) {
        std::vector<std::string> strings = txt.strings;
        if (strings.empty()) {
            strings.emplace_back();  // dnsmasq answers one empty string
        }
        bool too_long = false;
        for (const auto& text : strings) {
            too_long = too_long || text.size() > net::dns::kMaxCharacterString;
        }
        if (too_long) {
            problems_.push_back("txt-record: string longer than 255 bytes for '" + txt.name + "'");
            continue;
        }
        add("txt-record", txt.name, rdata::Txt{std::move(strings)});
    }
    for (const auto& srv : local.srv_records) {
        if (const auto target = parse_name("srv-host", srv.target)) {
            add("srv-host", srv.name, rdata::Srv{srv.priority, srv.weight, srv.port, *target});
        }
    }
    for (const auto& mx : local.mx_records) {
        if (mx.target.empty()) {
            add("mx-host", mx.name, rdata::Mx{mx.preference, Name{}}, /*default_mx=*/true);
        } else if (const auto target = parse_name("mx-host", mx.target)) {
            add("mx-host", mx.name, rdata::Mx{mx.preference, *target});
        }
    }
    for (const auto& ptr : local.ptr_records) {
        if (const auto target = parse_name("ptr-record", ptr.target.value_or(""))) {
            add("ptr-record", ptr.name, rdata::Ptr{*target});
        }
    }
    for (const auto& naptr : local.naptr_records) {
        const bool too_long = naptr.flags.size() > net::dns::kMaxCharacterString ||
                              naptr.service.size() > net::dns::kMaxCharacterString ||
                              naptr.regexp.size() > net::dns::kMaxCharacterString;
        if (too_long) {
            problems_.push_back("naptr-record: string longer than 255 bytes for '" + naptr.name +
                                "'");
            continue;
        }
        if (const auto replacement = parse_name("naptr-record", naptr.replacement)) {
            add("naptr-record", naptr.name,
                rdata::Naptr{naptr.order, naptr.preference, naptr.flags, naptr.service,
                             naptr.regexp, *replacement});
        }
    }
    for (const auto& caa : local.caa_records) {
        if (caa.tag.empty() || caa.tag.size() > net::dns::kMaxCharacterString) {
            problems_.push_back("caa-record: bad tag for '" + caa.name + "'");
            continue;
        }
        add("caa-record", caa.name, rdata::Caa{caa.flags, caa.tag, caa.value});
    }
    for (const auto& raw : local.raw_records) {
        if (raw.rdata.size() > 0xffff || raw.type == static_cast<std::uint16_t>(RrType::kOpt)) {
            problems_.push_back("dns-rr: unusable record for '" + raw.name + "'");
            continue;
        }
        // Carried as opaque bytes whatever the type, so the answer is exactly the configured hex.
        add("dns-rr", raw.name, rdata::Opaque{static_cast<RrType>(raw.type), raw.rdata});
    }
}

const LocalCname* LocalRecords::find_cname(std::string_view key) const {
    const auto it = cnames_.find(key);
    return it == cnames_.end() ? nullptr : &it->second;
}

std::size_t LocalRecords::append(const Name& owner, std::string_view key, RrType type,
                                 std::string_view default_mx_target,
                                 std::vector<net::dns::ResourceRecord>& out) const {
    const auto it = records_.find(key);
    if (it == records_.end()) {
        return 0;
    }
    std::size_t count = 0;
    for (const auto& entry : it->second) {
        if (type != RrType::kAny && net::dns::rdata_type(entry.rdata) != type) {
            continue;
        }
        net::dns::Rdata data = entry.rdata;
        if (entry.default_mx) {
            auto target = Name::parse_text(default_mx_target);
            if (default_mx_target.empty() || !target) {
                continue;
            }
            std::get<rdata::Mx>(data).exchange = *target;
        }
        out.push_back(
            net::dns::ResourceRecord{owner, net::dns::RrClass::kIn, entry.ttl, std::move(data)});
        ++count;
    }
    return count;
}

}  // namespace nfv::dnsvizor::dns
