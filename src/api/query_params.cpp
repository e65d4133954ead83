#include "api/query_params.h"

#include <charconv>
#include <string_view>

#include "api/api_error.h"
#include "core/deploy_state.h"

namespace berth::api {
namespace {

// The whole text as an integer of type T, or nullopt ("12x", "", " 1" and overflow are not).
template <class T>
std::optional<T> wholeNumber(std::string_view text) {
  T value{};
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end || text.empty()) return std::nullopt;
  return value;
}

std::string inQuotes(std::string_view text) {
  // Bounded: the value is echoed back, and a long one helps nobody.
  constexpr std::size_t kMax = 64;
  if (text.size() > kMax) return "'" + std::string(text.substr(0, kMax)) + "...'";
  return "'" + std::string(text) + "'";
}

std::optional<std::string> nonEmptyQuery(const http::Request& request, std::string_view name) {
  auto value = request.queryParam(name);
  if (!value || value->empty()) return std::nullopt;
  return std::string(*value);
}

std::int64_t positiveId(std::string_view text, std::string_view what) {
  auto id = wholeNumber<std::int64_t>(text);
  if (!id || *id <= 0)
    throw badRequest(std::string(what) + " must be a positive integer, got " + inQuotes(text));
  return *id;
}

std::int64_t nonNegativeSeq(std::string_view text, std::string_view what) {
  auto seq = wholeNumber<std::int64_t>(text);
  if (!seq || *seq < 0)
    throw badRequest(std::string(what) + " must be a non-negative integer, got " + inQuotes(text));
  return *seq;
}

}  // namespace

std::int64_t idParam(const http::Request& request, const std::string& what) {
  return positiveId(request.param("id"), what);
}

Scope scopeQuery(const http::Request& request) {
  return Scope{.project = nonEmptyQuery(request, "project"),
               .stage = nonEmptyQuery(request, "stage")};
}

DeployQuery deployListQuery(const http::Request& request) {
  const Scope scope = scopeQuery(request);
  DeployQuery query{.project = scope.project,
                    .stage = scope.stage,
                    .state = std::nullopt,
                    .before_id = std::nullopt,
                    .limit = kDefaultDeployLimit};
  if (auto status = nonEmptyQuery(request, "status")) {
    query.state = parseDeployState(*status);
    if (!query.state)
      throw badRequest("query parameter status: unknown deploy state " + inQuotes(*status) +
                       "; expected one of queued, pulling, starting, checking, switching, "
                       "draining, succeeded, failed, rolled_back, interrupted, cancelled");
  }
  if (auto limit = nonEmptyQuery(request, "limit")) {
    auto n = wholeNumber<int>(*limit);
    if (!n || *n < 1 || *n > kMaxDeployLimit)
      throw badRequest("query parameter limit must be an integer from 1 to " +
                       std::to_string(kMaxDeployLimit) + ", got " + inQuotes(*limit));
    query.limit = *n;
  }
  if (auto before = nonEmptyQuery(request, "before"))
    query.before_id = positiveId(*before, "query parameter before");
  return query;
}

std::int64_t logResumePoint(const http::Request& request) {
  if (auto header = request.header("Last-Event-ID"))
    return nonNegativeSeq(*header, "Last-Event-ID header");
  if (auto after = nonEmptyQuery(request, "after"))
    return nonNegativeSeq(*after, "query parameter after");
  return 0;
}

std::optional<std::uint64_t> lastEventId(const http::Request& request) {
  // The header is what a browser's EventSource sends when it reconnects by itself; the query
  // parameter is for a client that opens a new EventSource (which cannot set headers).
  if (auto header = request.header("Last-Event-ID")) {
    auto id = wholeNumber<std::uint64_t>(*header);
    if (!id)
      throw badRequest("Last-Event-ID header must be a non-negative integer, got " +
                       inQuotes(*header));
    return id;
  }
  auto query = nonEmptyQuery(request, "last_event_id");
  if (!query) return std::nullopt;
  auto id = wholeNumber<std::uint64_t>(*query);
  if (!id)
    throw badRequest("query parameter last_event_id must be a non-negative integer, got " +
                     inQuotes(*query));
  return id;
}

bool acceptsEventStream(const http::Request& request) {
  auto accept = request.header("Accept");
  return accept && accept->find("text/event-stream") != std::string_view::npos;
}

}  // namespace berth::api
