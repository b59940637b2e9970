#include "nfv/net/dns/tcp_framing.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace nfv::net::dns {
namespace {

std::vector<std::byte> bytes_of(std::string_view text) {
    const auto view = std::as_bytes(std::span(text.data(), text.size()));
    return {view.begin(), view.end()};
}

TEST(DnsTcpFraming, PrefixesTwoByteLength) {
    const auto framed = frame_tcp(bytes_of("abc")).value();
    EXPECT_EQ(framed, (std::vector<std::byte>{std::byte{0}, std::byte{3}, std::byte{'a'},
                                              std::byte{'b'}, std::byte{'c'}}));
    EXPECT_EQ(frame_tcp(std::vector<std::byte>(0x10000)).error(), DnsError::kFrameTooLarge);
    EXPECT_TRUE(frame_tcp(std::vector<std::byte>(0xFFFF)).has_value());
}

TEST(DnsTcpFraming, SplitsPipelinedMessagesFedByteByByte) {
    std::vector<std::byte> stream;
    const std::vector<std::string> messages = {"first", "", std::string(300, 'x'), "last"};
    for (const auto& message : messages) {
        const auto framed = frame_tcp(bytes_of(message)).value();
        stream.insert(stream.end(), framed.begin(), framed.end());
    }
    TcpFrameSplitter splitter;
    std::vector<std::string> seen;
    for (const std::byte b : stream) {
        ASSERT_EQ(splitter.feed(std::span(&b, 1)), 1U);
        while (auto message = splitter.next()) {
            seen.emplace_back(reinterpret_cast<const char*>(message->data()),  // NOLINT
                              message->size());
        }
    }
    EXPECT_EQ(seen, messages);
    EXPECT_EQ(splitter.buffered(), 0U);
}

TEST(DnsTcpFraming, SplitsSeveralMessagesFromOneChunk) {
    std::vector<std::byte> stream;
    for (int i = 0; i < 3; ++i) {
        const auto framed = frame_tcp(bytes_of("query")).value();
        stream.insert(stream.end(), framed.begin(), framed.end());
    }
    stream.push_back(std::byte{0});  // start of a fourth frame
    TcpFrameSplitter splitter;
    ASSERT_EQ(splitter.feed(stream), stream.size());
    int count = 0;
    while (auto message = splitter.next()) {
        EXPECT_EQ(message->size(), 5U);
        ++count;
    }
    EXPECT_EQ(count, 3);
    EXPECT_EQ(splitter.buffered(), 1U);
}

TEST(DnsTcpFraming, BufferIsBounded) {
    TcpFrameSplitter splitter(0);  // clamped up to one maximal frame
    EXPECT_EQ(splitter.free_space(), 0xFFFFU + 2);
    const std::vector<std::byte> big(200000, std::byte{0xff});
    const std::size_t taken = splitter.feed(big);
    EXPECT_EQ(taken, 0xFFFFU + 2);
    EXPECT_EQ(splitter.feed(big), 0U);
    // The frame announced 0xffff bytes and all of them are there.
    const auto message = splitter.next();
    ASSERT_TRUE(message.has_value());
    EXPECT_EQ(message->size(), 0xFFFFU);
    EXPECT_EQ(splitter.feed(std::span(big).subspan(taken)), 0xFFFFU + 2);
}

}  // namespace
}  // namespace nfv::net::dns
