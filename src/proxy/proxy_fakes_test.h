// Test-only fakes for the proxy unit tests: a command runner and an HTTP client whose answers
// are functions, recording what they were asked.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "net/http.h"
#include "proxy/command_runner.h"

namespace berth::proxy::testing {

class FakeCommandRunner : public CommandRunner {
 public:
  using Script = std::function<CommandOutcome(const std::vector<std::string>& argv)>;
  explicit FakeCommandRunner(Script script = {}) : script_(std::move(script)) {}
  void setScript(Script script) { script_ = std::move(script); }
  CommandOutcome run(const std::vector<std::string>& argv, std::chrono::milliseconds) override {
    std::lock_guard lock(mutex_);
    calls_.push_back(argv);
    if (script_) return script_(argv);
    CommandOutcome ok;
    ok.exit_code = 0;
    return ok;
  }
  std::vector<std::vector<std::string>> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  Script script_;
  mutable std::mutex mutex_;
  std::vector<std::vector<std::string>> calls_;
};

inline CommandOutcome exited(int code, std::string output = "") {
  CommandOutcome o;
  o.exit_code = code;
  o.output = std::move(output);
  return o;
}

class FakeHttp : public net::HttpClient {
 public:
  using Handler = std::function<net::HttpResponse(const net::HttpRequest&)>;
  explicit FakeHttp(Handler handler = {}) : handler_(std::move(handler)) {}
  void setHandler(Handler handler) { handler_ = std::move(handler); }
  net::HttpResponse send(const net::HttpRequest& request, const net::CancelFlag*) override {
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    if (!handler_) throw net::HttpError(net::HttpError::Kind::connect, "refused");
    return handler_(request);
  }
  net::HttpResponse stream(const net::HttpRequest&, const OnHeaders&, const OnData&,
                           const net::CancelFlag*) override {
    throw net::HttpError(net::HttpError::Kind::protocol, "not scripted");
  }
  std::vector<net::HttpRequest> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  Handler handler_;
  mutable std::mutex mutex_;
  std::vector<net::HttpRequest> requests_;
};

inline net::HttpResponse answer(int status, std::string body = "") {
  net::HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace berth::proxy::testing
