// The only translation unit that includes Boost.Beast (it compiles slowly; see server.h).
//
// Threads: the io_context runs on `io_threads` threads; every connection is one coroutine on its
// own strand, so a connection's state is only touched by one thread at a time. Handlers block,
// so they run on a separate thread pool and their Response is posted back to the strand.
#include <utility>  // before Boost: 1.74's awaitable.hpp uses std::exchange without including it

// clang-format off
#include "http/server.h"
// clang-format on

#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_set>
#include <vector>

#include "http/request_target.h"

namespace berth::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;
using ErrorCode = boost::system::error_code;

constexpr auto kAwait = asio::use_awaitable;
constexpr std::size_t kFirstReadBytes = 4096;
// After an error answer, how long and how much of the rest of the request is read and thrown
// away: closing a socket with unread input makes the kernel send a reset, which can destroy
// the error response before the client has read it.
constexpr auto kDrainTime = std::chrono::milliseconds(500);
constexpr std::size_t kDrainBytes = 1024 * 1024;
constexpr std::string_view kHeartbeat = ": heartbeat\n\n";

tcp::endpoint parseListenAddress(const std::string& listen) {
  auto fail = [&](const std::string& why) {
    return std::runtime_error("listen address \"" + listen + "\": " + why);
  };
  std::string host, port;
  if (listen.starts_with('[')) {
    auto close = listen.find(']');
    if (close == std::string::npos || listen.substr(close + 1, 1) != ":")
      throw fail("expected \"[ipv6]:port\"");
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
  } else {
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) throw fail("expected \"host:port\"");
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
  }
  if (host == "localhost") host = "127.0.0.1";
  if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit) ||
      std::stoi(port) > 65535)
    throw fail("port must be a number from 0 to 65535");
  ErrorCode ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) throw fail("host must be an IP address (or localhost)");
  return {address, static_cast<unsigned short>(std::stoi(port))};
}

// Each connection holds a descriptor; the default soft limit (often 1024) is far below what an
// SSE fan-out needs, and raising the soft limit up to the hard one needs no privilege.
void raiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Runs `work` on `pool` and completes `token` with its result on the token's executor (the
// connection's strand), so a blocking handler never holds up an I/O thread.
template <class Token>
auto runOnPool(asio::thread_pool& pool, std::function<Response()> work, Token&& token) {
  return asio::async_initiate<Token, void(Response)>(
      [&pool](auto handler, std::function<Response()> work) {
        asio::post(pool, [handler = std::move(handler), work = std::move(work)]() mutable {
          Response response = work();
          auto executor = asio::get_associated_executor(handler);
          asio::post(executor,
                     [handler = std::move(handler), response = std::move(response)]() mutable {
                       std::move(handler)(std::move(response));
                     });
        });
      },
      token, std::move(work));
}

// Beast 1.74 speaks boost::string_view.
std::string_view view(beast::string_view text) {
  return {text.data(), text.size()};
}

std::string lowerCase(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// A handler's header that would break the response framing (or smuggle a second header) is
// dropped rather than sent.
bool safeHeader(const std::string& name, const std::string& value) {
  auto bad = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
  return !name.empty() && std::none_of(name.begin(), name.end(), bad) &&
         name.find_first_of(" :") == std::string::npos &&
         std::none_of(value.begin(), value.end(), bad);
}

// What the client is told about a request that could not be read; nullopt: nothing (the client
// went away, or took too long), just close.
std::optional<Response> answerForReadError(const ErrorCode& ec) {
  if (ec == bhttp::error::header_limit)
    return Response::error(431, "header_too_large", "request header is too large");
  if (ec == bhttp::error::body_limit)
    return Response::error(413, "body_too_large", "request body is too large");
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return std::nullopt;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category())
    return Response::error(400, "bad_request", "malformed HTTP request: " + ec.message());
  return std::nullopt;
}

