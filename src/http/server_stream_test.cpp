// Event streams (Response::stream) over a real socket: headers, events as they are published,
// heartbeats, the end of a stream, a client going away and the server stopping.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "http/server.h"
#include "http/server_test_support.h"
#include "net/curl_http_client.h"

namespace berth::http {
namespace {

using namespace std::chrono_literals;
using testing::RawClient;
using testing::ServerHarness;

// A source the test feeds from its own thread, as the event bus does from deploy workers.
class TestSource : public StreamSource {
 public:
  void publish(std::string data, bool end = false) {
    std::function<void()> wake;
    {
      std::lock_guard lock(mutex_);
      queue_.push_back({std::move(data), end});
      wake = wake_;
    }
    if (wake) wake();
  }
  void open(std::function<void()> wake) override {
    std::lock_guard lock(mutex_);
    wake_ = std::move(wake);
    ++opens_;
    changed_.notify_all();
  }
  Chunk next() override {
    std::lock_guard lock(mutex_);
    Chunk chunk;
    while (!queue_.empty() && !chunk.end) {
      chunk.data += queue_.front().data;
      chunk.end = queue_.front().end;
      queue_.pop_front();
    }
    return chunk;
  }
  void close() override {
    std::lock_guard lock(mutex_);
    ++closes_;
    changed_.notify_all();
  }
  // Bounded waits for what the server does on its own threads.
  bool waitForOpen(std::chrono::milliseconds timeout = 3s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return opens_ > 0; });
  }
  bool waitForClose(std::chrono::milliseconds timeout = 3s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return closes_ > 0; });
  }
  int closes() {
    std::lock_guard lock(mutex_);
    return closes_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::function<void()> wake_;
  std::deque<Chunk> queue_;
  int opens_ = 0;
  int closes_ = 0;
};

struct StreamHarness {
  explicit StreamHarness(ServerOptions options = {})
      : source(std::make_shared<TestSource>()),
        harness(
            [this](Router& router) {
              router.get("/api/events",
                         [this](const Request&) { return Response::events(source); });
            },
            options) {}
  std::shared_ptr<TestSource> source;
  ServerHarness harness;
};

// Waits (bounded) until `condition` holds; for counters the server updates on its threads.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 3s) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

const std::string kSubscribe = "GET /api/events HTTP/1.1\r\nHost: x\r\n\r\n";

TEST(ServerStream, SendsSseHeadersThenEventsAsTheyArePublished) {
  StreamHarness s;
  RawClient client(s.harness.port());
  client.send(kSubscribe);
  ASSERT_TRUE(s.source->waitForOpen());
  const auto& header = client.readUntilContains("\r\n\r\n");
  EXPECT_TRUE(header.starts_with("HTTP/1.1 200")) << header;
  EXPECT_NE(header.find("Content-Type: text/event-stream; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(header.find("Cache-Control: no-cache\r\n"), std::string::npos);
  EXPECT_NE(header.find("X-Accel-Buffering: no\r\n"), std::string::npos);
  EXPECT_EQ(header.find("Content-Length"), std::string::npos);
  EXPECT_EQ(s.harness.server().streams(), 1u);

  s.source->publish("id: 1\ndata: first\n\n");
  EXPECT_NE(client.readUntilContains("data: first\n\n").find("id: 1\n"), std::string::npos);
  s.source->publish("id: 2\ndata: second\n\n");
  EXPECT_NE(client.readUntilContains("data: second\n\n").find("id: 2\n"), std::string::npos);
}

TEST(ServerStream, WritesHeartbeatCommentsWhileIdle) {
  ServerOptions options;
  options.heartbeat = 50ms;
  StreamHarness s(options);
  RawClient client(s.harness.port());
  client.send(kSubscribe);
  const auto& received = client.readUntil([](const std::string& r) {
    auto first = r.find(": heartbeat\n\n");
    return first != std::string::npos && r.find(": heartbeat\n\n", first + 1) != std::string::npos;
  });
  EXPECT_NE(received.find(": heartbeat\n\n"), std::string::npos) << received;
}

TEST(ServerStream, EndOfTheSourceClosesTheConnectionAndTheSourceOnce) {
  StreamHarness s;
  RawClient client(s.harness.port());
  client.send(kSubscribe);
  ASSERT_TRUE(s.source->waitForOpen());
  s.source->publish("event: end\ndata: done\n\n", /*end=*/true);
  EXPECT_TRUE(client.closedWithin(3s));
  EXPECT_NE(client.received().find("data: done\n\n"), std::string::npos);
  ASSERT_TRUE(s.source->waitForClose());
  EXPECT_TRUE(eventually([&] { return s.harness.server().streams() == 0; }));
  EXPECT_EQ(s.source->closes(), 1);
}

TEST(ServerStream, ClientDisconnectClosesTheSourceExactlyOnce) {
  StreamHarness s;  // default heartbeat (15 s): only the disconnect can end this stream
  RawClient client(s.harness.port());
  client.send(kSubscribe);
  ASSERT_TRUE(s.source->waitForOpen());
  client.close();
  ASSERT_TRUE(s.source->waitForClose());
  EXPECT_TRUE(eventually([&] { return s.harness.server().connections() == 0; }));
  s.source->publish("data: after\n\n");  // a wake after close must do nothing
  s.harness.server().stop();
  EXPECT_EQ(s.source->closes(), 1);
  EXPECT_EQ(s.harness.server().streams(), 0u);
}

TEST(ServerStream, StopWithAnOpenStreamReturnsPromptlyAndClosesTheSource) {
  StreamHarness s;
  RawClient client(s.harness.port());
  client.send(kSubscribe);
  ASSERT_TRUE(s.source->waitForOpen());
  auto started = std::chrono::steady_clock::now();
  s.harness.server().stop(5s);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  EXPECT_EQ(s.source->closes(), 1);
  EXPECT_TRUE(client.closedWithin(1s));
}

TEST(ServerStream, AccessLogLineIsWrittenWhenTheStreamEnds) {
  StreamHarness s;
  RawClient client(s.harness.port());
  client.send("GET /api/events?token=s3cret HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(s.source->waitForOpen());
  s.source->publish("data: x\n\n", /*end=*/true);
  EXPECT_TRUE(client.closedWithin(3s));
  auto log = s.harness.stopAndReadLog();
  EXPECT_NE(log.find("\"path\":\"/api/events\""), std::string::npos) << log;
  EXPECT_NE(log.find("\"bytes\":9"), std::string::npos) << log;
  EXPECT_EQ(log.find("s3cret"), std::string::npos) << log;
}

TEST(ServerStream, CurlReadsTheCloseDelimitedStream) {
  StreamHarness s;
  std::thread publisher([&] {
    if (!s.source->waitForOpen()) return;
    s.source->publish("data: one\n\n");
    s.source->publish("data: two\n\n", /*end=*/true);
  });
  net::CurlHttpClient client;
  std::string received;
  auto response = client.stream(
      {.url = s.harness.url("/api/events"), .timeout = 5s},
      [](const net::HttpResponse&) { return true; },
      [&](std::string_view chunk) {
        received += chunk;
        return true;
      });
  publisher.join();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.headers.get("content-type"), "text/event-stream; charset=utf-8");
  EXPECT_EQ(received, "data: one\n\ndata: two\n\n");
}

}  // namespace
}  // namespace berth::http
