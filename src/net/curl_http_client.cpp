#include "net/curl_http_client.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

namespace berth::net {
namespace {

struct Transfer {
  const HttpRequest* request = nullptr;
  const HttpClient::OnHeaders* on_headers = nullptr;  // null: buffer the body
  const HttpClient::OnData* on_data = nullptr;
  const CancelFlag* cancel = nullptr;
  HttpResponse response;
  bool headers_delivered = false;
  bool stopped_by_caller = false;
  bool too_large = false;
};

// Called once per header line, status line included. A new status line starts a new response
// (after "100 Continue" or an interim answer), so earlier fields are dropped.
size_t onHeaderLine(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
    line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    t->response.headers = Headers();
    const auto space = line.find(' ');
    t->response.status = space == std::string_view::npos
                             ? 0
                             : std::atoi(std::string(line.substr(space + 1, 3)).c_str());
    return size * count;
  }
  const auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t'))
      value.remove_suffix(1);
    t->response.headers.add(std::string(line.substr(0, colon)), std::string(value));
  }
  return size * count;
}

bool deliverHeaders(Transfer& t) {
  if (t.headers_delivered || t.on_headers == nullptr) return true;
  t.headers_delivered = true;
  if (!(*t.on_headers)(t.response)) {
    t.stopped_by_caller = true;
    return false;
  }
  return true;
}

size_t onBody(char* data, size_t size, size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (t->on_data != nullptr) {
    if (!deliverHeaders(*t)) return 0;
    if (!(*t->on_data)(std::string_view(data, n))) {
      t->stopped_by_caller = true;
      return 0;
    }
    return n;
  }
  if (t->response.body.size() + n > t->request->max_body_bytes) {
    t->too_large = true;
    return 0;
  }
  t->response.body.append(data, n);
  return n;
}

// libcurl calls this at least once a second, also while a stream is idle; a non-zero return
// aborts the transfer. That is how a cancel flag set by another thread takes effect.
int onProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return t->cancel != nullptr && t->cancel->load() ? 1 : 0;
}

HttpError::Kind kindOf(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return HttpError::Kind::connect;
    case CURLE_OPERATION_TIMEDOUT:
      return HttpError::Kind::timeout;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return HttpError::Kind::tls;
    default:
      return HttpError::Kind::protocol;
  }
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

HttpResponse perform(Transfer& t) {
  const HttpRequest& r = *t.request;
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) throw HttpError(HttpError::Kind::protocol, "cannot initialise libcurl");
  CURL* c = curl.get();
  char error_buffer[CURL_ERROR_SIZE] = {};

  curl_easy_setopt(c, CURLOPT_URL, r.url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // worker threads: no SIGALRM for DNS timeouts
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!r.unix_socket.empty()) curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, r.unix_socket.c_str());
  if (r.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (r.method != "GET") {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r.method.c_str());
  }
  if (!r.body.empty() || r.method == "POST" || r.method == "PUT") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, r.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(r.body.size()));
    if (r.method == "GET") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "GET");
  }

  curl_slist* raw_headers = nullptr;
  for (const auto& [name, value] : r.headers.fields())
    raw_headers = curl_slist_append(raw_headers, (name + ": " + value).c_str());
  // Without this, libcurl waits up to a second for "100 Continue" before sending a large body.
  raw_headers = curl_slist_append(raw_headers, "Expect:");
  std::unique_ptr<curl_slist, SlistDeleter> header_list(raw_headers);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get());

  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(r.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(r.connect_timeout.count()));
  if (!r.tls.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, r.tls.ca_file.c_str());
  if (!r.tls.cert_file.empty()) curl_easy_setopt(c, CURLOPT_SSLCERT, r.tls.cert_file.c_str());
  if (!r.tls.key_file.empty()) curl_easy_setopt(c, CURLOPT_SSLKEY, r.tls.key_file.c_str());

  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeaderLine);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, onProgress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);

  const CURLcode code = curl_easy_perform(c);
  if (t.stopped_by_caller) return std::move(t.response);
  if (code != CURLE_OK) {
    const std::string via = r.unix_socket.empty() ? "" : " via " + r.unix_socket;
    const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    if (t.cancel != nullptr && t.cancel->load())
      throw HttpError(HttpError::Kind::cancelled, r.method + " " + r.url + ": cancelled");
    if (t.too_large)
      throw HttpError(HttpError::Kind::too_large, r.method + " " + r.url +
                                                      ": response larger than " +
                                                      std::to_string(r.max_body_bytes) + " bytes");
    throw HttpError(kindOf(code), r.method + " " + r.url + via + ": " + detail);
  }
  deliverHeaders(t);  // a stream with an empty body still reports its status
  return std::move(t.response);
}

}  // namespace

CurlHttpClient::CurlHttpClient() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

HttpResponse CurlHttpClient::send(const HttpRequest& request, const CancelFlag* cancel) {
  Transfer t;
  t.request = &request;
  t.cancel = cancel;
  return perform(t);
}

HttpResponse CurlHttpClient::stream(const HttpRequest& request, const OnHeaders& on_headers,
                                    const OnData& on_data, const CancelFlag* cancel) {
  Transfer t;
  t.request = &request;
  t.on_headers = &on_headers;
  t.on_data = &on_data;
  t.cancel = cancel;
  return perform(t);
}

}  // namespace berth::net