// State every connection shares with the server.
struct ServerState {
  const Router& router;
  ServerOptions options;
  Logger log;

  std::atomic<std::size_t> connections{0};
  std::atomic<std::size_t> streams{0};
  std::atomic<bool> stopping{false};

  class Session;
  std::mutex sessions_mutex;
  std::condition_variable sessions_changed;
  std::unordered_set<Session*> sessions;

  // Declared after everything sessions touch, so that sessions still queued when the
  // io_context is destroyed find them alive.
  asio::io_context ioc;
  asio::thread_pool pool;

  ServerState(const Router& r, ServerOptions o, Logger l)
      : router(r),
        options(std::move(o)),
        log(std::move(l)),
        ioc(std::max(1, options.io_threads)),
        pool(static_cast<std::size_t>(std::max(1, options.handler_threads))) {}
};

// What a StreamSource holds to wake its connection. The source may keep it after the stream
// ended and even after the server is gone, so it reaches the strand only while the stream is
// open, and only through a weak reference to the connection.
class WakeGate : public std::enable_shared_from_this<WakeGate> {
 public:
  WakeGate(asio::any_io_executor strand, std::weak_ptr<ServerState::Session> session)
      : strand_(std::move(strand)), session_(std::move(session)) {}
  void wake();
  void close() {
    std::lock_guard lock(mutex_);
    strand_.reset();
  }

 private:
  std::mutex mutex_;
  std::optional<asio::any_io_executor> strand_;
  std::weak_ptr<ServerState::Session> session_;
  bool pending_ = false;  // a wake is already queued: bursts of events cost one post
};

