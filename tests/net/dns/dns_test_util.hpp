// Helpers for the DNS codec tests: packets written as hex strings.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace nfv::net::dns::testing {

/// Hex digits to bytes; spaces are ignored. Aborts on malformed input (a test bug).
inline std::vector<std::byte> hex(std::string_view text) {
    std::vector<std::byte> out;
    int high = -1;
    for (const char c : text) {
        int value = 0;
        if (c >= '0' && c <= '9') {
            value = c - '0';
        } else if (c >= 'a' && c <= 'f') {
            value = c - 'a' + 10;
        } else if (c == ' ' || c == '\n') {
            continue;
        } else {
            std::abort();
        }
        if (high < 0) {
            high = value;
        } else {
            out.push_back(static_cast<std::byte>(high * 16 + value));
            high = -1;
        }
    }
    if (high >= 0) {
        std::abort();
    }
    return out;
}

// Known packets, hand-assembled from RFC 1035 §4.1 layouts.

/// dig-style query: example.com A, RD+AD, EDNS 1232 with DO and an 8-byte cookie option.
inline constexpr std::string_view kQueryWithEdns =
    "1234 0120 0001 0000 0000 0001"
    " 07 6578616d706c65 03 636f6d 00 0001 0001"
    " 00 0029 04d0 00008000 000c 000a 0008 0102030405060708";

/// www.example.com A -> CNAME web.example.com -> A 192.0.2.1, fully compressed the way our
/// serializer compresses, so serialize(parse(x)) == x.
inline constexpr std::string_view kCnameChain =
    "abcd 8180 0001 0002 0000 0000"
    " 03 777777 07 6578616d706c65 03 636f6d 00 0001 0001"
    " c00c 0005 0001 0000012c 0006 03 776562 c010"
    " c02d 0001 0001 0000003c 0004 c0000201";

/// nx.example.com A -> NXDOMAIN, SOA example.com in authority (names compressed).
inline constexpr std::string_view kNxdomain =
    "0001 8183 0001 0000 0001 0000"
    " 02 6e78 07 6578616d706c65 03 636f6d 00 0001 0001"
    " c00f 0006 0001 00000e10 0026"
    " 02 6e73 c00f 0a 686f73746d6173746572 c00f"
    " 78563412 00001c20 00000e10 00093a80 0000012c";

/// example.com TXT -> "hello" "world" "".
inline constexpr std::string_view kTxt =
    "0002 8180 0001 0001 0000 0000"
    " 07 6578616d706c65 03 636f6d 00 0010 0001"
    " c00c 0010 0001 00000e10 000d 05 68656c6c6f 05 776f726c64 00";

/// _sip._tcp.example.com SRV -> 10 5 5060 sip.example.com. (target compressed by the sender,
/// which RFC 2782 forbids but receivers must tolerate).
inline constexpr std::string_view kSrv =
    "0003 8180 0001 0001 0000 0000"
    " 04 5f736970 04 5f746370 07 6578616d706c65 03 636f6d 00 0021 0001"
    " c00c 0021 0001 0000012c 000c 000a 0005 13c4 03 736970 c016";

/// example.com CAA -> 0 issue "letsencrypt.org".
inline constexpr std::string_view kCaa =
    "0004 8180 0001 0001 0000 0000"
    " 07 6578616d706c65 03 636f6d 00 0101 0001"
    " c00c 0101 0001 00000e10 0016 00 05 6973737565 6c657473656e63727970742e6f7267";

/// example.com NAPTR -> 100 10 "S" "SIP+D2U" "" _sip._udp.example.com.
inline constexpr std::string_view kNaptr =
    "0005 8180 0001 0001 0000 0000"
    " 07 6578616d706c65 03 636f6d 00 0023 0001"
    " c00c 0023 0001 00000e10 0026 0064 000a 01 53 07 5349502b443255 00"
    " 04 5f736970 04 5f756470 07 6578616d706c65 03 636f6d 00";

/// example.com TYPE65534 -> \# 3 010203.
inline constexpr std::string_view kUnknownType =
    "0006 8180 0001 0001 0000 0000"
    " 07 6578616d706c65 03 636f6d 00 fffe 0001"
    " c00c fffe 0001 00000000 0003 010203";

}  // namespace nfv::net::dns::testing
