// How the client shows deploys and log lines to a person. Pure functions of the API's JSON
// (docs/api.md §3.7), so the tests pin the exact sentences an operator and a CI log will see.
#pragma once

#include <string>

#include "client/api_client.h"
#include "client/deploy_follower.h"

namespace berth::client {

// "sha256:4f9e1a2b3c4d5e6f..." -> "sha256:4f9e1a2b3c4d" (12 hex digits, as docker shows
// image ids); "" for an empty or null digest.
std::string shortDigest(const Json& digest);

// "ghcr.io/acme/web:v1.2.3" from a deploy's "image".
std::string imageName(const Json& deploy);

// "rolled_back" -> "rolled back".
std::string stateWords(const std::string& state);

// A deploy the server accepted (or already had): "deploy 42 queued: web/staging <-
// ghcr.io/acme/web:v1.2.3 (manual)".
std::string describeAccepted(const Json& deploy);

// How it ended, one line: "deploy 42 succeeded: web/staging runs ghcr.io/acme/web:v1.2.3
// (sha256:4f9e1a2b3c4d)", or "deploy 42 rolled back: <reason>".
std::string describeOutcome(const Json& deploy);

// "12:00:00.130 info  pulling ghcr.io/acme/web:v1.2.3": the time of day (UTC) of `ts`, the
// level padded to a column, the message.
std::string formatLogLine(const LogLine& line);

// A log line as the JSON object the API sends: {"seq","ts","level","message"}.
Json logLineJson(const LogLine& line);

// The API's JSON as --output json prints it: compact, one line, bad UTF-8 replaced.
std::string jsonText(const Json& value);

}  // namespace berth::client
