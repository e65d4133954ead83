#include "registry/update_check.h"

#include <set>
#include <vector>

namespace berth::registry {
namespace {

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::vector<TagCandidate> candidatesOf(const std::vector<std::string>& tags) {
  std::vector<TagCandidate> out;
  out.reserve(tags.size());
  for (const auto& t : tags)
    out.push_back({t, std::nullopt});
  return out;
}

std::string noCandidate(const RepositoryRef& repo, size_t listed, std::string_view why) {
  return repo.context() + ": none of its " + std::to_string(listed) + " tags " + std::string(why);
}

}  // namespace

std::string describe(const UpdateDecision& decision) {
  return std::visit(
      Overloaded{
          [](const UpToDate&) { return std::string("up to date"); },
          [](const NewerTag& d) { return "newer tag " + d.tag + " (" + d.digest + ")"; },
          [](const SameTagNewDigest& d) { return "same tag, new digest " + d.digest; },
          [](const Unknown& d) { return "unknown: " + d.reason; },
      },
      decision);
}

bool runsContent(const RunningImage& running, std::string_view digest, const Manifest* manifest) {
  if (running.digest.empty()) return false;
  if (running.digest == digest) return true;
  return manifest != nullptr && manifest->digest == digest && manifest->isIndex() &&
         manifest->hasChild(running.digest);
}

UpdateDecision decide(const std::optional<RunningImage>& running, std::string_view best_tag,
                      std::string_view best_digest, bool running_is_best_content) {
  if (!running) return NewerTag{std::string(best_tag), std::string(best_digest)};
  if (running_is_best_content) return UpToDate{};
  if (running->tag == best_tag) return SameTagNewDigest{std::string(best_digest)};
  return NewerTag{std::string(best_tag), std::string(best_digest)};
}

std::optional<std::chrono::system_clock::time_point> imagePushTime(Registry& registry,
                                                                   const RepositoryRef& repo,
                                                                   std::string_view digest,
                                                                   const net::CancelFlag* cancel) {
  Manifest m = registry.manifest(repo, digest, cancel);
  if (m.isIndex()) {
    const ManifestChild* child = m.preferredChild();
    if (child == nullptr) return std::nullopt;
    m = registry.manifest(repo, child->digest, cancel);
    if (m.isIndex()) return std::nullopt;  // an index of indexes: no single image to date
  }
  if (m.config_digest.empty()) return std::nullopt;
  return registry.imageCreated(repo, m.config_digest, cancel);
}

UpdateDecision UpdateChecker::check(const RepositoryRef& repo, const CompiledTagPolicy& policy,
                                    const std::optional<RunningImage>& running,
                                    const net::CancelFlag* cancel) {
  try {
    const TagPolicy& p = policy.policy();
    if (!p.watch.empty()) return checkWatch(repo, p.watch, running, cancel);
    if (p.order == TagOrder::pushed) return checkPushed(repo, policy, running, cancel);
    return checkRanked(repo, policy, running, cancel);
  } catch (const RegistryError& e) {
    return Unknown{e.what()};
  }
}

UpdateDecision UpdateChecker::finish(const RepositoryRef& repo,
                                     const std::optional<RunningImage>& running,
                                     const std::string& best_tag, const std::string& best_digest,
                                     const net::CancelFlag* cancel) {
  if (!running || running->digest.empty() || running->digest == best_digest)
    return decide(running, best_tag, best_digest,
                  running && runsContent(*running, best_digest, nullptr));
  // Only an index can contain the running digest as a child; the manifest is cached by the
  // client after the first look, so this costs a request once per new index.
  const Manifest m = registry_.manifest(repo, best_digest, cancel);
  return decide(running, best_tag, best_digest, runsContent(*running, best_digest, &m));
}

UpdateDecision UpdateChecker::checkWatch(const RepositoryRef& repo, const std::string& tag,
                                         const std::optional<RunningImage>& running,
                                         const net::CancelFlag* cancel) {
  return finish(repo, running, tag, registry_.manifestDigest(repo, tag, cancel), cancel);
}

UpdateDecision UpdateChecker::checkRanked(const RepositoryRef& repo,
                                          const CompiledTagPolicy& policy,
                                          const std::optional<RunningImage>& running,
                                          const net::CancelFlag* cancel) {
  const auto tags = registry_.listTags(repo, cancel);
  const auto candidates = candidatesOf(tags);
  const auto best = policy.select(candidates);
  if (!best) return Unknown{noCandidate(repo, tags.size(), "matches the stage's tag policy")};
  if (running && running->tag != *best && policy.accepts(running->tag)) {
    const std::vector<TagCandidate> pair = {{running->tag, std::nullopt}, {*best, std::nullopt}};
    if (policy.select(pair) == running->tag) return UpToDate{};
  }
  return finish(repo, running, *best, registry_.manifestDigest(repo, *best, cancel), cancel);
}

UpdateDecision UpdateChecker::checkPushed(const RepositoryRef& repo,
                                          const CompiledTagPolicy& policy,
                                          const std::optional<RunningImage>& running,
                                          const net::CancelFlag* cancel) {
  const auto tags = registry_.listTags(repo, cancel);
  PushedTags known;
  {
    std::lock_guard lock(mutex_);
    known = pushed_[repo.str()];
  }
  const auto now = clock_.now();
  PushedTags current;              // this poll's view: only tags still listed and accepted
  std::set<std::string> verified;  // HEADed during this poll
  auto refresh = [&](const std::string& tag) {
    const std::string digest = registry_.manifestDigest(repo, tag, cancel);
    const auto old = known.find(tag);
    const auto created = old != known.end() && old->second.digest == digest
                             ? old->second.created
                             : imagePushTime(registry_, repo, digest, cancel);
    current[tag] = PushedTag{digest, created, now};
    verified.insert(tag);
  };
  for (const auto& tag : tags) {
    if (!policy.accepts(tag)) continue;
    const auto it = known.find(tag);
    if (it != known.end() && now - it->second.checked < options_.pushed_recheck)
      current[tag] = it->second;
    else
      refresh(tag);
  }

  // The newest remembered tag is what a deploy would use: confirm it still names the content
  // we remember (a re-push changes its digest and time), and rank again if not.
  std::optional<std::string> best;
  for (int round = 0; round < 3; ++round) {
    std::vector<TagCandidate> candidates;
    candidates.reserve(current.size());
    for (const auto& [tag, info] : current)
      candidates.push_back({tag, info.created});
    best = policy.select(candidates);
    if (!best || verified.contains(*best)) break;
    const std::string remembered = current[*best].digest;
    refresh(*best);
    if (current[*best].digest == remembered) break;
  }
  {
    std::lock_guard lock(mutex_);
    pushed_[repo.str()] = current;
  }
  if (!best)
    return Unknown{
        noCandidate(repo, tags.size(), "matches the stage's tag policy with a creation time")};
  if (!verified.contains(*best))
    return Unknown{repo.context() + ": tags kept changing while checking " + *best};
  return finish(repo, running, *best, current[*best].digest, cancel);
}

}  // namespace berth::registry
