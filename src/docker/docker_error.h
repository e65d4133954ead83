// Why a Docker call failed, typed so callers can decide: retry (timeout, daemon_unreachable,
// server), give up with the daemon's reason (bad_request, unauthorized), or treat it as an
// expected answer (not_found when removing what is gone, conflict when a name is taken).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "net/http.h"

namespace berth::docker {

class DockerError : public std::runtime_error {
 public:
  enum class Kind {
    not_found,           // 404: no such container, image, network, manifest
    conflict,            // 409 (name in use, running container), 403 (already connected)
    bad_request,         // 400: the daemon refused our parameters
    unauthorized,        // registry credentials missing or wrong (pull); 401
    daemon_unreachable,  // no connection: socket missing, refused, TLS handshake failed
    timeout,             // no (complete) answer in time, or a pull stalled
    cancelled,           // the caller's cancel flag
    server,              // 5xx: the daemon failed (registry down, disk full, ...)
    protocol,            // an answer we cannot read: malformed JSON, unexpected status
  };

  // `operation` and `object` name what was attempted: ("create container", "web-production-blue").
  // The message reads "docker: create container web-production-blue: conflict: <detail>".
  DockerError(Kind kind, std::string operation, std::string object, std::string detail,
              int status = 0);

  Kind kind() const { return kind_; }
  const std::string& operation() const { return operation_; }
  const std::string& object() const { return object_; }
  // The daemon's own message (or our description of the failure), without the prefix.
  const std::string& detail() const { return detail_; }
  // The HTTP status, or 0 when no response arrived.
  int status() const { return status_; }

 private:
  Kind kind_;
  std::string operation_;
  std::string object_;
  std::string detail_;
  int status_;
};

// "not found", "conflict", ... as used in messages.
std::string_view kindName(DockerError::Kind kind);

// The kind for an HTTP error status. A 5xx whose message says the registry refused the
// credentials is `unauthorized`: the 20.10 daemon reports that as 500.
DockerError::Kind kindForStatus(int status, std::string_view daemon_message);

// The kind for a message that arrives inside a 200 stream ({"error": ...} during a pull).
DockerError::Kind kindForStreamError(std::string_view daemon_message);

// The daemon's message from an error body: {"message": "..."} or plain text (the 20.10 daemon
// answers some errors as text/plain). Falls back to "HTTP <status>" for an empty body.
std::string daemonMessage(int status, std::string_view body);

// DockerError for a response with an unexpected status.
DockerError errorFromResponse(const net::HttpResponse& response, std::string operation,
                              std::string object);

// DockerError for a transport failure (no response): connect -> daemon_unreachable, ...
DockerError errorFromTransport(const net::HttpError& error, std::string operation,
                               std::string object);

}  // namespace berth::docker
