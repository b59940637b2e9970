// Levelled structured logging: one line per event,
//
//     <ts> <level> <component>: <message> key=value key="value with spaces"
//
// where <ts> is the wall-clock time in RFC 3339 UTC form (2023-11-14T22:13:20Z) and <level> is one
// of error, warn, info, debug, trace. The line is handed to a LogSink (stderr, an append-only file
// that can be reopened after log rotation, syslog, or memory for tests).
//
// Contract:
// - A disabled level costs one comparison: Logger checks the level before formatting anything.
//   Fields are views (no allocation) and only live for the duration of the call.
// - Anything that may come from a peer (names, messages) is escaped: control characters never
//   reach the sink raw, so one event is always exactly one line.
// - Threading: a Logger and its sink belong to one event loop (one thread). The stderr and file
//   sinks emit each line with a single write(2), so separate Loggers on separate threads sharing
//   a sink's file descriptor interleave only at line granularity.
// - Per-packet failures are counted in metrics, not logged (style anchor 6).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "nfv/platform/clock.hpp"
#include "nfv/platform/result.hpp"

namespace nfv::platform {

/// Severity, most severe first. A Logger at level L emits events whose level is <= L.
enum class LogLevel : std::uint8_t { kError = 0, kWarn = 1, kInfo = 2, kDebug = 3, kTrace = 4 };

/// "error", "warn", "info", "debug" or "trace".
[[nodiscard]] std::string_view log_level_name(LogLevel level);

/// Parses a level name as written by log_level_name (also accepts "warning"); nullopt otherwise.
[[nodiscard]] std::optional<LogLevel> parse_log_level(std::string_view name);

/// One key=value pair of an event. Holds views: construct it in the argument list of a log call.
/// The key is trusted (a literal in our code); the value is escaped and quoted when it contains
/// a space, '"', '=', a backslash or a control character, or is empty.
class LogField {
public:
    enum class Kind : std::uint8_t { kString, kSigned, kUnsigned, kDouble, kBool };

    constexpr LogField(std::string_view key, std::string_view value)
        : key_(key), kind_(Kind::kString), text_(value) {}
    constexpr LogField(std::string_view key, const char* value)
        : key_(key), kind_(Kind::kString), text_(value) {}
    LogField(std::string_view key, const std::string& value)
        : key_(key), kind_(Kind::kString), text_(value) {}
    constexpr LogField(std::string_view key, bool value)
        : key_(key), kind_(Kind::kBool), unsigned_(value ? 1U : 0U) {}
    constexpr LogField(std::string_view key, double value)
        : key_(key), kind_(Kind::kDouble), double_(value) {}
    template <typename T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool> &&
             std::is_signed_v<T>) constexpr LogField(std::string_view key, T value)
        : key_(key), kind_(Kind::kSigned), signed_(value) {}
    template <typename T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool> &&
             std::is_unsigned_v<T>) constexpr LogField(std::string_view key, T value)
        : key_(key), kind_(Kind::kUnsigned), unsigned_(value) {}

    [[nodiscard]] constexpr std::string_view key() const { return key_; }
    [[nodiscard]] constexpr Kind kind() const { return kind_; }
    [[nodiscard]] constexpr std::string_view text() const { return text_; }
    [[nodiscard]] constexpr std::int64_t as_signed() const { return signed_; }
    [[nodiscard]] constexpr std::uint64_t as_unsigned() const { return unsigned_; }
    [[nodiscard]] constexpr double as_double() const { return double_; }

private:
    std::string_view key_;
    Kind kind_;
    std::string_view text_{};
    std::int64_t signed_ = 0;
    std::uint64_t unsigned_ = 0;
    double double_ = 0.0;
};

/// Where formatted lines go. `line` is the whole event without a trailing newline; `body` is its
/// suffix after "<ts> <level> " (for sinks such as syslog that stamp time and severity themselves).
/// Both views are valid only during the call.
class LogSink {
public:
    LogSink() = default;
    LogSink(const LogSink&) = delete;
    LogSink& operator=(const LogSink&) = delete;
    virtual ~LogSink() = default;

    virtual void write(LogLevel level, std::string_view line, std::string_view body) = 0;

protected:
    LogSink(LogSink&&) = default;
    LogSink& operator=(LogSink&&) = default;
};

/// Writes each line plus '\n' to file descriptor 2 with one write(2). Failures are ignored
/// (there is nowhere left to report them).
class StderrSink final : public LogSink {
public:
    void write(LogLevel level, std::string_view line, std::string_view body) override;
};

/// Appends lines to a file (O_APPEND, created 0640 if missing). After an external rotation
/// (logrotate renames the file, then sends SIGHUP), call reopen() from the event loop to continue
/// in a fresh file at the same path.
class FileSink final : public LogSink {
public:
    /// Opens `path` for appending; the error is the errno of open(2).
    [[nodiscard]] static Result<std::unique_ptr<FileSink>, std::error_code> open(std::string path);

    FileSink(const FileSink&) = delete;
    FileSink& operator=(const FileSink&) = delete;
    FileSink(FileSink&&) = delete;
    FileSink& operator=(FileSink&&) = delete;
    ~FileSink() override;

