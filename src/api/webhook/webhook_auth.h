// Whether a webhook delivery proves it knows the project's secret. Two ways, because senders
// differ: GitHub signs the body (X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
// body>); GitLab sends the secret as X-Gitlab-Token; Docker Hub can do neither, so its URL
// carries ?token=<secret>. A signature, when present, is the only credential considered.
// Comparisons take the same time wherever the first differing byte is.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace berth::api {

// nullopt when `request` carries a valid signature or token for `secret`; otherwise why not,
// for the operator's log. An empty `secret` accepts nothing ("X-Hub-Signature-256 does not match
// the body"). The reason never contains the secret or what the caller sent. Credentials, in the
// order looked for: X-Hub-Signature-256, X-Berth-Token, X-Gitlab-Token, Authorization: Bearer
// <secret>, query parameter `token`.
std::optional<std::string> checkWebhookCredential(const http::Request& request,
                                                  std::string_view secret);

// "sha256=<64 lowercase hex>": the X-Hub-Signature-256 value a sender with `secret` would send
// for `body` (for tests and for CI scripts' documentation).
std::string webhookSignature(std::string_view secret, std::string_view body);

}  // namespace berth::api
