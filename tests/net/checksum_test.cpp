#include "nfv/net/checksum.hpp"

#include <array>
#include <cstddef>
#include <vector>

#include <gtest/gtest.h>

#include "nfv/platform/testing/seeded_random.hpp"

namespace nfv::net {
namespace {

template <std::size_t N>
std::array<std::byte, N> bytes_of(const std::array<std::uint8_t, N>& values) {
    std::array<std::byte, N> out{};
    for (std::size_t i = 0; i < N; ++i) {
        out[i] = std::byte{values[i]};
    }
    return out;
}

// RFC 1071 §3 numerical example: the one's complement sum of these bytes is 0xddf2.
constexpr std::array<std::uint8_t, 8> kRfc1071Example = {0x00, 0x01, 0xf2, 0x03,
                                                         0xf4, 0xf5, 0xf6, 0xf7};

// Straightforward reference: pad to even, sum words with end-around carry.
std::uint16_t reference_checksum(std::span<const std::byte> data) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < data.size(); i += 2) {
        std::uint32_t word = std::to_integer<std::uint32_t>(data[i]) << 8U;
        if (i + 1 < data.size()) {
            word |= std::to_integer<std::uint32_t>(data[i + 1]);
        }
        sum += word;
        sum = (sum & 0xffffU) + (sum >> 16U);
    }
    return static_cast<std::uint16_t>(~sum & 0xffffU);
}

TEST(InternetChecksum, MatchesRfc1071Example) {
    const auto data = bytes_of(kRfc1071Example);
    ChecksumAccumulator acc;
    acc.add(data);
    EXPECT_EQ(acc.sum(), 0xddf2);
    EXPECT_EQ(acc.finish(), 0x220d);
    EXPECT_EQ(internet_checksum(data), 0x220d);
}

TEST(InternetChecksum, KnownIpv4HeaderSumsToZero) {
    // A real IPv4 header (the classic Wikipedia example) with checksum 0xb861 filled in.
    const auto header = bytes_of(
        std::array<std::uint8_t, 20>{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
                                     0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7});
    EXPECT_EQ(internet_checksum(header), 0);
    auto zeroed = header;
    zeroed[10] = std::byte{0};
    zeroed[11] = std::byte{0};
    EXPECT_EQ(internet_checksum(zeroed), 0xb861);
}

TEST(InternetChecksum, EmptyInputIsAllOnes) {
    EXPECT_EQ(internet_checksum({}), 0xffff);
}

TEST(InternetChecksum, OddLengthPadsWithZero) {
    const auto odd = bytes_of(std::array<std::uint8_t, 3>{0x12, 0x34, 0x56});
    const auto padded = bytes_of(std::array<std::uint8_t, 4>{0x12, 0x34, 0x56, 0x00});
    EXPECT_EQ(internet_checksum(odd), internet_checksum(padded));
    EXPECT_EQ(internet_checksum(odd), static_cast<std::uint16_t>(~(0x1234 + 0x5600)));
}

TEST(ChecksumAccumulator, SplitsAtAnyPointGiveTheSameSum) {
    platform::testing::SeededRandom random(7);
    for (int round = 0; round < 200; ++round) {
        std::vector<std::byte> data(random.uniform(64) + 1);
        random.fill(data);
        const auto whole = reference_checksum(data);
        ASSERT_EQ(internet_checksum(data), whole);
        // Feed in up to four random pieces, some odd-length.
        ChecksumAccumulator acc;
        std::span<const std::byte> rest(data);
        for (int piece = 0; piece < 3 && !rest.empty(); ++piece) {
            const auto n = random.uniform(rest.size() + 1);
            acc.add(rest.first(n));
            rest = rest.subspan(n);
        }
        acc.add(rest);
        EXPECT_EQ(acc.finish(), whole) << "round " << round;
    }
}

