// Serves the dashboard: the files embedded in the binary (embedded_assets.h), or, for
// development, a directory on disk (berth serve --web-dir web/build), read at each request so
// a rebuilt dashboard shows without restarting berth.
//
// What a browser sees:
//  - hashed assets under /_app/immutable/ are `Cache-Control: public, max-age=31536000,
//    immutable`; everything else (index.html above all) is `no-cache`, so a new berth version
//    is picked up at the next page load;
//  - the gzip-compressed copy when the client accepts gzip (with `Vary: Accept-Encoding`);
//  - any other path that names no file falls back to index.html (the single-page app routes
//    it), except under /api/ (a JSON 404, never a page) and under /_app/ (a missing asset is a
//    404, not HTML that a browser would try to run as a script).
#pragma once

#include <filesystem>
#include <optional>

#include "http/message.h"

namespace berth::web {

class StaticFiles {
 public:
  // The embedded files; `dir` set: that directory instead.
  explicit StaticFiles(std::optional<std::filesystem::path> dir = std::nullopt);
  http::Response serve(const http::Request& request) const;
  // True when there is a dashboard to serve (an index.html).
  bool available() const;

 private:
  std::optional<std::filesystem::path> dir_;
};

}  // namespace berth::web
