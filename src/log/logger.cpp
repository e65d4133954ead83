#include "log/logger.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace berth {

struct Logger::Sink {
  Sink(std::ostream& o, LogLevel l, LogFormat f, Clock c)
      : out(o), min_level(l), format(f), clock(std::move(c)) {}
  std::ostream& out;
  LogLevel min_level;
  LogFormat format;
  Clock clock;
  std::mutex mutex;
};

std::optional<LogLevel> parseLogLevel(std::string_view name) {
  if (name == "debug") return LogLevel::debug;
  if (name == "info") return LogLevel::info;
  if (name == "warn" || name == "warning") return LogLevel::warn;
  if (name == "error") return LogLevel::error;
  return std::nullopt;
}

std::optional<LogFormat> parseLogFormat(std::string_view name) {
  if (name == "json") return LogFormat::json;
  if (name == "text") return LogFormat::text;
  return std::nullopt;
}

std::string_view toString(LogLevel level) {
  switch (level) {
    case LogLevel::debug:
      return "debug";
    case LogLevel::info:
      return "info";
    case LogLevel::warn:
      return "warn";
    case LogLevel::error:
      return "error";
  }
  return "info";
}

std::string jsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out;
}

namespace {

// RFC 3339 in UTC with milliseconds: sortable and what log shippers parse without configuration.
std::string formatTimestamp(std::chrono::system_clock::time_point t) {
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[96];  // roomy enough that the compiler can prove no truncation
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

void appendJsonField(std::string& line, const LogField& f) {
  line += ",\"" + jsonEscape(f.key) + "\":";
  line += f.quoted ? "\"" + jsonEscape(f.value) + "\"" : f.value;
}

void appendTextField(std::string& line, const LogField& f) {
  const bool needs_quotes =
      f.value.empty() || f.value.find_first_of(" \"=\n\t") != std::string::npos;
  line += " " + f.key + "=";
  line += needs_quotes ? "\"" + jsonEscape(f.value) + "\"" : f.value;
}

}  // namespace

Logger::Logger(std::ostream& out, LogLevel min_level, LogFormat format, Clock clock)
    : sink_(std::make_shared<Sink>(
          out, min_level, format,
          clock ? std::move(clock) : Clock(std::chrono::system_clock::now))) {}

Logger Logger::with(std::vector<LogField> context) const {
  Logger child = *this;
  // A key given again replaces the inherited value: a line never carries a field twice.
  for (auto& field : context) {
    auto same = std::find_if(child.context_.begin(), child.context_.end(),
                             [&](const LogField& f) { return f.key == field.key; });
    if (same != child.context_.end()) {
      *same = std::move(field);
    } else {
      child.context_.push_back(std::move(field));
    }
  }
  return child;
}

bool Logger::enabled(LogLevel level) const {
  return level >= sink_->min_level;
}

void Logger::log(LogLevel level, std::string_view message,
                 const std::vector<LogField>& fields) const {
  if (!enabled(level)) return;
  const std::string ts = formatTimestamp(sink_->clock());
  std::string line;
  if (sink_->format == LogFormat::json) {
    line = "{\"ts\":\"" + ts + "\",\"level\":\"" + std::string(toString(level)) + "\",\"msg\":\"" +
           jsonEscape(message) + "\"";
    for (const auto& f : context_)
      appendJsonField(line, f);
    for (const auto& f : fields)
      appendJsonField(line, f);
    line += "}\n";
  } else {
    line = ts + " " + std::string(toString(level)) + " " + std::string(message);
    for (const auto& f : context_)
      appendTextField(line, f);
    for (const auto& f : fields)
      appendTextField(line, f);
    line += "\n";
  }
  std::lock_guard lock(sink_->mutex);
  sink_->out << line << std::flush;
}

}  // namespace berth
