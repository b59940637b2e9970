// The key-method-2 message: the first TLS plaintext each side sends on a new key state. It
// carries the key source for the legacy PRF, the OCC options string, the optional username and
// password, and the peer-info (IV_ variables) text.
//
// References: OpenVPN 2.6 src/openvpn/ssl.c (key_method_2_write, key_method_2_read,
// key_source2_randomize_write, key_source2_read, write_string, read_string,
// read_string_alloc, push_peer_info), ssl.h (KEY_METHOD_2, KEY_METHOD_MASK), ssl_common.h
// (TLS_OPTIONS_LEN), misc.h (USER_PASS_LEN); /work/shared/reference/openvpn-protocol.md §1.8.
//
// Layout (integers big endian):
//   u32 0 | u8 key method (low 4 bits = 2, upper bits flags)
//   | pre_master[48] (client only) | random1[32] | random2[32]
//   | u16 len | options string incl. NUL          (len <= 512)
//   | u16 len | username incl. NUL | u16 len | password incl. NUL   (len 0 = absent)
//   | u16 len | peer info incl. NUL                                   (len 0 = absent)
//
// Parsing follows OpenVPN's reader: the leading u32 is skipped unchecked; a string's value
// ends at its first NUL (OpenVPN overwrites the last byte with NUL and reads a C string); the
// trailing fields (credentials, peer info) may be missing entirely when the message ends
// before them; bytes after the peer info are ignored. Every length is checked against the
// bytes present before anything is read.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "nfv/platform/random.hpp"
#include "nfv/platform/result.hpp"

#include "proto/key_derivation.hpp"

namespace nfv::vpn::proto {

inline constexpr std::uint8_t kKeyMethod2 = 2;
inline constexpr std::uint8_t kKeyMethodMask = 0x0F;
/// TLS_OPTIONS_LEN: longest options string, NUL included.
inline constexpr std::size_t kMaxOptionsStringSize = 512;
/// USER_PASS_LEN of builds with PKCS#11 (Debian): longest username/password, NUL included.
inline constexpr std::size_t kMaxUserPassSize = 4096;

/// Username and password (auth-user-pass or an auth-token). Wiped on destruction.
struct UserPass {
    std::string username;
    std::string password;

    UserPass() = default;
    UserPass(std::string user, std::string pass)
        : username(std::move(user)), password(std::move(pass)) {}
    UserPass(const UserPass&) = default;
    UserPass& operator=(const UserPass&) = default;
    UserPass(UserPass&&) = default;
    UserPass& operator=(UserPass&&) = default;
    ~UserPass();
    friend bool operator==(const UserPass&, const UserPass&) = default;
};

struct KeyMethod2Message {
    std::uint8_t flags = 0;  // upper 4 bits of the key-method byte (0 in OpenVPN 2.6)
    KeySource key_source;    // pre_master is on the wire only in the client's message
    std::string options;     // OCC options string ("V4,dev-type tun,...")
    std::optional<UserPass> credentials;
    std::string peer_info;  // "IV_VER=...\nIV_PROTO=...\n"; empty = absent
};

enum class KeyMethod2Error : std::uint8_t {
    kTruncated,           // a fixed field or a string runs past the end
    kUnsupportedMethod,   // key method other than 2
    kOptionsTooLong,      // options string longer than kMaxOptionsStringSize
    kCredentialsTooLong,  // username or password longer than kMaxUserPassSize
    kStringTooLong,       // serialize: a string does not fit a u16 length
    kBufferTooSmall,      // serialize: output shorter than wire_size()
};

/// A fresh key source from `random`; pre_master is filled for the client only (zero otherwise).
[[nodiscard]] KeySource make_key_source(platform::Random& random, bool is_client);

/// Parses the message sent by the client (`from_client`, with pre_master) or by the server.
[[nodiscard]] Result<KeyMethod2Message, KeyMethod2Error> parse_key_method2(
    std::span<const std::byte> bytes, bool from_client);

/// Bytes serialize_key_method2() writes.
[[nodiscard]] std::size_t wire_size(const KeyMethod2Message& message, bool from_client);

/// Writes the message as OpenVPN's key_method_2_write does; returns bytes written. Strings are
/// written up to their first NUL. Fails without writing past `out` when it is too small or a
/// field exceeds its limit.
[[nodiscard]] Result<std::size_t, KeyMethod2Error> serialize_key_method2(
    const KeyMethod2Message& message, bool from_client, std::span<std::byte> out);

}  // namespace nfv::vpn::proto
