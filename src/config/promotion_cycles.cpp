#include "config/promotion_cycles.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace berth {

std::vector<std::vector<size_t>> findPromotionCycles(const std::vector<std::string>& names,
                                                     const std::vector<std::string>& promote_from) {
  constexpr size_t kNone = static_cast<size_t>(-1);
  // Indexed once: scanning the list per stage made a chain of 200,000 stages take minutes.
  std::unordered_map<std::string_view, size_t> index;
  for (size_t i = names.size(); i-- > 0;)
    index[names[i]] = i;  // the first of duplicate names wins, as a scan would find it
  std::vector<size_t> next(names.size(), kNone);
  for (size_t i = 0; i < names.size(); ++i) {
    const auto it = index.find(promote_from[i]);
    if (!promote_from[i].empty() && it != index.end()) next[i] = it->second;
  }
  // Each stage has at most one successor, so following it from every start either ends or
  // runs into a cycle; `state` marks stages already explained so each cycle is found once.
  enum class State { unseen, on_path, done };
  std::vector<State> state(names.size(), State::unseen);
  std::vector<std::vector<size_t>> cycles;
  for (size_t start = 0; start < names.size(); ++start) {
    std::vector<size_t> path;
    size_t at = start;
    while (at != kNone && state[at] == State::unseen) {
      state[at] = State::on_path;
      path.push_back(at);
      at = next[at];
    }
    if (at != kNone && state[at] == State::on_path) {
      const auto begin = std::find(path.begin(), path.end(), at);
      std::vector<size_t> cycle(begin, path.end());
      std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
      cycles.push_back(std::move(cycle));
    }
    for (size_t i : path)
      state[i] = State::done;
  }
  return cycles;
}

}  // namespace berth
