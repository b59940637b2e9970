#include "ciphertext_sink.hpp"

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace nfv::tls_proxy {
namespace {

std::span<const std::byte> bytes(std::string_view text) {
    return std::as_bytes(std::span(text.data(), text.size()));
}

std::string text(std::span<const std::byte> data) {
    return {reinterpret_cast<const char*>(data.data()), data.size()};
}

TEST(CiphertextSink, KeepsOrderAcrossPartialConsumesAndGrowth) {
    CiphertextSink sink;
    EXPECT_TRUE(sink.pending().empty());
    ASSERT_TRUE(sink.append(bytes("hello ")));
    ASSERT_TRUE(sink.append(bytes("world")));
    EXPECT_EQ(text(sink.pending()), "hello world");
    sink.consume(6);
    EXPECT_EQ(text(sink.pending()), "world");
    // More than the first allocation: the unconsumed bytes move with the growth.
    const std::string big(10000, 'x');
    ASSERT_TRUE(sink.append(bytes(big)));
    EXPECT_EQ(text(sink.pending()), "world" + big);
    sink.consume(100);
    EXPECT_EQ(text(sink.pending()), ("world" + big).substr(100));
}

TEST(CiphertextSink, ReusesRoomAtTheFrontBeforeGrowing) {
    CiphertextSink sink;
    ASSERT_TRUE(sink.append(bytes(std::string(3000, 'a'))));
    const std::size_t capacity = sink.capacity();
    sink.consume(2500);
    ASSERT_TRUE(sink.append(bytes(std::string(3000, 'b'))));  // fits once the front is reused
    EXPECT_EQ(sink.capacity(), capacity);
    EXPECT_EQ(text(sink.pending()), std::string(500, 'a') + std::string(3000, 'b'));
}

TEST(CiphertextSink, FreesItsStorageOnceEverythingIsTaken) {
    CiphertextSink sink;
    ASSERT_TRUE(sink.append(bytes("record")));
    EXPECT_GT(sink.capacity(), 0U);
    sink.consume(1000);  // more than pending: everything
    EXPECT_TRUE(sink.pending().empty());
    EXPECT_EQ(sink.capacity(), 0U);
}

TEST(CiphertextSink, BioWritesAppendAndFlushSucceeds) {
    CiphertextSink sink;
    BIO* bio = CiphertextSink::make_bio(sink);
    ASSERT_NE(bio, nullptr);
    ASSERT_EQ(BIO_write(bio, "abc", 3), 3);
    ASSERT_EQ(BIO_write(bio, "def", 3), 3);
    EXPECT_EQ(BIO_flush(bio), 1);
    EXPECT_EQ(BIO_wpending(bio), 6);
    EXPECT_EQ(text(sink.pending()), "abcdef");
    char buffer[4];
    EXPECT_LE(BIO_read(bio, buffer, sizeof buffer), 0);  // write-only
    BIO_free(bio);
}

}  // namespace
}  // namespace nfv::tls_proxy
