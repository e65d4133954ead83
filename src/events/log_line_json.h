// A deploy log line as JSON, one shape for the REST API (GET /api/deploys/{id}/log) and the
// SSE log stream: {"seq":3,"ts":"2026-01-01T00:00:00.000Z","level":"info","message":"..."}.
#pragma once

#include <string>

#include "store/deploy_record.h"
#include "store/timestamp.h"

namespace berth::events {

// ISO 8601 in UTC with milliseconds, e.g. "2026-01-01T12:34:56.789Z".
std::string isoUtc(Timestamp t);

// One line of JSON (no newline); invalid UTF-8 in the message is replaced, never thrown.
std::string logLineJson(const DeployLogEntry& line);

}  // namespace berth::events
