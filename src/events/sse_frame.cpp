#include "events/sse_frame.h"

#include "events/event_bus.h"

namespace berth::events {

std::string sseFrame(std::optional<std::uint64_t> id, std::string_view type,
                     std::string_view data) {
  std::string out;
  out.reserve(data.size() + type.size() + 40);
  if (id) {
    out += "id: ";
    out += std::to_string(*id);
    out += '\n';
  }
  out += "event: ";
  out += type;
  out += '\n';
  // A raw line break inside data would end the field early; SSE accepts \r\n, \r and \n.
  while (true) {
    const auto cut = data.find_first_of("\r\n");
    out += "data: ";
    out += data.substr(0, cut);
    out += '\n';
    if (cut == std::string_view::npos) break;
    const bool crlf = data[cut] == '\r' && cut + 1 < data.size() && data[cut + 1] == '\n';
    data.remove_prefix(cut + (crlf ? 2 : 1));
  }
  out += '\n';
  return out;
}

std::string formatSse(const Envelope& envelope) {
  return sseFrame(envelope.id, envelope.type, envelope.data);
}

}  // namespace berth::events
