// Writes the Prometheus text exposition format 0.0.4: "# HELP" and "# TYPE" lines per metric
// family, then one "name{label="value",...} number" line per sample.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace berth::api {

inline constexpr std::string_view kPrometheusContentType =
    "text/plain; version=0.0.4; charset=utf-8";

using Labels = std::vector<std::pair<std::string, std::string>>;

class PrometheusText {
 public:
  // Starts a family; `type` is "counter", "gauge" or "histogram".
  void family(std::string_view name, std::string_view type, std::string_view help);
  void sample(std::string_view name, const Labels& labels, double value);
  void sample(std::string_view name, double value) { sample(name, {}, value); }
  const std::string& str() const { return out_; }

 private:
  std::string out_;
};

}  // namespace berth::api
