// Container logs as the daemon sends them. Without a TTY, stdout and stderr share one HTTP body,
// multiplexed in frames: an 8-byte header [stream type, 0, 0, 0, size as big-endian uint32]
// followed by `size` bytes of output. With a TTY there are no frames, only raw text. The 20.10
// daemon's response does not say which (newer API versions set a Content-Type), so the caller
// must know whether the container has a TTY (ContainerInfo::tty).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "docker/docker_types.h"

namespace berth::docker {

class LogDemuxer {
 public:
  using OnChunk = std::function<void(LogStream stream, std::string_view text)>;

  // `tty`: raw text, everything reported as stdout. A frame larger than max_frame_bytes, or an
  // unknown stream type, makes feed() throw std::runtime_error: the body is not what we
  // expected (most likely a TTY container read as multiplexed).
  explicit LogDemuxer(bool tty, size_t max_frame_bytes = 16 << 20)
      : tty_(tty), max_frame_(max_frame_bytes) {}

  // Calls on_chunk once per complete frame (or per chunk of raw TTY text). Frames and headers
  // may be split across calls in any way.
  void feed(std::string_view data, const OnChunk& on_chunk);
  // Throws std::runtime_error if the body ended inside a frame header or payload.
  void finish() const;

 private:
  bool tty_;
  size_t max_frame_;
  std::string header_{};  // up to 8 bytes of a header being assembled
  std::string payload_{};
  std::uint32_t remaining_ = 0;  // payload bytes still to come for the current frame
  LogStream stream_ = LogStream::stdout_stream;
  bool in_payload_ = false;
};

}  // namespace berth::docker
