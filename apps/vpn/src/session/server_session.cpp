#include "session/server_session.hpp"

#include <algorithm>
#include <utility>

#include "session/reset_cookie.hpp"

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

template <std::size_t N>
std::array<std::byte, N> magic_bytes(const std::array<std::uint8_t, N>& magic) {
    std::array<std::byte, N> out{};
    for (std::size_t i = 0; i < N; ++i) {
        out[i] = std::byte{magic[i]};
    }
    return out;
}

// extract_command_buffer(): text up to the first NUL (required), trailing CR/LF removed,
// printable characters only.
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

std::string seconds_text(platform::Duration duration) {
    return std::to_string(std::chrono::duration_cast<std::chrono::seconds>(duration).count()) +
           " s";
}

}  // namespace

std::optional<proto::DataCipher> choose_data_cipher(const config::PeerInfo& peer,
                                                    std::span<const proto::DataCipher> ours,
                                                    std::optional<proto::DataCipher> fallback) {
    if (!peer.ciphers.empty()) {
        // Our preference order wins; the client's list only says what it can do.
        for (const auto cipher : ours) {
            const bool listed = std::any_of(
                peer.ciphers.begin(), peer.ciphers.end(),
                [cipher](const auto& name) { return proto::parse_data_cipher(name) == cipher; });
            if (listed) {
                return cipher;
            }
        }
        return fallback;
    }
    // A 2.4 client without IV_CIPHERS: IV_NCP=2 means it can switch to AES-256-GCM or
    // AES-128-GCM (ssl_ncp.c tls_peer_supports_ncp / ncp_get_best_cipher).
    if (peer.iv_ncp && *peer.iv_ncp >= 2) {
        for (const auto cipher : ours) {
            if (cipher == proto::DataCipher::kAes256Gcm ||
                cipher == proto::DataCipher::kAes128Gcm) {
                return cipher;
            }
        }
    }
    return fallback;
}

struct ServerSession::KeyState {
    enum class Phase : std::uint8_t { kWaitReset, kHandshake, kWaitKey, kKeyExchanged };

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
};

ServerSession::ServerSession(ServerSessionConfig config, platform::Random& random, Now now)
    : config_(std::move(config)),
      random_(&random),
      started_(now.mono),
      last_received_(now.mono),
      last_sent_(now.mono) {}

ServerSession::ServerSession(ServerSessionConfig config, platform::Random& random, Now now,
                             const proto::SessionId& client_session_id)
    : ServerSession(std::move(config), random, now) {
    remote_session_id_ = client_session_id;
    primary_ = start_key_state(0, Opcode::kControlHardResetServerV2, now);
    state_ = ServerState::kTlsHandshake;
    // The client's reset as the stateless reply acknowledged it: message id 0, delivered to
    // the key state (its ack goes out again, which the client ignores as a duplicate).
    proto::ControlPacket reset;
    reset.opcode = Opcode::kControlHardResetClientV2;
    reset.session_id = client_session_id;
    reset.message_id = 0;
    if (!primary_->reliable.on_packet(reset, now.mono)) {
        close("cannot start the session from the reset cookie");
        return;
    }
    // The stateless reply went out with control packet id 1 (handle_first_packet); take that
    // id from our sender too so the client's replay window sees every id once.
    proto::ControlPacket burn;
    burn.opcode = Opcode::kAckV1;
    burn.session_id = config_.local_session_id;
    (void)burn.acks.push(0);
    burn.remote_session_id = client_session_id;
    std::vector<std::byte> plain(proto::wire_size(burn));
    std::vector<std::byte> wire(plain.size() + config_.wrap.overhead());
    if (!proto::serialize(burn, plain) || !config_.wrap.wrap(plain, now.unix_seconds, wire)) {
        close("cannot start the session from the reset cookie");
        return;
    }
    process_key_state(*primary_, now);
}

ServerSession::~ServerSession() = default;

