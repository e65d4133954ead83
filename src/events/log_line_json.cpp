#include "events/log_line_json.h"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace berth::events {

std::string isoUtc(Timestamp t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day date{day};
  const hh_mm_ss time{t - day};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(date.year()),
                unsigned(date.month()), unsigned(date.day()), int(time.hours().count()),
                int(time.minutes().count()), int(time.seconds().count()),
                int(time.subseconds().count()));
  return text;
}

std::string logLineJson(const DeployLogEntry& line) {
  const nlohmann::ordered_json json = {
      {"seq", line.seq}, {"ts", isoUtc(line.ts)}, {"level", line.level}, {"message", line.message}};
  return json.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace berth::events
