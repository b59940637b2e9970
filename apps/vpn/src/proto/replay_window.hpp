// Replay protection for OpenVPN packet ids: the "long form" (32-bit counter + 32-bit time) used
// by tls-auth/tls-crypt, and the short form (counter only, time fixed) of the data channel.
//
// Reference: OpenVPN 2.6 src/openvpn/packet_id.{h,c} (packet_id_test, packet_id_add,
// packet_id_reap, packet_id_send_update); --replay-window n [t] in doc/man-sections; defaults
// DEFAULT_SEQ_BACKTRACK 64 and DEFAULT_TIME_BACKTRACK 15 s (UDP). With a backtrack of 0 (TCP)
// ids must follow each other without gaps. /work/shared/reference/openvpn-protocol.md §1.4.
//
// Acceptance rules (UDP / backtrack mode), for a received (id, time):
//  * id 0 is never valid;
//  * time older than the newest time seen: reject; newer: accept and start a new sequence;
//  * same time: ids above the highest seen are accepted; ids up to `seq_backtrack` below it are
//    accepted once; ids further back are too old;
//  * an id that was skipped is no longer accepted once a later id (at or below it in the
//    window) was received more than `time_backtrack` ago (OpenVPN's reap rule).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "nfv/platform/result.hpp"
#include "nfv/platform/time.hpp"

namespace nfv::vpn::proto {

/// A packet id as carried on the wire: counter first, then time (both big endian).
struct ReplayId {
    std::uint32_t id = 0;
    std::uint32_t time = 0;
    friend constexpr bool operator==(const ReplayId&, const ReplayId&) = default;
};
inline constexpr std::size_t kReplayIdLongSize = 8;

enum class ReplayVerdict : std::uint8_t {
    kAccept,
    kZeroId,         // id 0 is never sent
    kReplay,         // already seen
    kTooOld,         // further back than the window
    kExpired,        // inside the window but older than time_backtrack allows
    kTimeBacktrack,  // time field older than the current sequence
    kOutOfSequence,  // strict (TCP) mode: not exactly the next id
};

struct ReplayWindowConfig {
    /// Ids accepted behind the highest one; 0 = strictly sequential (TCP). Max 65536.
    std::uint32_t seq_backtrack = 64;
    /// How long a gap may stay open; 0 disables expiry. OpenVPN allows 0..600 s.
    platform::Duration time_backtrack = std::chrono::seconds(15);
};

inline constexpr std::uint32_t kMaxSeqBacktrack = 65536;

class ReplayWindow {
public:
    /// seq_backtrack is clamped to kMaxSeqBacktrack.
    explicit ReplayWindow(ReplayWindowConfig config = {});

    /// Whether `id` would be accepted now; changes nothing. Call it after the packet passed its
    /// MAC check, then record() it once the packet is accepted.
    [[nodiscard]] ReplayVerdict check(ReplayId id, platform::Instant now) const;
    /// Marks `id` as seen (call only for authenticated packets that passed check()).
    void record(ReplayId id, platform::Instant now);
    /// check() then record() when accepted.
    ReplayVerdict check_and_record(ReplayId id, platform::Instant now);

private:
    [[nodiscard]] bool expired(std::uint32_t diff, platform::Instant now) const;
    [[nodiscard]] std::size_t slot(std::uint32_t diff) const;

    ReplayWindowConfig config_;
    bool started_ = false;
    std::uint32_t time_ = 0;
    std::uint32_t highest_ = 0;
    // Ring of per-id receive instants for ids highest_, highest_-1, ... ; nullopt = not seen.
    std::vector<std::optional<platform::Instant>> seen_;
    std::size_t head_ = 0;    // slot of highest_
    std::size_t filled_ = 0;  // slots that describe real ids (grows up to seen_.size())
};

enum class PacketIdError : std::uint8_t { kExhausted };

/// Sender side: 1, 2, 3, ... with the time of the first send; in long form the counter may roll
/// over to a new time, in short form running out is an error (the caller must renegotiate).
class PacketIdSender {
public:
    /// `long_form`: the time field is sent (tls-auth/tls-crypt). `time` is the wall-clock
    /// seconds the sequence starts with (OpenVPN uses `now` at the first send). `last_id` is the
    /// id before the first one sent (tls-crypt-v2 early negotiation starts at 0x0f000000).
    PacketIdSender(bool long_form, std::uint32_t time, std::uint32_t last_id = 0)
        : long_form_(long_form), time_(time), id_(last_id) {}

    /// The next id. `wall_time` is only used when the counter rolls over in long form.
    [[nodiscard]] Result<ReplayId, PacketIdError> next(std::uint32_t wall_time);
    [[nodiscard]] std::uint32_t last_id() const { return id_; }

private:
    bool long_form_;
    std::uint32_t time_;
    std::uint32_t id_;
};

}  // namespace nfv::vpn::proto
