#include "proto/key_state.hpp"

#include <algorithm>
#include <array>
#include <vector>

#include <openssl/crypto.h>

namespace nfv::vpn::proto {

namespace {

// Largest TLS record plaintext (2^14): one SSL_read never returns more.
constexpr std::size_t kMaxRecordSize = 16384;

bool printable(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u != 0x7f;
}

}  // namespace

Result<KeyState, KeyStateError> KeyState::create(KeyStateConfig config, platform::Random& random) {
    auto tls = TlsEngine::create(config.tls);
    if (!tls) {
        return Unexpected(KeyStateError::kTlsFailed);
    }
    const bool is_client = !config.tls.is_server;
    KeyState state(std::move(config), std::move(*tls), make_key_source(random, is_client));
    if (is_client) {
        // The client speaks first (OpenVPN: key_method_2_write at S_START).
        if (auto sent = state.send_key_method2(); !sent) {
            return Unexpected(sent.error());
        }
    }
    return state;
}

Result<void, KeyStateError> KeyState::tls_failed() {
    return Unexpected(KeyStateError::kTlsFailed);
}

Result<void, KeyStateError> KeyState::send_key_method2() {
    KeyMethod2Message message;
    message.key_source = local_source_;
    message.options = config_.options;
    message.peer_info = config_.peer_info;
    if (!is_server()) {
        message.credentials = config_.credentials;
    }
    const bool from_client = !is_server();
    std::vector<std::byte> bytes(wire_size(message, from_client));
    const auto written = serialize_key_method2(message, from_client, bytes);
    if (!written) {
        return Unexpected(KeyStateError::kBadKeyMethod);
    }
    const auto queued = tls_.write_plaintext(bytes);
    OPENSSL_cleanse(bytes.data(), bytes.size());  // holds the pre-master secret and password
    if (!queued) {
        return tls_failed();
    }
    sent_key_ = true;
    return {};
}

Result<void, KeyStateError> KeyState::receive_tls(std::span<const std::byte> ciphertext) {
    if (key_method_error_) {
        return Unexpected(KeyStateError::kBadKeyMethod);
    }
    const auto received = tls_.receive_ciphertext(ciphertext);
    while (const auto event = tls_.poll_event()) {
        if (*event == TlsEvent::kHandshakeDone) {
            events_.push_back(KeyStateEvent::kTlsHandshakeDone);
        }
    }
    if (!received) {
        return tls_failed();
    }
    return process_plaintext();
}

Result<void, KeyStateError> KeyState::process_plaintext() {
    std::vector<std::byte> record(kMaxRecordSize);
    Result<void, KeyStateError> result;
    while (!key_method_error_) {
        const auto read = tls_.read_plaintext(record);
        if (!read) {
            result = tls_failed();
            break;
        }
        if (*read == 0) {
            break;
        }
        const auto bytes = std::span<const std::byte>(record).first(*read);
        if (peer_message_) {
            handle_record(bytes);
            continue;
        }
        // The first record is the peer's key-method-2 message.
        auto parsed = parse_key_method2(bytes, /*from_client=*/is_server());
        if (!parsed) {
            key_method_error_ = parsed.error();
            result = Unexpected(KeyStateError::kBadKeyMethod);
            break;
        }
        peer_message_ = std::move(*parsed);
        if (is_server() && !sent_key_) {
            if (auto sent = send_key_method2(); !sent) {
                result = sent;
                break;
            }
        }
        events_.push_back(KeyStateEvent::kKeyExchangeDone);
    }
    OPENSSL_cleanse(record.data(), record.size());
    return result;
}

void KeyState::handle_record(std::span<const std::byte> record) {
    // A record may hold several NUL-separated messages; text after the last NUL is dropped.
    std::string_view rest(
        // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes as characters.
        reinterpret_cast<const char*>(record.data()), record.size());
    while (!rest.empty()) {
        const std::size_t nul = rest.find('\0');
        if (nul == std::string_view::npos) {
            ++dropped_messages_;
            return;
        }
        std::string_view text = rest.substr(0, nul);
        rest.remove_prefix(nul + 1);
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
            text.remove_suffix(1);
        }
        if (text.empty()) {
            continue;
        }
        if (!std::all_of(text.begin(), text.end(), printable)) {
            ++dropped_messages_;
            continue;
        }
        messages_.emplace_back(text);
    }
}

std::optional<KeyStateEvent> KeyState::poll_event() {
    if (events_.empty()) {
        return std::nullopt;
    }
    const KeyStateEvent event = events_.front();
    events_.pop_front();
    return event;
}

Result<KeyBlock, KeyStateError> KeyState::derive_key_block(KeyDerivationMethod method) const {
    if (!key_exchange_done() || tls_.error()) {
        return Unexpected(KeyStateError::kNotReady);
    }
    if (method == KeyDerivationMethod::kTlsEkm) {
        KeyBlock block;
        if (!tls_.export_keying_material(kEkmDataKeysLabel, block.mutable_bytes())) {
            return Unexpected(KeyStateError::kKeyDerivation);
        }
        return block;
    }
    const KeySource& peer = peer_message_->key_source;
    const KeySource& client = is_server() ? peer : local_source_;
    const KeySource& server = is_server() ? local_source_ : peer;
    const SessionId& client_sid =
        is_server() ? config_.remote_session_id : config_.local_session_id;
    const SessionId& server_sid =
        is_server() ? config_.local_session_id : config_.remote_session_id;
    auto block = derive_key_block_prf(client, server, client_sid, server_sid);
    if (!block) {
        return Unexpected(KeyStateError::kKeyDerivation);
    }
    return std::move(*block);
}

Result<DataChannelKey, KeyStateError> KeyState::data_channel_key(DataChannelConfig config,
                                                                 KeyDerivationMethod method,
                                                                 platform::Random& random) const {
    auto block = derive_key_block(method);
    if (!block) {
        return Unexpected(block.error());
    }
    config.key_id = config_.key_id;
    auto key = DataChannelKey::create(config, block->bytes(), is_server(), random);
    if (!key) {
        return Unexpected(KeyStateError::kDataKey);
    }
    return std::move(*key);
}

Result<void, KeyStateError> KeyState::send_control_message(std::string_view text) {
    if (!sent_key_) {
        return Unexpected(KeyStateError::kNotReady);  // key-method-2 must be the first record
    }
    if (text.size() + 1 > kMaxControlMessageSize) {
        return Unexpected(KeyStateError::kMessageTooLong);
    }
    if (!std::all_of(text.begin(), text.end(), printable)) {
        return Unexpected(KeyStateError::kBadControlMessage);
    }
    std::vector<std::byte> bytes(text.size() + 1);
    std::transform(text.begin(), text.end(), bytes.begin(),
                   [](char c) { return static_cast<std::byte>(c); });
    if (!tls_.write_plaintext(bytes)) {
        return tls_failed();
    }
    return {};
}

std::optional<std::string> KeyState::poll_control_message() {
    if (messages_.empty()) {
        return std::nullopt;
    }
    std::string message = std::move(messages_.front());
    messages_.pop_front();
    return message;
}

}  // namespace nfv::vpn::proto
