// `berth serve` end to end, as an operator runs it: the real binary, a berth.yaml pointing at
// the sandbox dockerd, registry and nginx, and nothing but HTTP to talk to it.
//
//  - the poller finds a tag pushed to the registry and deploys it to staging;
//  - a webhook for another tag deploys it at once;
//  - a promote deploys staging's digest to production through blue-green while a client asks
//    nginx the whole time: not one request fails;
//  - an SSE client connected all along sees every status change in order, and one that
//    disconnects and resumes with Last-Event-ID misses nothing and sees nothing twice;
//  - SIGTERM with two deploys in flight lets both finish, then exits 0.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "core/deploy_state.h"
#include "proxy/nginx_config.h"
#include "support/berth_process.h"
#include "support/sandbox_env.h"
#include "support/sandbox_tools.h"
#include "support/sse_client.h"

namespace berth::testing {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kSecret = "e2e-webhook-secret";
constexpr const char* kAdminPassword = "e2e admin password";

class ServerEndToEnd : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (!haveSandbox()) return;
    project_ = "srv" + std::to_string(::getpid()) + "x" + std::to_string(counter_++);
    repository_ = "berth-e2e/" + project_;
    network_ = project_ + "-net";
    dir_ = fs::temp_directory_path() / uniqueName("berth-server-it");
    fs::create_directories(dir_);
  }

  void TearDown() override {
    if (!haveSandbox()) return;
    if (berth_) berth_->stop(SIGTERM, 60s);
    if (HasFailure() && berth_) std::cerr << "---- berth log ----\n" << berth_->log() << "\n";
    berth_.reset();
    removeProjectContainers(sandbox(), project_);
    bool removed = false;
    for (const char* stage : {"staging", "production", "other"})
      removed |=
          fs::remove(fs::path(sandbox().nginx_conf_dir) / proxy::nginxFileName(project_, stage));
    if (removed) {
      reloadNginx(sandbox());
    }
    docker(sandbox(), {"network", "rm", network_});
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // A berth.yaml for this test's project: staging follows v<N> tags (semver) and is deployed
  // by the poller and webhooks; production is promoted from staging, blue-green.
  fs::path writeConfig(const std::string& extra_stage = "") {
    const fs::path file = dir_ / "berth.yaml";
    std::ofstream out(file);
    out << "server: { data_dir: " << (dir_ / "data").string() << " }\n"
        << "docker: { host: \"" << sandbox().docker_host << "\", network: " << network_ << " }\n"
        << "proxy:\n  driver: nginx\n  reach: host\n"
        << "  conf_dir: " << sandbox().nginx_conf_dir << "\n"
        << "  listen: \"" << sandbox().nginx << "\"\n"
        << "  test_cmd: \"" << sandbox().nginx_test_cmd << "\"\n"
        << "  reload_cmd: \"" << sandbox().nginx_reload_cmd << "\"\n"
        << "projects:\n"
        << "  - name: " << project_ << "\n"
        << "    image: " << sandbox().registry << "/" << repository_ << "\n"
        << "    port: " << sandbox().image_port << "\n"
        << "    health: { path: /healthz, interval: 200ms, timeout: 30s }\n"
        // Long: after the first round (at start-up) the test asks for checks itself, so no
        // background round races the webhook below.
        << "    poll: { interval: 1h }\n"
        << "    webhook_secret_env: E2E_WEBHOOK_SECRET\n"
        << "    stages:\n"
        << "      - { name: staging, tags: { match: '^v[0-9]+$', order: semver }, "
           "auto_deploy: true, domains: ["
        << domain("staging") << "] }\n"
        << "      - { name: production, promote_from: staging, strategy: blue-green, "
           "drain: 1s, domains: ["
        << domain("production") << "] }\n"
        << extra_stage;
    return file;
  }

  void startBerth(const fs::path& config) {
    berth_ = std::make_unique<BerthProcess>(
        BERTH_BINARY, config, dir_ / "berth.log",
        std::vector<std::string>{"--shutdown-timeout", "90s"},
        std::map<std::string, std::string>{{"E2E_WEBHOOK_SECRET", kSecret},
                                           {"ADMIN_PASSWORD", kAdminPassword}});
    auto url = berth_->waitStarted(30s);
    ASSERT_TRUE(url) << "berth did not start:\n" << berth_->log();
    api_ = *url;
    if (token_.empty()) token_ = createToken();
  }

  // As a CI pipeline would: log in as the first admin (ADMIN_PASSWORD) and create an API token,
  // which every later call sends. It survives berth's restarts.
  std::string createToken() {
    auto login = httpRequest(
        HttpRequest(api_ + "/api/auth/login")
            .withMethod("POST")
            .withBody(json{{"username", "admin"}, {"password", kAdminPassword}}.dump()));
    EXPECT_EQ(login.status, 200) << login.body;
    const json session = json::parse(login.body, nullptr, false);
    const std::string set_cookie = login.header("set-cookie");
    auto created =
        httpRequest(HttpRequest(api_ + "/api/tokens")
                        .withMethod("POST")
                        .withHeader("Cookie: " + set_cookie.substr(0, set_cookie.find(';')))
                        .withHeader("X-CSRF-Token: " + session.value("csrf_token", ""))
                        .withBody(R"({"name":"e2e"})"));
    EXPECT_EQ(created.status, 201) << created.body;
    return json::parse(created.body, nullptr, false).value("secret", "");
  }
  std::string bearer() const { return "Authorization: Bearer " + token_; }
  std::unique_ptr<SseClient> subscribe(std::optional<std::string> last_event_id = std::nullopt) {
    return std::make_unique<SseClient>(api_ + "/api/events?project=" + project_,
                                       std::move(last_event_id),
                                       std::vector<std::string>{bearer()});
  }

  std::string domain(const std::string& stage) const { return stage + "." + project_ + ".test"; }

  // Pushes test image `from` as <registry>/<repository_>:<tag>.
  void push(const std::string& from, const std::string& tag) {
    const std::string target = sandbox().registry + "/" + repository_ + ":" + tag;
    auto r = docker(sandbox(), {"tag", sandbox().imageRef(sandbox().registry, from), target});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
    r = docker(sandbox(), {"push", target});
    ASSERT_EQ(r.exit_code, 0) << r.describe();
  }

  HttpResponse call(const std::string& method, const std::string& path,
                    const std::string& body = "", std::vector<std::string> headers = {}) {
    HttpRequest request(api_ + path);
    request.withMethod(method).withTimeout(30s).withHeader(bearer());
    for (auto& h : headers)
      request.withHeader(std::move(h));
    request.withBody(body);
    return httpRequest(request);
  }
  json getJson(const std::string& path) {
    const auto r = call("GET", path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body << r.error;
    return json::parse(r.body, nullptr, false);
  }

  // Waits until deploy `id` is final; returns its JSON.
  json waitFinal(std::int64_t id, std::chrono::seconds timeout = 120s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    json d;
    while (std::chrono::steady_clock::now() < deadline) {
      d = getJson("/api/deploys/" + std::to_string(id))["deploy"];
      const auto state = parseDeployState(d.value("state", ""));
      if (state && isFinal(*state)) return d;
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "deploy " << id << " not final after " << timeout.count() << " s: " << d;
    return d;
  }
  // The newest deploy of `stage` once there is one newer than `after_id`.
  json waitNewDeploy(const std::string& stage, std::int64_t after_id,
                     std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      const json list =
          getJson("/api/deploys?project=" + project_ + "&stage=" + stage + "&limit=1");
      if (list.contains("deploys") && !list["deploys"].empty() &&
          list["deploys"][0]["id"].get<std::int64_t>() > after_id)
        return list["deploys"][0];
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "no new deploy of " << stage << " after " << after_id;
    return json::object();
  }

  HttpResponse throughNginx(const std::string& stage) const {
    return httpRequest(
        HttpRequest("http://" + sandbox().nginx + "/").withHeader("Host: " + domain(stage)));
  }

  static inline int counter_ = 0;
  std::string project_, repository_, network_, api_, token_;
  fs::path dir_;
  std::unique_ptr<BerthProcess> berth_;
};

// Status changes per deploy, in the order a client saw them.
std::map<std::int64_t, std::vector<std::string>> statusChanges(
    const std::vector<SseEvent>& events) {
  std::map<std::int64_t, std::vector<std::string>> out;
  for (const auto& e : events) {
    if (e.type != "deploy.status") continue;
    const json data = json::parse(e.data);
    out[data["deploy_id"].get<std::int64_t>()].push_back(data["state"].get<std::string>());
  }
  return out;
}

TEST_F(ServerEndToEnd, PollerWebhookPromoteAndEventStreams) {
  push("v1", "v1");
  startBerth(writeConfig());
  auto all_along = subscribe();
  ASSERT_TRUE(all_along->waitConnected(5s));

  // The first poll round runs at start-up: v1 goes to staging.
  json v1 = waitNewDeploy("staging", 0, 60s);
  v1 = waitFinal(v1["id"].get<std::int64_t>());
  ASSERT_EQ(v1["state"], "succeeded") << v1;
  EXPECT_EQ(v1["trigger"], "poller");
  EXPECT_EQ(throughNginx("staging").body, "v1");
  // A client that will drop out and come back.
  auto resuming = subscribe();
  ASSERT_TRUE(resuming->waitConnected(5s));

  // A new tag in the registry: a poll (the API's "check now") finds it and deploys it.
  push("v2", "v2");
  const auto poll = call("POST", "/api/projects/" + project_ + "/poll");
  ASSERT_EQ(poll.status, 200) << poll.body;
  json v2 = waitFinal(waitNewDeploy("staging", v1["id"], 30s)["id"].get<std::int64_t>());
  ASSERT_EQ(v2["state"], "succeeded") << v2;
  EXPECT_EQ(v2["trigger"], "poller");
  EXPECT_EQ(v2["image"]["tag"], "v2");
  EXPECT_EQ(throughNginx("staging").body, "v2");
  // The pull's progress (the dashboard's bar) reaches subscribers: full before "starting".
  // (v2, not v1: the start-up poll may deploy v1 before this subscriber is connected.)
  ASSERT_TRUE(all_along->waitFor(
      [&](const SseEvent& e) {
        return e.type == "deploy.status" && e.data.find("\"succeeded\"") != std::string::npos &&
               e.data.find("\"deploy_id\":" + std::to_string(v2["id"].get<std::int64_t>())) !=
                   std::string::npos;
      },
      10s));
  std::vector<std::string> v2_events;
  for (const auto& e : all_along->events()) {
    if (e.type != "deploy.status" && e.type != "deploy.progress") continue;
    const json data = json::parse(e.data);
    if (data["deploy_id"] != v2["id"]) continue;
    v2_events.push_back(e.type == "deploy.status"  ? data["state"].get<std::string>()
                        : data["done"].get<bool>() ? "pulled"
                                                   : "progress");
  }
  const auto at = [&](const std::string& what) {
    return std::find(v2_events.begin(), v2_events.end(), what) - v2_events.begin();
  };
  EXPECT_LT(at("pulling"), at("pulled")) << ::testing::PrintToString(v2_events);
  EXPECT_LT(at("pulled"), at("starting")) << ::testing::PrintToString(v2_events);
  EXPECT_LT(at("starting"), static_cast<long>(v2_events.size()));

  // The resuming client has seen v2's deploy end; it disconnects here.
  const std::string v2_id = std::to_string(v2["id"].get<std::int64_t>());
  ASSERT_TRUE(resuming->waitFor(
      [&](const SseEvent& e) {
        return e.type == "deploy.status" && e.data.find("\"succeeded\"") != std::string::npos &&
               e.data.find("\"deploy_id\":" + v2_id) != std::string::npos;
      },
      10s));
  resuming->close();
  const std::vector<SseEvent> before = resuming->events();
  ASSERT_FALSE(before.empty());
  resuming.reset();

  // Production: promote what staging runs (v2), the first production deploy.
  auto promoted = call("POST", "/api/projects/" + project_ + "/stages/production/promote", "{}");
  ASSERT_EQ(promoted.status, 202) << promoted.body;
  json p1 = waitFinal(json::parse(promoted.body)["deploy"]["id"].get<std::int64_t>());
  ASSERT_EQ(p1["state"], "succeeded") << p1;
  EXPECT_EQ(p1["image"]["digest"], v2["image"]["digest"]);
  EXPECT_EQ(throughNginx("production").body, "v2");

  // A webhook for v3 deploys it at once (no poll round is due for an hour).
  push("v3", "v3");
  const auto hook =
      call("POST", "/api/webhook/" + project_, R"({"tag":"v3"})",
           {"Content-Type: application/json", std::string("X-Berth-Token: ") + kSecret});
  ASSERT_EQ(hook.status, 202) << hook.body;
  const json hook_body = json::parse(hook.body);
  ASSERT_EQ(hook_body["deploys"].size(), 1u) << hook.body;
  json v3 = waitFinal(hook_body["deploys"][0]["id"].get<std::int64_t>());
  ASSERT_EQ(v3["state"], "succeeded") << v3;
  EXPECT_EQ(v3["trigger"], "webhook");
  EXPECT_EQ(throughNginx("staging").body, "v3");
  // A wrong secret gets 401 and deploys nothing.
  const auto bad =
      call("POST", "/api/webhook/" + project_, R"({"tag":"v3"})", {"X-Berth-Token: wrong"});
  EXPECT_EQ(bad.status, 401);
  // The API itself is closed to anyone without a session or token.
  EXPECT_EQ(httpRequest(HttpRequest(api_ + "/api/projects")).status, 401);

  // Promote v3 to production while a client asks nginx the whole time.
  std::atomic<bool> stop{false};
  std::atomic<int> requests{0};
  std::vector<std::string> failures;
  std::thread load([&] {
    for (int i = 0; i < 20000 && !stop; ++i) {  // bounded
      const auto r = throughNginx("production");
      ++requests;
      if (r.status != 200) failures.push_back(std::to_string(r.status) + " " + r.error);
    }
  });
  promoted = call("POST", "/api/projects/" + project_ + "/stages/production/promote", "{}");
  ASSERT_EQ(promoted.status, 202) << promoted.body;
  json p2 = waitFinal(json::parse(promoted.body)["deploy"]["id"].get<std::int64_t>());
  std::this_thread::sleep_for(200ms);
  stop = true;
  load.join();
  ASSERT_EQ(p2["state"], "succeeded") << p2;
  EXPECT_EQ(p2["image"]["digest"], v3["image"]["digest"]) << "production runs staging's digest";
  EXPECT_EQ(throughNginx("production").body, "v3");
  EXPECT_GT(requests, 20);
  EXPECT_TRUE(failures.empty()) << failures.size() << " of " << requests
                                << " requests failed during the promotion, first: "
                                << failures.front();
  std::cout << "promotion under load: " << requests << " requests, " << failures.size()
            << " failed\n";

  // The client that dropped out resumes with Last-Event-ID: it gets exactly what it missed.
  auto resumed = subscribe(before.back().id);
  const std::string p2_id = std::to_string(p2["id"].get<std::int64_t>());
  auto p2_done = [&](const SseEvent& e) {
    return e.type == "deploy.status" &&
           e.data.find("\"deploy_id\":" + p2_id) != std::string::npos &&
           e.data.find("\"succeeded\"") != std::string::npos;
  };
  ASSERT_TRUE(resumed->waitFor(p2_done, 10s));
  ASSERT_TRUE(all_along->waitFor(p2_done, 10s));
  EXPECT_EQ(resumed->contentType().rfind("text/event-stream", 0), 0u) << resumed->contentType();
  resumed->close();
  all_along->close();

  // Both views, up to p2's end: the resuming client's two connections stitched together, and
  // the client connected all along from the resuming client's first event on.
  auto upToP2Done = [&](std::vector<SseEvent> events) {
    const auto done = std::find_if(events.begin(), events.end(), p2_done);
    if (done != events.end()) events.erase(done + 1, events.end());
    return events;
  };
  std::vector<SseEvent> stitched = before;
  const auto after = resumed->events();
  stitched.insert(stitched.end(), after.begin(), after.end());
  stitched = upToP2Done(stitched);
  std::vector<SseEvent> reference = upToP2Done(all_along->events());
  const auto first = std::find(reference.begin(), reference.end(), stitched.front());
  ASSERT_NE(first, reference.end()) << "the resuming client's first event is unknown";
  reference.erase(reference.begin(), first);
  ASSERT_EQ(stitched.size(), reference.size()) << "a gap or a duplicate";
  for (std::size_t i = 0; i < stitched.size(); ++i)
    ASSERT_EQ(stitched[i], reference[i]) << "event " << i << " differs (gap or duplicate)";

  // Ids increase; every deploy after v1 was seen from queued to its final state, each change
  // allowed by the state machine, ending in the state the API reports.
  const auto events = all_along->events();
  for (std::size_t i = 1; i < events.size(); ++i)
    ASSERT_LT(std::stoull(events[i - 1].id), std::stoull(events[i].id));
  const auto changes = statusChanges(events);
  for (const json& d : {v2, p1, v3, p2}) {
    const auto& seen = changes.at(d["id"].get<std::int64_t>());
    ASSERT_FALSE(seen.empty());
    EXPECT_EQ(seen.front(), "queued") << d;
    EXPECT_EQ(seen.back(), d["state"]) << d;
    for (std::size_t i = 1; i < seen.size(); ++i)
      EXPECT_TRUE(canTransition(*parseDeployState(seen[i - 1]), *parseDeployState(seen[i])))
          << seen[i - 1] << " -> " << seen[i];
  }
}

TEST_F(ServerEndToEnd, SigtermLetsTwoInFlightDeploysFinish) {
  push("slow", "v1");  // "slow": healthy only after 5 s
  // A second manual stage, so two deploys run at once (one per stage).
  const std::string other = "      - { name: other, domains: [" + domain("other") + "] }\n";
  // No auto-deploy here: the test starts both deploys by hand.
  fs::path config = writeConfig(other);
  {
    std::ifstream in(config);
    std::stringstream text;
    text << in.rdbuf();
    std::string s = text.str();
    s.replace(s.find("auto_deploy: true"), 17, "auto_deploy: false");
    std::ofstream(config) << s;
  }
  startBerth(config);
  std::vector<std::int64_t> ids;
  for (const char* stage : {"staging", "other"}) {
    const auto r = call("POST", "/api/projects/" + project_ + "/stages/" + stage + "/deploys",
                        R"({"tag":"v1"})");
    ASSERT_EQ(r.status, 202) << r.body;
    ids.push_back(json::parse(r.body)["deploy"]["id"].get<std::int64_t>());
  }
  // Both are in flight (past pulling, not final) when the signal comes.
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  auto running = [&] {
    for (auto id : ids) {
      const json d = getJson("/api/deploys/" + std::to_string(id))["deploy"];
      if (d.value("state", "") != "checking") return false;
    }
    return true;
  };
  while (!running() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(running()) << "both deploys should be health-checking";
  auto watcher = subscribe();
  ASSERT_TRUE(watcher->waitConnected(5s));

  const auto exit_code = berth_->stop(SIGTERM, 60s);
  ASSERT_TRUE(exit_code) << "berth did not exit within 60 s of SIGTERM";
  EXPECT_EQ(*exit_code, 0) << berth_->log();
  const std::string log = berth_->log();
  EXPECT_NE(log.find("\"shutting down\""), std::string::npos);
  // Both deploys finished (succeeded), and their containers serve.
  for (const char* stage : {"staging", "other"})
    EXPECT_EQ(throughNginx(stage).body, "slow") << stage;
  // The event stream was closed by the server, after the deploys ended.
  EXPECT_TRUE(watcher->waitFor(
      [&](const SseEvent& e) {
        return e.type == "deploy.status" && e.data.find("\"succeeded\"") != std::string::npos;
      },
      5s));
  const auto deadline_end = std::chrono::steady_clock::now() + 5s;
  while (!watcher->ended() && std::chrono::steady_clock::now() < deadline_end)
    std::this_thread::sleep_for(20ms);
  EXPECT_TRUE(watcher->ended());
  // Restarted, berth reports both deploys succeeded (nothing interrupted).
  startBerth(config);
  for (auto id : ids)
    EXPECT_EQ(getJson("/api/deploys/" + std::to_string(id))["deploy"]["state"], "succeeded");
}

}  // namespace
}  // namespace berth::testing
