#include "net/test_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>

namespace berth::net::testing {
namespace {

// Reads one request: headers up to the blank line, then Content-Length bytes of body.
std::string readRequest(int fd) {
  std::string data;
  char buf[4096];
  size_t body_needed = std::string::npos;
  while (true) {
    const auto end = data.find("\r\n\r\n");
    if (end != std::string::npos && body_needed == std::string::npos) {
      body_needed = 0;
      const auto cl = data.find("Content-Length: ");
      if (cl != std::string::npos && cl < end) body_needed = std::stoul(data.substr(cl + 16));
      body_needed += end + 4;
    }
    if (body_needed != std::string::npos && data.size() >= body_needed) return data;
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) return data;
    data.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

TestServer::TestServer(std::function<ScriptedReply(const std::string&)> script,
                       std::string unix_path)
    : script_(std::move(script)), unix_path_(std::move(unix_path)) {
  if (unix_path_.empty()) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("bind failed");
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  } else {
    ::unlink(unix_path_.c_str());
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, unix_path_.c_str(), sizeof addr.sun_path - 1);
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("bind failed: " + unix_path_);
  }
  ::listen(listen_fd_, 8);
  thread_ = std::thread([this] { serve(); });
}

TestServer::~TestServer() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  ::close(listen_fd_);
  thread_.join();
  if (!unix_path_.empty()) ::unlink(unix_path_.c_str());
}

std::string TestServer::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<std::string> TestServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void TestServer::serve() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) continue;
    const std::string request = readRequest(fd);
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    const ScriptedReply reply = script_(request);
    for (size_t i = 0; i < reply.pieces.size(); ++i) {
      if (i > 0) std::this_thread::sleep_for(reply.pause);
      if (::send(fd, reply.pieces[i].data(), reply.pieces[i].size(), MSG_NOSIGNAL) < 0) break;
    }
    for (auto waited = std::chrono::milliseconds(0); waited < reply.hold_open && !stopping_;
         waited += std::chrono::milliseconds(20))
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    ::close(fd);
  }
}

}  // namespace berth::net::testing