std::unique_ptr<ServerSession::KeyState> ServerSession::start_key_state(std::uint8_t key_id,
                                                                        Opcode reset, Now now) {
    proto::ReliableConfig reliable_config;
    reliable_config.key_id = key_id;
    reliable_config.local_session_id = config_.local_session_id;
    reliable_config.max_payload =
        proto::control_payload_size(config_.tls_mtu, config_.wrap.overhead());
    auto key = std::make_unique<KeyState>(key_id, reliable_config);
    key->started = now.mono;
    key->local_source = proto::make_key_source(*random_, /*is_client=*/false);
    if (remote_session_id_) {
        key->reliable.set_remote_session_id(*remote_session_id_);
    }
    key->reliable.send(reset, {});
    return key;
}

ServerSession::KeyState* ServerSession::key_state(std::uint8_t key_id) {
    for (auto* key : {primary_.get(), renegotiating_.get(), lame_duck_.get()}) {
        if (key != nullptr && key->key_id == key_id) {
            return key;
        }
    }
    return nullptr;
}

void ServerSession::emit(ServerEvent::Kind kind, std::string text) {
    events_.push_back({kind, std::move(text)});
}

void ServerSession::close(std::string reason) {
    if (state_ == ServerState::kClosed) {
        return;
    }
    state_ = ServerState::kClosed;
    emit(ServerEvent::Kind::kClosed, std::move(reason));
}