class ServerState::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(ServerState& server, tcp::socket socket)
      : server_(server),
        executor_(socket.get_executor()),
        stream_(std::move(socket)),
        wake_timer_(executor_) {
    ErrorCode ec;
    auto peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string();
    stream_.socket().set_option(tcp::no_delay(true), ec);
    std::lock_guard lock(server_.sessions_mutex);
    server_.sessions.insert(this);
  }
  ~Session() {
    std::lock_guard lock(server_.sessions_mutex);
    server_.sessions.erase(this);
    --server_.connections;
    server_.sessions_changed.notify_all();
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  const asio::any_io_executor& executor() const { return executor_; }

  // `self` is a parameter, so the coroutine frame owns the session: co_spawn only starts the
  // coroutine later, after the caller's shared_ptr is gone.
  asio::awaitable<void> run([[maybe_unused]] std::shared_ptr<Session> self) {
    try {
      co_await serve();
    } catch (const std::exception& e) {
      server_.log.error("connection failed", {{"error", e.what()}, {"remote", remote_}});
    }
    ErrorCode ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
  }

  // Any thread. Idle connections close now, streams end, a request in progress finishes
  // (without keep-alive).
  void requestStop() {
    asio::post(executor_, [self = shared_from_this()] {
      self->stopping_ = true;
      if (self->phase_ == Phase::reading) self->stream_.cancel();
      if (self->phase_ == Phase::streaming) self->wake_timer_.cancel();
    });
  }
  // Any thread: the grace period is over.
  void forceClose() {
    asio::post(executor_, [self = shared_from_this()] {
      self->stopping_ = true;
      self->stream_.close();
      self->wake_timer_.cancel();
    });
  }

  // On the strand: the stream's source has something new.
  void onWake() {
    woken_ = true;
    wake_timer_.cancel();
  }

 private:
  enum class Phase { reading, handling, writing, streaming };

  bool stopping() const { return stopping_ || server_.stopping; }

  asio::awaitable<void> serve() {
    for (;;) {
      phase_ = Phase::reading;
      if (stopping()) co_return;
      ErrorCode ec;
      if (buffer_.size() == 0) {
        // Between requests only the idle timeout applies; the read timeout starts with the
        // first byte of a request.
        stream_.expires_after(server_.options.idle_timeout);
        auto n = co_await stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                                                  asio::redirect_error(kAwait, ec));
        if (ec) co_return;
        buffer_.commit(n);
      }
      auto started = SteadyClock::now();
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(
          std::min<std::size_t>(server_.options.max_header_bytes, UINT32_MAX)));
      parser.body_limit(server_.options.max_body_bytes);
      stream_.expires_after(server_.options.read_timeout);
      co_await bhttp::async_read_header(stream_, buffer_, parser, asio::redirect_error(kAwait, ec));
      if (!ec && !parser.is_done()) {
        if (beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          co_await asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                                     asio::redirect_error(kAwait, ec));
        }
        if (!ec)
          co_await bhttp::async_read(stream_, buffer_, parser, asio::redirect_error(kAwait, ec));
      }
      if (ec) {
        auto answer = answerForReadError(ec);
        if (!answer) co_return;
        const auto& partial = parser.get();
        co_await respond(std::move(*answer), std::string(partial.method_string()),
                         std::string(partial.target()), 11, false, false, started);
        co_await drainAndClose();
        co_return;
      }

      auto message = parser.release();
      Request request;
      request.method = std::string(message.method_string());
      request.target = std::string(message.target());
      for (const auto& field : message)
        request.headers.emplace_back(lowerCase(view(field.name_string())),
                                     std::string(field.value()));
      request.body = std::move(message.body());
      request.remote_address = remote_;
      bool keep_alive = message.keep_alive();
      bool head = request.method == "HEAD";

      Response response;
      if (auto problem = parseRequestTarget(request.target, request)) {
        response = Response::error(400, "bad_request", *problem);
      } else {
        phase_ = Phase::handling;
        response = co_await runOnPool(
            server_.pool, [this, &request] { return handle(request); }, kAwait);
      }
      if (response.stream) {
        co_await serveStream(std::move(response), request, message.version(), started);
        co_return;
      }
      keep_alive = keep_alive && !stopping();
      bool written = co_await respond(std::move(response), request.method, request.target,
                                      message.version(), keep_alive, head, started);
      if (!written || !keep_alive) co_return;
    }
  }

  // On a worker thread.
  Response handle(Request& request) {
    try {
      return server_.router.dispatch(request);
    } catch (const std::exception& e) {
      logHandlerFailure(request, e.what());
    } catch (...) {
      logHandlerFailure(request, "unknown exception");
    }
    return Response::error(500, "internal_error", "internal error");
  }

  void logHandlerFailure(const Request& request, std::string_view what) {
    server_.log.error(
        "handler failed",
        {{"method", request.method}, {"path", targetPathForLog(request.target)}, {"error", what}});
  }

  // Writes a plain response and logs it; false if the connection broke.
  asio::awaitable<bool> respond(Response response, std::string method, std::string target,
                                unsigned version, bool keep_alive, bool head,
                                SteadyClock::time_point started) {
    phase_ = Phase::writing;
    if (response.status < 200 || response.status > 599) {
      server_.log.error(
          "handler returned an invalid status",
          {{"method", method}, {"path", targetPathForLog(target)}, {"status", response.status}});
      response = Response::error(500, "internal_error", "internal error");
    }
    bhttp::response<bhttp::string_body> out;
    out.version(version);
    out.result(static_cast<unsigned>(response.status));
    addHeaders(out, response, method, target);
    // These statuses have no body by definition (Beast refuses to frame one).
    if (response.status == 204 || response.status == 304) response.body.clear();
    std::size_t body_bytes = head ? 0 : response.body.size();
    out.body() = std::move(response.body);
    out.keep_alive(keep_alive);
    out.prepare_payload();
    if (head) out.body().clear();  // Content-Length still says what GET would send

    ErrorCode ec;
    stream_.expires_after(server_.options.read_timeout);
    co_await bhttp::async_write(stream_, out, asio::redirect_error(kAwait, ec));
    logAccess(method, target, response.status, ec ? 0 : body_bytes, started);
    co_return !ec;
  }

  template <class Message>
  void addHeaders(Message& out, const Response& response, const std::string& method,
                  const std::string& target) {
    for (const auto& [name, value] : response.headers) {
      if (safeHeader(name, value)) {
        out.insert(name, value);
      } else {
        server_.log.warn("dropped a response header with forbidden characters",
                         {{"method", method}, {"path", targetPathForLog(target)}});
      }
    }
  }

  asio::awaitable<void> serveStream(Response response, const Request& request, unsigned version,
                                    SteadyClock::time_point started) {
    phase_ = Phase::streaming;
    ++server_.streams;
    auto source = std::move(response.stream);
    auto gate = std::make_shared<WakeGate>(executor_, weak_from_this());
    // Whatever ends the stream (the source, the client, the server, an exception, or the
    // io_context destroying this coroutine at shutdown), the source is closed exactly once.
    struct Ending {
      ServerState& server;
      std::shared_ptr<StreamSource> source;
      std::shared_ptr<WakeGate> gate;
      ~Ending() {
        gate->close();
        try {
          source->close();
        } catch (const std::exception& e) {
          server.log.error("event stream close failed", {{"error", e.what()}});
        }
        --server.streams;
      }
    } ending{server_, source, gate};

    bhttp::response<bhttp::empty_body> header;
    header.version(version);
    header.result(response.status >= 200 && response.status <= 599 ? response.status : 200);
    addHeaders(header, response, request.method, request.target);
    header.set(bhttp::field::content_type, "text/event-stream; charset=utf-8");
    header.set(bhttp::field::cache_control, "no-cache");
    header.set("X-Accel-Buffering", "no");
    // Close-delimited: no Content-Length, no chunked framing. Every client (curl, browsers'
    // EventSource, proxies) understands it, and each event is written as it is.
    header.keep_alive(false);
    bhttp::response_serializer<bhttp::empty_body> serializer{header};
    ErrorCode ec;
    stream_.expires_after(server_.options.read_timeout);
    co_await bhttp::async_write_header(stream_, serializer, asio::redirect_error(kAwait, ec));
    stream_.expires_never();
    std::size_t bytes = 0;
    // The request is complete; the rest of this connection needs no read buffer.
    buffer_.consume(buffer_.size());
    buffer_.shrink_to_fit();

    if (!ec && request.method != "HEAD" && !stopping()) {
      watchForDisconnect();
      try {
        source->open([gate] { gate->wake(); });
        bytes = co_await pumpEvents(*source);
      } catch (const std::exception& e) {
        server_.log.error("event stream failed",
                          {{"path", targetPathForLog(request.target)}, {"error", e.what()}});
      }
    }
    logAccess(request.method, request.target, response.status, bytes, started);
  }

  // Writes what the source has whenever it wakes us, and heartbeats while it is quiet, until
  // the source ends, the client goes or the server stops. Returns the bytes written.
  asio::awaitable<std::size_t> pumpEvents(StreamSource& source) {
    std::size_t bytes = 0;
    auto last_write = SteadyClock::now();
    auto write = [&](std::string_view data) -> asio::awaitable<bool> {
      ErrorCode ec;
      // A client that does not read is dropped: it must never hold events up for others.
      stream_.expires_after(server_.options.read_timeout);
      co_await asio::async_write(stream_, asio::buffer(data.data(), data.size()),
                                 asio::redirect_error(kAwait, ec));
      stream_.expires_never();
      if (ec) co_return false;
      bytes += data.size();
      last_write = SteadyClock::now();
      co_return true;
    };
    woken_ = true;  // the source may already hold something (a replay)
    while (!stopping() && !client_gone_) {
      if (woken_) {
        woken_ = false;
        auto chunk = source.next();
        if (!chunk.data.empty()) {
          bool written = co_await write(chunk.data);
          if (!written) break;
        }
        if (chunk.end) break;
        continue;
      }
      auto heartbeat_due = last_write + server_.options.heartbeat;
      if (SteadyClock::now() >= heartbeat_due) {
        bool written = co_await write(kHeartbeat);
        if (!written) break;
        continue;
      }
      wake_timer_.expires_at(heartbeat_due);
      ErrorCode ec;
      co_await wake_timer_.async_wait(asio::redirect_error(kAwait, ec));
    }
    co_return bytes;
  }

  // A stream only writes, so a client that goes away would go unnoticed until the next
  // heartbeat; waiting for the socket to turn readable notices it at once (readable with
  // nothing to read is end of stream). Anything the client does send is discarded.
  void watchForDisconnect() {
    stream_.socket().async_wait(
        tcp::socket::wait_read,
        asio::bind_executor(
            executor_, [self = shared_from_this()](const ErrorCode& ec) { self->onReadable(ec); }));
  }
  void onReadable(const ErrorCode& ec) {
    if (phase_ != Phase::streaming) return;
    if (!ec) {
      // The reactor may report "readable" with nothing to read while the client is still
      // there; only recv() tells: 0 is the client's end of stream, EAGAIN a false alarm.
      std::array<char, 256> discard;
      const auto n =
          ::recv(stream_.socket().native_handle(), discard.data(), discard.size(), MSG_DONTWAIT);
      if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)))
        return watchForDisconnect();
    }
    client_gone_ = true;
    wake_timer_.cancel();
  }

  asio::awaitable<void> drainAndClose() {
    ErrorCode ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kDrainTime);
    std::array<char, 4096> sink;
    for (std::size_t drained = 0; !ec && drained < kDrainBytes;) {
      drained +=
          co_await stream_.async_read_some(asio::buffer(sink), asio::redirect_error(kAwait, ec));
    }
  }

  void logAccess(std::string_view method, std::string_view target, int status, std::size_t bytes,
                 SteadyClock::time_point started) {
    if (!server_.log.enabled(LogLevel::info)) return;
    auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - started).count();
    char duration[32];
    std::snprintf(duration, sizeof duration, "%.3f", static_cast<double>(micros) / 1000.0);
    LogField duration_ms("duration_ms", std::string_view(duration));
    duration_ms.quoted = false;
    server_.log.info("request", {{"method", method},
                                 {"path", targetPathForLog(target)},
                                 {"status", status},
                                 {"bytes", bytes},
                                 duration_ms,
                                 {"remote", remote_}});
  }

  ServerState& server_;
  asio::any_io_executor executor_;  // the connection's strand
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string remote_;
  Phase phase_ = Phase::reading;
  bool stopping_ = false;
  // Streams only.
  asio::steady_timer wake_timer_;  // waited on between events; cancelled to wake up
  bool woken_ = false;
  bool client_gone_ = false;
};

