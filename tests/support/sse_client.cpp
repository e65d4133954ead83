#include "support/sse_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace berth::testing {

SseClient::SseClient(std::string url, std::optional<std::string> last_event_id,
                     std::vector<std::string> headers)
    : url_(std::move(url)), last_event_id_(std::move(last_event_id)), headers_(std::move(headers)) {
  thread_ = std::thread([this] { run(); });
}

SseClient::~SseClient() {
  close();
}

void SseClient::close() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void SseClient::run() {
  CURL* curl = curl_easy_init();
  curl_slist* headers = curl_slist_append(nullptr, "Accept: text/event-stream");
  if (last_event_id_)
    headers = curl_slist_append(headers, ("Last-Event-ID: " + *last_event_id_).c_str());
  for (const auto& header : headers_)
    headers = curl_slist_append(headers, header.c_str());
  curl_easy_setopt(curl, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &SseClient::onData);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &SseClient::onHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, this);
  curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &SseClient::onProgress);
  curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 600L);  // bounded even if nobody closes it
  curl_easy_perform(curl);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  std::lock_guard lock(mutex_);
  ended_ = true;
  changed_.notify_all();
}

std::size_t SseClient::onData(char* p, std::size_t size, std::size_t n, void* self) {
  static_cast<SseClient*>(self)->feed(p, size * n);
  return size * n;
}

std::size_t SseClient::onHeader(char* p, std::size_t size, std::size_t n, void* self) {
  auto* client = static_cast<SseClient*>(self);
  std::string line(p, size * n);
  std::lock_guard lock(client->mutex_);
  if (line.rfind("HTTP/", 0) == 0 && line.size() > 12)
    client->status_ = std::stol(line.substr(9, 3));
  std::string lower = line;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.rfind("content-type:", 0) == 0) {
    client->content_type_ = line.substr(13);
    auto& ct = client->content_type_;
    ct.erase(0, ct.find_first_not_of(' '));
    ct.erase(ct.find_last_not_of("\r\n ") + 1);
  }
  return size * n;
}

int SseClient::onProgress(void* self, long long, long long, long long, long long) {
  return static_cast<SseClient*>(self)->stop_ ? 1 : 0;
}

// The text/event-stream grammar, enough for tests: lines end with \n (a \r before it is
// dropped); "field: value"; a line starting with ':' is a comment; an empty line dispatches.
void SseClient::feed(const char* data, std::size_t size) {
  std::lock_guard lock(mutex_);
  buffer_.append(data, size);
  std::size_t start = 0;
  for (std::size_t nl; (nl = buffer_.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string line = buffer_.substr(start, nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (!pending_.data.empty() || !pending_.type.empty() || !pending_.id.empty()) {
        if (pending_.type.empty()) pending_.type = "message";
        if (!pending_.data.empty() && pending_.data.back() == '\n') pending_.data.pop_back();
        events_.push_back(pending_);
      }
      pending_ = SseEvent{};
      continue;
    }
    if (line.front() == ':') {
      ++heartbeats_;
      continue;
    }
    const auto colon = line.find(':');
    std::string field = line.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.erase(0, 1);
    if (field == "id") pending_.id = value;
    if (field == "event") pending_.type = value;
    if (field == "data") pending_.data += value + "\n";
  }
  buffer_.erase(0, start);
  changed_.notify_all();
}

std::vector<SseEvent> SseClient::events() const {
  std::lock_guard lock(mutex_);
  return events_;
}

bool SseClient::waitFor(const std::function<bool(const SseEvent&)>& pred,
                        std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return std::any_of(events_.begin(), events_.end(), pred) || ended_;
  }) && std::any_of(events_.begin(), events_.end(), pred);
}

bool SseClient::waitConnected(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline && !ended_) {
    if (status() == 200 && contentType().rfind("text/event-stream", 0) == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

long SseClient::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

std::string SseClient::contentType() const {
  std::lock_guard lock(mutex_);
  return content_type_;
}

}  // namespace berth::testing
