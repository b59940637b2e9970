// DHCPv4 options (RFC 2132, RFC 3396 long options, RFC 3397 domain search, RFC 3442 classless
// static routes, RFC 4702 client FQDN, RFC 3046 relay agent information).
//
// `DhcpOptions` keeps each option's value as bytes, keyed by code, in the order first seen.
// Parsing follows RFC 3396 §7: instances of the same code are concatenated in the order they
// appear (options field, then `file`, then `sname` when overloaded). Serializing splits values
// longer than 255 bytes into consecutive instances. Typed helpers below encode and decode the
// values the lease engine and the config import need.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "nfv/net/byte_writer.hpp"
#include "nfv/net/cidr.hpp"
#include "nfv/net/ip_address.hpp"
#include "nfv/platform/result.hpp"

namespace nfv::net::dhcp {

/// Option codes used by name in the code (RFC 2132 unless noted).
enum class OptionCode : std::uint8_t {
    kPad = 0,
    kSubnetMask = 1,
    kRouter = 3,
    kDnsServer = 6,
    kHostName = 12,
    kDomainName = 15,
    kBroadcastAddress = 28,
    kNtpServer = 42,
    kVendorSpecific = 43,
    kRequestedAddress = 50,
    kLeaseTime = 51,
    kOverload = 52,
    kMessageType = 53,
    kServerIdentifier = 54,
    kParameterRequestList = 55,
    kMessage = 56,
    kMaxMessageSize = 57,
    kRenewalTime = 58,    // T1
    kRebindingTime = 59,  // T2
    kVendorClass = 60,
    kClientIdentifier = 61,
    kUserClass = 77,         // RFC 3004
    kRapidCommit = 80,       // RFC 4039
    kClientFqdn = 81,        // RFC 4702
    kRelayAgentInfo = 82,    // RFC 3046
    kDomainSearch = 119,     // RFC 3397
    kClasslessRoutes = 121,  // RFC 3442
    kEnd = 255,
};

/// DHCP message types (option 53, RFC 2132 §9.6; RFC 4039 adds none).
enum class MessageType : std::uint8_t {
    kDiscover = 1,
    kOffer = 2,
    kRequest = 3,
    kDecline = 4,
    kAck = 5,
    kNak = 6,
    kRelease = 7,
    kInform = 8,
};

/// Lower-case name of a message type ("discover"), or "unknown".
[[nodiscard]] std::string_view message_type_name(MessageType type);

enum class OptionError : std::uint8_t {
    kTruncated,  // an option's length runs past the end of its field
    kBadLength,  // a typed value with the wrong length
    kBadValue,   // a typed value that does not decode (bad route prefix, bad name)
    kTooLong,    // an encoded value would not fit
};

[[nodiscard]] std::string_view to_string(OptionError error);

/// One option: a code and its (concatenated) value.
struct Option {
    std::uint8_t code = 0;
    std::vector<std::byte> value;
};

class DhcpOptions {
public:
    /// Parses one options area (RFC 2132 §2: code, length, value; pad 0 and end 255 have no
    /// length). Appends to what is already held, concatenating repeated codes (RFC 3396).
    /// Stops at the end option or the end of the area.
    [[nodiscard]] Result<void, OptionError> parse_area(std::span<const std::byte> area);

    /// The value of `code`, or nullptr if absent.
    [[nodiscard]] const std::vector<std::byte>* find(std::uint8_t code) const;
    [[nodiscard]] const std::vector<std::byte>* find(OptionCode code) const {
        return find(static_cast<std::uint8_t>(code));
    }
    [[nodiscard]] bool has(OptionCode code) const { return find(code) != nullptr; }

    /// Sets (replaces) an option's value.
    void set(std::uint8_t code, std::span<const std::byte> value);
    void set(OptionCode code, std::span<const std::byte> value) {
        set(static_cast<std::uint8_t>(code), value);
    }
    void set_u8(OptionCode code, std::uint8_t value);
    void set_u16(OptionCode code, std::uint16_t value);
    void set_u32(OptionCode code, std::uint32_t value);
    void set_address(OptionCode code, Ipv4Address address);
    void set_addresses(OptionCode code, std::span<const Ipv4Address> addresses);
    void set_text(OptionCode code, std::string_view text);
    void erase(std::uint8_t code);

    /// Typed reads; nullopt if absent or of the wrong length.
    [[nodiscard]] std::optional<std::uint8_t> get_u8(OptionCode code) const;
    [[nodiscard]] std::optional<std::uint16_t> get_u16(OptionCode code) const;
    [[nodiscard]] std::optional<std::uint32_t> get_u32(OptionCode code) const;
    [[nodiscard]] std::optional<Ipv4Address> get_address(OptionCode code) const;
    /// A list of addresses (length a non-zero multiple of 4).
    [[nodiscard]] std::optional<std::vector<Ipv4Address>> get_addresses(OptionCode code) const;
    /// The value as text (bytes as they are; a trailing NUL some clients send is dropped).
    [[nodiscard]] std::optional<std::string> get_text(OptionCode code) const;
    [[nodiscard]] std::optional<MessageType> message_type() const;

    /// Writes every option (long values split per RFC 3396) in insertion order, with `first`
    /// codes moved to the front (message type must come first for some clients), then the end
    /// option. Returns false if `out` overflowed.
    bool write(ByteWriter& out, std::span<const std::uint8_t> first = {}) const;
    /// Bytes write() needs, end option included.
    [[nodiscard]] std::size_t wire_size() const;

    [[nodiscard]] const std::vector<Option>& all() const { return options_; }
    [[nodiscard]] bool empty() const { return options_.empty(); }

private:
    std::vector<Option> options_;
};

/// One classless static route (RFC 3442).
struct ClasslessRoute {
    Ipv4Cidr destination;
    Ipv4Address router;
    friend bool operator==(const ClasslessRoute&, const ClasslessRoute&) = default;
};

/// RFC 3442 §3 encoding: prefix length, significant octets of the destination, router.
[[nodiscard]] std::vector<std::byte> encode_classless_routes(
    std::span<const ClasslessRoute> routes);
[[nodiscard]] Result<std::vector<ClasslessRoute>, OptionError> decode_classless_routes(
    std::span<const std::byte> value);

/// RFC 3397 domain search list: DNS names in wire form with RFC 1035 compression among them.
[[nodiscard]] Result<std::vector<std::byte>, OptionError> encode_domain_search(
    std::span<const std::string> domains);
[[nodiscard]] Result<std::vector<std::string>, OptionError> decode_domain_search(
    std::span<const std::byte> value);

/// RFC 4702 client FQDN option.
struct ClientFqdn {
    std::uint8_t flags = 0;  // S (0x01), O (0x02), E (0x04, canonical wire encoding), N (0x08)
    std::string name;        // dotted text without the trailing dot; may be a single label
    bool partial = false;    // wire-encoded name without the root label (a partial name)
};
inline constexpr std::uint8_t kFqdnFlagS = 0x01;
inline constexpr std::uint8_t kFqdnFlagO = 0x02;
inline constexpr std::uint8_t kFqdnFlagE = 0x04;
inline constexpr std::uint8_t kFqdnFlagN = 0x08;

[[nodiscard]] Result<ClientFqdn, OptionError> decode_client_fqdn(std::span<const std::byte> value);
[[nodiscard]] std::vector<std::byte> encode_client_fqdn(const ClientFqdn& fqdn);

}  // namespace nfv::net::dhcp
