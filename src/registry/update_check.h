// Should a stage move to another image? Given the stage's tag policy and what it runs now,
// ask the registry as little as possible and answer one of:
//   NewerTag{tag, digest}       the policy prefers another tag (or nothing runs yet)
//   SameTagNewDigest{digest}    the running tag now names other content (`watch: latest`, or a
//                               re-pushed release tag)
//   UpToDate                    nothing to do
//   Unknown{reason}             the registry did not answer completely (429, 5xx, network,
//                               auth, malformed data): never a decision on partial data
//
// "The same content" compares digests as Docker records them: a multi-arch tag is its index
// digest, and a running digest that is one of the index's per-platform children is the same
// content too, so a multi-arch image never looks like an endless stream of updates.
//
// Cost of a poll of an unchanged repository (bench/registry_poll_bench.cpp measures it):
//   watch                          1 HEAD, no tag listing
//   semver/numeric/alphabetical    tag list (1 request per 1000 tags) + 1 HEAD of the best tag
//   pushed                         tag list + 1 HEAD of the best tag; each matching tag's
//                                  digest and creation time are remembered and re-checked
//                                  (HEAD; manifest and config only for a new digest) every
//                                  `pushed_recheck`, so a re-pushed older tag is noticed within
//                                  that time without a HEAD per tag on every poll.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>

#include "core/clock.h"
#include "core/tag_policy.h"
#include "registry/registry.h"

namespace berth::registry {

// What a stage runs: the tag it was deployed as and the digest Docker recorded for it.
struct RunningImage {
  std::string tag{};
  std::string digest{};  // empty when unknown: then no digest is "the same content"
};

struct NewerTag {
  std::string tag{};
  std::string digest{};
  bool operator==(const NewerTag&) const = default;
};
struct SameTagNewDigest {
  std::string digest{};
  bool operator==(const SameTagNewDigest&) const = default;
};
struct UpToDate {
  bool operator==(const UpToDate&) const = default;
};
struct Unknown {
  std::string reason{};
  bool operator==(const Unknown&) const = default;
};
using UpdateDecision = std::variant<UpToDate, NewerTag, SameTagNewDigest, Unknown>;

// One line for logs and the dashboard: "newer tag v1.3.0 (sha256:...)", "up to date", ...
std::string describe(const UpdateDecision& decision);

// Pure: whether `running` is the content `digest` names; `manifest` is that digest's manifest
// when known (an index's children count as the same content), else nullptr.
bool runsContent(const RunningImage& running, std::string_view digest, const Manifest* manifest);

// Pure: the decision once the policy's best tag and its digest are known.
//  - nothing running: NewerTag{best}
//  - running that content already: UpToDate
//  - running the best tag, but other content: SameTagNewDigest
//  - running another tag: NewerTag{best}
UpdateDecision decide(const std::optional<RunningImage>& running, std::string_view best_tag,
                      std::string_view best_digest, bool running_is_best_content);

// The creation time of the image `digest` names, from its config blob. For an index: of its
// preferredChild() (linux/amd64, else the first non-attestation child). nullopt when the
// config has no "created" or the index no runnable child. Throws RegistryError.
std::optional<std::chrono::system_clock::time_point> imagePushTime(
    Registry& registry, const RepositoryRef& repo, std::string_view digest,
    const net::CancelFlag* cancel = nullptr);

// Runs update checks against a Registry. Stateful only for `order: pushed` (remembered tag
// digests and times, see above). check() is thread-safe.
class UpdateChecker {
 public:
  struct Options {
    Duration pushed_recheck = std::chrono::minutes(15);
  };

  // `registry` and `clock` must outlive the checker.
  UpdateChecker(Registry& registry, Clock& clock) : UpdateChecker(registry, clock, Options{}) {}
  UpdateChecker(Registry& registry, Clock& clock, Options options)
      : registry_(registry), clock_(clock), options_(options) {}

  // Decides for the stage whose images live in `repo`, ranked by `policy`, now running
  // `running` (nullopt: nothing deployed yet). Never throws RegistryError: any registry
  // failure during the check is Unknown with the error's message.
  //  - watch: HEAD the watched tag.
  //  - semver/numeric/alphabetical: list, select the best; if the running tag ranks above it
  //    (the running tag was deleted from the registry) UpToDate — berth does not downgrade;
  //    else HEAD the best. No acceptable tag: Unknown.
  //  - pushed: list, creation times of the matching tags (remembered, see above), select the
  //    newest. No matching tag with a creation time: Unknown.
  UpdateDecision check(const RepositoryRef& repo, const CompiledTagPolicy& policy,
                       const std::optional<RunningImage>& running,
                       const net::CancelFlag* cancel = nullptr);

 private:
  struct PushedTag {
    std::string digest;
    std::optional<std::chrono::system_clock::time_point> created;
    std::chrono::steady_clock::time_point checked;
  };
  using PushedTags = std::map<std::string, PushedTag, std::less<>>;

  UpdateDecision checkWatch(const RepositoryRef& repo, const std::string& tag,
                            const std::optional<RunningImage>& running,
                            const net::CancelFlag* cancel);
  UpdateDecision checkRanked(const RepositoryRef& repo, const CompiledTagPolicy& policy,
                             const std::optional<RunningImage>& running,
                             const net::CancelFlag* cancel);
  UpdateDecision checkPushed(const RepositoryRef& repo, const CompiledTagPolicy& policy,
                             const std::optional<RunningImage>& running,
                             const net::CancelFlag* cancel);
  // decide(), fetching the best digest's manifest only when it could hold the running digest.
  UpdateDecision finish(const RepositoryRef& repo, const std::optional<RunningImage>& running,
                        const std::string& best_tag, const std::string& best_digest,
                        const net::CancelFlag* cancel);

  Registry& registry_;
  Clock& clock_;
  Options options_;
  std::mutex mutex_;                            // guards pushed_
  std::map<std::string, PushedTags> pushed_{};  // by repository ("ghcr.io/acme/web")
};

}  // namespace berth::registry
