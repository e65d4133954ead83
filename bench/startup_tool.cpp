// Start-up time and idle memory of a server process, for bench/startup_bench.sh and
// bench/webhook_bench.sh (not a Google Benchmark binary, so bench/run.sh skips it).
//
//   berth_startup_tool --port PORT [--path /healthz] [--idle-ms 0] [--log FILE] -- CMD ARGS...
//   berth_startup_tool --until-exit 1 [--log FILE] -- CMD ARGS...
//
// Spawns CMD (posix_spawnp, stdout and stderr appended to --log, default /dev/null), then
// sends GET PATH to 127.0.0.1:PORT on a new connection every 5 ms until the first 200, and
// prints the time from just before the spawn to that answer. With --idle-ms, it then leaves
// the process idle that long and prints VmRSS and VmHWM (/proc/PID/status) and Pss
// (/proc/PID/smaps_rollup) of the process and of its children (nginx's workers), summed.
// Finally it sends SIGTERM to the PID it spawned (never anything else) and waits up to 15 s
// for it to exit (then SIGKILL), and prints how long the stop took and the exit status.
// With --until-exit 1 it measures spawn -> exit instead (a command such as `berth version`:
// what starting the process costs before any server work) and prints exit_ms. Bounded: gives
// up after 20 s without a 200 (or an exit). Prints `key=value` lines.
#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using namespace std::chrono_literals;
using Steady = std::chrono::steady_clock;

// The status of GET `path` on a new connection to 127.0.0.1:port (`Connection: close`);
// 0: no answer (refused, reset, timeout).
int status(int port, const std::string& path) {
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(port));
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0) {
    const std::string request =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      char buf[1024];
      for (ssize_t n; (n = ::recv(fd, buf, sizeof buf, 0)) > 0 && response.size() < 64 * 1024;)
        response.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) return 0;
  return std::atoi(response.c_str() + 9);
}

// A field of /proc/PID/status or /proc/PID/smaps_rollup in KiB; 0 if absent.
long procKb(pid_t pid, const std::string& file, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/" + file);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  return 0;
}

// Direct children of `parent` (from /proc/*/stat).
std::vector<pid_t> childrenOf(pid_t parent) {
  std::vector<pid_t> out;
  DIR* proc = ::opendir("/proc");
  if (!proc) return out;
  while (dirent* entry = ::readdir(proc)) {
    const pid_t pid = std::atoi(entry->d_name);
    if (pid <= 0) continue;
    std::ifstream in("/proc/" + std::string(entry->d_name) + "/stat");
    std::string stat;
    std::getline(in, stat);
    const auto close_paren = stat.rfind(')');
    if (close_paren == std::string::npos) continue;
    std::istringstream rest(stat.substr(close_paren + 2));
    char state = 0;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent) out.push_back(pid);
  }
  ::closedir(proc);
  return out;
}

double ms(Steady::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> opt{{"--port", ""},
                                         {"--path", "/healthz"},
                                         {"--idle-ms", "0"},
                                         {"--log", "/dev/null"},
                                         {"--until-exit", "0"}};
  int i = 1;
  for (; i < argc && std::string(argv[i]) != "--"; i += 2) {
    if (!opt.count(argv[i]) || i + 1 >= argc) {
      std::cerr << "unknown option " << argv[i] << "\n";
      return 2;
    }
    opt[argv[i]] = argv[i + 1];
  }
  const bool until_exit = opt["--until-exit"] == "1";
  if (i >= argc - 1 || (opt["--port"].empty() && !until_exit)) {
    std::cerr << "usage: berth_startup_tool --port PORT [--path P] [--idle-ms MS] [--log FILE] "
                 "-- CMD ARGS...\n";
    return 2;
  }
  const int port = std::atoi(opt["--port"].c_str());
  const int idle_ms = std::atoi(opt["--idle-ms"].c_str());
  std::vector<char*> child_argv(argv + i + 1, argv + argc);
  child_argv.push_back(nullptr);

  if (!until_exit && status(port, opt["--path"]) != 0) {
    std::cerr << "something already answers on 127.0.0.1:" << port << "\n";
    return 1;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, opt["--log"].c_str(), O_WRONLY | O_CREAT | O_APPEND,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  const auto t0 = Steady::now();
  if (posix_spawnp(&pid, child_argv[0], &actions, nullptr, child_argv.data(), environ) != 0) {
    std::cerr << "cannot start " << child_argv[0] << "\n";
    return 1;
  }
  posix_spawn_file_actions_destroy(&actions);

  if (until_exit) {
    int st = 0;
    while (::waitpid(pid, &st, WNOHANG) != pid) {
      if (Steady::now() - t0 > 20s) {
        std::cerr << "pid " << pid << " still runs after 20 s; killing it\n";
        ::kill(pid, SIGKILL);
        ::waitpid(pid, &st, 0);
        return 1;
      }
      std::this_thread::sleep_for(100us);
    }
    std::cout << "exit_ms=" << ms(Steady::now() - t0) << "\n"
              << "exit_status=" << (WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st)) << "\n";
    return 0;
  }
  int rc = 0;
  int code = 0;
  bool exited = false;
  int wait_status = 0;
  while (Steady::now() - t0 < 20s) {
    code = status(port, opt["--path"]);
    if (code == 200) break;
    if (::waitpid(pid, &wait_status, WNOHANG) == pid) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(5ms);
  }
  const auto t_ready = Steady::now();
  if (code != 200) {
    std::cerr << (exited ? "the process exited before answering" : "no 200 within 20 s")
              << " (last status " << code << ")\n";
    rc = 1;
  } else {
    std::cout << "startup_ms=" << ms(t_ready - t0) << "\n";
  }

  if (rc == 0 && idle_ms > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(idle_ms));
    long rss = procKb(pid, "status", "VmRSS"), hwm = procKb(pid, "status", "VmHWM"),
         pss = procKb(pid, "smaps_rollup", "Pss");
    const auto children = childrenOf(pid);
    for (const pid_t c : children) {
      rss += procKb(c, "status", "VmRSS");
      hwm += procKb(c, "status", "VmHWM");
      pss += procKb(c, "smaps_rollup", "Pss");
    }
    std::cout << "processes=" << 1 + children.size() << "\n"
              << "threads=" << procKb(pid, "status", "Threads") << "\n"
              << "rss_kb=" << rss << "\n"
              << "hwm_kb=" << hwm << "\n"
              << "pss_kb=" << pss << "\n";
  }

  if (!exited) {
    const auto s0 = Steady::now();
    ::kill(pid, SIGTERM);
    while (Steady::now() - s0 < 15s) {
      if (::waitpid(pid, &wait_status, WNOHANG) == pid) {
        exited = true;
        break;
      }
      std::this_thread::sleep_for(2ms);
    }
    if (!exited) {
      std::cerr << "pid " << pid << " ignored SIGTERM for 15 s; killing it\n";
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &wait_status, 0);
      rc = 1;
    }
    std::cout << "stop_ms=" << ms(Steady::now() - s0) << "\n";
  }
  std::cout << "exit_status="
            << (WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : 128 + WTERMSIG(wait_status))
            << "\n";
  return rc;
}
