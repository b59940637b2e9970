#include "tunnel/mss_clamp.hpp"

#include <algorithm>

#include "nfv/net/tcp_mss.hpp"

namespace nfv::vpn::tunnel {

namespace {

constexpr std::size_t kPacketId = 4;
constexpr std::size_t kPayloadHeaders = 20 + 20;  // IPv4 + TCP of the tunnelled segment
constexpr std::size_t kCbcBlock = 16;

std::size_t digest_size(proto::DataDigest digest) {
    switch (digest) {
        case proto::DataDigest::kSha1:
            return 20;
        case proto::DataDigest::kSha256:
            return 32;
        case proto::DataDigest::kSha384:
            return 48;
        case proto::DataDigest::kSha512:
            return 64;
    }
    return 64;
}

}  // namespace

std::uint16_t mssfix_limit(const config::VpnConfig& config, const DataPath& path) {
    const std::uint32_t mssfix = config.mssfix.value_or(1492);
    if (mssfix == 0) {
        return 0;
    }
    if (config.mssfix_mode == config::MssfixMode::kFixed) {
        return mssfix > kPayloadHeaders ? static_cast<std::uint16_t>(mssfix - kPayloadHeaders) : 0;
    }
    const bool cbc = !proto::is_aead(path.cipher);
    std::size_t overhead = (path.data_v2 ? std::size_t{4} : std::size_t{1}) + kPacketId;
    overhead += cbc ? kCbcBlock + digest_size(path.digest) : proto::kAeadTagSize;
    if (path.tcp_transport) {
        overhead += 2;  // the stream's length prefix
    }
    if (config.mssfix_mode == config::MssfixMode::kMtu) {
        overhead += (path.ipv6_transport ? std::size_t{40} : std::size_t{20}) +
                    (path.tcp_transport ? std::size_t{20} : std::size_t{8});
    }
    if (mssfix <= overhead) {
        return 0;
    }
    std::size_t target = mssfix - overhead;
    if (cbc) {
        target = target / kCbcBlock * kCbcBlock - 1;  // whole blocks, one byte of padding
    }
    if (target <= kPayloadHeaders) {
        return 0;
    }
    return static_cast<std::uint16_t>(std::min<std::size_t>(target - kPayloadHeaders, 0xffff));
}

std::span<const std::byte> clamp_mss(std::span<const std::byte> packet, std::uint16_t limit,
                                     std::span<std::byte> scratch) {
    if (limit == 0 || !net::needs_mss_clamp(packet, limit) || packet.size() > scratch.size()) {
        return packet;
    }
    const auto copy = scratch.first(packet.size());
    std::copy(packet.begin(), packet.end(), copy.begin());
    (void)net::clamp_tcp_mss(copy, limit);
    return copy;
}

}  // namespace nfv::vpn::tunnel
