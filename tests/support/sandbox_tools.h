// Small tools for integration tests: run a program with a bounded time, make a plain HTTP
// request (libcurl), and drive the sandbox's docker CLI. Until berth has its own Docker API
// client, tests drive the sandbox daemon through the docker CLI with DOCKER_HOST/DOCKER_CONFIG
// set for the child only.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "support/sandbox_env.h"

namespace berth::testing {

struct CommandResult {
  int exit_code = -1;  // the program's exit code; 128+N if killed by signal N; -1 if not run
  bool timed_out = false;
  std::string out;  // stdout
  std::string err;  // stderr (or why the program could not be run)

  // One line for assertion messages: exit code and the tail of stderr.
  std::string describe() const;
};

// Runs argv[0] (looked up in PATH) with argv, without a shell. extra_env is added to (or
// replaces in) this process's environment for the child only. The child is killed after
// `timeout`.
CommandResult runCommand(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& extra_env = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(120));

// `docker ARGS...` against the sandbox daemon, with the sandbox's client config (already
// logged in to the auth registry) unless docker_config names another directory.
CommandResult docker(const SandboxEnv& env, const std::vector<std::string>& args,
                     const std::string& docker_config = "",
                     std::chrono::milliseconds timeout = std::chrono::seconds(120));

// Removes every container (running or not) labelled berth.project=<project> from the sandbox
// daemon: what a test's berth deployed, whatever state it was left in.
void removeProjectContainers(const SandboxEnv& env, const std::string& project);

// The whitespace-separated words of a sandbox command line (its paths have no spaces).
std::vector<std::string> splitWords(const std::string& command);

// Runs the sandbox's nginx reload command (after a test removed its route files).
void reloadNginx(const SandboxEnv& env);

// A request, built fluently: HttpRequest(url).withMethod("HEAD").withHeader("Accept: ...").
// (Not designated initializers: g++ 12 warns about every member they leave out.)
struct HttpRequest {
  explicit HttpRequest(std::string u) : url(std::move(u)) {}

  HttpRequest& withMethod(std::string m) { return method = std::move(m), *this; }
  HttpRequest& withHeader(std::string h) { return headers.push_back(std::move(h)), *this; }
  HttpRequest& withBasicAuth(std::string up) { return user_password = std::move(up), *this; }
  HttpRequest& withUnixSocket(std::string p) { return unix_socket = std::move(p), *this; }
  HttpRequest& withTimeout(std::chrono::milliseconds t) { return timeout = t, *this; }
  HttpRequest& withBody(std::string b) { return body = std::move(b), *this; }

  std::string url;
  std::string method = "GET";        // GET, HEAD, ...
  std::vector<std::string> headers;  // "Name: value"
  std::string user_password;         // "user:password" for basic auth, or empty
  std::string unix_socket;           // connect through this unix socket instead of TCP
  std::string body;                  // sent as the request body (POST and others)
  std::chrono::milliseconds timeout = std::chrono::seconds(5);
};

struct HttpResponse {
  long status = 0;                             // 0 when no HTTP answer came back
  std::map<std::string, std::string> headers;  // names lower-cased; last value wins
  std::string body;
  std::string error;  // transport error, if status == 0

  std::string header(const std::string& lower_name) const;
};

HttpResponse httpRequest(const HttpRequest& request);
inline HttpResponse httpGet(const std::string& url) {
  return httpRequest(HttpRequest(url));
}

// Repeats GET url until it answers with any HTTP status, or gives up after `timeout` and
// returns the last (failed) attempt.
HttpResponse waitForHttp(const std::string& url, std::chrono::milliseconds timeout);

// A name unique to this process and call, e.g. "berth-it-v1-4711-3", for containers/networks.
std::string uniqueName(std::string_view prefix);

// Removes surrounding whitespace (docker CLI output ends with a newline).
std::string trim(std::string_view s);

}  // namespace berth::testing
