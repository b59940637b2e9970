// LocalRecords: the typed local records of dnsmasq 2.90's configuration, ready to answer:
// `cname=` (rfc1035.c: answered for every query type), `txt-record=`, `srv-host=`, `mx-host=`,
// `ptr-record=`, `naptr-record=`, `caa-record=` and `dns-rr=`.
//
// Behaviour checked against dnsmasq 2.90 (see local_records_test.cpp):
//  * several records of one name are answered in reverse configuration order (dnsmasq prepends
//    each option to its list);
//  * txt-record without text answers one empty string; ptr-record and srv-host without a target
//    answer the root name ".";
//  * mx-host without a target uses `mx-target=`, else the machine's host name (supplied at
//    answer time, since reading it is I/O); preference default 1.
// Names that are not valid DNS names are dropped and reported by problems(), so a bad option is
// a named warning rather than a silent no-op.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "nfv/net/dns/record.hpp"

#include "dns/domain_match.hpp"
#include "dns/settings.hpp"

namespace nfv::dnsvizor::dns {

struct LocalCname {
    net::dns::Name target;
    std::string target_key;
    std::uint32_t ttl = 0;
};

class LocalRecords {
public:
    LocalRecords() = default;
    explicit LocalRecords(const LocalDataSettings& local);

    /// The cname= entry whose alias is `key`, or nullptr.
    [[nodiscard]] const LocalCname* find_cname(std::string_view key) const;

    /// Appends the records of `key` of type `type` (every type for kAny) to `out`, with owner
    /// `owner`. MX records without a target get `default_mx_target` (skipped if that is empty).
    /// Returns the number appended.
    std::size_t append(const net::dns::Name& owner, std::string_view key, net::dns::RrType type,
                       std::string_view default_mx_target,
                       std::vector<net::dns::ResourceRecord>& out) const;

    /// True if any record or cname of this file's types is owned by `key`.
    [[nodiscard]] bool has_name(std::string_view key) const {
        return find_cname(key) != nullptr || records_.contains(key);
    }

    /// Options that could not be turned into records ("txt-record: bad name 'x'").
    [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }

private:
    struct Entry {
        net::dns::Rdata rdata;
        std::uint32_t ttl = 0;
        bool default_mx = false;  // MX whose target is filled in at answer time
    };

    void add(const std::string& option, std::string_view name, net::dns::Rdata rdata,
             bool default_mx = false);
    [[nodiscard]] std::optional<net::dns::Name> parse_name(const std::string& option,
                                                           std::string_view text);

    std::uint32_t ttl_ = 0;
    KeyMap<LocalCname> cnames_;
    KeyMap<std::vector<Entry>> records_;
    std::vector<std::string> problems_;
};

}  // namespace nfv::dnsvizor::dns
