#include "session/client_session.hpp"

#include <algorithm>
#include <utility>

#include "nfv/net/byte_reader.hpp"

namespace nfv::vpn::session {
namespace {

using proto::Opcode;

constexpr std::string_view kPushRequest = "PUSH_REQUEST";

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

std::span<const std::byte> as_bytes(std::string_view text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

template <std::size_t N>
bool equals_magic(std::span<const std::byte> bytes, const std::array<std::uint8_t, N>& magic) {
    if (bytes.size() < N) {
        return false;
    }
    for (std::size_t i = 0; i < N; ++i) {
        if (std::to_integer<std::uint8_t>(bytes[i]) != magic[i]) {
            return false;
        }
    }
    return true;
}

// A control message as OpenVPN's extract_command_buffer() accepts it: text up to the first NUL
// (which must be present), trailing CR/LF removed, printable characters only.
std::optional<std::string> control_message_text(std::span<const std::byte> record) {
    const auto nul = std::find(record.begin(), record.end(), std::byte{0});
    if (nul == record.end()) {
        return std::nullopt;
    }
    std::string text;
    for (auto it = record.begin(); it != nul; ++it) {
        text.push_back(static_cast<char>(std::to_integer<unsigned char>(*it)));
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    const bool printable = std::all_of(text.begin(), text.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u >= 0x20 && u != 0x7f;
    });
    if (!printable) {
        return std::nullopt;
    }
    return text;
}

constexpr std::uint16_t kTlvEarlyNegFlags = 0x0001;  // TLV_TYPE_EARLY_NEG_FLAGS
constexpr std::uint16_t kEarlyNegFlagResendWkc = 0x0001;

// The payload of the server's reset to a client that announced early negotiation: TLVs of
// u16 type, u16 length, value (ssl_pkt.h; ssl.c parse_early_negotiation_tlvs). Returns the
// EARLY_NEG_FLAGS value (0 when absent); unknown types are skipped; nullopt when malformed.
std::optional<std::uint16_t> parse_early_negotiation(std::span<const std::byte> payload) {
    net::ByteReader reader(payload);
    std::uint16_t flags = 0;
    while (!reader.empty()) {
        const auto type = reader.read_u16();
        const auto length = reader.read_u16();
        if (!type || !length) {
            return std::nullopt;
        }
        const auto value = reader.read_bytes(*length);
        if (!value) {
            return std::nullopt;
        }
        if (*type == kTlvEarlyNegFlags) {
            net::ByteReader flag_reader(*value);
            const auto parsed = flag_reader.read_u16();
            if (*length != 2 || !parsed) {
                return std::nullopt;
            }
            flags = *parsed;
        }
    }
    return flags;
}

std::string seconds_text(platform::Duration duration) {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(duration).count()) +
           " s";
}

}  // namespace

struct ClientSession::KeyState {
    enum class Phase : std::uint8_t { kWaitReset, kHandshake, kSentKey, kKeyExchanged };

    KeyState(std::uint8_t id, const proto::ReliableConfig& reliable_config)
        : key_id(id), reliable(reliable_config) {}

