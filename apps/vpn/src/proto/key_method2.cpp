#include "proto/key_method2.hpp"

#include <algorithm>
#include <limits>
#include <string_view>

#include <openssl/crypto.h>

#include "nfv/net/byte_reader.hpp"
#include "nfv/net/byte_writer.hpp"

namespace nfv::vpn::proto {

namespace {

void wipe(std::string& s) {
    if (!s.empty()) {
        OPENSSL_cleanse(s.data(), s.size());
    }
}

// A C string's view of `s`: everything before the first NUL.
std::string_view c_string(std::string_view s) {
    return s.substr(0, s.find('\0'));
}

std::string to_c_string(std::span<const std::byte> bytes) {
    std::string s(bytes.size(), '\0');
    std::transform(bytes.begin(), bytes.end(), s.begin(),
                   [](std::byte b) { return static_cast<char>(b); });
    s.resize(c_string(s).size());
    return s;
}

enum class ReadStatus : std::uint8_t { kOk, kEnd, kTruncated, kTooLong };

// One u16-length-prefixed string. kEnd when the message ended before its length; a length of
// 0 gives an empty value.
ReadStatus read_string(net::ByteReader& reader, std::size_t capacity, std::string& value) {
    if (reader.empty()) {
        return ReadStatus::kEnd;
    }
    const auto len = reader.read_u16();
    if (!len) {
        return ReadStatus::kTruncated;
    }
    if (*len > capacity) {
        return ReadStatus::kTooLong;
    }
    const auto bytes = reader.read_bytes(*len);
    if (!bytes) {
        return ReadStatus::kTruncated;
    }
    // OpenVPN stores the last byte as NUL whatever it was: the value is at most len - 1 bytes.
    value = to_c_string(bytes->first(*len == 0 ? 0 : *len - 1U));
    return ReadStatus::kOk;
}

bool has_credentials(const KeyMethod2Message& message) {
    return message.credentials && (!c_string(message.credentials->username).empty() ||
                                   !c_string(message.credentials->password).empty());
}

std::size_t string_size(std::string_view value) {
    return 2 + c_string(value).size() + 1;
}

bool write_string(net::ByteWriter& writer, std::string_view value) {
    const std::string_view s = c_string(value);
    writer.write_u16(static_cast<std::uint16_t>(s.size() + 1));
    writer.write_bytes(std::as_bytes(std::span(s.data(), s.size())));
    return writer.write_u8(0);
}

}  // namespace

UserPass::~UserPass() {
    wipe(username);
    wipe(password);
}

KeySource make_key_source(platform::Random& random, bool is_client) {
    KeySource source;
    if (is_client) {
        random.fill(source.pre_master);
    }
    random.fill(source.random1);
    random.fill(source.random2);
    return source;
}

Result<KeyMethod2Message, KeyMethod2Error> parse_key_method2(std::span<const std::byte> bytes,
                                                             bool from_client) {
    net::ByteReader reader(bytes);
    if (!reader.skip(4)) {
        return Unexpected(KeyMethod2Error::kTruncated);
    }
    const auto method = reader.read_u8();
    if (!method) {
        return Unexpected(KeyMethod2Error::kTruncated);
    }
    if ((*method & kKeyMethodMask) != kKeyMethod2) {
        return Unexpected(KeyMethod2Error::kUnsupportedMethod);
    }
    KeyMethod2Message message;
    message.flags = static_cast<std::uint8_t>(*method & ~kKeyMethodMask);
    auto read_into = [&reader](std::span<std::byte> out) {
        const auto field = reader.read_bytes(out.size());
        if (field) {
            std::copy(field->begin(), field->end(), out.begin());
        }
        return field.has_value();
    };
    if ((from_client && !read_into(message.key_source.pre_master)) ||
        !read_into(message.key_source.random1) || !read_into(message.key_source.random2)) {
        return Unexpected(KeyMethod2Error::kTruncated);
    }
    switch (read_string(reader, kMaxOptionsStringSize, message.options)) {
        case ReadStatus::kOk:
            break;
        case ReadStatus::kTooLong:
            return Unexpected(KeyMethod2Error::kOptionsTooLong);
        case ReadStatus::kEnd:
        case ReadStatus::kTruncated:
            return Unexpected(KeyMethod2Error::kTruncated);
    }
    UserPass credentials;
    const ReadStatus user = read_string(reader, kMaxUserPassSize, credentials.username);
    if (user == ReadStatus::kEnd) {
        return message;  // no credentials and no peer info
    }
    const ReadStatus pass = user == ReadStatus::kOk
                                ? read_string(reader, kMaxUserPassSize, credentials.password)
                                : user;
    if (pass == ReadStatus::kTooLong) {
        return Unexpected(KeyMethod2Error::kCredentialsTooLong);
    }
    if (pass != ReadStatus::kOk) {
        return Unexpected(KeyMethod2Error::kTruncated);
    }
    // Two empty strings (u16 0 each, OpenVPN's write_empty_string) mean "no credentials".
    if (!credentials.username.empty() || !credentials.password.empty()) {
        message.credentials = std::move(credentials);
    }
    switch (read_string(reader, std::numeric_limits<std::uint16_t>::max(), message.peer_info)) {
        case ReadStatus::kOk:
        case ReadStatus::kEnd:
            break;
        case ReadStatus::kTooLong:
        case ReadStatus::kTruncated:
            return Unexpected(KeyMethod2Error::kTruncated);
    }
    return message;
}

std::size_t wire_size(const KeyMethod2Message& message, bool from_client) {
    std::size_t size = 4 + 1 + (from_client ? kPreMasterSize : 0) + 2 * kRandomSize;
    size += string_size(message.options);
    size += has_credentials(message) ? string_size(message.credentials->username) +
                                           string_size(message.credentials->password)
                                     : 4;
    size += c_string(message.peer_info).empty() ? 2 : string_size(message.peer_info);
    return size;
}

Result<std::size_t, KeyMethod2Error> serialize_key_method2(const KeyMethod2Message& message,
                                                           bool from_client,
                                                           std::span<std::byte> out) {
    if (string_size(message.options) - 2 > kMaxOptionsStringSize) {
        return Unexpected(KeyMethod2Error::kOptionsTooLong);
    }
    if (message.credentials &&
        (string_size(message.credentials->username) - 2 > kMaxUserPassSize ||
         string_size(message.credentials->password) - 2 > kMaxUserPassSize)) {
        return Unexpected(KeyMethod2Error::kCredentialsTooLong);
    }
    if (string_size(message.peer_info) - 2 > std::numeric_limits<std::uint16_t>::max()) {
        return Unexpected(KeyMethod2Error::kStringTooLong);
    }
    const std::size_t size = wire_size(message, from_client);
    if (out.size() < size) {
        return Unexpected(KeyMethod2Error::kBufferTooSmall);
    }
    net::ByteWriter writer(out);
    writer.write_u32(0);
    writer.write_u8(static_cast<std::uint8_t>((message.flags & ~kKeyMethodMask) | kKeyMethod2));
    if (from_client) {
        writer.write_bytes(message.key_source.pre_master);
    }
    writer.write_bytes(message.key_source.random1);
    writer.write_bytes(message.key_source.random2);
    write_string(writer, message.options);
    if (has_credentials(message)) {
        write_string(writer, message.credentials->username);
        write_string(writer, message.credentials->password);
    } else {
        writer.write_u16(0);
        writer.write_u16(0);
    }
    if (c_string(message.peer_info).empty()) {
        writer.write_u16(0);
    } else {
        write_string(writer, message.peer_info);
    }
    if (writer.overflowed() || writer.position() != size) {
        return Unexpected(KeyMethod2Error::kBufferTooSmall);
    }
    return size;
}

}  // namespace nfv::vpn::proto
