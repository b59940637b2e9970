#include "nfv/platform/result.hpp"

#include <memory>
#include <string>

#include <gtest/gtest.h>

namespace nfv {
namespace {

enum class TestError { kNone, kTruncated, kBadValue };

Result<int, TestError> parse_positive(int x) {
    if (x <= 0) {
        return Unexpected(TestError::kBadValue);
    }
    return x;
}

Result<void, TestError> check(bool ok) {
    if (!ok) {
        return Unexpected(TestError::kTruncated);
    }
    return {};
}

TEST(Result, HoldsValue) {
    const auto r = parse_positive(7);
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(static_cast<bool>(r));
    EXPECT_EQ(r.value(), 7);
    EXPECT_EQ(*r, 7);
}

TEST(Result, HoldsError) {
    const auto r = parse_positive(-1);
    ASSERT_FALSE(r.has_value());
    EXPECT_FALSE(static_cast<bool>(r));
    EXPECT_EQ(r.error(), TestError::kBadValue);
}

TEST(Result, ValueOrReturnsFallbackOnlyOnError) {
    EXPECT_EQ(parse_positive(3).value_or(42), 3);
    EXPECT_EQ(parse_positive(0).value_or(42), 42);
}

TEST(Result, ArrowAndMutableAccess) {
    Result<std::string, TestError> r = std::string("abc");
    EXPECT_EQ(r->size(), 3U);
    r.value() += "d";
    *r += "e";
    EXPECT_EQ(r.value(), "abcde");
}

TEST(Result, MovesOutMoveOnlyValue) {
    Result<std::unique_ptr<int>, TestError> r = std::make_unique<int>(5);
    std::unique_ptr<int> p = std::move(r).value();
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(*p, 5);
}

TEST(Result, UnexpectedConvertsToWiderErrorType) {
    // Unexpected<const char*> converts into a Result whose error type is std::string.
    const Result<int, std::string> r = Unexpected("boom");
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error(), "boom");
    EXPECT_EQ(Unexpected(TestError::kTruncated).error(), TestError::kTruncated);
}

TEST(Result, ErrorTypeEqualToValueTypeStaysDistinct) {
    const Result<int, int> ok = 1;
    const Result<int, int> failed = Unexpected(2);
    EXPECT_TRUE(ok.has_value());
    EXPECT_EQ(ok.value(), 1);
    EXPECT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error(), 2);
}

TEST(Result, VoidSuccessAndFailure) {
    const auto ok = check(true);
    EXPECT_TRUE(ok.has_value());
    ok.value();  // does not abort
    const auto failed = check(false);
    EXPECT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error(), TestError::kTruncated);
}

TEST(ResultDeathTest, WrongAlternativeAborts) {
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    EXPECT_DEATH((void)parse_positive(-1).value(), "");
    EXPECT_DEATH((void)parse_positive(1).error(), "");
    EXPECT_DEATH(check(false).value(), "");
    EXPECT_DEATH((void)check(true).error(), "");
}

}  // namespace
}  // namespace nfv
