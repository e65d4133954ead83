// GET /events: the daemon keeps the connection open and writes one JSON object per event, one
// per line, whenever something happens (possibly hours apart). EventStreamDecoder turns the
// chunks (cut anywhere) into DockerEvent values.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "docker/docker_types.h"
#include "docker/json_lines.h"

namespace berth::docker {

// Return false to stop reading the stream.
using EventCallback = std::function<bool(const DockerEvent&)>;

class EventStreamDecoder {
 public:
  explicit EventStreamDecoder(EventCallback on_event) : on_event_(std::move(on_event)) {}
  // Delivers every event completed by `chunk`. Returns false once the callback asked to stop
  // (later events in the same chunk are not delivered). Throws DockerError(protocol) for a line
  // that is not an event.
  bool feed(std::string_view chunk);
  bool stopped() const { return stopped_; }

 private:
  EventCallback on_event_;
  LineSplitter lines_{};
  bool stopped_ = false;
};

}  // namespace berth::docker
