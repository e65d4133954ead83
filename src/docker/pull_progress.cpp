#include "docker/pull_progress.h"

#include <cstdio>
#include <stdexcept>

#include "docker/docker_error.h"
#include "docker/responses.h"

namespace berth::docker {
namespace {

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.starts_with(prefix);
}

// Messages that carry an id but are not about a layer: "Pulling from acme/web" (id = the tag)
// and, for a manifest list, "Pulling from ..." again per platform.
bool isLayerMessage(const PullMessage& m) {
  return !m.id.empty() && !startsWith(m.status, "Pulling from");
}

}  // namespace

PullLayer& PullProgress::layer(const std::string& id) {
  for (auto& l : layers_)
    if (l.id == id) return l;
  layers_.push_back(PullLayer{.id = id});
  return layers_.back();
}

void PullProgress::apply(const PullMessage& m) {
  if (!isLayerMessage(m)) {
    last_status_ = m.status;
    if (startsWith(m.status, "Digest: ")) digest_ = m.status.substr(8);
    if (startsWith(m.status, "Status: ")) finished_ = true;
    if (startsWith(m.status, "Status: Downloaded newer image")) downloaded_newer_ = true;
    return;
  }
  PullLayer& l = layer(m.id);
  l.status = m.status;
  if (m.status == "Already exists") {
    l.already_present = true;
    l.done = true;
  } else if (m.status == "Downloading") {
    if (m.total > 0) l.size = m.total;
    l.downloaded = m.current;
  } else if (m.status == "Verifying Checksum" || m.status == "Download complete") {
    l.downloaded = l.size;
  } else if (m.status == "Extracting") {
    // Extraction counts the same compressed bytes again; the download is complete by now.
    if (m.total > 0) l.size = m.total;
    l.downloaded = l.size;
  } else if (m.status == "Pull complete") {
    l.downloaded = l.size;
    l.done = true;
  }
}

std::int64_t PullProgress::bytesDownloaded() const {
  std::int64_t sum = 0;
  for (const auto& l : layers_)
    sum += l.downloaded;
  return sum;
}

std::int64_t PullProgress::bytesTotal() const {
  std::int64_t sum = 0;
  for (const auto& l : layers_)
    sum += l.size;
  return sum;
}

std::string PullProgress::summary() const {
  size_t present = 0;
  for (const auto& l : layers_)
    present += l.already_present ? 1 : 0;
  std::string text = std::to_string(layers_.size()) + (layers_.size() == 1 ? " layer" : " layers");
  if (present > 0) text += " (" + std::to_string(present) + " already present)";
  return text + ", " + formatBytes(bytesDownloaded());
}

std::string formatBytes(std::int64_t bytes) {
  if (bytes < 1000) return std::to_string(bytes) + " B";
  const char* units[] = {"kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = -1;
  while (value >= 1000 && unit < 3) {
    value /= 1000;
    ++unit;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f %s", value, units[unit]);
  return buffer;
}

PullStreamDecoder::PullStreamDecoder(std::string image, PullCallback on_progress)
    : image_(std::move(image)), on_progress_(std::move(on_progress)) {}

void PullStreamDecoder::onLine(std::string_view line) {
  PullMessage message = parsePullMessage(line, image_);
  if (!message.error.empty()) {
    throw DockerError(kindForStreamError(message.error), "pull", image_, message.error, 200);
  }
  progress_.apply(message);
  if (on_progress_) on_progress_(message, progress_);
}

void PullStreamDecoder::feed(std::string_view chunk) {
  try {
    lines_.feed(chunk, [this](std::string_view line) { onLine(line); });
  } catch (const std::length_error& e) {
    throw DockerError(DockerError::Kind::protocol, "pull", image_, e.what());
  }
}

void PullStreamDecoder::finish() {
  lines_.finish([this](std::string_view line) { onLine(line); });
}

}  // namespace berth::docker