void ServerSession::on_control_packet(std::span<const std::byte> packet, Now now) {
    if (state_ == ServerState::kClosed) {
        return;
    }
    const auto header = proto::parse_control_header(packet);
    if (!header || (remote_session_id_ && header->session_id != *remote_session_id_)) {
        ++stats_.control_dropped;
        return;
    }
    // Before the first valid packet only a hard reset on key_id 0 may start the session
    // (ssl.c tls_pre_decrypt: "Initial packet ... must be a hard reset").
    const bool first = !remote_session_id_;
    if (first && (header->key_id != 0 || (header->opcode != Opcode::kControlHardResetClientV2 &&
                                          header->opcode != Opcode::kControlHardResetClientV3))) {
        ++stats_.control_dropped;
        return;
    }
    if (config_.tls_crypt_v2 && (header->opcode == Opcode::kControlHardResetClientV3 ||
                                 header->opcode == Opcode::kControlWkcV1)) {
        // The WKc was checked by whoever created this session (it gave us its Kc); the
        // tls-crypt tag below authenticates the rest.
        const auto split = split_wkc(packet);
        if (!split) {
            ++stats_.control_dropped;
            return;
        }
        packet = split->packet;
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
    if (first) {
        remote_session_id_ = control.session_id;
        primary_ = start_key_state(0, Opcode::kControlHardResetServerV2, now);
        state_ = ServerState::kTlsHandshake;
    }
    KeyState* key = key_state(control.key_id);
    if (key == nullptr) {
        // The client starts a renegotiation with a soft reset on a new key_id; we answer with
        // our own soft reset on it (ssl.c key_state_soft_reset on the responder).
        if (control.opcode != Opcode::kControlSoftResetV1 || state_ != ServerState::kConnected ||
            control.key_id == 0 || renegotiating_) {
            ++stats_.control_dropped;
            return;
        }
        renegotiating_ = start_key_state(control.key_id, Opcode::kControlSoftResetV1, now);
        last_key_id_ = control.key_id;
        key = renegotiating_.get();
    }
    if (!key->reliable.on_packet(control, now.mono)) {
        ++stats_.control_dropped;
        return;
    }
    last_received_ = now.mono;
    process_key_state(*key, now);
}

void ServerSession::process_key_state(KeyState& key, Now now) {
    while (auto message = key.reliable.poll_message()) {
        if (proto::is_reset(message->opcode)) {
            if (key.phase != KeyState::Phase::kWaitReset) {
                continue;  // a retransmitted reset: acked by the reliable layer
            }
            auto tls = config_.make_tls();
            if (!tls) {
                close("TLS setup failed: " + tls.error());
                return;
            }
            key.tls = std::move(*tls);
            key.phase = KeyState::Phase::kHandshake;
        } else if ((message->opcode == Opcode::kControlV1 ||
                    message->opcode == Opcode::kControlWkcV1) &&
                   key.tls) {
            if (auto fed = key.tls->feed(message->payload); !fed) {
                close("TLS error on key " + std::to_string(key.key_id) + ": " + fed.error());
                return;
            }
        }
    }
    if (!key.tls) {
        return;
    }
    if (key.phase == KeyState::Phase::kHandshake && key.tls->handshake_done()) {
        key.phase = KeyState::Phase::kWaitKey;
        if (&key == primary_.get() && state_ == ServerState::kTlsHandshake) {
            state_ = ServerState::kKeyExchange;
        }
    }
    while (key.phase != KeyState::Phase::kHandshake) {
        auto record = key.tls->read_record();
        if (!record) {
            break;
        }
        if (key.phase == KeyState::Phase::kWaitKey) {
            handle_key_method(key, *record, now);
        } else if (const auto text = control_message_text(*record)) {
            handle_control_message(key, *text, now);
        } else {
            ++stats_.control_dropped;
        }
        if (state_ == ServerState::kClosed) {
            return;
        }
    }
    if (auto out = key.tls->take_outgoing(); !out.empty()) {
        key.reliable.send(Opcode::kControlV1, out);
    }
}

void ServerSession::handle_key_method(KeyState& key, std::span<const std::byte> record, Now now) {
    auto theirs = proto::parse_key_method2(record, /*from_client=*/true);
    if (!theirs) {
        close("malformed key-method-2 message from the client");
        return;
    }
    key.remote_source = theirs->key_source;
    proto::KeyMethod2Message ours;
    ours.key_source = key.local_source;
    ours.options = config_.options_string;
    std::vector<std::byte> bytes(proto::wire_size(ours, /*from_client=*/false));
    const auto written = proto::serialize_key_method2(ours, false, bytes);
    if (!written) {
        close("cannot encode our key-method-2 message (options string too long)");
        return;
    }
    bytes.resize(*written);
    if (auto sent = key.tls->write(bytes); !sent) {
        close("TLS write failed: " + sent.error());
        return;
    }
    key.phase = KeyState::Phase::kKeyExchanged;
    if (&key != primary_.get()) {
        // A renegotiated key keeps the cipher and derivation agreed at connection time.
        if (auto installed = install_keys(key); !installed) {
            close("renegotiation: " + installed.error());
            return;
        }
        lame_duck_ = std::move(primary_);
        primary_ = std::move(renegotiating_);
        lame_duck_expiry_ = now.mono + config_.transition_window;
        key_bytes_ = 0;
        key_packets_ = 0;
        ++stats_.renegotiations;
        emit(ServerEvent::Kind::kRenegotiated, "key_id " + std::to_string(primary_->key_id));
        return;
    }
    auto peer = config::parse_peer_info(theirs->peer_info);
    if (!peer) {
        close("bad peer-info from the client: " + peer.error());
        return;
    }
    peer_info_ = std::move(*peer);
    client_message_ = std::move(*theirs);
    const std::uint32_t proto_bits = peer_info_.iv_proto.value_or(0);
    use_ekm_ = (proto_bits & config::kIvProtoTlsKeyExport) != 0;
    if ((proto_bits & config::kIvProtoDataV2) != 0) {
        peer_id_ = config_.peer_id;
    }
    cipher_ = choose_data_cipher(peer_info_, config_.data_ciphers, config_.data_ciphers_fallback);
    if (!cipher_) {
        // OpenVPN 2.6 refuses such a client with AUTH_FAILED (ssl_ncp.c).
        send_control_message(key,
                             "AUTH_FAILED,Data channel cipher negotiation failed (no shared "
                             "cipher)");
        close("no data cipher in common with the client");
        return;
    }
    state_ = ServerState::kWaitPush;
    authorized_ = !config_.wait_for_authorization;
    emit(ServerEvent::Kind::kAuthenticated, key.tls->peer_common_name());
}

std::vector<proto::PeerCertificate> ServerSession::peer_chain() const {
    if (!primary_ || !primary_->tls) {
        return {};
    }
    return primary_->tls->peer_chain();
}

bool ServerSession::authorize(std::optional<PushReplyParams> push, Now now) {
    if (state_ != ServerState::kWaitPush || authorized_ || !primary_) {
        return false;
    }
    if (push) {
        config_.push = std::move(*push);
    }
    authorized_ = true;
    if (push_pending_) {
        push_pending_ = false;
        send_push_reply(*primary_, now);
    }
    return true;
}

bool ServerSession::deny(std::string_view reason, Now now) {
    (void)now;
    if (state_ != ServerState::kWaitPush || authorized_ || !primary_) {
        return false;
    }
    send_control_message(*primary_, reason.empty() ? std::string("AUTH_FAILED")
                                                   : "AUTH_FAILED," + std::string(reason));
    close("authorization denied" + (reason.empty() ? std::string() : ": " + std::string(reason)));
    return true;
}

void ServerSession::handle_control_message(KeyState& key, std::string_view message, Now now) {
    if (message == kPushRequest) {
        if (&key != primary_.get() || client_message_ == std::nullopt) {
            return;  // a push request on a renegotiated key: OpenVPN ignores it too
        }
        emit(ServerEvent::Kind::kPushRequest, {});
        if (!authorized_) {
            push_pending_ = true;  // answered by authorize()
            return;
        }
        send_push_reply(key, now);
    } else if (starts_with(message, "EXIT")) {
        // protocol-flags cc-exit: the client's exit notification on the control channel.
        close("the client is exiting (EXIT)");
    }
    // Other messages (INFO, ...) have no server behaviour in 2.6 without auth-pending.
}

void ServerSession::send_push_reply(KeyState& key, Now now) {
    PushReplyParams params = config_.push;
    params.cipher = std::string(proto::data_cipher_name(*cipher_));
    params.peer_id = peer_id_;
    params.tls_ekm = use_ekm_;
    params.cc_exit = (peer_info_.iv_proto.value_or(0) & config::kIvProtoCcExitNotify) != 0;
    if (state_ == ServerState::kWaitPush) {
        if (auto installed = install_keys(key); !installed) {
            close(installed.error());
            return;
        }
    }
    for (const auto& message : build_push_reply(params)) {
        send_control_message(key, message);
    }
    if (state_ == ServerState::kWaitPush) {
        state_ = ServerState::kConnected;
        last_sent_ = now.mono;
        emit(ServerEvent::Kind::kDataChannelReady, params.cipher);
    }
}

void ServerSession::send_control_message(KeyState& key, std::string_view message) {
    std::vector<std::byte> bytes(as_bytes(message).begin(), as_bytes(message).end());
    bytes.push_back(std::byte{0});
    if (auto written = key.tls->write(bytes); !written) {
        close("TLS write failed: " + written.error());
        return;
    }
    if (auto out = key.tls->take_outgoing(); !out.empty()) {
        key.reliable.send(Opcode::kControlV1, out);
    }
}

Result<void, std::string> ServerSession::install_keys(KeyState& key) {
    if (!cipher_ || !key.remote_source || !remote_session_id_) {
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
        // The PRF seed order is client first in both places (ssl.c generate_key_expansion).
        auto derived = proto::derive_key_block_prf(*key.remote_source, key.local_source,
                                                   *remote_session_id_, config_.local_session_id);
        if (!derived) {
            return Unexpected(std::string("legacy key derivation failed (is MD5 available?)"));
        }
        block = std::move(*derived);
    }
    proto::DataChannelConfig data_config;
    data_config.cipher = *cipher_;
    data_config.digest = config_.digest;
    data_config.key_id = key.key_id;
    if (config_.tcp) {
        data_config.replay.seq_backtrack = 0;
    }
    auto data =
        proto::DataChannelKey::create(data_config, block.bytes(), /*is_server=*/true, *random_);
    if (!data) {
        return Unexpected(std::string("the data-channel cipher is not available"));
    }
    key.data.emplace(std::move(*data));
    return {};
}

bool ServerSession::renegotiate(Now now) {
    if (state_ != ServerState::kConnected || renegotiating_) {
        return false;
    }
    last_key_id_ = static_cast<std::uint8_t>(last_key_id_ >= 7 ? 1 : last_key_id_ + 1);
    renegotiating_ = start_key_state(last_key_id_, Opcode::kControlSoftResetV1, now);
    return true;
}

std::size_t ServerSession::max_encrypted_size(std::size_t packet_size) const {
    if (!primary_ || !primary_->data) {
        return 0;
    }
    return primary_->data->max_encrypted_size(packet_size, peer_id_.has_value());
}

Result<std::size_t, proto::DataError> ServerSession::encrypt(std::span<const std::byte> packet,
                                                             std::span<std::byte> out, Now now) {
    if (state_ == ServerState::kClosed || !primary_ || !primary_->data) {
        return Unexpected(proto::DataError::kWrongKeyId);
    }
    auto written = primary_->data->encrypt(packet, peer_id_, out);
    if (written) {
        last_sent_ = now.mono;
        count_traffic(packet.size(), now);
    }
    return written;
}

void ServerSession::count_traffic(std::size_t bytes, Now now) {
    key_bytes_ += bytes;
    ++key_packets_;
    if ((config_.reneg_bytes != 0 && key_bytes_ >= config_.reneg_bytes) ||
        (config_.reneg_packets != 0 && key_packets_ >= config_.reneg_packets)) {
        (void)renegotiate(now);
    }
}

Result<std::span<std::byte>, proto::DataError> ServerSession::decrypt(std::span<std::byte> packet,
                                                                      Now now) {
    if (packet.empty()) {
        ++stats_.data_dropped;
        return Unexpected(proto::DataError::kTruncated);
    }
    const auto key_id =
        static_cast<std::uint8_t>(std::to_integer<std::uint8_t>(packet[0]) & proto::kKeyIdMask);
    KeyState* key = key_state(key_id);
    if (state_ == ServerState::kClosed || key == nullptr || !key->data) {
        ++stats_.data_dropped;
        return Unexpected(proto::DataError::kWrongKeyId);
    }
    auto decrypted = key->data->decrypt_in_place(packet, now.mono);
    if (!decrypted) {
        ++stats_.data_dropped;
        return Unexpected(decrypted.error());
    }
    last_received_ = now.mono;
    const auto plaintext = decrypted->plaintext;
    if (key == primary_.get()) {
        count_traffic(plaintext.size(), now);
    }
    if (plaintext.size() == kPingMagic.size() && equals_magic(plaintext, kPingMagic)) {
        ++stats_.pings_received;
        return plaintext.first(0);
    }
    if (plaintext.size() == kOccMagic.size() + 1 && equals_magic(plaintext, kOccMagic)) {
        if (std::to_integer<std::uint8_t>(plaintext.back()) == kOccExit) {
            close("the client is exiting (OCC EXIT)");
        }
        return plaintext.first(0);
    }
    return plaintext;
}

void ServerSession::queue_data_message(std::span<const std::byte> message, Now now) {
    std::vector<std::byte> out(max_encrypted_size(message.size()));
    if (auto written = encrypt(message, out, now)) {
        out.resize(*written);
        outgoing_.push_back(std::move(out));
    }
}

void ServerSession::notify_exit(Now now) {
    if (state_ != ServerState::kConnected || !primary_) {
        close("server exiting");
        return;
    }
    send_control_message(*primary_, "RESTART");
    std::array<std::byte, kOccMagic.size() + 1> exit_message{};
    const auto magic = magic_bytes(kOccMagic);
    std::copy(magic.begin(), magic.end(), exit_message.begin());
    exit_message.back() = std::byte{kOccExit};
    queue_data_message(exit_message, now);
    // The control message must still leave: flush it before closing.
    flush_reliable(*primary_, now);
    close("server exiting");
}

void ServerSession::on_timer(Now now) {
    for (auto* key : {primary_.get(), renegotiating_.get(), lame_duck_.get()}) {
        if (key != nullptr) {
            key->reliable.on_timeout(now.mono);
        }
    }
    if (state_ == ServerState::kClosed) {
        return;
    }
    if (state_ != ServerState::kConnected && now.mono - started_ >= config_.handshake_window) {
        close("TLS key negotiation did not finish within the handshake window (" +
              seconds_text(config_.handshake_window) + ")");
        return;
    }
    if (lame_duck_expiry_ && now.mono >= *lame_duck_expiry_) {
        lame_duck_.reset();
        lame_duck_expiry_.reset();
    }
    if (renegotiating_ && now.mono - renegotiating_->started >= config_.handshake_window) {
        close("renegotiation of key_id " + std::to_string(renegotiating_->key_id) +
              " did not finish within the handshake window");
        return;
    }
    if (state_ != ServerState::kConnected) {
        return;
    }
    if (config_.ping_restart > platform::Duration::zero() &&
        now.mono - last_received_ >= config_.ping_restart) {
        close("ping-restart: nothing received from the client for " +
              seconds_text(config_.ping_restart));
        return;
    }
    if (config_.ping > platform::Duration::zero() && now.mono - last_sent_ >= config_.ping) {
        const auto ping = magic_bytes(kPingMagic);
        queue_data_message(ping, now);
        ++stats_.pings_sent;
    }
    const bool wrap_soon = primary_ && primary_->data && primary_->data->should_renegotiate();
    const bool reneg_due = config_.reneg_interval && primary_ &&
                           now.mono - primary_->started >= *config_.reneg_interval;
    if (wrap_soon || reneg_due) {
        (void)renegotiate(now);
    }
}

void ServerSession::flush_reliable(KeyState& key, Now now) {
    while (auto packet = key.reliable.poll_transmit(now.mono)) {
        std::vector<std::byte> plain(proto::wire_size(*packet));
        if (!proto::serialize(*packet, plain)) {
            continue;
        }
        std::vector<std::byte> wire(plain.size() + config_.wrap.overhead());
        const auto wrapped = config_.wrap.wrap(plain, now.unix_seconds, wire);
        if (!wrapped) {
            close("cannot wrap a control packet (packet ids exhausted?)");
            return;
        }
        wire.resize(*wrapped);
        outgoing_.push_back(std::move(wire));
    }
}

std::optional<std::vector<std::byte>> ServerSession::poll_transmit(Now now) {
    // Also after close(): a final AUTH_FAILED or RESTART still leaves once (no timers run).
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

std::optional<ServerEvent> ServerSession::poll_event() {
    if (events_.empty()) {
        return std::nullopt;
    }
    auto event = std::move(events_.front());
    events_.pop_front();
    return event;
}

std::optional<platform::Instant> ServerSession::next_deadline() const {
    std::optional<platform::Instant> earliest;
    const auto consider = [&earliest](std::optional<platform::Instant> t) {
        if (t && (!earliest || *t < *earliest)) {
            earliest = t;
        }
    };
    if (state_ == ServerState::kClosed) {
        return std::nullopt;
    }
    for (const auto* key : {primary_.get(), renegotiating_.get(), lame_duck_.get()}) {
        if (key != nullptr) {
            consider(key->reliable.next_timeout());
        }
    }
    if (state_ != ServerState::kConnected) {
        consider(started_ + config_.handshake_window);
        return earliest;
    }
    consider(lame_duck_expiry_);
    if (renegotiating_) {
        consider(renegotiating_->started + config_.handshake_window);
    }
    if (config_.ping > platform::Duration::zero()) {
        consider(last_sent_ + config_.ping);
    }
    if (config_.ping_restart > platform::Duration::zero()) {
        consider(last_received_ + config_.ping_restart);
    }
    if (config_.reneg_interval && primary_ && !renegotiating_) {
        consider(primary_->started + *config_.reneg_interval);
    }
    return earliest;
}

}  // namespace nfv::vpn::session