void WakeGate::wake() {
  std::lock_guard lock(mutex_);
  if (!strand_ || pending_) return;
  pending_ = true;
  asio::post(*strand_, [self = shared_from_this()] {
    {
      std::lock_guard lock(self->mutex_);
      self->pending_ = false;
    }
    if (auto session = self->session_.lock()) session->onWake();
  });
}

asio::awaitable<void> acceptConnections(ServerState& server, tcp::acceptor& acceptor) {
  for (;;) {
    ErrorCode ec;
    tcp::socket socket(co_await acceptor.async_accept(asio::make_strand(server.ioc),
                                                      asio::redirect_error(kAwait, ec)));
    if (server.stopping || ec == asio::error::operation_aborted) co_return;
    if (ec) {
      // Usually out of descriptors: pause rather than spin, and let connections finish.
      server.log.warn("accept failed", {{"error", ec.message()}});
      asio::steady_timer pause(acceptor.get_executor(), std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::redirect_error(kAwait, ec));
      continue;
    }
    if (server.connections >= server.options.max_connections) {
      socket.close(ec);
      continue;
    }
    ++server.connections;
    auto session = std::make_shared<ServerState::Session>(server, std::move(socket));
    asio::co_spawn(session->executor(), session->run(session), asio::detached);
  }
}

}  // namespace

