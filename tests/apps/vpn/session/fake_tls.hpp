// Test double of TlsStream: a "TLS" without cryptography so that session state machines can be
// tested without certificates. Records are framed as u16 length + type byte + payload; the
// handshake is one hello each way; the exporter returns bytes derived from the label only, so
// both ends agree. It is NOT a security component and only exists under tests/.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "session/tls_stream.hpp"

namespace nfv::vpn::session::testing {

class FakeTls final : public TlsStream {
public:
    explicit FakeTls(bool is_client) : is_client_(is_client) {
        if (is_client_) {
            frame('C', {});
        }
    }

    Result<void, std::string> feed(std::span<const std::byte> ciphertext) override {
        buffer_.insert(buffer_.end(), ciphertext.begin(), ciphertext.end());
        while (buffer_.size() >= 3) {
            const auto length = (std::to_integer<std::size_t>(buffer_[0]) << 8U) |
                                std::to_integer<std::size_t>(buffer_[1]);
            if (buffer_.size() < 3 + length) {
                break;
            }
            const auto type = static_cast<char>(std::to_integer<unsigned char>(buffer_[2]));
            std::vector<std::byte> payload(
                buffer_.begin() + 3, buffer_.begin() + static_cast<std::ptrdiff_t>(3 + length));
            buffer_.erase(buffer_.begin(),
                          buffer_.begin() + static_cast<std::ptrdiff_t>(3 + length));
            if (type == 'C' && !is_client_) {
                frame('S', {});
                done_ = true;
            } else if (type == 'S' && is_client_) {
                done_ = true;
            } else if (type == 'D' && done_) {
                records_.push_back(std::move(payload));
            } else if (type == 'X') {
                return Unexpected(std::string("peer sent an alert"));
            } else {
                return Unexpected(std::string("unexpected record"));
            }
        }
        return {};
    }
    std::vector<std::byte> take_outgoing() override { return std::exchange(outgoing_, {}); }
    Result<void, std::string> write(std::span<const std::byte> plaintext) override {
        if (!done_) {
            return Unexpected(std::string("write before handshake"));
        }
        frame('D', plaintext);
        return {};
    }
    std::optional<std::vector<std::byte>> read_record() override {
        if (records_.empty()) {
            return std::nullopt;
        }
        auto record = std::move(records_.front());
        records_.pop_front();
        return record;
    }
    [[nodiscard]] bool handshake_done() const override { return done_; }
    Result<void, std::string> export_keying_material(std::string_view label,
                                                     std::span<std::byte> out) override {
        for (std::size_t i = 0; i < out.size(); ++i) {
            out[i] = static_cast<std::byte>((i * 31 + label.size() * 7 + 1) & 0xffU);
        }
        return {};
    }
    /// Fixed names: the "certificates" of the fake handshake.
    [[nodiscard]] std::string peer_common_name() const override {
        return done_ ? (is_client_ ? "fake-server" : "fake-client") : std::string{};
    }
    [[nodiscard]] std::string description() const override { return "fake TLS"; }

private:
    void frame(char type, std::span<const std::byte> payload) {
        outgoing_.push_back(static_cast<std::byte>(payload.size() >> 8U));
        outgoing_.push_back(static_cast<std::byte>(payload.size() & 0xffU));
        outgoing_.push_back(static_cast<std::byte>(type));
        outgoing_.insert(outgoing_.end(), payload.begin(), payload.end());
    }

    bool is_client_;
    bool done_ = false;
    std::vector<std::byte> buffer_;
    std::vector<std::byte> outgoing_;
    std::deque<std::vector<std::byte>> records_;
};

}  // namespace nfv::vpn::session::testing
