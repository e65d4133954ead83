#include "support/sandbox_tools.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

extern char** environ;

namespace berth::testing {

namespace {

using Clock = std::chrono::steady_clock;

std::string lower(std::string s) {
  for (char& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The environment for a child: ours, with extra_env added or replaced.
std::vector<std::string> childEnvironment(const std::map<std::string, std::string>& extra_env) {
  std::vector<std::string> out;
  for (char** e = environ; *e; ++e) {
    std::string_view kv = *e;
    auto name = kv.substr(0, kv.find('='));
    if (!extra_env.contains(std::string(name))) out.emplace_back(kv);
  }
  for (const auto& [k, v] : extra_env)
    out.push_back(k + "=" + v);
  return out;
}

}  // namespace

std::string CommandResult::describe() const {
  std::string s = timed_out ? "timed out" : "exit code " + std::to_string(exit_code);
  std::string e = trim(err);
  if (e.size() > 1500) e = "..." + e.substr(e.size() - 1500);
  if (!e.empty()) s += "; stderr: " + e;
  return s;
}

CommandResult runCommand(const std::vector<std::string>& argv,
                         const std::map<std::string, std::string>& extra_env,
                         std::chrono::milliseconds timeout) {
  CommandResult result;
  if (argv.empty()) {
    result.err = "runCommand: empty argv";
    return result;
  }
  // Build everything the child needs before fork(): only async-signal-safe calls after it.
  std::vector<std::string> env_strings = childEnvironment(extra_env);
  std::vector<char*> c_argv, c_env;
  for (const auto& a : argv)
    c_argv.push_back(const_cast<char*>(a.c_str()));
  c_argv.push_back(nullptr);
  for (auto& e : env_strings)
    c_env.push_back(e.data());
  c_env.push_back(nullptr);

  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    result.err = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  pid_t pid = fork();
  if (pid < 0) {
    result.err = std::string("fork: ") + std::strerror(errno);
    return result;
  }
  if (pid == 0) {
    setpgid(0, 0);  // own process group, so a timeout kills the whole tree
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    execvpe(c_argv[0], c_argv.data(), c_env.data());
    const char msg[] = "runCommand: exec failed\n";
    [[maybe_unused]] auto n = write(2, msg, sizeof msg - 1);
    _exit(127);
  }
  setpgid(pid, pid);  // also here, so the group exists before any kill(-pid) below
  close(out_pipe[1]);
  close(err_pipe[1]);

  const auto deadline = Clock::now() + timeout;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  char buf[8192];
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      break;
    }
    int n = poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t r = read(fds[i].fd, buf, sizeof buf);
      if (r > 0) {
        sinks[i]->append(buf, static_cast<size_t>(r));
      } else if (r == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
  return result;
}

CommandResult docker(const SandboxEnv& env, const std::vector<std::string>& args,
                     const std::string& docker_config, std::chrono::milliseconds timeout) {
  std::vector<std::string> argv{env.docker_cli};
  argv.insert(argv.end(), args.begin(), args.end());
  return runCommand(argv,
                    {{"DOCKER_HOST", env.docker_host},
                     {"DOCKER_CONFIG", docker_config.empty() ? env.docker_config : docker_config}},
                    timeout);
}

void removeProjectContainers(const SandboxEnv& env, const std::string& project) {
  const auto ids = docker(env, {"ps", "-aq", "--filter", "label=berth.project=" + project});
  std::istringstream in(ids.out);
  std::vector<std::string> args{"rm", "-f"};
  for (std::string id; std::getline(in, id);)
    if (!trim(id).empty()) args.push_back(trim(id));
  if (args.size() > 2) docker(env, args);
}

std::vector<std::string> splitWords(const std::string& command) {
  std::istringstream in(command);
  std::vector<std::string> words;
  for (std::string w; in >> w;)
    words.push_back(w);
  return words;
}

void reloadNginx(const SandboxEnv& env) {
  runCommand(splitWords(env.nginx_reload_cmd));
}

std::string HttpResponse::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

namespace {

size_t onBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t onHeader(char* data, size_t size, size_t n, void* user) {
  auto* headers = static_cast<std::map<std::string, std::string>*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) headers->clear();  // a new response (after 100/redirect)
  auto colon = line.find(':');
  if (colon != std::string_view::npos) {
    std::string value = trim(line.substr(colon + 1));
    (*headers)[lower(std::string(line.substr(0, colon)))] = value;
  }
  return size * n;
}

}  // namespace

HttpResponse httpRequest(const HttpRequest& request) {
  static std::once_flag init;
  std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  HttpResponse response;
  CURL* curl = curl_easy_init();
  if (!curl) {
    response.error = "curl_easy_init failed";
    return response;
  }
  curl_slist* headers = nullptr;
  for (const auto& h : request.headers)
    headers = curl_slist_append(headers, h.c_str());
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  if (request.method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if (!request.body.empty() || request.method == "POST") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.body.size()));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");  // loopback only; ignore any http_proxy
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  if (!request.user_password.empty()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERPWD, request.user_password.c_str());
  }
  if (!request.unix_socket.empty())
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, request.unix_socket.c_str());
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  } else {
    response.error = *error ? error : curl_easy_strerror(rc);
  }
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  return response;
}

HttpResponse waitForHttp(const std::string& url, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  HttpResponse r;
  while (true) {
    r = httpRequest(HttpRequest(url).withTimeout(std::chrono::seconds(2)));
    if (r.status != 0 || Clock::now() >= deadline) return r;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

std::string uniqueName(std::string_view prefix) {
  static std::atomic<int> counter{0};
  static const unsigned salt = std::random_device{}() % 100000;
  return std::string(prefix) + "-" + std::to_string(getpid()) + "-" + std::to_string(salt) + "-" +
         std::to_string(counter++);
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.remove_suffix(1);
  return std::string(s);
}

}  // namespace berth::testing
