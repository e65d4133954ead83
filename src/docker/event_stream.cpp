#include "docker/event_stream.h"

#include <stdexcept>

#include "docker/docker_error.h"
#include "docker/responses.h"

namespace berth::docker {

bool EventStreamDecoder::feed(std::string_view chunk) {
  if (stopped_) return false;
  try {
    lines_.feed(chunk, [this](std::string_view line) {
      if (stopped_) return;
      if (!on_event_(parseEvent(line))) stopped_ = true;
    });
  } catch (const std::length_error& e) {
    throw DockerError(DockerError::Kind::protocol, "events", "", e.what());
  }
  return !stopped_;
}

}  // namespace berth::docker