    std::uint8_t key_id;
    proto::Reliable reliable;
    std::unique_ptr<TlsStream> tls;
    Phase phase = Phase::kWaitReset;
    proto::KeySource local_source;
    std::optional<proto::KeySource> remote_source;
    std::optional<proto::DataChannelKey> data;
    platform::Instant started;
    // tls-crypt-v2: the server's reset asked for the WKc again (EARLY_NEG_FLAG_RESEND_WKC), so
    // our first P_CONTROL_V1 (message id 1) goes out as P_CONTROL_WKC_V1.
    bool resend_wkc = false;
    // Data-channel traffic on this key, both directions (ssl.c ks->n_bytes / ks->n_packets:
    // tls_pre_decrypt and tls_post_encrypt), for --reneg-bytes and --reneg-pkts.
    std::uint64_t n_bytes = 0;
    std::uint64_t n_packets = 0;
};

ClientSession::ClientSession(ClientSessionConfig config, platform::Random& random, Now now)
    : config_(std::move(config)),
      random_(&random),
      started_(now.mono),
      last_received_(now.mono),
      last_sent_(now.mono) {
    primary_ = start_key_state(0, /*soft_reset=*/false, now);
}

ClientSession::~ClientSession() = default;

std::unique_ptr<ClientSession::KeyState> ClientSession::start_key_state(std::uint8_t key_id,
                                                                        bool soft_reset, Now now) {
    proto::ReliableConfig reliable_config;
    reliable_config.key_id = key_id;
    reliable_config.local_session_id = config_.local_session_id;
    reliable_config.max_payload =
        proto::control_payload_size(config_.tls_mtu, config_.wrap.overhead(key_id));
    auto key = std::make_unique<KeyState>(key_id, reliable_config);
    key->started = now.mono;
    key->local_source = proto::make_key_source(*random_, /*is_client=*/true);
    if (remote_session_id_) {
        key->reliable.set_remote_session_id(*remote_session_id_);
    }
    // tls-crypt-v2 clients start with P_CONTROL_HARD_RESET_CLIENT_V3 (the WKc is appended by
    // the wrap); renegotiations use SOFT_RESET_V1 like every other mode.
    const Opcode hard_reset = config_.wrap.mode() == proto::WrapMode::kTlsCryptV2
                                  ? Opcode::kControlHardResetClientV3
                                  : Opcode::kControlHardResetClientV2;
    key->reliable.send(soft_reset ? Opcode::kControlSoftResetV1 : hard_reset, {});
    return key;
}

ClientSession::KeyState* ClientSession::key_state(std::uint8_t key_id) {
    for (auto* key : {primary_.get(), renegotiating_.get(), lame_duck_.get()}) {
        if (key != nullptr && key->key_id == key_id) {
            return key;
        }
    }
    return nullptr;
}

void ClientSession::emit(SessionEvent::Kind kind, std::string text) {
    events_.push_back({kind, std::move(text)});
}

void ClientSession::fail(std::string reason) {
    if (state_ == SessionState::kFailed) {
        return;
    }
    state_ = SessionState::kFailed;
    emit(SessionEvent::Kind::kFailed, std::move(reason));
}

void ClientSession::on_control_packet(std::span<const std::byte> packet, Now now) {
    if (state_ == SessionState::kFailed) {
        return;
    }
    const auto header = proto::parse_control_header(packet);
    if (!header || (remote_session_id_ && header->session_id != *remote_session_id_)) {
        ++stats_.control_dropped;
        return;
    }
    std::vector<std::byte> plain(packet.size());
    const auto unwrapped = config_.wrap.unwrap(packet, now.mono, plain);
    if (!unwrapped) {
        ++stats_.control_dropped;
        return;
    }
    const auto parsed = proto::parse_control_packet(std::span(plain).first(*unwrapped));
    if (!parsed) {
        ++stats_.control_dropped;
        return;
    }
    const proto::ControlPacket& control = *parsed;
    KeyState* key = key_state(control.key_id);
    if (key == nullptr) {
        // The server starts a renegotiation with a soft reset on a new key_id.
        if (control.opcode != Opcode::kControlSoftResetV1 || state_ != SessionState::kConnected ||
            control.key_id == 0) {
            ++stats_.control_dropped;
            return;
        }
        renegotiating_ = start_key_state(control.key_id, /*soft_reset=*/true, now);
        last_key_id_ = control.key_id;
        key = renegotiating_.get();
    }
    if (control.opcode == Opcode::kControlHardResetServerV2 && !remote_session_id_) {
        remote_session_id_ = control.session_id;
        key->reliable.set_remote_session_id(control.session_id);
    }
    if (!key->reliable.on_packet(control, now.mono)) {
        ++stats_.control_dropped;
        return;
    }
    last_received_ = now.mono;
    process_key_state(*key, now);
}

void ClientSession::process_key_state(KeyState& key, Now now) {
    while (auto message = key.reliable.poll_message()) {
        if (proto::is_reset(message->opcode)) {
            if (key.phase != KeyState::Phase::kWaitReset) {
                continue;  // a retransmitted reset: the reliable layer already acked it
            }
            if (message->opcode == Opcode::kControlHardResetServerV2 &&
                config_.wrap.mode() == proto::WrapMode::kTlsCryptV2) {
                auto flags = parse_early_negotiation(message->payload);
                if (!flags) {
                    fail("TLS Error: early negotiation malformed packet");
                    return;
                }
                key.resend_wkc = (*flags & kEarlyNegFlagResendWkc) != 0;
            }
            auto tls = config_.make_tls();
            if (!tls) {
                fail("TLS setup failed: " + tls.error());
                return;
            }
            key.tls = std::move(*tls);
            key.phase = KeyState::Phase::kHandshake;
            if (state_ == SessionState::kResetSent) {
                state_ = SessionState::kTlsHandshake;
            }
        } else if (message->opcode == Opcode::kControlV1 && key.tls) {
            if (auto fed = key.tls->feed(message->payload); !fed) {
                fail("TLS error on key " + std::to_string(key.key_id) + ": " + fed.error());
                return;
            }
        }
    }
    if (!key.tls) {
        return;
    }
    if (key.phase == KeyState::Phase::kHandshake && key.tls->handshake_done()) {
        proto::KeyMethod2Message ours;
        ours.key_source = key.local_source;
        ours.options = config_.options_string;
        ours.credentials = config_.credentials;
        ours.peer_info = config_.peer_info;
        std::vector<std::byte> bytes(proto::wire_size(ours, /*from_client=*/true));
        const auto written = proto::serialize_key_method2(ours, true, bytes);
        if (!written) {
            fail("cannot encode the key-method-2 message (options or credentials too long)");
            return;
        }
        bytes.resize(*written);
        if (auto sent = key.tls->write(bytes); !sent) {
            fail("TLS write failed: " + sent.error());
            return;
        }
        key.phase = KeyState::Phase::kSentKey;
        if (&key == primary_.get() && state_ == SessionState::kTlsHandshake) {
            state_ = SessionState::kKeyExchange;
            emit(SessionEvent::Kind::kTlsEstablished, key.tls->description());
        }
    }
    while (auto record = key.tls->read_record()) {
        handle_record(key, *record, now);
        if (state_ == SessionState::kFailed) {
            return;
        }
    }
    if (auto out = key.tls->take_outgoing(); !out.empty()) {
        std::span<const std::byte> rest(out);
        if (key.resend_wkc) {
            // ssl.c write_outgoing_tls_ciphertext: the packet with message id 1 becomes
            // P_CONTROL_WKC_V1 and carries WKc-size fewer TLS bytes, so the datagram stays
            // within the control MTU.
            key.resend_wkc = false;
            const std::size_t max_payload =
                proto::control_payload_size(config_.tls_mtu, config_.wrap.overhead());
            const std::size_t room = max_payload > config_.wrap.wkc().size()
                                         ? max_payload - config_.wrap.wkc().size()
                                         : 0;
            const std::size_t first = std::min(room, rest.size());
            key.reliable.send(Opcode::kControlWkcV1, rest.first(first));
            rest = rest.subspan(first);
        }
        key.reliable.send(Opcode::kControlV1, rest);
    }
}

void ClientSession::handle_record(KeyState& key, std::span<const std::byte> record, Now now) {
    if (key.phase == KeyState::Phase::kSentKey) {
        auto theirs = proto::parse_key_method2(record, /*from_client=*/false);
        if (!theirs) {
            fail("malformed key-method-2 message from the server");
            return;
        }
        key.remote_source = theirs->key_source;
        key.phase = KeyState::Phase::kKeyExchanged;
        if (&key == primary_.get()) {
            state_ = SessionState::kPushRequested;
            send_control_message(key, kPushRequest);
            next_push_request_ = now.mono + config_.push_request_interval;
            return;
        }
        // A renegotiated key: same cipher and derivation as the primary, then rotate.
        if (auto installed = install_keys(key); !installed) {
            fail("renegotiation: " + installed.error());
            return;
        }
        lame_duck_ = std::move(primary_);
        primary_ = std::move(renegotiating_);
        lame_duck_expiry_ = now.mono + config_.transition_window;
        emit(SessionEvent::Kind::kRenegotiated, "key_id " + std::to_string(primary_->key_id));
        return;
    }
    const auto text = control_message_text(record);
    if (!text) {
        ++stats_.control_dropped;
        return;
    }
    handle_control_message(*text, now);
}

void ClientSession::handle_control_message(std::string_view message, Now now) {
    (void)now;
    if (starts_with(message, "PUSH_REPLY")) {
        next_push_request_.reset();
        emit(SessionEvent::Kind::kPushReply, std::string(message));
    } else if (starts_with(message, "AUTH_FAILED")) {
        const auto reason = message.size() > 12 ? message.substr(12) : std::string_view{};
        emit(SessionEvent::Kind::kAuthFailed, std::string(reason));
        state_ = SessionState::kFailed;
    } else if (starts_with(message, "RESTART")) {
        emit(SessionEvent::Kind::kRestart, std::string(message));
    } else if (starts_with(message, "HALT")) {
        emit(SessionEvent::Kind::kHalt, std::string(message));
    } else {
        emit(SessionEvent::Kind::kInfo, std::string(message));
    }
}

void ClientSession::send_control_message(KeyState& key, std::string_view message) {
    std::vector<std::byte> bytes(as_bytes(message).begin(), as_bytes(message).end());
    bytes.push_back(std::byte{0});
    if (auto written = key.tls->write(bytes); !written) {
        fail("TLS write failed: " + written.error());
        return;
    }
    if (auto out = key.tls->take_outgoing(); !out.empty()) {
        std::span<const std::byte> rest(out);
        if (key.resend_wkc) {
            // ssl.c write_outgoing_tls_ciphertext: the packet with message id 1 becomes
            // P_CONTROL_WKC_V1 and carries WKc-size fewer TLS bytes, so the datagram stays
            // within the control MTU.
            key.resend_wkc = false;
            const std::size_t max_payload =
                proto::control_payload_size(config_.tls_mtu, config_.wrap.overhead());
            const std::size_t room = max_payload > config_.wrap.wkc().size()
                                         ? max_payload - config_.wrap.wkc().size()
                                         : 0;
            const std::size_t first = std::min(room, rest.size());
            key.reliable.send(Opcode::kControlWkcV1, rest.first(first));
            rest = rest.subspan(first);
        }
        key.reliable.send(Opcode::kControlV1, rest);
    }
}

Result<void, std::string> ClientSession::install_keys(KeyState& key) {
    if (!data_config_ || !key.remote_source || !remote_session_id_) {
        return Unexpected(std::string("key exchange not complete"));
    }
    proto::KeyBlock block;
    if (use_ekm_) {
        if (auto exported =
                key.tls->export_keying_material(proto::kEkmDataKeysLabel, block.mutable_bytes());
            !exported) {
            return Unexpected("TLS keying material export failed: " + exported.error());
        }
    } else {
        auto derived = proto::derive_key_block_prf(key.local_source, *key.remote_source,
                                                   config_.local_session_id, *remote_session_id_);
        if (!derived) {
            return Unexpected(std::string("legacy key derivation failed (is MD5 available?)"));
        }
        block = std::move(*derived);
    }
    auto data_config = *data_config_;
    data_config.key_id = key.key_id;
    if (config_.tcp) {
        data_config.replay.seq_backtrack = 0;
    }
    auto data =
        proto::DataChannelKey::create(data_config, block.bytes(), /*is_server=*/false, *random_);
    if (!data) {
        return Unexpected(std::string("the data-channel cipher is not available"));
    }
    key.data.emplace(std::move(*data));
    return {};
}

Result<void, std::string> ClientSession::activate_data_channel(
    const proto::DataChannelConfig& config, bool use_ekm, std::optional<std::uint32_t> peer_id,
    bool dyn_tls_crypt) {
    if (!primary_ || primary_->phase != KeyState::Phase::kKeyExchanged) {
        return Unexpected(std::string("no completed key exchange to activate"));
    }
    if (dyn_tls_crypt && primary_->key_id == 0 && !config_.wrap.dynamic_tls_crypt()) {
        // ssl.c tls_session_update_crypto_params_do_work: on the first key state, derive the
        // tls-crypt key of all later renegotiations from its TLS session.
        std::array<std::byte, proto::kStaticKeySize> exported{};
        if (auto ekm =
                primary_->tls->export_keying_material(proto::kDynamicTlsCryptLabel, exported);
            !ekm) {
            return Unexpected("dynamic tls-crypt: key export failed: " + ekm.error());
        }
        auto enabled = config_.wrap.enable_dynamic_tls_crypt(exported, /*is_server=*/false);
        std::fill(exported.begin(), exported.end(), std::byte{0});
        if (!enabled) {
            return Unexpected(std::string("dynamic tls-crypt: cannot initialise the key"));
        }
    }
    data_config_ = config;
    use_ekm_ = use_ekm;
    peer_id_ = peer_id;
    if (auto installed = install_keys(*primary_); !installed) {
        return installed;
    }
    next_push_request_.reset();
    state_ = SessionState::kConnected;
    return {};
}

void ClientSession::set_keepalive(platform::Duration ping, platform::Duration ping_restart,
                                  Now now) {
    ping_interval_ = ping;
    ping_restart_ = ping_restart;
    last_received_ = now.mono;
    last_sent_ = now.mono;
}

std::size_t ClientSession::max_encrypted_size(std::size_t packet_size) const {
    if (!primary_ || !primary_->data) {
        return 0;
    }
    return primary_->data->max_encrypted_size(packet_size, peer_id_.has_value());
}

Result<std::size_t, proto::DataError> ClientSession::encrypt(std::span<const std::byte> packet,
                                                             std::span<std::byte> out, Now now) {
    // kWrongKeyId also stands for "no data-channel key is active yet".
    if (!primary_ || !primary_->data) {
        return Unexpected(proto::DataError::kWrongKeyId);
    }
    auto written = primary_->data->encrypt(packet, peer_id_, out);
    if (written) {
        last_sent_ = now.mono;
        primary_->n_bytes += *written;
        ++primary_->n_packets;
    }
    return written;
}

Result<std::span<std::byte>, proto::DataError> ClientSession::decrypt(std::span<std::byte> packet,
                                                                      Now now) {
    if (packet.empty()) {
        ++stats_.data_dropped;
        return Unexpected(proto::DataError::kTruncated);
    }
    const auto key_id =
        static_cast<std::uint8_t>(std::to_integer<std::uint8_t>(packet[0]) & proto::kKeyIdMask);
    KeyState* key = key_state(key_id);
    if (key == nullptr || !key->data) {
        ++stats_.data_dropped;
        return Unexpected(proto::DataError::kWrongKeyId);
    }
    const std::size_t received = packet.size();
    auto decrypted = key->data->decrypt_in_place(packet, now.mono);
    if (!decrypted) {
        ++stats_.data_dropped;
        return Unexpected(decrypted.error());
    }
    key->n_bytes += received;
    ++key->n_packets;
    last_received_ = now.mono;
    const auto plaintext = decrypted->plaintext;
    if (plaintext.size() == kPingMagic.size() && equals_magic(plaintext, kPingMagic)) {
        ++stats_.pings_received;
        return plaintext.first(0);
    }
    if (plaintext.size() == kOccMagic.size() + 1 && equals_magic(plaintext, kOccMagic)) {
        if (std::to_integer<std::uint8_t>(plaintext.back()) == kOccExit) {
            emit(SessionEvent::Kind::kRestart, "the server is exiting (OCC EXIT)");
        }
        return plaintext.first(0);
    }
    return plaintext;
}

std::optional<std::vector<std::byte>> ClientSession::exit_notification(Now now) {
    if (!primary_ || !primary_->data) {
        return std::nullopt;
    }
    std::array<std::byte, kOccMagic.size() + 1> message{};
    for (std::size_t i = 0; i < kOccMagic.size(); ++i) {
        message[i] = std::byte{kOccMagic[i]};
    }
    message.back() = std::byte{kOccExit};
    std::vector<std::byte> out(max_encrypted_size(message.size()));
    auto written = encrypt(message, out, now);
    if (!written) {
        return std::nullopt;
    }
    out.resize(*written);
    return out;
}

void ClientSession::queue_ping(Now now) {
    std::array<std::byte, kPingMagic.size()> ping{};
    for (std::size_t i = 0; i < kPingMagic.size(); ++i) {
        ping[i] = std::byte{kPingMagic[i]};
    }
    std::vector<std::byte> out(max_encrypted_size(ping.size()));
    if (auto written = encrypt(ping, out, now)) {
        out.resize(*written);
        outgoing_.push_back(std::move(out));
        ++stats_.pings_sent;
    }
}

void ClientSession::on_timer(Now now) {
    for (auto* key : {primary_.get(), renegotiating_.get(), lame_duck_.get()}) {
        if (key != nullptr) {
            key->reliable.on_timeout(now.mono);
        }
    }
    if (state_ == SessionState::kFailed) {
        return;
    }
    if (state_ != SessionState::kConnected && now.mono - started_ >= config_.handshake_window) {
        fail("the connection did not complete within the handshake window (" +
             seconds_text(config_.handshake_window) + ")");
        return;
    }
    if (next_push_request_ && now.mono >= *next_push_request_ && primary_ && primary_->tls) {
        send_control_message(*primary_, kPushRequest);
        next_push_request_ = now.mono + config_.push_request_interval;
    }
    if (lame_duck_expiry_ && now.mono >= *lame_duck_expiry_) {
        lame_duck_.reset();
        lame_duck_expiry_.reset();
    }
    if (state_ != SessionState::kConnected) {
        return;
    }
    if (ping_restart_ > platform::Duration::zero() && now.mono - last_received_ >= ping_restart_) {
        emit(SessionEvent::Kind::kRestart,
             "ping-restart: nothing received from the server for " + seconds_text(ping_restart_));
        state_ = SessionState::kFailed;
        return;
    }
    if (ping_interval_ > platform::Duration::zero() && now.mono - last_sent_ >= ping_interval_) {
        queue_ping(now);
    }
    const bool reneg_due = config_.reneg_interval && primary_ &&
                           now.mono - primary_->started >= *config_.reneg_interval;
    if ((usage_renegotiation_due() || reneg_due) && !renegotiating_) {
        last_key_id_ = static_cast<std::uint8_t>(last_key_id_ >= 7 ? 1 : last_key_id_ + 1);
        renegotiating_ = start_key_state(last_key_id_, /*soft_reset=*/true, now);
    }
}

void ClientSession::flush_reliable(KeyState& key, Now now) {
    while (auto packet = key.reliable.poll_transmit(now.mono)) {
        std::vector<std::byte> plain(proto::wire_size(*packet));
        if (!proto::serialize(*packet, plain)) {
            continue;
        }
        std::vector<std::byte> wire(config_.wrap.wire_size(plain));
        const auto wrapped = config_.wrap.wrap(plain, now.unix_seconds, wire);
        if (!wrapped) {
            fail("cannot wrap a control packet (packet ids exhausted?)");
            return;
        }
        wire.resize(*wrapped);
        outgoing_.push_back(std::move(wire));
    }
}

std::optional<std::vector<std::byte>> ClientSession::poll_transmit(Now now) {
    for (auto* key : {primary_.get(), renegotiating_.get(), lame_duck_.get()}) {
        if (key != nullptr) {
            flush_reliable(*key, now);
        }
    }
    if (outgoing_.empty()) {
        return std::nullopt;
    }
    auto next = std::move(outgoing_.front());
    outgoing_.pop_front();
    return next;
}

std::optional<SessionEvent> ClientSession::poll_event() {
    if (events_.empty()) {
        return std::nullopt;
    }
    auto event = std::move(events_.front());
    events_.pop_front();
    return event;
}

bool ClientSession::usage_renegotiation_due() const {
    if (!primary_ || !primary_->data) {
        return false;
    }
    // ssl.c tls_process: renegotiate when the data key nears its packet-id wrap
    // (packet_id_close_to_wrapping), or after --reneg-bytes / --reneg-pkts of traffic on it.
    return primary_->data->should_renegotiate() ||
           (config_.reneg_bytes > 0 && primary_->n_bytes >= config_.reneg_bytes) ||
           (config_.reneg_packets > 0 && primary_->n_packets >= config_.reneg_packets);
}

std::optional<platform::Instant> ClientSession::next_deadline() const {
    std::optional<platform::Instant> earliest;
    const auto consider = [&earliest](std::optional<platform::Instant> t) {
        if (t && (!earliest || *t < *earliest)) {
            earliest = t;
        }
    };
    for (const auto* key : {primary_.get(), renegotiating_.get(), lame_duck_.get()}) {
        if (key != nullptr) {
            consider(key->reliable.next_timeout());
        }
    }
    if (state_ == SessionState::kFailed) {
        return earliest;
    }
    if (state_ != SessionState::kConnected) {
        consider(started_ + config_.handshake_window);
    }
    consider(next_push_request_);
    consider(lame_duck_expiry_);
    if (state_ == SessionState::kConnected) {
        if (ping_interval_ > platform::Duration::zero()) {
            consider(last_sent_ + ping_interval_);
        }
        if (ping_restart_ > platform::Duration::zero()) {
            consider(last_received_ + ping_restart_);
        }
        if (config_.reneg_interval && primary_ && !renegotiating_) {
            consider(primary_->started + *config_.reneg_interval);
        }
        if (!renegotiating_ && usage_renegotiation_due()) {
            consider(primary_->started);  // already past: on_timer() starts it at once
        }
    }
    return earliest;
}

}  // namespace nfv::vpn::session
