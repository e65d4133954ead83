// Structured logging: one JSON object per line on stdout (or a readable text line), with
// context fields (project, stage, tag, deploy_id, instance_id) carried by child loggers so every
// line a deploy writes names the deploy without each call repeating it.
#pragma once

#include <chrono>
#include <concepts>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace berth {

enum class LogLevel { debug, info, warn, error };
enum class LogFormat { json, text };

std::optional<LogLevel> parseLogLevel(std::string_view name);
std::optional<LogFormat> parseLogFormat(std::string_view name);
std::string_view toString(LogLevel level);

// One key/value pair. Numbers and booleans are written unquoted in JSON.
struct LogField {
  std::string key;
  std::string value;
  bool quoted = true;

  LogField(std::string k, std::string_view v) : key(std::move(k)), value(v) {}
  LogField(std::string k, const char* v) : key(std::move(k)), value(v) {}
  LogField(std::string k, const std::string& v) : key(std::move(k)), value(v) {}
  LogField(std::string k, bool v) : key(std::move(k)), value(v ? "true" : "false"), quoted(false) {}
  template <std::integral T>
  LogField(std::string k, T v) : key(std::move(k)), value(std::to_string(v)), quoted(false) {}
};

class Logger {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  // Writes to `out`, which must outlive the logger and its children. Safe to use from any
  // thread: lines are written whole, never interleaved.
  Logger(std::ostream& out, LogLevel min_level, LogFormat format, Clock clock = {});

  // A logger that adds `context` to every line, after the parent's context.
  Logger with(std::vector<LogField> context) const;

  bool enabled(LogLevel level) const;
  void log(LogLevel level, std::string_view message,
           const std::vector<LogField>& fields = {}) const;
  void debug(std::string_view m, const std::vector<LogField>& f = {}) const {
    log(LogLevel::debug, m, f);
  }
  void info(std::string_view m, const std::vector<LogField>& f = {}) const {
    log(LogLevel::info, m, f);
  }
  void warn(std::string_view m, const std::vector<LogField>& f = {}) const {
    log(LogLevel::warn, m, f);
  }
  void error(std::string_view m, const std::vector<LogField>& f = {}) const {
    log(LogLevel::error, m, f);
  }

 private:
  struct Sink;
  std::shared_ptr<Sink> sink_;
  std::vector<LogField> context_;
};

// Escapes `text` for use inside a JSON string literal (without the quotes).
std::string jsonEscape(std::string_view text);

}  // namespace berth
