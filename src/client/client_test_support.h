// Canned answers of a berth server for the client's tests, written by net::testing::TestServer:
// JSON answers and Server-Sent Events streams as berth frames them (docs/api.md §4). Test-only.
#pragma once

#include <string>
#include <vector>

#include "net/test_server.h"

namespace berth::client::testing {

inline net::testing::ScriptedReply jsonReply(int status, const std::string& body) {
  return net::testing::ScriptedReply{
      {"HTTP/1.1 " + std::to_string(status) +
       " X\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: " +
       std::to_string(body.size()) + "\r\n\r\n" + body},
      std::chrono::milliseconds(0),
      std::chrono::milliseconds(0)};
}

// A stream of `events` (each a whole frame, "id: 1\nevent: log\ndata: ...\n\n"), closed after
// the last one and `hold_open`.
inline net::testing::ScriptedReply sseReply(
    std::vector<std::string> events,
    std::chrono::milliseconds hold_open = std::chrono::milliseconds(0)) {
  events.insert(events.begin(),
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                "Cache-Control: no-cache\r\nConnection: close\r\n\r\n");
  return net::testing::ScriptedReply{std::move(events), std::chrono::milliseconds(5), hold_open};
}

inline std::string logEvent(int seq, const std::string& message) {
  return "id: " + std::to_string(seq) + "\nevent: log\ndata: {\"seq\":" + std::to_string(seq) +
         ",\"ts\":\"2026-01-01T12:00:0" + std::to_string(seq % 10) +
         ".000Z\",\"level\":\"info\",\"message\":\"" + message + "\"}\n\n";
}

inline std::string endEvent(const std::string& state, const std::string& reason = "") {
  return "event: end\ndata: {\"state\":\"" + state + "\",\"reason\":\"" + reason + "\"}\n\n";
}

// {"id":ID,...} as the API shows a deploy of web/staging.
inline std::string deployJson(int id, const std::string& state, const std::string& reason = "") {
  return R"({"id":)" + std::to_string(id) +
         R"(,"project":"web","stage":"staging","image":{"repository":"127.0.0.1:5000/web","tag":"v1","digest":)" +
         (state == "queued" ? std::string("null")
                            : std::string("\"sha256:0123456789abcdef0123456789abcdef\"")) +
         R"(},"trigger":"manual","state":")" + state + R"(","reason":")" + reason +
         R"(","created_at":"2026-01-01T12:00:00.000Z","started_at":null,"finished_at":null,"previous_deploy_id":null})";
}

inline bool isRequest(const std::string& request, const std::string& method_and_path) {
  return request.starts_with(method_and_path + " ") || request.starts_with(method_and_path + "?");
}

}  // namespace berth::client::testing
