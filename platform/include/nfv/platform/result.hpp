// Result<T, E>: a value or an error, the suite's replacement for exceptions on data paths.
//
// A small subset of C++23 std::expected with the same member names (has_value, value, error,
// value_or, operator*, operator->), so that it can be swapped for std::expected later.
// Construct an error with `Unexpected(e)`; a value converts implicitly.
#pragma once

#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

namespace nfv {

template <typename E>
class Unexpected {
public:
    explicit constexpr Unexpected(E error) : error_(std::move(error)) {}
    [[nodiscard]] constexpr const E& error() const& { return error_; }
    [[nodiscard]] constexpr E&& error() && { return std::move(error_); }

private:
    E error_;
};

template <typename E>
Unexpected(E) -> Unexpected<E>;

/// Holds either a T or an E. Accessing the wrong alternative is a caller bug and aborts.
template <typename T, typename E>
class [[nodiscard]] Result {
public:
    using value_type = T;
    using error_type = E;

    // NOLINTNEXTLINE(google-explicit-constructor): a value converts to a successful Result.
    constexpr Result(T value) : storage_(std::in_place_index<0>, std::move(value)) {}
    template <typename G>
    // NOLINTNEXTLINE(google-explicit-constructor): Unexpected converts to a failed Result.
    constexpr Result(Unexpected<G> error)
        : storage_(std::in_place_index<1>, E(std::move(error).error())) {}

    [[nodiscard]] constexpr bool has_value() const { return storage_.index() == 0; }
    constexpr explicit operator bool() const { return has_value(); }

    [[nodiscard]] constexpr T& value() & { return checked_value(*this); }
    [[nodiscard]] constexpr const T& value() const& { return checked_value(*this); }
    [[nodiscard]] constexpr T&& value() && { return std::move(checked_value(*this)); }
    [[nodiscard]] constexpr const E& error() const& {
        if (has_value()) {
            std::abort();
        }
        return std::get<1>(storage_);
    }
    template <typename U>
    [[nodiscard]] constexpr T value_or(U&& fallback) const& {
        return has_value() ? std::get<0>(storage_) : static_cast<T>(std::forward<U>(fallback));
    }

    constexpr T& operator*() & { return value(); }
    constexpr const T& operator*() const& { return value(); }
    constexpr T&& operator*() && { return std::move(value()); }
    constexpr T* operator->() { return &value(); }
    constexpr const T* operator->() const { return &value(); }

private:
    template <typename Self>
    static constexpr auto& checked_value(Self& self) {
        if (!self.has_value()) {
            std::abort();
        }
        return std::get<0>(self.storage_);
    }

    std::variant<T, E> storage_;
};

/// Result<void, E>: success carries no value.
template <typename E>
class [[nodiscard]] Result<void, E> {
public:
    using value_type = void;
    using error_type = E;

    constexpr Result() = default;
    template <typename G>
    // NOLINTNEXTLINE(google-explicit-constructor): Unexpected converts to a failed Result.
    constexpr Result(Unexpected<G> error) : error_(E(std::move(error).error())), failed_(true) {}

    [[nodiscard]] constexpr bool has_value() const { return !failed_; }
    constexpr explicit operator bool() const { return has_value(); }
    constexpr void value() const {
        if (failed_) {
            std::abort();
        }
    }
    [[nodiscard]] constexpr const E& error() const& {
        if (!failed_) {
            std::abort();
        }
        return error_;
    }

private:
    E error_{};
    bool failed_ = false;
};

}  // namespace nfv
