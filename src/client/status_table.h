// `berth status` for a person: one row per stage with what it runs (tag and short digest), its
// instances' health and its last deploy, then the reason of every last deploy that did not
// succeed. Pure, from GET /api/projects's JSON (docs/api.md §3.5).
#pragma once

#include <string>

#include "client/api_client.h"

namespace berth::client {

// "2 healthy", "1 healthy, 1 unhealthy", "none": instances counted by state.
std::string instanceSummary(const Json& instances);

// The table for `projects` (a JSON array of projects), ending with a newline; "no projects\n"
// when it is empty.
std::string statusTable(const Json& projects);

}  // namespace berth::client
