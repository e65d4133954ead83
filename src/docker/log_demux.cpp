#include "docker/log_demux.h"

#include <algorithm>
#include <stdexcept>

namespace berth::docker {

void LogDemuxer::feed(std::string_view data, const OnChunk& on_chunk) {
  if (tty_) {
    if (!data.empty()) on_chunk(LogStream::stdout_stream, data);
    return;
  }
  while (!data.empty()) {
    if (!in_payload_) {
      const size_t take = std::min(data.size(), size_t{8} - header_.size());
      header_.append(data.substr(0, take));
      data.remove_prefix(take);
      if (header_.size() < 8) return;
      const auto type = static_cast<unsigned char>(header_[0]);
      if (type > 3 || header_[1] != 0 || header_[2] != 0 || header_[3] != 0)
        throw std::runtime_error("log stream: invalid frame header (is the container a TTY?)");
      stream_ = static_cast<LogStream>(type);
      remaining_ = (std::uint32_t{static_cast<unsigned char>(header_[4])} << 24) |
                   (std::uint32_t{static_cast<unsigned char>(header_[5])} << 16) |
                   (std::uint32_t{static_cast<unsigned char>(header_[6])} << 8) |
                   std::uint32_t{static_cast<unsigned char>(header_[7])};
      if (remaining_ > max_frame_)
        throw std::runtime_error("log stream: frame of " + std::to_string(remaining_) +
                                 " bytes exceeds the limit");
      header_.clear();
      payload_.clear();
      in_payload_ = true;
    }
    const size_t take = std::min<size_t>(data.size(), remaining_);
    if (payload_.empty() && take == remaining_) {
      on_chunk(stream_, data.substr(0, take));  // a whole frame in one read: no copy
    } else {
      payload_.append(data.substr(0, take));
      if (take == remaining_) on_chunk(stream_, payload_);
    }
    remaining_ -= static_cast<std::uint32_t>(take);
    data.remove_prefix(take);
    if (remaining_ == 0) {
      in_payload_ = false;
      payload_.clear();
    }
  }
}

void LogDemuxer::finish() const {
  if (!header_.empty()) throw std::runtime_error("log stream: ended inside a frame header");
  if (in_payload_) throw std::runtime_error("log stream: ended inside a frame");
}

}  // namespace berth::docker
