#include "nfv/platform/log.hpp"

#include <array>
#include <cerrno>
#include <charconv>
#include <ctime>
#include <utility>

#include <fcntl.h>
#include <syslog.h>
#include <unistd.h>

namespace nfv::platform {

namespace {

constexpr std::array<std::string_view, 5> kLevelNames = {"error", "warn", "info", "debug", "trace"};

constexpr char kHexDigits[] = "0123456789abcdef";

void append_hex_escape(std::string& out, unsigned char c) {
    out += "\\x";
    out += kHexDigits[c >> 4U];
    out += kHexDigits[c & 0x0fU];
}

bool is_control(unsigned char c) {
    return c < 0x20U || c == 0x7fU;
}

// Messages are not quoted, but control characters are escaped so that a peer-supplied string
// cannot start a forged log line.
void append_message(std::string& out, std::string_view message) {
    for (const char ch : message) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (is_control(c)) {
            append_hex_escape(out, c);
        } else {
            out += ch;
        }
    }
}

bool needs_quotes(std::string_view value) {
    if (value.empty()) {
        return true;
    }
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == ' ' || c == '"' || c == '=' || c == '\\' || is_control(c)) {
            return true;
        }
    }
    return false;
}

template <typename T>
void append_number(std::string& out, T value) {
    std::array<char, 32> buf{};
    const auto res = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    out.append(buf.data(), res.ptr);
}

void append_field(std::string& out, const LogField& field) {
    out += ' ';
    out += field.key();
    out += '=';
    switch (field.kind()) {
        case LogField::Kind::kString:
            append_log_value(out, field.text());
            break;
        case LogField::Kind::kSigned:
            append_number(out, field.as_signed());
            break;
        case LogField::Kind::kUnsigned:
            append_number(out, field.as_unsigned());
            break;
        case LogField::Kind::kDouble:
            append_number(out, field.as_double());
            break;
        case LogField::Kind::kBool:
            out += field.as_unsigned() != 0 ? "true" : "false";
            break;
    }
}

void append_two_digits(std::string& out, int value) {
    out += static_cast<char>('0' + (value / 10) % 10);
    out += static_cast<char>('0' + value % 10);
}

std::error_code last_error() {
    return {errno, std::generic_category()};
}

int open_append(const std::string& path) {
    int fd = -1;
    do {
        fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    } while (fd < 0 && errno == EINTR);
    return fd;
}

// Writes all of `data`; false if the kernel refused part of it.
bool write_all(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

}  // namespace

std::string_view log_level_name(LogLevel level) {
    const auto index = static_cast<std::size_t>(level);
    return index < kLevelNames.size() ? kLevelNames[index] : std::string_view("unknown");
}

std::optional<LogLevel> parse_log_level(std::string_view name) {
    for (std::size_t i = 0; i < kLevelNames.size(); ++i) {
        if (name == kLevelNames[i]) {
            return static_cast<LogLevel>(i);
        }
    }
    if (name == "warning") {
        return LogLevel::kWarn;
    }
    return std::nullopt;
}

void append_rfc3339(std::string& out, WallTime time) {
    const auto seconds = static_cast<std::time_t>(time.unix_seconds);
    std::tm tm{};
    if (::gmtime_r(&seconds, &tm) == nullptr) {
        out += "0000-00-00T00:00:00Z";  // beyond the representable years; keep the line shape
        return;
    }
    const int year = tm.tm_year + 1900;
    if (year < 0 || year > 9999) {
        out += "0000-00-00T00:00:00Z";
        return;
    }
    append_two_digits(out, year / 100);
    append_two_digits(out, year % 100);
    out += '-';
    append_two_digits(out, tm.tm_mon + 1);
    out += '-';
    append_two_digits(out, tm.tm_mday);
    out += 'T';
    append_two_digits(out, tm.tm_hour);
    out += ':';
    append_two_digits(out, tm.tm_min);
    out += ':';
    append_two_digits(out, tm.tm_sec);
    out += 'Z';
}

void append_log_value(std::string& out, std::string_view value) {
    if (!needs_quotes(value)) {
        out += value;
        return;
    }
    out += '"';
    for (const char ch : value) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += ch;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (is_control(c)) {
            append_hex_escape(out, c);
        } else {
            out += ch;
        }
    }
    out += '"';
}