TEST(ChecksumAccumulator, WordHelpersContinueAnOddStream) {
    const auto data =
        bytes_of(std::array<std::uint8_t, 7>{0xaa, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc});
    ChecksumAccumulator acc;
    acc.add(std::span(data).first(1));
    acc.add_u16(0x1234);
    acc.add_u32(0x56789abc);
    EXPECT_EQ(acc.finish(), reference_checksum(data));
}

TEST(PseudoHeader, Ipv4MatchesExplicitBytes) {
    const Ipv4Address src({192, 0, 2, 1});
    const Ipv4Address dst({198, 51, 100, 2});
    const auto segment = bytes_of(std::array<std::uint8_t, 5>{1, 2, 3, 4, 5});
    const auto explicit_bytes = bytes_of(
        std::array<std::uint8_t, 17>{192, 0, 2, 1, 198, 51, 100, 2, 0, 17, 0, 5, 1, 2, 3, 4, 5});
    EXPECT_EQ(ipv4_transport_checksum(src, dst, 17, segment), internet_checksum(explicit_bytes));
}

TEST(PseudoHeader, Ipv6MatchesExplicitBytes) {
    const auto src = *Ipv6Address::parse("2001:db8::1");
    const auto dst = *Ipv6Address::parse("fe80::2");
    const auto segment = bytes_of(std::array<std::uint8_t, 3>{9, 8, 7});
    std::vector<std::byte> explicit_bytes;
    for (const auto o : src.octets()) {
        explicit_bytes.push_back(std::byte{o});
    }
    for (const auto o : dst.octets()) {
        explicit_bytes.push_back(std::byte{o});
    }
    for (const std::uint8_t b : std::array<std::uint8_t, 11>{0, 0, 0, 3, 0, 0, 0, 58, 9, 8, 7}) {
        explicit_bytes.push_back(std::byte{b});
    }
    EXPECT_EQ(ipv6_transport_checksum(src, dst, 58, segment), internet_checksum(explicit_bytes));
}

TEST(PseudoHeader, InPlaceHelpersReadTheAddressesFromTheIpHeader) {
    // An IPv4 UDP packet: header (addresses at 12..20), then an 8-byte header and 3 bytes.
    std::vector<std::byte> v4(31);
    v4[0] = std::byte{0x45};
    for (std::size_t i = 12; i < 20; ++i) {
        v4[i] = std::byte{static_cast<std::uint8_t>(i * 11)};
    }
    for (std::size_t i = 20; i < v4.size(); ++i) {
        v4[i] = std::byte{static_cast<std::uint8_t>(i * 7 + 1)};
    }
    const Ipv4Address src4({132, 143, 154, 165});
    const Ipv4Address dst4({176, 187, 198, 209});
    const auto segment4 = std::span<const std::byte>(v4).subspan(20);
    EXPECT_EQ(packet_transport_checksum(v4, 20, 17),
              ipv4_transport_checksum(src4, dst4, 17, segment4));
    ChecksumAccumulator pseudo4;
    add_ipv4_pseudo_header(pseudo4, src4, dst4, 17, 11);
    EXPECT_EQ(packet_pseudo_header_sum(v4, 17, 11), pseudo4.sum());

    // An IPv6 TCP packet: addresses at 8..40.
    std::vector<std::byte> v6(65);
    v6[0] = std::byte{0x60};
    for (std::size_t i = 8; i < v6.size(); ++i) {
        v6[i] = std::byte{static_cast<std::uint8_t>(i * 13 + 5)};
    }
    std::array<std::uint8_t, 16> s{};
    std::array<std::uint8_t, 16> d{};
    for (std::size_t i = 0; i < 16; ++i) {
        s[i] = std::to_integer<std::uint8_t>(v6[8 + i]);
        d[i] = std::to_integer<std::uint8_t>(v6[24 + i]);
    }
    const Ipv6Address src6(s);
    const Ipv6Address dst6(d);
    const auto segment6 = std::span<const std::byte>(v6).subspan(40);
    EXPECT_EQ(packet_transport_checksum(v6, 40, 6),
              ipv6_transport_checksum(src6, dst6, 6, segment6));
    ChecksumAccumulator pseudo6;
    add_ipv6_pseudo_header(pseudo6, src6, dst6, 6, 25);
    EXPECT_EQ(packet_pseudo_header_sum(v6, 6, 25), pseudo6.sum());
}