struct Server::Impl : ServerState {
  tcp::acceptor acceptor;
  tcp::endpoint bound;
  asio::executor_work_guard<asio::io_context::executor_type> keep_running;
  std::vector<std::thread> threads;
  std::mutex stop_mutex;
  bool stopped = false;

  Impl(const Router& r, ServerOptions o, Logger l)
      : ServerState(r, std::move(o), std::move(l)),
        acceptor(asio::make_strand(ioc)),
        keep_running(asio::make_work_guard(ioc)) {
    if (options.io_threads < 1 || options.handler_threads < 1)
      throw std::invalid_argument("server options: io_threads and handler_threads must be >= 1");
    auto endpoint = parseListenAddress(options.listen);
    raiseOpenFileLimit();
    ErrorCode ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + options.listen + ": " + ec.message());
    bound = acceptor.local_endpoint();
    asio::co_spawn(acceptor.get_executor(), acceptConnections(*this, acceptor), asio::detached);
    for (int i = 0; i < options.io_threads; ++i)
      threads.emplace_back([this] { runIo(); });
  }

  void runIo() {
    for (;;) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        log.error("http I/O thread caught an exception", {{"error", e.what()}});
      }
    }
  }

  // The actions run outside sessions_mutex: a session whose last reference is the one taken
  // here is destroyed when it is dropped, and ~Session takes that mutex.
  template <class Action>
  void forEachSession(Action action) {
    std::vector<std::shared_ptr<ServerState::Session>> alive;
    {
      std::lock_guard lock(sessions_mutex);
      for (auto* session : sessions) {
        // A session whose destructor is waiting for this lock is already gone.
        if (auto s = session->weak_from_this().lock()) alive.push_back(std::move(s));
      }
    }
    for (const auto& session : alive)
      action(*session);
  }

  bool waitForSessions(SteadyClock::time_point deadline) {
    std::unique_lock lock(sessions_mutex);
    return sessions_changed.wait_until(lock, deadline, [&] { return sessions.empty(); });
  }

  void stop(std::chrono::milliseconds grace) {
    std::lock_guard lock(stop_mutex);
    if (stopped) return;
    stopped = true;
    stopping = true;
    asio::post(acceptor.get_executor(), [this] {
      ErrorCode ec;
      acceptor.close(ec);
    });
    forEachSession([](ServerState::Session& s) { s.requestStop(); });
    if (!waitForSessions(SteadyClock::now() + grace)) {
      forEachSession([](ServerState::Session& s) { s.forceClose(); });
      // Only connections whose handler is still running can remain; their coroutines are
      // destroyed with the io_context.
      waitForSessions(SteadyClock::now() + std::chrono::milliseconds(200));
    }
    keep_running.reset();
    ioc.stop();
    for (auto& thread : threads)
      thread.join();
    pool.stop();
    pool.join();
  }
};

Server::Server(const Router& router, ServerOptions options, Logger log)
    : impl_(std::make_unique<Impl>(router, std::move(options), std::move(log))) {}

Server::~Server() {
  stop();
}

std::uint16_t Server::port() const {
  return impl_->bound.port();
}

std::string Server::address() const {
  auto host = impl_->bound.address().to_string();
  if (impl_->bound.address().is_v6()) host = "[" + host + "]";
  return host + ":" + std::to_string(port());
}

void Server::stop(std::chrono::milliseconds grace) {
  impl_->stop(grace);
}

std::size_t Server::connections() const {
  return impl_->connections;
}
std::size_t Server::streams() const {
  return impl_->streams;
}

}  // namespace berth::http