void Logger::emit(LogLevel level, std::string_view message,
                  std::initializer_list<LogField> fields) {
    buffer_.clear();
    append_rfc3339(buffer_, clock_->wall_now());
    buffer_ += ' ';
    buffer_ += log_level_name(level);
    buffer_ += ' ';
    const std::size_t body_start = buffer_.size();
    buffer_ += component_;
    buffer_ += ": ";
    append_message(buffer_, message);
    for (const LogField& field : fields) {
        append_field(buffer_, field);
    }
    const std::string_view line(buffer_);
    sink_->write(level, line, line.substr(body_start));
}

void StderrSink::write(LogLevel /*level*/, std::string_view line, std::string_view /*body*/) {
    // One write(2) per line keeps concurrent writers from interleaving inside a line. Lines are
    // short, so the copy is cheaper than a writev round trip through iovec setup.
    std::string out;
    out.reserve(line.size() + 1);
    out += line;
    out += '\n';
    (void)write_all(STDERR_FILENO, out);
}

Result<std::unique_ptr<FileSink>, std::error_code> FileSink::open(std::string path) {
    const int fd = open_append(path);
    if (fd < 0) {
        return Unexpected(last_error());
    }
    return std::unique_ptr<FileSink>(new FileSink(std::move(path), fd));
}

FileSink::~FileSink() {
    if (fd_ >= 0) {
        ::close(fd_);
    }
}

void FileSink::write(LogLevel /*level*/, std::string_view line, std::string_view /*body*/) {
    scratch_.clear();
    scratch_ += line;
    scratch_ += '\n';
    if (!write_all(fd_, scratch_)) {
        ++failed_writes_;
    }
}

Result<void, std::error_code> FileSink::reopen() {
    const int fd = open_append(path_);
    if (fd < 0) {
        return Unexpected(last_error());
    }
    ::close(std::exchange(fd_, fd));
    return {};
}

void MemorySink::write(LogLevel level, std::string_view line, std::string_view /*body*/) {
    entries_.push_back(Entry{level, std::string(line)});
}

std::vector<std::string> MemorySink::lines() const {
    std::vector<std::string> out;
    out.reserve(entries_.size());
    for (const Entry& entry : entries_) {
        out.push_back(entry.line);
    }
    return out;
}

std::optional<int> parse_syslog_facility(std::string_view name) {
    struct Facility {
        std::string_view name;
        int value;
    };
    static constexpr std::array<Facility, 20> kFacilities = {{
        {"kern", LOG_KERN},     {"user", LOG_USER},         {"mail", LOG_MAIL},
        {"daemon", LOG_DAEMON}, {"auth", LOG_AUTH},         {"syslog", LOG_SYSLOG},
        {"lpr", LOG_LPR},       {"news", LOG_NEWS},         {"uucp", LOG_UUCP},
        {"cron", LOG_CRON},     {"authpriv", LOG_AUTHPRIV}, {"ftp", LOG_FTP},
        {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},     {"local2", LOG_LOCAL2},
        {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},     {"local5", LOG_LOCAL5},
        {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
    }};
    for (const Facility& facility : kFacilities) {
        if (facility.name == name) {
            return facility.value;
        }
    }
    return std::nullopt;
}

SyslogSink::SyslogSink(std::string ident, int facility)
    : ident_(std::move(ident)), facility_(facility) {
    ::openlog(ident_.c_str(), LOG_PID | LOG_NDELAY, facility_);
}

SyslogSink::~SyslogSink() {
    ::closelog();
}

void SyslogSink::write(LogLevel level, std::string_view /*line*/, std::string_view body) {
    int priority = LOG_DEBUG;
    switch (level) {
        case LogLevel::kError:
            priority = LOG_ERR;
            break;
        case LogLevel::kWarn:
            priority = LOG_WARNING;
            break;
        case LogLevel::kInfo:
            priority = LOG_INFO;
            break;
        case LogLevel::kDebug:
        case LogLevel::kTrace:
            priority = LOG_DEBUG;
            break;
    }
    // The body is not NUL-terminated; "%.*s" bounds the read and keeps '%' in it inert.
    ::syslog(priority | facility_, "%.*s", static_cast<int>(body.size()), body.data());
}

Logger& default_logger() {
    static SystemClock clock;
    static StderrSink sink;
    static Logger logger(sink, clock, "nfv");
    return logger;
}

}  // namespace nfv::platform
