#include "deploy/run_with_timeout.h"

#include <cstdio>

namespace berth::deploy {
namespace {
std::atomic<int> g_abandoned{0};
}

int abandonedSteps() {
  return g_abandoned.load();
}
void noteAbandoned(int delta) {
  g_abandoned += delta;
}

std::string seconds(std::chrono::milliseconds d) {
  if (d < std::chrono::seconds(1)) return std::to_string(d.count()) + " ms";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

}  // namespace berth::deploy