TEST(ChecksumUpdate, MatchesRfc1624Example) {
    // RFC 1624 §4: HC = 0xdd2f, m = 0x5555 -> m' = 0x3285 gives HC' = 0x0000.
    EXPECT_EQ(checksum_update(0xdd2f, 0x5555, 0x3285), 0x0000);
}

TEST(ChecksumUpdate, AgreesWithFullRecomputationOnRandomPackets) {
    platform::testing::SeededRandom random(1624);
    for (int round = 0; round < 2000; ++round) {
        // Even length, at least one non-zero word so the sum never needs to be "negative zero".
        std::vector<std::byte> packet(2 * (random.uniform(40) + 2));
        random.fill(packet);
        packet[0] = std::byte{0x45};
        const std::uint16_t before = internet_checksum(packet);

        const auto word_index = 1 + random.uniform(packet.size() / 2 - 1);
        const auto offset = static_cast<std::size_t>(word_index * 2);
        const auto old_word =
            static_cast<std::uint16_t>((std::to_integer<unsigned>(packet[offset]) << 8U) |
                                       std::to_integer<unsigned>(packet[offset + 1]));
        const auto new_word = static_cast<std::uint16_t>(random.uniform(0x10000));
        packet[offset] = static_cast<std::byte>(new_word >> 8U);
        packet[offset + 1] = static_cast<std::byte>(new_word & 0xffU);

        EXPECT_EQ(checksum_update(before, old_word, new_word), internet_checksum(packet))
            << "round " << round;
    }
}

TEST(ChecksumUpdate, AddressRewritesAgreeWithFullRecomputation) {
    platform::testing::SeededRandom random(99);
    for (int round = 0; round < 500; ++round) {
        std::array<std::byte, 40> packet{};
        random.fill(packet);
        packet[0] = std::byte{0x60};
        const std::uint16_t before = internet_checksum(packet);

        // IPv4-style 32-bit rewrite at bytes 4..8.
        const auto old_v4 = Ipv4Address(
            {std::to_integer<std::uint8_t>(packet[4]), std::to_integer<std::uint8_t>(packet[5]),
             std::to_integer<std::uint8_t>(packet[6]), std::to_integer<std::uint8_t>(packet[7])});
        const auto new_v4 = Ipv4Address::from_u32(static_cast<std::uint32_t>(random.next_u64()));
        const auto o = new_v4.octets();
        for (std::size_t i = 0; i < 4; ++i) {
            packet[4 + i] = std::byte{o[i]};
        }
        const std::uint16_t after_v4 = checksum_update(before, old_v4, new_v4);
        EXPECT_EQ(after_v4, internet_checksum(packet));

        // IPv6-style 128-bit rewrite at bytes 8..24.
        std::array<std::uint8_t, 16> old_octets{};
        for (std::size_t i = 0; i < 16; ++i) {
            old_octets[i] = std::to_integer<std::uint8_t>(packet[8 + i]);
        }
        std::array<std::uint8_t, 16> new_octets{};
        random.fill(std::as_writable_bytes(std::span(new_octets)));
        for (std::size_t i = 0; i < 16; ++i) {
            packet[8 + i] = std::byte{new_octets[i]};
        }
        EXPECT_EQ(checksum_update(after_v4, Ipv6Address(old_octets), Ipv6Address(new_octets)),
                  internet_checksum(packet));
    }
}

}  // namespace
}  // namespace nfv::net
