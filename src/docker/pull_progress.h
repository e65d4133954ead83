// Image pull progress. POST /images/create answers 200 at once and then streams one JSON
// message per line: per-layer status with byte counts, a digest, a final status, or an error.
// An error can arrive after the 200 (registry refused, layer unavailable), so a pull succeeded
// only if its stream ends without one. PullStreamDecoder turns the stream into PullProgress
// updates and throws for such an error.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "docker/json_lines.h"

namespace berth::docker {

// One line of the pull stream.
struct PullMessage {
  std::string id{};          // layer id (12 hex) for layer messages; the tag for "Pulling from"
  std::string status{};      // "Downloading", "Pull complete", "Digest: sha256:...", ...
  std::int64_t current = 0;  // progressDetail: bytes done / total of this step
  std::int64_t total = 0;
  std::string error{};  // non-empty: the pull failed with this daemon message
};

struct PullLayer {
  std::string id{};
  std::string status{};   // the last status seen for the layer
  std::int64_t size = 0;  // compressed size, once the daemon reports it (0 = unknown yet)
  std::int64_t downloaded = 0;
  bool already_present = false;  // "Already exists": nothing to download
  bool done = false;             // "Pull complete" or "Already exists"
};

// What a progress bar needs, kept up to date message by message.
class PullProgress {
 public:
  void apply(const PullMessage& message);

  // Layers in the order the daemon first mentioned them.
  const std::vector<PullLayer>& layers() const { return layers_; }
  // "sha256:..." from the "Digest: " message (empty until then).
  const std::string& digest() const { return digest_; }
  // True after "Status: Downloaded newer image for ...", false for "Image is up to date".
  bool downloadedNewer() const { return downloaded_newer_; }
  // The last status that was not about a layer ("Status: Image is up to date for ...").
  const std::string& lastStatus() const { return last_status_; }
  // True once the daemon's final "Status: ..." message arrived. A stream that ends without it
  // was cut off (the daemon died or the connection dropped), not a successful pull.
  bool finished() const { return finished_; }

  // Bytes downloaded so far and the sum of the known layer sizes (layers already present and
  // layers whose size is not yet known count 0 in both).
  std::int64_t bytesDownloaded() const;
  std::int64_t bytesTotal() const;
  // "3 layers, 41.2 MB" or "2 layers (1 already present), 3.1 MB".
  std::string summary() const;

 private:
  PullLayer& layer(const std::string& id);
  std::vector<PullLayer> layers_{};
  std::string digest_{};
  std::string last_status_{};
  bool downloaded_newer_ = false;
  bool finished_ = false;
};

// "41.2 MB", "36.4 kB", "512 B": decimal units, as Docker prints them.
std::string formatBytes(std::int64_t bytes);

// Called after each message with the message and the progress including it.
using PullCallback = std::function<void(const PullMessage&, const PullProgress&)>;

// Feeds a pull stream into a PullProgress. feed() and finish() throw DockerError: the daemon's
// mid-stream error (kind from kindForStreamError), or protocol for a line that is not JSON.
class PullStreamDecoder {
 public:
  // `image` names the pull in error messages ("docker: pull 127.0.0.1:5000/app:v1: ...").
  PullStreamDecoder(std::string image, PullCallback on_progress);
  void feed(std::string_view chunk);
  void finish();
  const PullProgress& progress() const { return progress_; }

 private:
  void onLine(std::string_view line);
  std::string image_;
  PullCallback on_progress_;
  LineSplitter lines_{};
  PullProgress progress_{};
};

}  // namespace berth::docker