    void write(LogLevel level, std::string_view line, std::string_view body) override;

    /// Opens the path again and switches to the new descriptor. On failure the old descriptor
    /// stays in use (so logging continues into the renamed file) and the errno is returned.
    [[nodiscard]] Result<void, std::error_code> reopen();

    [[nodiscard]] const std::string& path() const { return path_; }
    /// Lines that could not be written completely (disk full, I/O error).
    [[nodiscard]] std::uint64_t failed_writes() const { return failed_writes_; }

private:
    FileSink(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

    std::string path_;
    int fd_ = -1;
    std::uint64_t failed_writes_ = 0;
    std::string scratch_;  // line + '\n', reused so steady-state writes do not allocate
};

/// Keeps every line in memory, for tests.
class MemorySink final : public LogSink {
public:
    struct Entry {
        LogLevel level;
        std::string line;
    };

    void write(LogLevel level, std::string_view line, std::string_view body) override;

    [[nodiscard]] const std::vector<Entry>& entries() const { return entries_; }
    /// Just the line texts, in order.
    [[nodiscard]] std::vector<std::string> lines() const;
    void clear() { entries_.clear(); }

private:
    std::vector<Entry> entries_;
};

/// Maps a syslog facility name ("kern", "user", "mail", "daemon", "auth", "syslog", "lpr",
/// "news", "uucp", "cron", "authpriv", "ftp", "local0".."local7", as dnsmasq's log-facility
/// accepts) to its LOG_* value; nullopt for anything else.
[[nodiscard]] std::optional<int> parse_syslog_facility(std::string_view name);

/// Sends the body of each line to syslog(3) with the level mapped to LOG_ERR, LOG_WARNING,
/// LOG_INFO or LOG_DEBUG (debug and trace). openlog(3) state is process-wide: create at most one.
class SyslogSink final : public LogSink {
public:
    /// `ident` is kept alive by the sink because openlog(3) keeps the pointer. `facility` is a
    /// value from parse_syslog_facility.
    SyslogSink(std::string ident, int facility);
    SyslogSink(const SyslogSink&) = delete;
    SyslogSink& operator=(const SyslogSink&) = delete;
    SyslogSink(SyslogSink&&) = delete;
    SyslogSink& operator=(SyslogSink&&) = delete;
    ~SyslogSink() override;

    void write(LogLevel level, std::string_view line, std::string_view body) override;

private:
    std::string ident_;
    int facility_;
};

/// Formats events and hands them to a sink. Cheap to copy; the copies share the sink and clock,
/// which must outlive every Logger that uses them. Give each core its own Logger (or a
/// with_component() copy) by reference.
class Logger {
public:
    /// `clock` supplies the wall-clock stamp of each line.
    Logger(LogSink& sink, Clock& clock, std::string component, LogLevel level = LogLevel::kInfo)
        : sink_(&sink), clock_(&clock), component_(std::move(component)), level_(level) {}

    /// A Logger writing to the same sink and clock at the same level under another component.
    [[nodiscard]] Logger with_component(std::string component) const {
        return Logger(*sink_, *clock_, std::move(component), level_);
    }

    [[nodiscard]] bool enabled(LogLevel level) const { return level <= level_; }
    [[nodiscard]] LogLevel level() const { return level_; }
    void set_level(LogLevel level) { level_ = level; }
    /// Later events go to `sink` (which must outlive this Logger).
    void set_sink(LogSink& sink) { sink_ = &sink; }
    [[nodiscard]] const std::string& component() const { return component_; }

    /// Emits one event if `level` is enabled; otherwise does nothing at all.
    void log(LogLevel level, std::string_view message,
             std::initializer_list<LogField> fields = {}) {
        if (enabled(level)) {
            emit(level, message, fields);
        }
    }
    void error(std::string_view message, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::kError, message, fields);
    }
    void warn(std::string_view message, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::kWarn, message, fields);
    }
    void info(std::string_view message, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::kInfo, message, fields);
    }
    void debug(std::string_view message, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::kDebug, message, fields);
    }
    void trace(std::string_view message, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::kTrace, message, fields);
    }

private:
    void emit(LogLevel level, std::string_view message, std::initializer_list<LogField> fields);

    LogSink* sink_;
    Clock* clock_;
    std::string component_;
    LogLevel level_;
    std::string buffer_;  // reused between events so steady-state logging does not allocate
};

/// Formats `unix_seconds` as RFC 3339 UTC ("2023-11-14T22:13:20Z") and appends it to `out`.
void append_rfc3339(std::string& out, WallTime time);

/// Appends `value` to `out` as a log field value: unchanged when it is non-empty and holds only
/// printable characters other than space, '"', '=' and '\'; otherwise double-quoted with '"' and
/// '\' backslash-escaped, \n \r \t as such, and other bytes < 0x20 or 0x7f as \xHH.
void append_log_value(std::string& out, std::string_view value);

/// The process-wide fallback Logger: stderr, SystemClock, component "nfv", level info. main()
/// may adjust it (set_level, set_sink) before starting event loops; cores should receive a
/// Logger& instead of calling this.
[[nodiscard]] Logger& default_logger();

}  // namespace nfv::platform
